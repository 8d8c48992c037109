
local lists = require("lists/nope")
