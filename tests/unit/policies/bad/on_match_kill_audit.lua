rule { name = "on_match_kill_audit", action = "audit", names = { "xmrig" }, on_match = "kill" }
