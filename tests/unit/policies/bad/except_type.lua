rule { name = "except_type", action = "block", names = { "x" }, except = "/usr/bin" }
