-- Directory-name signatures (dir_names, ABI 4 kind MG_KIND_DIRNAME). NOT
-- loaded by default: the loader reads only the top level of policies/, and
-- the kernel side does not judge DIRNAME yet, so `match`/`scan` would
-- report files the kernel lets through (tests/vm scenario 12 checks that
-- they agree). Move this file up into policies/ once the kernel judges
-- directory names; until then use it explicitly:
--   minerguard scan --policy policies --policy policies/pending/miner_directories.lua PATH
-- tests/corpus (with MG_CORPUS_POLICY) found no Debian bookworm path under
-- these names.

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
