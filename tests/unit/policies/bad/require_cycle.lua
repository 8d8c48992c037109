local a = require("cycle/a")
