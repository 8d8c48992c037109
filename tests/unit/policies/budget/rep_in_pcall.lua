-- a policy cannot catch the refusal and go on
local ok = pcall(string.rep, "", math.maxinteger)
rule { name = "after", action = "block", names = { "after" } }
