rule { name = "long_prefix", action = "block", name_prefixes = { string.rep("p", 300) } }
