-- a typo in a key
rule {
  name = "unknown_key",
  action = "block",
  nmes = { "xmrig" },
}
