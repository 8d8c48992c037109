rule { name = "unknown_importance", action = "block", importance = "urgent", names = { "x" } }
