-- grows until the cap (table growth only: string.rep's own budget is
-- memory_rep.lua's)
local t = {}
while true do t[#t + 1] = #t end
