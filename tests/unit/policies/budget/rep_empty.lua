-- zero bytes, but math.maxinteger repetitions: refused before the loop
local s = string.rep("", math.maxinteger)
