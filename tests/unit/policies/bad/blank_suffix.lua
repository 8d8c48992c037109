rule { name = "blank_suffix", action = "block", name_suffixes = { "\t\n" } }
