-- escaping the policy directory
local lists = require("../good/lists/xmrig")
