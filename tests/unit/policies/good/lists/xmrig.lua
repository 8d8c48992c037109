-- A module, not a policy: it must only run through require().
local name = ...
assert(name == "lists/xmrig", "lists/xmrig.lua ran as a policy")
local common = require("lists/common")
local names = { "xmrig", "XMRig", "xmrig-notls" }
for _, n in ipairs(common.xmrig_extra) do names[#names + 1] = n end
return { names = names }
