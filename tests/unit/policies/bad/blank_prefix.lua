rule { name = "blank_prefix", action = "block", name_prefixes = { "   " } }
