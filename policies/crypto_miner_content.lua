-- Content signatures of cryptocurrency miners (MITRE ATT&CK T1496): byte
-- strings that must occur together in a file, for `minerguard scan` (and the
-- kernel, once the scanner marks the inodes it found). See docs/content.md.
--
-- How the strings were chosen:
--   * each rule needs several strings that only a miner, its config or its
--     installer carries together (YARA's "N of them"): pool-login help text,
--     stratum URLs, donation hosts, config keys;
--   * RandomX constants alone are never enough: Debian's monero (monerod)
--     and librandomx0 carry them and are not miner files. Where the RandomX
--     salt is listed it is one string among miner-specific ones;
--   * every rule is bounded in size and, where it can be, in file type;
--   * tests/scan/run-fp.sh scans /usr /etc /opt /var/lib and the files of
--     Debian's monero and librandomx0 packages and requires 0 findings, and
--     requires the positive fixtures (tests/scan/fixtures/) to be found.
--
-- The text rules would find this very file and its fixtures: they are
-- excused where `make install` puts them.

local INSTALLED = { "/etc/minerguard", "/usr/share/minerguard" }

policy_defaults {
	category = "cryptominer", importance = "critical", mitre = "T1496",
	action = "block", hooks = { "open", "exec" },
}

------------------------------------------------------------------------------
-- XMRig
------------------------------------------------------------------------------

-- XMRig binaries (and rebuilds that keep its command line). Sources:
--   * xmrig's help text, src/core/config/usage.h (https://github.com/xmrig/xmrig):
--     "username:password pair for mining server", "rig identifier for
--     pool-side statistics (needs pool support)", "--donate-level=N",
--     "--donate-over-proxy=N", "--coin=COIN", "enable nicehash.com support";
--   * the startup error "no valid configuration found, try https://xmrig.com/wizard";
--   * the donation pool donate.v2.xmrig.com (src/net/strategies/DonateStrategy.cpp);
--   * Elastic Multi_Cryptominer_Xmrig and Neo23x0 XMRIG_Monero_Miner /
--     PUA_LNX_XMRIG_CryptoMiner (signature-base), which combine these help
--     strings with "stratum+tcp://" and the "XMRig/%s libuv/%s%s" banner;
--   * the RandomX salt "RandomX\x03" (tevador/RandomX, src/configuration.h):
--     one string among others, never enough alone (monerod, librandomx0).
local XMRIG_BINARY = {
	"stratum+tcp://", "stratum+ssl://", "donate.v2.xmrig.com", "xmrig.com/wizard",
	"--donate-level", "--donate-over-proxy", "username:password pair for mining server",
	"rig identifier for pool-side statistics", "enable nicehash.com support",
	"XMRig/%s libuv/%s%s", "RandomX\x03",
}

rule {
	name = "xmrig-binary-content",
	description = "XMRig (or a rebuild keeping its help text) as a Linux ELF binary",
	content = { strings = XMRIG_BINARY, min = 3, max_size = 64 * 1024 * 1024, type = "elf" },
	-- a running XMRig started before the scan (or in its window) is ended:
	-- three of its own help lines in an ELF are no other program's
	on_match = "kill",
}

rule {
	name = "xmrig-windows-binary-content",
	description = "XMRig (or a rebuild keeping its help text) as a Windows PE binary",
	content = { strings = XMRIG_BINARY, min = 3, max_size = 64 * 1024 * 1024, type = "pe" },
}

-- XMRig JSON configuration (config.json, config_background.json, ~/.xmrig.json):
-- keys of https://xmrig.com/docs/miner/config and xmrig's src/config.json;
-- Neo23x0's XMRIG_Monero_Miner lists "\"donate-level\":". A file needs four
-- of them: "pools" or "coin" alone are common JSON keys.
rule {
	name = "xmrig-config-content",
	description = "XMRig JSON configuration",
	content = {
		strings = {
			'"donate-level"', '"donate-over-proxy"', '"randomx"', '"nicehash"',
			'"pools"', '"rig-id"', '"huge-pages"', '"coin"', '"keepalive"',
			'"1gb-pages"',
		},
		min = 4, max_size = 1024 * 1024, type = "text",
	},
	except = { dirs = INSTALLED },
	expect = {
		content_match = { "fixtures/xmrig-config.json" },
		content_nomatch = { "fixtures/innocent-package.json" },
	},
}

------------------------------------------------------------------------------
-- Other miners: help text and banners, with stratum usage
------------------------------------------------------------------------------

-- cpuminer / minerd (pooler/cpuminer, tpruvot/cpuminer-multi, JayDDee/cpuminer-opt):
-- help text "-O, --userpass=U:P    username:password pair for mining server",
-- "URL of mining server", "specify the algorithm to use", and the stratum
-- methods every pool client sends (mining.subscribe, mining.authorize,
-- mining.submit: the stratum mining protocol, slushpool's specification).
rule {
	name = "cpuminer-binary-content",
	description = "cpuminer / minerd (and forks) as an ELF binary",
	content = {
		strings = {
			"stratum+tcp://", "URL of mining server", "password pair for mining server",
			"specify the algorithm to use", "mining.subscribe", "mining.authorize",
			"mining.submit",
		},
		min = 4, max_size = 64 * 1024 * 1024, type = "elf",
	},
}

-- Any ELF binary speaking the stratum mining protocol and naming a stratum
-- URL: the GPU miners (SRBMiner-MULTI, lolMiner, T-Rex, GMiner,
-- TeamRedMiner, nanominer, NBMiner) all do; so do the Go/Rust miners dropped
-- by botnets. The methods are the stratum protocol's (see above;
-- ethereum's variant adds mining.extranonce.subscribe).
rule {
	name = "stratum-client-binary-content",
	description = "ELF binary that logs in to mining pools over stratum",
	content = {
		strings = {
			"stratum+tcp://", "stratum+ssl://", "mining.subscribe", "mining.authorize",
			"mining.submit", "mining.set_difficulty", "mining.extranonce.subscribe",
		},
		min = 4, max_size = 128 * 1024 * 1024, type = "elf",
	},
}

-- GPU miners by their banners and project names as printed in their help
-- and start-up output (release pages: github.com/doktor83/SRBMiner-Multi,
-- github.com/Lolliedieb/lolMiner-releases, github.com/trexminer/T-Rex,
-- github.com/develsoftware/GMinerRelease, github.com/todxx/teamredminer,
-- github.com/nanopool/nanominer, github.com/NebuTech/NBMiner), each with a
-- stratum URL scheme: two of them, in an ELF binary.
rule {
	name = "gpu-miner-binary-content",
	description = "GPU miner binaries (SRBMiner, lolMiner, T-Rex, GMiner, TeamRedMiner, nanominer, NBMiner)",
	content = {
		strings = {
			"SRBMiner-MULTI", "lolMiner", "trexminer", "GMiner", "teamredminer",
			"TeamRedMiner", "nanominer", "NBMiner", "stratum+tcp://", "stratum+ssl://",
			"ethproxy+tcp://",
		},
		min = 3, max_size = 256 * 1024 * 1024, type = "elf",
	},
}

------------------------------------------------------------------------------
-- Installers and persistence
------------------------------------------------------------------------------

-- MoneroOcean / C3Pool one-line installers (github.com/MoneroOcean/xmrig_setup,
-- github.com/C3Pool/xmrig_setup: setup_moneroocean_miner.sh,
-- setup_c3pool_miner.sh) and the copies attackers drop: they download
-- xmrig.tar.gz, write config_background.json, point at
-- gulf.moneroocean.stream / auto.c3pool.org and install xmrig.service or
-- moneroocean_miner.service.
rule {
	name = "miner-installer-script-content",
	description = "MoneroOcean / C3Pool style XMRig installer scripts",
	content = {
		strings = {
			"moneroocean", "c3pool", "setup_moneroocean_miner.sh", "setup_c3pool_miner.sh",
			"xmrig.service", "moneroocean_miner.service", "c3pool_miner.service",
			"--donate-level", "gulf.moneroocean.stream", "auto.c3pool.org",
			"config_background.json", "xmrig.tar.gz",
		},
		min = 3, max_size = 1024 * 1024, type = "text",
	},
	except = { dirs = INSTALLED },
	expect = {
		content_match = { "fixtures/setup_miner.sh" },
		content_nomatch = { "fixtures/innocent-install.sh" },
	},
}

-- systemd units and cron entries that start a miner: a start line
-- (ExecStart=, @reboot) with a miner's command line (a stratum URL, the
-- XMRig options every such unit passes). Three of them: a start line and
-- two miner options, or three options, so that a unit or crontab merely
-- mentioning one of them does not match.
rule {
	name = "miner-autostart-content",
	description = "systemd unit or crontab that starts a miner",
	content = {
		strings = {
			"ExecStart=", "@reboot ", "stratum+tcp://", "stratum+ssl://", "--donate-level",
			"--coin=", "--algo=", "/xmrig ", "config_background.json", "--rig-id=",
		},
		min = 3, max_size = 64 * 1024, type = "text",
	},
	except = { dirs = INSTALLED },
	expect = {
		content_match = { "fixtures/miner.service", "fixtures/miner.cron" },
		content_nomatch = { "fixtures/innocent.service", "fixtures/innocent.cron" },
	},
}
