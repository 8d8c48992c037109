local lists = nil
rule { name = "runtime", action = "block", names = lists.names }
