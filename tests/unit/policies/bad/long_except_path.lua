rule {
  name = "long_except_path", action = "block", names = { "x" },
  except = { paths = { "/" .. string.rep("e", 5000) } },
}
