rule { name = "content_repeat", action = "block", content = { strings = { "stratum+tcp://", "donate-level", "stratum+tcp://" }, max_size = 10 } }
