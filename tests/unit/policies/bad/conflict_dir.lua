rule { name = "dir-a", action = "block", dirs = { "/opt/miner/" } }
rule { name = "dir-b", action = "audit", dirs = { "/opt/miner" } }
