-- the same name, audited
rule {
  name = "auditor",
  action = "audit",
  names = { "MINERD" },
}
