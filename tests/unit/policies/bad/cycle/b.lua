
return require("cycle/a")
