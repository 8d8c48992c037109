rule { name = "content_no_max", action = "block", content = { strings = { "stratum+tcp://" }, min = 1 } }
