-- Policy of the kernel VM scenarios (tests/vm/scenarios/1*_*.sh): one rule
-- per signature kind, an audit rule, an exec-only rule, and exceptions of
-- every kind. Names are written in mixed case on purpose: name kinds are
-- ASCII case-folded, so "MG-XmRiG" must match mg-xmrig and MG-XMRIG alike.
-- Everything lives under /tmp/mgt so nothing else in the VM can match.

rule {
	name = "t_name", category = "test", action = "block", hooks = { "open", "exec" },
	names = { "MG-XmRiG" },
	except = {
		paths = { "/tmp/mgt/exc/path/mg-xmrig" },
		dirs = { "/tmp/mgt/exc/dir" },
		executables = { "/tmp/mgt/bin/trusted-probe" },
	},
}

-- The same exception, said to hold in every namespace (a container's own
-- scanner): scenario 10 runs the excepted binary from `unshare -Urm`.
rule {
	name = "t_anyns", category = "test", action = "block", hooks = { "open", "exec" },
	names = { "mg-anyns" },
	except = { executables = { "/tmp/mgt/bin/trusted-probe" }, any_namespace = true },
}

rule {
	name = "t_prefix", category = "test", action = "block", hooks = { "open", "exec" },
	name_prefixes = { "MgMinerD-" },
}

rule {
	name = "t_suffix", category = "test", action = "block", hooks = { "open", "exec" },
	name_suffixes = { ".MgCoin" },
}

rule {
	name = "t_path", category = "test", action = "block", hooks = { "open", "exec" },
	paths = { "/tmp/mgt/pool/worker.bin" },
}

rule {
	name = "t_dir", category = "test", action = "block", hooks = { "open", "exec" },
	dirs = { "/tmp/mgt/mining" },
	except = { paths = { "/tmp/mgt/mining/README" } },
}

rule {
	name = "t_audit", category = "test", action = "audit", hooks = { "open", "exec" },
	names = { "mg-ethminer" },
}

rule {
	name = "t_exec_only", category = "test", action = "block", hooks = { "exec" },
	names = { "mg-execonly" },
}
