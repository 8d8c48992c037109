-- Loads only if the sandbox exposes exactly what it should.
for _, absent in ipairs({ "io", "debug", "package", "dofile", "loadfile", "load",
                          "loadstring", "collectgarbage", "coroutine", "warn", "module" }) do
  assert(_ENV[absent] == nil, absent .. " is reachable")
end
assert(string.dump == nil and ("").dump == nil, "string.dump is reachable")
assert(getmetatable("") == false, "the string metatable is reachable")
assert(os.execute == nil and os.getenv == nil and os.exit == nil and os.remove == nil)
assert(type(os.time()) == "number" and type(os.clock()) == "number" and type(os.date("%Y")) == "string")
assert(type(string.format) == "function" and type(table.sort) == "function")
assert(type(math.floor) == "function" and type(utf8.char) == "function")
local ok, msg = pcall(error, "caught", 0)
assert(ok == false and msg == "caught", "pcall does not work")
local ok2, v = xpcall(function() return 42 end, function(m) return m end)
assert(ok2 == true and v == 42, "xpcall does not work")
-- Globals set here must not leak into other files (see leak_b.lua).
leaked_global = true
string.upper = nil
rule { name = "sandbox", action = "audit", names = { "sandbox-test" } }
-- The DSL is also reachable by require; changing it stays in this file.
local mg = require("minerguard")
assert(mg.rule == rule and mg.policy_defaults == policy_defaults)
mg.rule = nil
