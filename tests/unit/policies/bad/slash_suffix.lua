rule { name = "slash_suffix", action = "block", name_suffixes = { "/xmrig" } }
