rule { name = "empty_name", action = "block", names = { "xmrig", "" } }
