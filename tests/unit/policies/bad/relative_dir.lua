rule { name = "relative_dir", action = "block", dirs = { "tmp/" } }
