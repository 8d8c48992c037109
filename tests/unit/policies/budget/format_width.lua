-- widths are capped
local s = string.format("%0999d", 1)
