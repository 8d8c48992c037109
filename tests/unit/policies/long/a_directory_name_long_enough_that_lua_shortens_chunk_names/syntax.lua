rule {
  name = "long" "x",
}
