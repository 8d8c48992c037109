local passwd = require("/etc/passwd")
