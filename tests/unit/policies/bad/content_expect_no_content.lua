rule { name = "content_expect_no_content", action = "block", names = { "xmrig" }, expect = { content_match = { "x" } } }
