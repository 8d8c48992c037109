-- Policy of the bypass scenarios (tests/vm/scenarios/2x_bypass_*.sh): miner
-- names reached through other names and other doors. Everything lives under
-- /tmp/bp so nothing else in the VM can match.

rule {
	name = "b_name", category = "test", action = "block", hooks = { "open", "exec" },
	names = { "mg-xmrig", "mg-lib.so", "mg-miner.sh" },
}

rule {
	name = "b_exec_only", category = "test", action = "block", hooks = { "exec" },
	names = { "mg-execonly" },
}

rule {
	name = "b_audit", category = "test", action = "audit", hooks = { "open", "exec" },
	names = { "mg-ethminer" },
}

rule {
	name = "b_prefix", category = "test", action = "block", hooks = { "open", "exec" },
	name_prefixes = { "MgMiner-" },
}

rule {
	name = "b_excepted", category = "test", action = "block", hooks = { "open", "exec" },
	names = { "mg-excepted" },
	except = { executables = { "/tmp/bp/bin/trusted-probe" } },
}

rule {
	name = "b_hostile", category = "test", action = "block", hooks = { "open", "exec" },
	names = { "mg-mïner", "mg spaced " },
	name_suffixes = { ".MgCoin" },
}
