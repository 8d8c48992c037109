-- nearly 2^63 copies of nil, all inside one C call
local t = table.move({}, 1, math.maxinteger - 1, 2)
