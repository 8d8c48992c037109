rule {
  name = "unknown_except_key", action = "block", names = { "xmrig" },
  except = { path = { "/usr/bin/xmrig" } },
}
