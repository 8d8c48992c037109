-- a length made up by __len would make insert shift forever
local t = setmetatable({}, { __len = function() return math.maxinteger - 1 end })
table.insert(t, 1, "x")
