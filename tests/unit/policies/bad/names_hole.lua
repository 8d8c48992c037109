rule { name = "names_hole", action = "block", names = { "a", nil, "c" } }
