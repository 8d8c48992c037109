-- A finalizer runs when the sandbox closes, after every file ran: a rule it
-- defines must not appear (nor crash the host).
rule { name = "kept", action = "block", names = { "kept" } }
local late = setmetatable({}, { __gc = function()
  rule { name = "late", action = "block", names = { "late" } }
end })
