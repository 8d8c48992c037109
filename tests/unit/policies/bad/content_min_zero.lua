rule { name = "content_min_zero", action = "block", content = { strings = { "stratum+tcp://" }, min = 0, max_size = 1000 } }
