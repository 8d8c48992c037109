-- Audit rules built with code, sharing defaults.
local common = require("lists/common")

policy_defaults { action = "audit", category = "cryptominer", importance = "medium" }

for _, miner in ipairs(common.audit_miners) do
  rule {
    name = miner,
    names = { miner, string.upper(miner) },
  }
end

rule {
  name = "nbminer",
  action = "block",
  hooks = { "exec" },
  name_prefixes = { "nbminer" },
}
