rule { name = "blocker", action = "block", names = { "minerd" } }
