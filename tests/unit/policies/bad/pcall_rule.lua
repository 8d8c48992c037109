-- an invalid rule cannot be skipped by catching its error
local ok = pcall(rule, { name = "pcall_rule", action = "deny", names = { "x" } })
rule { name = "after", action = "block", names = { "after" } }
