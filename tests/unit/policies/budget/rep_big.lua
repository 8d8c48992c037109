-- a gigabyte in one C call, through the method syntax
local x = "x"
local s = x:rep(1e9)
