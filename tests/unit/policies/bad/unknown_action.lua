rule { name = "unknown_action", action = "deny", names = { "x" } }
