rule { name = "empty_path", action = "block", paths = { "" } }
