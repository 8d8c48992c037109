
error({ reason = "not a string" })
