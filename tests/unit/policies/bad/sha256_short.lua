rule { name = "sha256_short", action = "block", sha256 = { "abc123" } }
