rule { name = "description_type", action = "block", names = { "x" }, description = 5 }
