rule { name = "dup", action = "block", names = { "a" } }
local x = 1
rule { name = "dup", action = "block", names = { "b" } }
