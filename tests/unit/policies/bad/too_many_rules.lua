-- one more rule than the kernel's rule table holds
for i = 0, 4095 do
  rule { name = string.format("r%05d", i), action = "audit", names = { "n" .. i } }
end
