-- Every value exactly at its kernel limit is accepted.
rule {
  name = "at-the-limits",
  action = "block",
  names = { string.rep("N", 255) },
  paths = { "/" .. string.rep("p", 4094) },
  dirs = { "/" .. string.rep("d", 4093) .. "/", "/" },
  except = { dirs = { "/usr/" } },
}
