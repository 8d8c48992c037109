rule { name = "dir_dotdot", action = "block", dirs = { "/opt/xmrig/../bin" } }
