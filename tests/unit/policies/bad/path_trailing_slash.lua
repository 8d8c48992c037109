rule { name = "path_trailing_slash", action = "block", paths = { "/opt/xmrig/" } }
