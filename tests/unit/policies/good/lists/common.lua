-- Shared by both policies; require() runs it once.
local name = ...
assert(name == "lists/common", "lists/common.lua ran as a policy")
loads = (loads or 0) + 1
assert(loads == 1)
return {
  xmrig_extra = { "xmrig-cuda", "XMRIG-CUDA" },
  audit_miners = { "cpuminer", "ethminer" },
}
