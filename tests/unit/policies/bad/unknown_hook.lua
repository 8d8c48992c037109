rule { name = "unknown_hook", action = "block", hooks = { "open", "opne" }, names = { "x" } }
