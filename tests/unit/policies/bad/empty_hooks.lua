rule { name = "empty_hooks", action = "block", hooks = {}, names = { "x" } }
