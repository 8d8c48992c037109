rule {
  name = "relative_except_path", action = "block", names = { "xmrig" },
  except = { paths = { "/usr/share/xmrig", "usr/bin/xmrig" } },
}
