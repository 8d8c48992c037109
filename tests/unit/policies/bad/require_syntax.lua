local m = require("broken/module")
