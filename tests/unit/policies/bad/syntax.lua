-- a missing comma
rule {
  name = "syntax"
  action = "block",
}
