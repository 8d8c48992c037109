rule { name = "content_empty", action = "block", content = { strings = { }, max_size = 1000 } }
