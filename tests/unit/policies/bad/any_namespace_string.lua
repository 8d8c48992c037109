rule { name = "any_namespace_string", action = "block", names = { "xmrig" }, except = { executables = { "/usr/bin/clamscan" }, any_namespace = "yes" } }
