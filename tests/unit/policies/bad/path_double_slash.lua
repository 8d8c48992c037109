rule { name = "path_double_slash", action = "block", paths = { "/opt//xmrig" } }
