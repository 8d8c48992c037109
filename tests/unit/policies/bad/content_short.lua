rule { name = "content_short", action = "block", content = { strings = { "stratum+tcp://", "xmr" }, min = 1, max_size = 1000 } }
