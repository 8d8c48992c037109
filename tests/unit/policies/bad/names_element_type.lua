rule { name = "names_element_type", action = "block", names = { "xmrig", 42 } }
