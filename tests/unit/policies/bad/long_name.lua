rule { name = "long_name", action = "block", names = { string.rep("n", 256) } }
