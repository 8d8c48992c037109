rule { name = "on_match_unknown", action = "block", names = { "xmrig" }, on_match = "explode" }
