-- the error names the line that called rule(), inside the helper
local function miner(name)
  rule { name = name, action = "block", names = { name .. "/" } }
end
miner("helper_blame")
