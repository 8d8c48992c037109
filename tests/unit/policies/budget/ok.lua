-- ordinary uses stay allowed
local names = {}
for i = 1, 3 do names[i] = string.format("miner-%02d", i) .. string.rep("x", 2, "-") end
assert(table.concat(names, ",") == "miner-01x-x,miner-02x-x,miner-03x-x")
assert(("%5.1f"):format(1 / 3) == "  0.3")
assert(string.rep("", 10) == "" and table.concat({}) == "")
assert(table.concat({ 1, 2, 3 }, nil, 2) == "23")
rule { name = "budget-ok", action = "block", names = names }
local l = { 3, 1, 2 }
table.insert(l, 4)
table.insert(l, 1, 0)
assert(table.remove(l) == 4 and table.remove(l, 1) == 0)
table.sort(l)
table.sort(l, function(a, b) return a > b end)
assert(table.concat(table.move(l, 1, 3, 2, {}), ",", 2, 4) == "3,2,1")
