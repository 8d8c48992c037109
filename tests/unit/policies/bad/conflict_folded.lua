-- XMRig and xmrig are one signature once folded
rule { name = "miner-a", action = "block", names = { "XMRig" } }
rule { name = "miner-b", action = "audit", names = { "xmrig" } }
