-- Runs after globals.lua: its globals and library changes are not visible.
assert(leaked_global == nil, "a global leaked between policy files")
assert(string.upper ~= nil, "a library change leaked between policy files")
rule { name = "sandbox-b", action = "audit", names = { string.upper("b") } }
assert(require("minerguard").rule == rule, "a change to the DSL table leaked")
