
rule { action = "block", names = { "xmrig" } }
