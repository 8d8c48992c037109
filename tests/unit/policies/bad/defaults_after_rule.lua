rule { name = "defaults_after_rule", action = "block", names = { "x" } }
policy_defaults { action = "audit" }
