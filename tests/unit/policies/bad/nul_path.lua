rule { name = "nul_path", action = "block", paths = { "/opt/x\0y" } }
