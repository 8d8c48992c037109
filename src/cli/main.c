// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* minerguard: command table and dispatch (bpftool style). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "backend.h"
#include "config.h"
#include "daemon.h"
#include "exitcodes.h"
#include "minerguard_abi.h"
#include "paths.h"
#include "vcache.h"

#define MG_VERSION "0.1.0"

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} cmds[] = {
	{ "run", mg_cmd_run,
	  "run [--config FILE] [--mode enforce|audit] [--backend auto|lsm|fmodret] [--no-self-protect] [--verdict-cache on|off|verify] [--policy PATH]... [--log FILE]  load the policy and enforce it" },
	{ "check", mg_cmd_check,
	  "check [--policy PATH]... [--json]  validate a policy and run its expectations" },
	{ "match", mg_cmd_match,
	  "match [--policy PATH]... [--json] [--hook HOOK] [--exe PATH] [PATH...]  decide paths as the kernel would" },
	{ "scan", mg_cmd_scan,
	  "scan [--policy PATH]... [--json] [--sarif FILE] [--max-size N] [--jobs N] PATH...  find miner files by name, path, content and digest" },
	{ "status", mg_cmd_status, "status [--json]  show the running instance" },
	{ "mode", mg_cmd_mode, "mode enforce|audit  switch the running instance" },
	{ "reload", mg_cmd_reload, "reload  make the running daemon re-read its policy" },
	{ "unload", mg_cmd_unload, "unload  stop the daemon and remove the programs: enforcement ends" },
	{ "ci", mg_cmd_ci,
	  "ci start [--mode audit|enforce] [--policy PATH]... [--scan PATH]... [--state DIR]  monitor a CI job\n"
	  "  ci stop [--fail-on never|block|audit|any] [--summary FILE] [--sarif FILE] [--codequality FILE] [--scan PATH]... [--state DIR]  unload and report" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: minerguard COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %s\n", cmds[i].usage);
	fprintf(f, "  version\n  help\n");
}


static int parse_mode(const char *s, int *mode)
{
	if (!strcmp(s, "enforce"))
		*mode = MG_MODE_ENFORCE;
	else if (!strcmp(s, "audit"))
		*mode = MG_MODE_AUDIT;
	else
		return -1;
	return 0;
}

int mg_cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "mode", required_argument, NULL, 'm' },
		{ "policy", required_argument, NULL, 'p' },
		{ "lua-dir", required_argument, NULL, 'L' },
		{ "log", required_argument, NULL, 'l' },
		{ "backend", required_argument, NULL, 'b' },
		{ "no-self-protect", no_argument, NULL, 'P' },
		{ "verdict-cache", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct policy_opts_list pl = { 0 };
	struct mg_run_opts o = { 0 };
	struct mg_config cfg;
	const char *config_path = NULL, *lua_dir = NULL, *log_path = NULL;
	const char *def = mg_default_policy_dir();
	int c, rc, mode = -1, backend = -1, no_protect = 0, vcache = -1;
	char err[1024];

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:m:p:l:b:", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			backend = mg_backend_parse(optarg);
			if (backend < 0) {
				fprintf(stderr, "minerguard run: unknown backend '%s' (auto, lsm or fmodret)\n",
					optarg);
				free(pl.v);
				return MG_EXIT_USAGE;
			}
			break;
		case 'c':
			config_path = optarg;
			break;
		case 'm':
			if (parse_mode(optarg, &mode)) {
				fprintf(stderr, "minerguard run: unknown mode '%s' (enforce or audit)\n", optarg);
				free(pl.v);
				return MG_EXIT_USAGE;
			}
			break;
		case 'p':
			if (mg_add_policy_path(&pl, optarg))
				return MG_EXIT_ERROR;
			break;
		case 'L':
			lua_dir = optarg;
			break;
		case 'P':
			no_protect = 1;
			break;
		case 'V':
			vcache = mg_vcache_parse(optarg);
			if (vcache < 0) {
				fprintf(stderr, "minerguard run: unknown verdict cache mode '%s' (on, off or verify)\n",
					optarg);
				free(pl.v);
				return MG_EXIT_USAGE;
			}
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'h':
			printf("usage: minerguard %s\n", cmds[0].usage);
			free(pl.v);
			return MG_EXIT_OK;
		default:
			free(pl.v);
			return mg_usage_error("run", argc, argv);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "minerguard run: unexpected argument '%s'\n", argv[optind]);
		free(pl.v);
		return MG_EXIT_USAGE;
	}
	/* The file is optional at its default path, required when named;
	 * command-line flags override what it sets. */
	mg_config_defaults(&cfg);
	if (mg_config_load(&cfg, config_path ? config_path : MG_CONFIG_FILE, config_path != NULL,
			   err, sizeof(err))) {
		fprintf(stderr, "minerguard run: %s\n", err);
		free(pl.v);
		mg_config_free(&cfg);
		return MG_EXIT_USAGE;
	}
	o.mode = mode >= 0 ? mode : cfg.mode;
	o.backend = backend >= 0 ? backend : cfg.backend;
	if (pl.n) {
		o.policies = pl.v;
		o.npolicies = pl.n;
	} else if (cfg.npolicies) {
		o.policies = (const char *const *)cfg.policies;
		o.npolicies = cfg.npolicies;
	} else {
		o.policies = &def;
		o.npolicies = 1;
	}
	o.lua_dir = lua_dir ? lua_dir : cfg.lua_dir ? cfg.lua_dir : mg_default_lua_dir();
	o.log_path = log_path ? log_path : cfg.log;
	o.log_mode = cfg.log_mode;
	o.dedup_window_ms = cfg.dedup_window_ms;
	o.rate_limit = cfg.rate_limit;
	o.metrics_file = cfg.metrics_file;
	o.scan_roots = cfg.scan_roots;
	o.self_protect = no_protect ? 0 : cfg.self_protect;
	o.verdict_cache = vcache >= 0 ? vcache : cfg.verdict_cache;
	o.metrics_interval_s = cfg.metrics_interval_s;
	rc = mg_daemon_run(&o);
	free(pl.v);
	mg_config_free(&cfg);
	return rc;
}

int mg_cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ 0 },
	};
	int json = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (c != 'j')
			return mg_usage_error("status", argc, argv);
		json = 1;
	}
	if (optind < argc) {
		fprintf(stderr, "minerguard status: unexpected argument '%s'\n", argv[optind]);
		return MG_EXIT_USAGE;
	}
	return mg_ctl_status(json);
}

int mg_cmd_mode(int argc, char **argv)
{
	int mode;

	if (argc != 2 || parse_mode(argv[1], &mode)) {
		fprintf(stderr, "usage: minerguard mode enforce|audit\n");
		return MG_EXIT_USAGE;
	}
	return mg_ctl_mode(mode);
}

static int no_args(const char *cmd, int argc, char **argv)
{
	if (argc == 1)
		return 0;
	fprintf(stderr, "minerguard %s: unexpected argument '%s'\n", cmd, argv[1]);
	return -1;
}

int mg_cmd_reload(int argc, char **argv)
{
	return no_args("reload", argc, argv) ? MG_EXIT_USAGE : mg_ctl_reload();
}

int mg_cmd_unload(int argc, char **argv)
{
	return no_args("unload", argc, argv) ? MG_EXIT_USAGE : mg_ctl_unload();
}

int main(int argc, char **argv)
{
	opterr = 0; /* one-line errors of our own (mg_usage_error) */
	if (argc < 2) {
		usage(stderr);
		return MG_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return MG_EXIT_OK;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("minerguard %s (ABI %d)\n", MG_VERSION, MG_ABI_VERSION);
		return MG_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "minerguard: unknown command '%s'; see 'minerguard help'\n", argv[1]);
	return MG_EXIT_USAGE;
}
