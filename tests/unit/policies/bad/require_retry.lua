-- a module that failed stays failed: a second require runs it again
local ok = pcall(require, "broken/runtime")
assert(not ok)
local again = require("broken/runtime")
