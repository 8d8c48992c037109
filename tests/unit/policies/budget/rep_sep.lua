-- the separator counts too

local s = string.rep("ab", 1 << 40, ",")
