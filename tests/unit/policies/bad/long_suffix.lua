rule { name = "long_suffix", action = "block", name_suffixes = { "." .. string.rep("s", 255) } }
