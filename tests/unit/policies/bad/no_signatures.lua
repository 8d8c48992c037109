rule {
  name = "no_signatures", action = "block",
  except = { paths = { "/usr/bin/x" } },
}
