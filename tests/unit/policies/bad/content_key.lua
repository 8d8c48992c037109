rule { name = "content_key", action = "block", content = { strings = { "stratum+tcp://" }, max_size = 10, size = 3 } }
