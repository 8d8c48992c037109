-- XMRig, with lists from a module (require) and messy input that the
-- host must normalise: mixed case, duplicates, trailing slashes.
local xmrig = require("lists/xmrig")

rule {
  name = "xmrig",
  description = "XMRig CPU/GPU miner",
  category = "cryptominer",
  importance = "critical",
  mitre = "T1496",
  action = "block",
  hooks = { "open", "exec", "mmap" },
  names = xmrig.names,
  name_prefixes = { "XMRig-", "xmrig-" },
  name_suffixes = { ".XMRIG.json" },
  paths = { "/opt/xmrig/xmrig", "/opt/xmrig/xmrig" },
  dirs = { "/opt/xmrig/", "/srv/miners" },
  except = {
    paths = { "/usr/share/doc/xmrig/README" },
    dirs = { "/usr/share/doc/", "/usr/lib/" },
    executables = { "/usr/bin/clamscan" },
  },
  expect = { match = { "/tmp/xmrig" }, nomatch = { "/usr/bin/xmrigger-doc" } },
}
