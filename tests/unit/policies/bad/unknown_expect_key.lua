rule {
  name = "unknown_expect_key", action = "block", names = { "xmrig" },
  expect = { matches = { "/tmp/xmrig" } },
}
