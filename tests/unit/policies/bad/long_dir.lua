rule { name = "long_dir", action = "block", dirs = { "/" .. string.rep("d", 4094) } }
