rule { name = "dir_name_slash", action = "block", dir_names = { "xmrig/bin" } }
