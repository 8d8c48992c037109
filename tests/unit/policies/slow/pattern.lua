-- backtracking inside one C call (string.find): no budget sees it, only
-- the wall clock of the compile child does
local s = string.rep("a", 60)
local found = s:find(string.rep(".-", 20) .. "b")
rule { name = "never", action = "block", names = { "never" } }
