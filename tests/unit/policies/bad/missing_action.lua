rule {
  name = "missing_action",
  names = { "xmrig" },
}
