rule {
  name = "relative_executable", action = "block", names = { "xmrig" },
  except = { executables = { "clamscan" } },
}
