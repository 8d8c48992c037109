return {
  names = { "a" "b" },
}
