-- every element made up by a C __index: the loop never touches Lua code
local t = setmetatable({}, { __index = tostring })
local s = table.concat(t, "", 1, math.maxinteger)
