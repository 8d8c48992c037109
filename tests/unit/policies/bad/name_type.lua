rule { name = 7, action = "block", names = { "x" } }
