rule { name = "content_type", action = "block", content = { strings = { "stratum+tcp://" }, max_size = 10, type = "exe" } }
