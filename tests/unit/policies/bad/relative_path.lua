rule { name = "relative_path", action = "block", paths = { "opt/xmrig/xmrig" } }
