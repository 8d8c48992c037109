-- Curated cryptocurrency-miner file signatures (MITRE ATT&CK T1496, Resource
-- Hijacking). Every rule blocks opening, creating and executing a file whose
-- name or path is a known miner artifact.
--
-- How entries were chosen:
--   * names are the real artifact names a project ships or a documented
--     campaign drops (binaries, backend libraries, config files, installer
--     scripts, service units), each cited by the project's repository or a
--     public threat report;
--   * a name_prefix is used only for a token that no legitimate software
--     starts a name with (e.g. "cpuminer" covers the per-CPU-feature builds
--     cpuminer-avx2-sha-vaes, ... and release archives);
--   * names that are generic words or clash with real programs are NOT used
--     as names (miner, config.json, xmr, eth, stak, bioset, networkmanager,
--     irqbalanced, ...): where a campaign used such a name, only its exact
--     documented path is listed;
--   * every rule carries expect.match examples and expect.nomatch
--     lookalikes taken from Debian bookworm (tracker-miner-fs, gtkwave's
--     fstminer, firejail's xmr-stak.profile, NetworkManager, ...).
-- tests/corpus/run.sh proves zero matches over every file and directory
-- path of Debian bookworm (main, amd64 + all).

-- Release archives and unpacked trees are named <project><sep><version>
-- (xmrig-6.21.0-linux-static-x64.tar.gz, lolMiner_v1.88_Lin64.tar.gz, ...).
-- versioned("xmrig-") gives the prefixes "xmrig-0" .. "xmrig-9": they catch
-- every release without catching xmrig-api, nbminer-exporter and other
-- tools that merely talk to a miner.
local function versioned(...)
	local prefixes = {}
	for _, stem in ipairs({ ... }) do
		for digit = 0, 9 do
			prefixes[#prefixes + 1] = stem .. digit
		end
	end
	return prefixes
end

------------------------------------------------------------------------------
-- Open-source / commercial miners, by family
------------------------------------------------------------------------------

-- XMRig: https://github.com/xmrig/xmrig
-- Config search order (binary dir, ~/.xmrig.json, ~/.config/xmrig.json):
-- https://xmrig.com/docs/miner/config
-- xmrigDaemon/xmrigMiner/xmrigCCServer: XMRigCC, https://github.com/Bendr0id/xmrigCC
-- (also dropped by TeamTNT as /usr/sbin/xmrigMiner, see the teamtnt rule).
rule {
	name = "xmrig",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "XMRig Monero miner: binaries, per-user config, release archives",
	names = {
		"xmrig", "xmrig.exe", "xmrig-notls", "xmrig-notls.exe",
		"xmrig-amd", "xmrig-nvidia", "xmrig-mo",
		"xmrigDaemon", "xmrigMiner", "xmrigCCServer",
		".xmrig.json", "xmrig.json", "xmrig.service", "xmrig.tar.gz", "xmrig.zip",
	},
	-- xmrig-<version>-<platform>.tar.gz and the xmrig-<version>/ tree it unpacks to
	name_prefixes = versioned("xmrig-"),
	expect = {
		match = {
			"/tmp/xmrig", "/usr/local/bin/xmrig-notls", "/root/.xmrig.json",
			"/home/u/.config/xmrig.json", "/opt/XMRig/XMRig.exe",
			"/tmp/xmrig-6.21.0-linux-static-x64.tar.gz", "/usr/sbin/xmrigMiner",
			"/var/tmp/xmrig-6.21.0",
		},
		nomatch = {
			"/usr/bin/xmllint", "/usr/lib/x86_64-linux-gnu/libxmlrpc.so.3",
			"/home/u/.config/config.json", "/usr/share/doc/xmr/config.json",
			"/usr/lib/python3/dist-packages/xmrig_api/__init__.py",
			"/srv/app/node_modules/xmrig-api/index.js",
			"/usr/share/doc/python3-debian/examples/debtags/tagminer",
		},
	},
}

-- XMRig Proxy: https://github.com/xmrig/xmrig-proxy
rule {
	name = "xmrig-proxy",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "XMRig stratum proxy and its per-user config",
	names = { "xmrig-proxy", "xmrig-proxy.exe", "xmrig-proxy.json", ".xmrig-proxy.json" },
	name_prefixes = versioned("xmrig-proxy-"),
	expect = {
		match = { "/usr/local/bin/xmrig-proxy", "/root/.xmrig-proxy.json",
			"/tmp/xmrig-proxy-6.21.0-linux-static-x64.tar.gz" },
		nomatch = { "/usr/sbin/squid", "/usr/bin/proxy", "/etc/proxychains4.conf" },
	},
}

-- XMRig CUDA plugin (loaded by xmrig at run time): https://github.com/xmrig/xmrig-cuda
-- OpenCL is built into xmrig 6; older GPU builds were xmrig-amd / xmrig-nvidia.
rule {
	name = "xmrig-cuda",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "XMRig CUDA backend plugin libraries",
	names = { "libxmrig-cuda.so", "libxmrig-cu.a", "xmrig-cuda.dll", "libxmrig-cuda.dylib" },
	name_prefixes = versioned("xmrig-cuda-"),
	expect = {
		match = { "/opt/xmrig/libxmrig-cuda.so", "/tmp/build/libxmrig-cu.a",
			"/tmp/xmrig-cuda-6.17.0-cuda11_4-linux.tar.gz" },
		nomatch = { "/usr/lib/x86_64-linux-gnu/libxml2.so.2", "/usr/lib/x86_64-linux-gnu/libcuda.so.1" },
	},
}

-- XMRig one-line installers, abused by TeamTNT, Kinsing and others:
-- https://github.com/MoneroOcean/xmrig_setup  https://github.com/C3Pool/xmrig_setup
rule {
	name = "xmrig-setup-scripts",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "MoneroOcean / C3Pool XMRig installer scripts and their systemd units",
	names = {
		"setup_moneroocean_miner.sh", "uninstall_moneroocean_miner.sh", "moneroocean_miner.service",
		"setup_c3pool_miner.sh", "uninstall_c3pool_miner.sh", "c3pool_miner.service",
	},
	expect = {
		match = { "/tmp/setup_moneroocean_miner.sh", "/etc/systemd/system/moneroocean_miner.service",
			"/etc/systemd/system/c3pool_miner.service" },
		nomatch = { "/lib/systemd/system/tracker-miner-fs-3.service", "/usr/libexec/tracker-miner-fs-3" },
	},
}

-- XLArig (XMRig fork for Scala): https://github.com/scala-network/XLArig
rule {
	name = "xlarig",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "XLArig CPU miner",
	names = { "xlarig", "xlarig.exe" },
	name_prefixes = versioned("xlarig-v"),
	expect = {
		match = { "/tmp/xlarig", "/tmp/XLArig-v5.2.4-linux-x86_64.zip" },
		nomatch = { "/usr/bin/xlsatoms", "/usr/bin/xload" },
	},
}

-- xmr-stak (all generations): https://github.com/fireice-uk/xmr-stak
-- https://github.com/fireice-uk/xmr-stak-cpu https://github.com/fireice-uk/xmr-stak-amd
-- https://github.com/fireice-uk/xmr-stak-nvidia ; xmr-stak-rx is the RandomX branch.
-- Backends are loaded as libxmrstak_{cuda,opencl}_backend; CMake builds the
-- static libs xmr-stak-c / xmr-stak-backend. No bare "xmr-stak" prefix:
-- firejail ships /etc/firejail/xmr-stak.profile.
rule {
	name = "xmr-stak",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "xmr-stak miners and their GPU backend libraries",
	names = {
		"xmr-stak", "xmr-stak.exe", "xmr-stak-cpu", "xmr-stak-cpu.exe",
		"xmr-stak-amd", "xmr-stak-amd.exe", "xmr-stak-nvidia", "xmr-stak-nvidia.exe",
		"xmr-stak-rx", "xmr-stak-rx.exe",
		"libxmrstak_cuda_backend.so", "libxmrstak_opencl_backend.so",
		"xmrstak_cuda_backend.dll", "xmrstak_opencl_backend.dll",
		"libxmr-stak-c.a", "libxmr-stak-backend.a",
	},
	name_prefixes = { "xmr-stak-", "libxmrstak_", "xmrstak_" },
	expect = {
		match = { "/usr/local/bin/xmr-stak", "/opt/xmr-stak/bin/libxmrstak_cuda_backend.so",
			"/tmp/xmr-stak-rx-linux-1.0.5-cpu.tar.xz", "/usr/local/bin/xmr-stak-cpu" },
		nomatch = { "/etc/firejail/xmr-stak.profile", "/usr/share/doc/xmr/README" },
	},
}

-- cpuminer family: pooler's cpuminer (binary "minerd") https://github.com/pooler/cpuminer ;
-- cpuminer-multi https://github.com/tpruvot/cpuminer-multi (config cpuminer-conf.json);
-- cpuminer-opt and its per-CPU-feature release builds https://github.com/JayDDee/cpuminer-opt ;
-- cpuminer-gr https://github.com/WyvernTKC/cpuminer-gr-avx2 ;
-- Darlloz worm installing cpuminer: Symantec (2014), minerd in the Defender
-- Linux miner signature list https://github.com/mthcht/awesome-lists (Defender_yara_rules/Linux/Trojan/Miners.yara).
rule {
	name = "cpuminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "cpuminer / minerd and forks, incl. per-CPU-feature builds",
	names = {
		"minerd", "minerd.exe", "cpuminer", "cpuminer.exe", "cpuminer-conf.json",
		"cpuminer-multi", "cpuminer-opt", "cpuminer-gr",
		"cpuminer-sse2", "cpuminer-sse42", "cpuminer-aes-sse42", "cpuminer-avx",
		"cpuminer-avx2", "cpuminer-avx2-sha", "cpuminer-avx2-sha-vaes",
		"cpuminer-avx512", "cpuminer-avx512-sha", "cpuminer-avx512-sha-vaes",
		"cpuminer-zen", "cpuminer-zen3", "cpuminer-zen4", "cpuminer-zen5",
		"cpuminer-alderlake", "cpuminer-x64", "cpuminer-armv8",
	},
	name_prefixes = { "cpuminer" },
	expect = {
		match = { "/usr/local/bin/minerd", "/tmp/cpuminer-avx2-sha-vaes", "/home/u/cpuminer-opt-23.15/cpuminer",
			"/tmp/cpuminer-gr-1.2.4.1-x86_64_linux.tar.gz", "/root/cpuminer-conf.json" },
		nomatch = { "/usr/bin/fstminer", "/usr/bin/vztminer", "/usr/bin/lxt2miner", "/usr/sbin/mined",
			"/usr/share/man/man1/siac-miner.1.gz" },
	},
}

-- ccminer (CUDA): https://github.com/tpruvot/ccminer
rule {
	name = "ccminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "ccminer CUDA miner and forks",
	names = { "ccminer", "ccminer.exe", "ccminer-x64.exe", "ccminer.conf" },
	name_prefixes = versioned("ccminer-", "ccminer-x64-"),
	expect = {
		match = { "/usr/local/bin/ccminer", "/tmp/ccminer-x64-2.3.1-cuda10.7z", "/opt/ccminer-2.3.1/ccminer.conf" },
		nomatch = { "/usr/bin/ccmake", "/usr/bin/cc" },
	},
}

-- cgminer: https://github.com/ckolivas/cgminer
rule {
	name = "cgminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "cgminer ASIC/FPGA miner",
	names = { "cgminer", "cgminer.exe", "cgminer.conf", "cgminer-api", "cgminer-api.exe" },
	name_prefixes = versioned("cgminer-"),
	expect = {
		match = { "/usr/bin/cgminer", "/etc/cgminer.conf", "/tmp/cgminer-4.12.0.tar.bz2" },
		nomatch = { "/usr/bin/cgdb", "/usr/bin/cgcreate",
			"/usr/lib/python3/dist-packages/cgminerhttpinterface/__init__.py" },
	},
}

-- BFGMiner: https://github.com/luke-jr/bfgminer
rule {
	name = "bfgminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "BFGMiner ASIC/FPGA miner",
	names = { "bfgminer", "bfgminer.exe", "bfgminer.conf", "bfgminer-rpc" },
	name_prefixes = versioned("bfgminer-"),
	expect = {
		match = { "/usr/bin/bfgminer", "/usr/bin/bfgminer-rpc", "/root/.bfgminer/bfgminer.conf",
			"/tmp/bfgminer-5.5.0-win64.zip" },
		nomatch = { "/usr/bin/bfs", "/usr/share/doc/bfgminer-monitor/README" },
	},
}

-- sgminer (OpenCL): https://github.com/sgminer-dev/sgminer
rule {
	name = "sgminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "sgminer OpenCL miner",
	names = { "sgminer", "sgminer.exe", "sgminer.conf" },
	name_prefixes = versioned("sgminer-"),
	expect = {
		match = { "/usr/local/bin/sgminer", "/home/u/sgminer-5.6.1/sgminer.conf" },
		nomatch = { "/usr/bin/sgml2xml", "/usr/bin/sg_inq" },
	},
}

-- ethminer and forks: https://github.com/ethereum-mining/ethminer
-- nsfminer https://github.com/no-fee-ethereum-mining/nsfminer
-- kawpowminer https://github.com/RavenCommunity/kawpowminer
-- firominer https://github.com/firoorg/firominer
rule {
	name = "ethminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "ethminer (Ethash) and its forks nsfminer, kawpowminer, firominer",
	names = {
		"ethminer", "ethminer.exe", "nsfminer", "nsfminer.exe",
		"kawpowminer", "kawpowminer.exe", "firominer", "firominer.exe",
	},
	name_prefixes = versioned("ethminer-", "nsfminer_", "kawpowminer-"),
	expect = {
		match = { "/usr/local/bin/ethminer", "/tmp/ethminer-0.18.0-cuda-9-linux-x86_64.tar.gz",
			"/opt/kawpowminer/kawpowminer", "/tmp/nsfminer",
			"/tmp/nsfminer_1.3.14-ubuntu_20.04-cuda_11.3-opencl.tgz" },
		nomatch = { "/usr/sbin/ethtool", "/usr/bin/ethstatus",
			"/usr/local/lib/python3.11/dist-packages/ethminer_supervisor/main.py" },
	},
}

-- Claymore's miners (closed source, 2016-2019): Dual Ethereum (EthDcrMiner64),
-- CryptoNote GPU/CPU (NsGpuCNMiner, NsCpuCNMiner64), ZCash (ZecMiner64).
-- Names in the Defender Linux miner list:
-- https://github.com/mthcht/awesome-lists/blob/main/Lists/Others/Defender_yara_rules/Linux/Trojan/Miners.yara
rule {
	name = "claymore",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Claymore's Ethereum/CryptoNote/ZCash miners",
	names = {
		"ethdcrminer64", "ethdcrminer64.exe", "nsgpucnminer", "nsgpucnminer.exe",
		"nscpucnminer64", "nscpucnminer32", "nscpucnminer64.exe", "nscpucnminer32.exe",
		"zecminer64", "zecminer64.exe",
	},
	expect = {
		match = { "/opt/claymore/ethdcrminer64", "/tmp/NsCpuCNMiner64", "/home/u/Claymore/EthDcrMiner64" },
		nomatch = { "/usr/share/games/gearhead/Design/Claymore.txt", "/usr/share/games/gearhead/Image/mecha_claymore.png" },
	},
}

-- T-Rex (NVIDIA): https://github.com/trexminer/T-Rex
-- Its binary "t-rex" shares its name with many unrelated projects (the
-- t-rex vector tile server, PyPI's Terminal Redis Explorer, dozens of
-- "t-rex" game repositories), so the bare name is only refused at exec
-- (rule t-rex-exec): opening, listing or cloning a "t-rex" directory stays
-- allowed. Archives and the Windows binary are refused at open too.
rule {
	name = "t-rex",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "T-Rex NVIDIA miner release archives and Windows binary",
	names = { "t-rex.exe" },
	name_prefixes = versioned("t-rex-"),
	expect = {
		match = { "/tmp/t-rex-0.26.8-linux.tar.gz", "/mnt/c/miners/t-rex.exe" },
		nomatch = { "/usr/share/doc/r-cran-rex/tests/testthat/test-rex_mode.R", "/usr/bin/trex",
			"/srv/www/node_modules/t-rex-runner/index.js" },
	},
}

rule {
	name = "t-rex-exec",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "exec" },
	description = "T-Rex NVIDIA miner binary, refused at exec only",
	names = { "t-rex" },
	expect = {
		match = { "/opt/t-rex/t-rex", "/tmp/t-rex" },
		nomatch = { "/usr/bin/trex", "/usr/local/bin/t_rex" },
	},
}

-- NBMiner: https://github.com/NebuTech/NBMiner
rule {
	name = "nbminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "NBMiner GPU miner",
	names = { "nbminer", "nbminer.exe" },
	name_prefixes = versioned("nbminer_"),
	expect = {
		match = { "/opt/NBMiner_Linux/nbminer", "/tmp/NBMiner_42.3_Linux.tgz" },
		nomatch = { "/usr/sbin/nbd-client", "/usr/bin/nbtscan", "/usr/local/bin/nbminer_exporter" },
	},
}

-- GMiner: https://github.com/develsoftware/GMinerRelease
-- Its Linux binary is plainly "miner" and "gminer" is also the name of
-- unrelated projects (e.g. the GMiner graph-mining system), so only its
-- release archives (gminer_3_44_linux64.tar.xz) are listed.
rule {
	name = "gminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "GMiner GPU miner release archives",
	name_prefixes = versioned("gminer_"),
	expect = {
		match = { "/tmp/gminer_3_44_linux64.tar.xz", "/root/gminer_3_44_windows64.zip" },
		nomatch = { "/usr/bin/gmime-config", "/home/u/src/GMiner/README.md", "/home/u/src/gminer",
			"/usr/games/minetest" },
	},
}

-- lolMiner: https://github.com/Lolliedieb/lolMiner-releases
rule {
	name = "lolminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "lolMiner GPU miner",
	names = { "lolminer", "lolminer.exe" },
	name_prefixes = versioned("lolminer_v"),
	expect = {
		match = { "/opt/1.88/lolMiner", "/tmp/lolMiner_v1.88_Lin64.tar.gz" },
		nomatch = { "/usr/games/lolcat", "/usr/local/bin/lolminer-exporter" },
	},
}

-- PhoenixMiner (closed source): https://bitcointalk.org/index.php?topic=2647654.0
rule {
	name = "phoenixminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "PhoenixMiner Ethash GPU miner",
	names = { "phoenixminer", "phoenixminer.exe" },
	name_prefixes = versioned("phoenixminer_"),
	expect = {
		match = { "/opt/PhoenixMiner_6.2c_Linux/PhoenixMiner", "/tmp/PhoenixMiner_6.2c_Linux.tar.gz" },
		nomatch = { "/usr/share/games/phoenix/readme", "/usr/bin/phoenix" },
	},
}

-- TeamRedMiner (AMD): https://github.com/todxx/teamredminer
rule {
	name = "teamredminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "TeamRedMiner AMD GPU miner",
	names = { "teamredminer", "teamredminer.exe" },
	name_prefixes = versioned("teamredminer-v"),
	expect = {
		match = { "/opt/trm/teamredminer", "/tmp/teamredminer-v0.10.21-linux.tgz" },
		nomatch = { "/usr/bin/teamspeak", "/usr/share/doc/redmine/README" },
	},
}

-- NanoMiner: https://github.com/nanopool/nanominer
rule {
	name = "nanominer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "nanominer CPU/GPU miner",
	names = { "nanominer", "nanominer.exe" },
	name_prefixes = { "nanominer-linux-", "nanominer-windows-" },
	expect = {
		match = { "/opt/nanominer/nanominer", "/tmp/nanominer-linux-3.9.2.tar.gz" },
		nomatch = { "/usr/bin/nano", "/usr/bin/rnano" },
	},
}

-- Bminer (closed source): https://www.bminer.me/
rule {
	name = "bminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Bminer GPU miner",
	names = { "bminer", "bminer.exe" },
	name_prefixes = versioned("bminer-v"),
	expect = {
		match = { "/opt/bminer/bminer", "/tmp/bminer-v16.4.11-2849b5c-amd64.tar.xz" },
		nomatch = { "/usr/bin/bmake", "/usr/bin/bmon" },
	},
}

-- WildRig Multi: https://github.com/andru-kun/wildrig-multi
rule {
	name = "wildrig",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "WildRig Multi GPU miner",
	names = { "wildrig-multi", "wildrig", "wildrig.exe" },
	name_prefixes = { "wildrig-multi-linux-", "wildrig-multi-windows-" },
	expect = {
		match = { "/opt/wildrig/wildrig-multi", "/tmp/wildrig-multi-linux-0.40.8.tar.xz" },
		nomatch = { "/usr/bin/wildmidi", "/usr/share/games/wilderness/rig" },
	},
}

-- SRBMiner-Multi: https://github.com/doktor83/SRBMiner-Multi
rule {
	name = "srbminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "SRBMiner-Multi / SRBMiner-CN CPU/GPU miner",
	names = { "srbminer-multi", "srbminer-multi.exe", "srbminer-cn", "srbminer-cn.exe" },
	name_prefixes = versioned("srbminer-multi-"),
	expect = {
		match = { "/opt/SRBMiner-Multi-2-4-7/SRBMiner-MULTI", "/tmp/SRBMiner-Multi-2-4-7-Linux.tar.gz" },
		nomatch = { "/usr/bin/srb2", "/usr/bin/sbuild" },
	},
}

-- nheqminer (Equihash): https://github.com/nicehash/nheqminer
-- NiceHash Miner (Windows GUI): https://github.com/nicehash/NiceHashMiner
rule {
	name = "nicehash",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "NiceHash nheqminer and NiceHash Miner",
	names = { "nheqminer", "nheqminer.exe", "nicehashminer", "nicehashminer.exe" },
	name_prefixes = { "nheqminer-linux-", "nheqminer-windows-" },
	expect = {
		match = { "/usr/local/bin/nheqminer", "/tmp/nheqminer-Linux-v0.8.2.tgz", "/mnt/c/NiceHashMiner.exe" },
		nomatch = { "/usr/bin/nice", "/usr/share/doc/equihash/README" },
	},
}

-- CryptoDredge: https://github.com/technobyl/CryptoDredge
rule {
	name = "cryptodredge",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "CryptoDredge NVIDIA miner",
	names = { "cryptodredge", "cryptodredge.exe" },
	name_prefixes = versioned("cryptodredge_"),
	expect = {
		match = { "/opt/CryptoDredge_0.27.0/CryptoDredge", "/tmp/CryptoDredge_0.27.0_cuda_11.4_linux.tar.gz" },
		nomatch = { "/usr/bin/cryptsetup", "/usr/share/doc/dredge/README" },
	},
}

-- BzMiner: https://github.com/bzminer/bzminer
rule {
	name = "bzminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "BzMiner GPU miner",
	names = { "bzminer", "bzminer.exe" },
	name_prefixes = versioned("bzminer_v"),
	expect = {
		match = { "/opt/bzminer_v21.1.3_linux/bzminer", "/tmp/bzminer_v21.1.3_linux.tar.gz" },
		nomatch = { "/usr/bin/bzmore", "/usr/bin/bzip2" },
	},
}

-- TeamBlackMiner: https://github.com/sp-hash/TeamBlackMiner (binary TBMiner)
rule {
	name = "teamblackminer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "TeamBlackMiner GPU miner",
	names = { "teamblackminer", "tbminer", "tbminer.exe" },
	name_prefixes = versioned("teamblackminer_"),
	expect = {
		match = { "/opt/TeamBlackMiner_2_25_ubuntu_22_04_cuda_12_2/TBMiner", "/tmp/TeamBlackMiner_2_25.tar.xz" },
		nomatch = { "/usr/bin/tbl", "/usr/share/doc/tbb/README" },
	},
}

-- OneZeroMiner: https://github.com/OneZeroMiner/onezerominer
rule {
	name = "onezerominer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "OneZeroMiner GPU miner",
	names = { "onezerominer", "onezerominer.exe" },
	name_prefixes = { "onezerominer-linux-", "onezerominer-win" },
	expect = {
		match = { "/opt/onezerominer/onezerominer", "/tmp/onezerominer-linux-1.2.6.tar.gz" },
		nomatch = { "/usr/bin/onboard", "/usr/share/doc/onezero/README" },
	},
}

-- AstroBWT miner (DERO): https://github.com/dero-am/astrobwt-miner
rule {
	name = "astrominer",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "DERO AstroBWT CPU miner",
	names = { "astrominer", "astrominer.exe" },
	name_prefixes = versioned("astrominer-v"),
	expect = {
		match = { "/opt/astrominer/astrominer", "/tmp/astrominer-V1.9.2.R5_amd64_linux.tar.gz" },
		nomatch = { "/usr/bin/astrometry-engine", "/usr/share/astromenace/gamedata.vfs" },
	},
}

-- MinerGate CLI (service closed 2022): https://minergate.com/ ; "/minergate"
-- is in the Defender Linux miner list (see claymore).
rule {
	name = "minergate",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "MinerGate console miner",
	names = { "minergate", "minergate-cli", "minergate-cli.exe" },
	expect = {
		match = { "/usr/bin/minergate-cli", "/opt/minergate/minergate" },
		nomatch = { "/usr/bin/mingetty", "/usr/bin/gate" },
	},
}

------------------------------------------------------------------------------
-- Cryptojacking campaigns: names and paths from public threat reports and
-- published clean-up scripts. Generic names they reuse are listed as exact
-- paths only.
------------------------------------------------------------------------------

-- Kinsing / H2Miner: Aqua Security, "Threat Alert: Kinsing Malware Attacks
-- Targeting Container Environments" (2020)
-- https://blog.aquasec.com/threat-alert-kinsing-malware-container-vulnerability
-- ld.so.preload rootkit /etc/libsystem.so and drop locations:
-- https://github.com/G4rb3n/Botnet-Zoo/blob/master/H2Miner/2102/killer/h2miner.sh
rule {
	name = "kinsing",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Kinsing / H2Miner loader, kdevtmpfsi miner and preload rootkit",
	names = { "kinsing", "kdevtmpfsi" },
	paths = { "/etc/libsystem.so" },
	expect = {
		match = { "/tmp/kdevtmpfsi", "/var/tmp/kinsing", "/etc/kinsing", "/dev/shm/kdevtmpfsi", "/etc/libsystem.so" },
		nomatch = { "/usr/lib/x86_64-linux-gnu/libsystemd.so.0", "/dev/devtmpfs", "/usr/bin/kinit" },
	},
}

-- TeamTNT: Unit 42, "Hildegard: New TeamTNT Cryptojacking Malware Targeting
-- Kubernetes" (2021) https://unit42.paloaltonetworks.com/hildegard-malware-teamtnt/
-- Dropped paths (xmrig as /usr/bin/bioset, tsh backdoor, renamed chattr
-- "tntrecht"): https://github.com/G4rb3n/Botnet-Zoo/blob/master/TeamTNT/2101/killer/teamtnt.sh
-- https://github.com/G4rb3n/Botnet-Zoo/blob/master/TeamTNT/2012/analyzer/teamtnt.yar
rule {
	name = "teamtnt",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "TeamTNT cryptojacking artifacts",
	names = { "tntrecht" },
	paths = {
		"/usr/bin/bioset", "/usr/bin/tshd", "/usr/local/lib/python3.5.so",
		"/root/.meow.lul", "/dev/shm/.daemon", "/tmp/.configure/.configure",
	},
	expect = {
		match = { "/usr/bin/bioset", "/usr/bin/tshd", "/usr/bin/tntrecht", "/usr/local/lib/python3.5.so" },
		nomatch = { "/usr/bin/chattr", "/usr/local/lib/python3.11/dist-packages/bioset.py",
			"/usr/lib/python3.5/bioset", "/usr/sbin/sshd" },
	},
}

-- WatchDog (a.k.a. SysupdataMiner / GuardMiner): Unit 42, "WatchDog: Exposing
-- a Cryptojacking Campaign That's Operated for More Than Two Years" (2021)
-- https://unit42.paloaltonetworks.com/watchdog-cryptojacking/
-- Paths: https://github.com/G4rb3n/Botnet-Zoo/blob/master/SysupdataMiner/2006/killer/sysupdataminer.sh
-- All its names are everyday words (an admin's own "sysupdate" script, the
-- PyPI tool "sysguard", Network Service Mesh's Go package "networkservice",
-- NetworkManager folding to "networkmanager"), so only the documented drop
-- locations are listed, as exact paths.
rule {
	name = "watchdog-sysupdate",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "WatchDog campaign miner (sysupdate), watchdog (sysguard) and scanner (networkservice)",
	names = { "newdat.sh" },
	paths = {
		"/etc/sysupdate", "/etc/sysupdates", "/etc/sysguard", "/etc/networkservice",
		"/etc/phpupdate", "/etc/phpguard", "/etc/networkmanager",
		"/tmp/sysupdate", "/tmp/sysguard", "/tmp/networkservice",
		"/var/tmp/sysupdate", "/var/tmp/sysguard", "/var/tmp/networkservice",
	},
	expect = {
		match = { "/etc/sysupdate", "/etc/sysguard", "/etc/networkservice", "/etc/phpguard",
			"/tmp/newdat.sh", "/etc/networkmanager" },
		nomatch = { "/usr/sbin/NetworkManager", "/etc/NetworkManager/NetworkManager.conf",
			"/usr/lib/python3/dist-packages/awscli/botocore/data/networkmanager/2019-07-05/service-2.json",
			"/usr/lib/systemd/systemd-sysupdate", "/etc/sysupdate.d/50-root.conf",
			"/usr/include/ksysguard/processcore/process.h", "/usr/local/bin/sysupdate",
			"/root/go/pkg/mod/github.com/networkservicemesh/api@v1.11.0/pkg/api/networkservice/service.pb.go",
			"/usr/local/lib/python3.11/dist-packages/sysguard/cli.py" },
	},
}

-- Rocke group / LSD miner ("kerberods", "watchdogs", preload libraries):
-- Cisco Talos, "Rocke: The Champion of Monero Miners" (2018)
-- https://blog.talosintelligence.com/rocke-champion-of-monero-miners/
-- Unit 42 (2019) https://unit42.paloaltonetworks.com/malware-used-by-rocke-group-evolves-to-evade-detection-by-cloud-security-products/
-- Paths and names: https://github.com/G4rb3n/Botnet-Zoo/blob/master/LSDMiner/1910/killer/lsdminer.sh
rule {
	name = "rocke-lsd",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Rocke / LSD miner droppers, miners and ld.so.preload hiding libraries",
	names = {
		"kerberods", "khugepageds", "kthrotlds", "kpsmouseds", "kintegrityds", "ksoftirqds",
		"libioset.so", "libcryptod.so", "libcset.so", "libdevmapped.so", "libpamcd.so",
	},
	paths = {
		"/tmp/watchdogs", "/usr/sbin/watchdogs", "/etc/rc.d/init.d/watchdogs",
		"/etc/init.d/netdns", "/tmp/.XIMunix",
	},
	expect = {
		match = { "/usr/sbin/kerberods", "/tmp/khugepageds", "/usr/local/lib/libioset.so", "/usr/sbin/watchdogs" },
		nomatch = { "/etc/init.d/watchdog", "/usr/sbin/watchdog", "/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
			"/usr/bin/kerberos-config.notreal", "/tmp/.X11-unix/X0" },
	},
}

-- KORKERDS (Rocke-era miner with rootkit): Trend Micro (2018)
-- https://www.trendmicro.com/vinfo/us/security/news/cybercrime-and-digital-threats/cryptocurrency-mining-malware-targets-linux-systems-uses-rootkit-for-stealth
rule {
	name = "korkerds",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "KORKERDS miner (kworkerds) and its hidden download helper",
	names = { "kworkerds", "kworkerds3" },
	paths = { "/bin/.httpdns" },
	expect = {
		match = { "/tmp/kworkerds", "/bin/.httpdns" },
		nomatch = { "/usr/bin/kwrite", "/usr/share/doc/kworker/README" },
	},
}

-- DDG botnet (miner qW3xT.2, wnTKYg, 2t3ik; bot ddgs.<arch>):
-- 360 Netlab, "DDG: A Mining Botnet Aiming at Database Servers" (2018)
-- https://blog.netlab.360.com/ddg-a-mining-botnet-aiming-at-database-servers-en/
-- names also in the Defender Linux miner list (see claymore).
rule {
	name = "ddg",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "DDG mining botnet bot and miner",
	names = { "ddgs.x86_64", "ddgs.i686", "qw3xt.2", "wntkyg", "2t3ik", "ddg.2011" },
	expect = {
		match = { "/tmp/ddgs.x86_64", "/tmp/qW3xT.2", "/tmp/wnTKYg" },
		nomatch = { "/usr/bin/ddgr", "/usr/share/doc/ddgr/README.md" },
	},
}

-- Skidmap: Trend Micro, "Skidmap Linux Malware Uses Rootkit Capabilities to
-- Hide Cryptocurrency-Mining Payload" (2019)
-- https://www.trendmicro.com/en_us/research/19/i/skidmap-linux-malware-uses-rootkit-capabilities-to-hide-cryptocurrency-mining-payload.html
-- irqbalanced / systemd-network mimic real daemons: exact paths only.
-- Skidmap file list used by rkhunter-like checkers:
-- https://github.com/G4rb3n/Botnet-Zoo (SkipMap/2008)
rule {
	name = "skidmap",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Skidmap miner, fake PAM module and rootkit kernel modules",
	names = {
		"pamdicks", "kaudited", "kswaped", "rctlcli", "ip6network",
		"iproute.ko", "cryptov2.ko",
	},
	paths = { "/usr/bin/irqbalanced", "/usr/bin/systemd-network" },
	-- its kernel modules' directory (netlink.ko is a common name for
	-- netlink tutorial modules, so it is caught only here)
	dirs = { "/lib/udev/ssd_control" },
	expect = {
		match = { "/usr/bin/pamdicks", "/usr/bin/kaudited", "/lib/udev/ssd_control/netlink.ko",
			"/tmp/iproute.ko", "/usr/bin/irqbalanced" },
		nomatch = { "/usr/sbin/irqbalance", "/lib/systemd/systemd-networkd", "/usr/bin/ip",
			"/usr/lib/modules/6.1.0-18-amd64/kernel/net/netfilter/nfnetlink.ko",
			"/home/u/netlink-demo/netlink.ko", "/lib/udev/ssd_control_disabled" },
	},
}

-- Outlaw (Shellbot + XMRig as "kswapd0", kit dota*.tar.gz; its scanner names
-- tsm32/tsm64 are too short and generic to list):
-- Trend Micro, "Outlaw Hacking Group's Botnet Observed Spreading Miner,
-- Perl-Based Backdoor" (2019)
-- https://www.trendmicro.com/en_us/research/19/f/outlaw-hacking-groups-botnet-observed-spreading-miner-perl-based-backdoor.html
rule {
	name = "outlaw",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Outlaw/Shellbot miner kit",
	names = { "dota.tar.gz", "dota2.tar.gz", "dota3.tar.gz", "kswapd0" },
	expect = {
		match = { "/tmp/.X25-unix/.rsync/dota3.tar.gz", "/dev/shm/kswapd0", "/root/.configrc/a/kswapd0" },
		nomatch = { "/usr/games/dota", "/proc/sys/vm/swappiness", "/opt/tivoli/tsm/client/ba/bin64/dsmc" },
	},
}

-- Sysrv-hello (Go worm + XMRig "kthreaddi"/"kthreaddk"):
-- https://github.com/G4rb3n/Botnet-Zoo/blob/master/Sysrv-hello/2103/killer/sysrv_hello.sh
-- Microsoft Security Intelligence on Sysrv-K (2022).
rule {
	name = "sysrv",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Sysrv-hello worm and its miner",
	names = { "sysrv", "sysrv.exe", "sysrv012", "kthreaddi", "kthreaddk" },
	paths = { "/tmp/network01" },
	expect = {
		match = { "/tmp/sysrv", "/tmp/abc/kthreaddi", "/tmp/network01" },
		nomatch = { "/usr/sbin/sysctl", "/usr/bin/kthread", "/etc/network/interfaces" },
	},
}

-- WatchBog (Monero miner botnet, 2019); "/watchbog" is in the Defender Linux
-- miner list (see claymore); sample scripts:
-- https://github.com/G4rb3n/Botnet-Zoo/tree/master/WatchbogMiner
rule {
	name = "watchbog",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "WatchBog miner botnet",
	names = { "watchbog" },
	expect = {
		match = { "/tmp/watchbog", "/usr/bin/watchbog" },
		nomatch = { "/usr/sbin/watchdog", "/usr/bin/watch" },
	},
}

-- z0Miner (2020, Weblogic/Elasticsearch exploitation, miner "sshd2" in /tmp/javax):
-- https://github.com/G4rb3n/Botnet-Zoo/blob/master/Z0Miner/2011/killer/z0miner.sh
rule {
	name = "z0miner",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "z0Miner drop files",
	paths = { "/tmp/javax/sshd2", "/tmp/javax/config.sh", "/tmp/javax/config.json" },
	expect = {
		match = { "/tmp/javax/sshd2", "/tmp/javax/config.sh" },
		nomatch = { "/usr/sbin/sshd", "/usr/share/java/javax.inject.jar", "/tmp/javax/README" },
	},
}

-- LemonDuck (Linux branch fetches the miner as xr.zip, a tarred ELF XMRig):
-- Sophos, "Lemon_Duck cryptominer targets cloud apps & Linux" (2020)
-- https://news.sophos.com/en-us/2020/08/25/lemon_duck-cryptominer-targets-cloud-apps-linux
-- IoCs: https://github.com/sophoslabs/IoCs/blob/master/Trojan-LDMiner.csv
-- (its other names, blackball and nvd.zip, are everyday words / Windows-only)
rule {
	name = "lemonduck",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "LemonDuck Linux miner archive",
	names = { "xr.zip" },
	expect = {
		match = { "/tmp/xr.zip", "/root/XR.ZIP" },
		nomatch = { "/usr/bin/xr", "/usr/share/doc/xrdp/README.xrdp.zip.txt", "/usr/lib/xorg/xr.zip.d" },
	},
}

-- Redtail (2024, multi-arch XMRig fetched per architecture as redtail.<arch>):
-- Akamai, "Redtail Cryptominer" (2024)
-- https://www.akamai.com/blog/security-research/2024-redtail-cryptominer-pan-os-cve-exploit
rule {
	name = "redtail",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Redtail miner, one binary per architecture",
	names = { "redtail.x86_64", "redtail.i686", "redtail.arm7", "redtail.arm8" },
	expect = {
		match = { "/tmp/redtail.x86_64", "/var/tmp/.redtail/redtail.arm8" },
		nomatch = { "/usr/share/icons/hicolor/48x48/apps/redtail.png", "/usr/share/games/birds/redtail" },
	},
}

-- perfctl (2021-2024, miner "perfcc", preload rootkit libgcwrap.so, work
-- directory /tmp/.perf.c): Aqua Security, "perfctl: A Stealthy Malware
-- Targeting Millions of Linux Servers" (2024)
-- https://www.aquasec.com/blog/perfctl-a-stealthy-malware-targeting-millions-of-linux-servers/
rule {
	name = "perfctl",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "perfctl miner, its preload rootkit and work directory",
	names = { "perfcc", "wizlmsh", "libgcwrap.so" },
	dirs = { "/tmp/.perf.c" },
	expect = {
		match = { "/usr/bin/perfcc", "/root/.config/cron/perfcc", "/usr/lib/libgcwrap.so", "/tmp/.perf.c/sh" },
		nomatch = { "/usr/bin/perf", "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1", "/tmp/.perf.cache/x" },
	},
}

-- Process-hiding rootkits that cryptojacking campaigns install to hide the
-- miner: libprocesshider (https://github.com/gianlucaborello/libprocesshider)
-- and the Diamorphine LKM (https://github.com/m0nad/Diamorphine), both used by
-- TeamTNT and Kiss-a-dog: CrowdStrike, "New Kiss-a-dog Cryptojacking Campaign
-- Targets Docker and Kubernetes" (2022)
-- https://www.crowdstrike.com/blog/new-kiss-a-dog-cryptojacking-campaign-targets-docker-and-kubernetes/
rule {
	name = "miner-hiding-rootkits",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "libprocesshider / Diamorphine, used to hide miners",
	names = { "libprocesshider.so", "processhider.so", "diamorphine.ko" },
	expect = {
		match = { "/usr/local/lib/libprocesshider.so", "/tmp/diamorphine.ko" },
		nomatch = { "/usr/lib/x86_64-linux-gnu/libprocps.so.8", "/usr/bin/morph" },
	},
}

------------------------------------------------------------------------------
-- GPU miners added with the content-identity work (names their release
-- archives ship)
------------------------------------------------------------------------------

-- Rigel (NVIDIA): https://github.com/rigelminer/rigel  (rigel-<ver>-linux.tar.gz)
-- miniZ: https://miniz.cc  (miniZ_v<ver>_linux-x64.tar.gz). Its Linux binary
-- "miniZ" folds to "miniz", the name of a zlib replacement Debian ships
-- (bibledit's /usr/share/bibledit/miniz): only the archives and the .exe.
-- kawpowminer (Ravencoin): https://github.com/RavenCommunity/kawpowminer
-- hellminer (Verus, CPU): https://github.com/hellcatz/hminer
-- Damominer (Aleo): https://github.com/damomine/aleominer
rule {
	name = "gpu-miners-more",
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
	description = "Rigel, miniZ, kawpowminer, hellminer, Damominer",
	names = {
		"rigel", "rigel.exe", "miniz.exe", "kawpowminer", "kawpowminer.exe",
		"hellminer", "hellminer.exe", "damominer",
	},
	name_prefixes = versioned("rigel-", "miniz_v", "kawpowminer-", "damominer_v"),
	expect = {
		match = {
			"/opt/rigel-1.9.2-linux/rigel", "/tmp/miniZ.exe", "/tmp/miniZ_v2.2c_linux-x64.tar.gz",
			"/usr/local/bin/kawpowminer", "/root/hellminer", "/tmp/damominer_v2.3.1.tar",
		},
		nomatch = { "/usr/bin/rig", "/usr/lib/x86_64-linux-gnu/libminizip.so.1", "/usr/bin/minicom",
			"/usr/share/bibledit/miniz" },
	},
}
