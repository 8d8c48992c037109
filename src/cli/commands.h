/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The subcommands of minerguard(8) and what they share. */
#ifndef MG_COMMANDS_H
#define MG_COMMANDS_H

#include <stddef.h>

#include "image.h"
#include "policy.h"

/* --policy arguments, in the order given. */
struct policy_opts_list {
	const char **v;
	size_t n;
};

int mg_add_policy_path(struct policy_opts_list *l, const char *p);

/* Load and compile the policy (default: the shipped directory). On error
 * prints one line and returns MG_EXIT_POLICY. */
int mg_load_compiled(const struct policy_opts_list *l, const char *lua_dir,
		     struct mg_policy **pol, struct mg_image **img);

/* One line "minerguard CMD: ..." for a bad option already reported by
 * getopt; returns MG_EXIT_USAGE. */
int mg_usage_error(const char *cmd, int argc, char **argv);

int mg_cmd_run(int argc, char **argv);
int mg_cmd_check(int argc, char **argv);
int mg_cmd_match(int argc, char **argv);
int mg_cmd_scan(int argc, char **argv);
int mg_cmd_status(int argc, char **argv);
int mg_cmd_mode(int argc, char **argv);
int mg_cmd_reload(int argc, char **argv);
int mg_cmd_unload(int argc, char **argv);
int mg_cmd_ci(int argc, char **argv);

#endif
