rule { name = "long_path", action = "block", paths = { "/" .. string.rep("p", 4095) } }
