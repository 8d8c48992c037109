rule {
  name = "relative_expect", action = "block", names = { "xmrig" },
  expect = { match = { "xmrig" } },
}
