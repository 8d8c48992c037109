-- second

rule { name = "xmrig", action = "block", names = { "xmrig-notls" } }
