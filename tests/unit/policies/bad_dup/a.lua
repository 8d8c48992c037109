-- first
rule { name = "xmrig", action = "block", names = { "xmrig" } }
