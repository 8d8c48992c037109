rule { name = "names_not_list", action = "block", names = "xmrig" }
