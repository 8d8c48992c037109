/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `minerguard run`, `status` and `mode`: the parts that touch the kernel. */
#ifndef MG_DAEMON_H
#define MG_DAEMON_H

#include <stddef.h>

struct mg_run_opts {
	int mode;                  /* enum mg_mode */
	const char *const *policies; /* files or directories; never empty */
	size_t npolicies;
	const char *lua_dir;       /* directory of minerguard.lua */
	const char *log_path;      /* NULL: JSON lines on stdout */
};

/* Runs until SIGTERM/SIGINT. Returns an MG_EXIT_* code; prints one-line
 * errors on stderr. */
int mg_daemon_run(const struct mg_run_opts *opts);

/* Prints mode, policy, signature counts and counters of the running
 * instance; MG_EXIT_NOT_RUNNING when nothing is attached. */
int mg_ctl_status(int json);

/* Switches the running instance's global mode at runtime. */
int mg_ctl_mode(int mode);

#endif
