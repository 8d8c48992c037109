rule { name = "names_named_key", action = "block", names = { "xmrig", extra = "x" } }
