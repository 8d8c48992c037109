policy_defaults { action = "audit", names = { "x" } }
