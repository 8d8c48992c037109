policy_defaults { action = "audit" }
policy_defaults { action = "block" }
