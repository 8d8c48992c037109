rule {
	name = "bytes",
	action = "block",
	content = { strings = { "RandomX\x03", "nul\0inside", "stratum+tcp://" }, min = 2,
		max_size = 4096, type = "elf" },
	dir_names = { "XMRig", ".Miner" },
	sha256 = { "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD" },
}
rule {
	name = "defaults",
	action = "audit",
	content = { strings = { "donate.v2.xmrig.com", "xmrig.com/wizard" }, max_size = 10 },
}
