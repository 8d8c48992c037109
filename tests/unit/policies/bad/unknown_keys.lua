rule { name = "unknown_keys", action = "block", names = { "x" }, zeta = 1, alpha = 2, [1] = "positional" }
