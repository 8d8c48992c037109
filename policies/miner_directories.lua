-- Directory-name signatures (dir_names, kind MG_KIND_DIRNAME): a directory
-- component anywhere in the path, case-folded like names. The kernel judges
-- them on the resolved path (file_open, exec, and mmap on the lsm backend),
-- `match` and `scan` the same way (VM scenario 12 checks that they agree).
-- tests/corpus found no Debian bookworm path under these names.

-- Directories miners unpack to or installers create, as a component
-- anywhere in the path (case-folded): ~/moneroocean (MoneroOcean's
-- setup_moneroocean_miner.sh), ~/c3pool (C3Pool's), and the trees of the
-- release archives above (xmrig-6.21.0/ is caught by its prefix; a tree
-- renamed to plain "xmrig/" is caught here).
rule {
	name = "miner-directories",
	category = "cryptominer", importance = "high", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Files inside a directory named like a miner or its installer",
	dir_names = {
		"xmrig", "xmrig-proxy", "moneroocean", "c3pool", "srbminer-multi", "teamredminer",
		"lolminer", "nanominer", "nbminer", "bzminer", "onezerominer",
	},
	expect = {
		match = {
			"/root/moneroocean/config.json", "/home/u/c3pool/miner.sh", "/opt/XMRig/build/libuv.a",
			"/srv/tools/lolMiner/start.sh",
		},
		nomatch = {
			"/usr/share/doc/xmrig-doc/README", "/home/u/c3pool.txt", "/opt/moneroocean-stats/x",
		},
	},
}
