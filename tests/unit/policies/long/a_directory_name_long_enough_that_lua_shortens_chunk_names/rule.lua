
rule { name = "long_rule", action = "block", names = { "" } }
