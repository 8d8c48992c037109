rule { name = "nul_name", action = "block", names = { "xm\0rig" } }
