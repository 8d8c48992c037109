rule { name = "  ", action = "block", names = { "x" } }
