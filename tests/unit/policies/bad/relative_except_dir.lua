rule {
  name = "relative_except_dir", action = "block", names = { "xmrig" },
  except = { dirs = { "./build" } },
}
