-- one huge allocation
local x = 1
local s = string.rep("x", 1 << 30)
