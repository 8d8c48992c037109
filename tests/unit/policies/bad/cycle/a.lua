return require("cycle/b")
