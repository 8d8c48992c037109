rule { name = "slash_name", action = "block", names = { "bin/xmrig" } }
