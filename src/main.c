// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* minerguard: command table and dispatch (bpftool style). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "daemon.h"
#include "exitcodes.h"
#include "minerguard_abi.h"
#include "paths.h"

#define MG_VERSION "0.1.0"

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} cmds[] = {
	{ "run", mg_cmd_run,
	  "run [--mode enforce|audit] [--policy PATH]... [--log FILE]  load the policy and enforce it" },
	{ "check", mg_cmd_check,
	  "check [--policy PATH]... [--json]  validate a policy and run its expectations" },
	{ "match", mg_cmd_match,
	  "match [--policy PATH]... [--json] [--hook HOOK] [--exe PATH] [PATH...]  decide paths as the kernel would" },
	{ "status", mg_cmd_status, "status [--json]  show the running instance" },
	{ "mode", mg_cmd_mode, "mode enforce|audit  switch the running instance" },
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
		{ "mode", required_argument, NULL, 'm' },
		{ "policy", required_argument, NULL, 'p' },
		{ "lua-dir", required_argument, NULL, 'L' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct policy_opts_list pl = { 0 };
	struct mg_run_opts o = { .mode = MG_MODE_ENFORCE, .lua_dir = mg_default_lua_dir() };
	const char *def = mg_default_policy_dir();
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "m:p:l:", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_mode(optarg, &o.mode)) {
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
			o.lua_dir = optarg;
			break;
		case 'l':
			o.log_path = optarg;
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
	o.policies = pl.n ? pl.v : &def;
	o.npolicies = pl.n ? pl.n : 1;
	rc = mg_daemon_run(&o);
	free(pl.v);
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
