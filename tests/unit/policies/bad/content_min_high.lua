rule { name = "content_min_high", action = "block",
	content = { strings = { "stratum+tcp://", "donate-level" }, min = 3, max_size = 1000 } }
