/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `minerguard run`, `status`, `mode`, `reload` and `unload`: the parts
 * that touch the kernel or the running instance. */
#ifndef MG_DAEMON_H
#define MG_DAEMON_H

#include <stddef.h>
#include <stdio.h>

#include "minerguard_abi.h"

struct mg_run_opts {
	int mode;                  /* enum mg_mode */
	int backend;               /* enum mg_backend; MG_BACKEND_AUTO chooses */
	const char *const *policies; /* files or directories; never empty */
	size_t npolicies;
	const char *lua_dir;       /* directory of minerguard.lua */
	const char *log_path;      /* NULL or "stdout": JSON lines on stdout */
	unsigned log_mode;         /* permissions of a log file we create */
	unsigned dedup_window_ms;  /* fold identical decisions; 0 = off */
	unsigned rate_limit;       /* decision lines per second; 0 = unlimited */
	const char *metrics_file;  /* Prometheus textfile, or NULL */
	unsigned metrics_interval_s;
	const char *scan_roots;    /* space-separated; NULL: MG_CWATCH_DEFAULT_ROOTS; "none" */
	int self_protect;          /* kernel guard of our maps, programs, links and pins */
	int verdict_cache;         /* enum mg_vcache_mode */
};

/* Runs until SIGTERM/SIGINT; enforcement stays pinned afterwards. Returns
 * an MG_EXIT_* code; prints one-line errors on stderr. */
int mg_daemon_run(const struct mg_run_opts *opts);

/* Prints mode, policy, signature counts and counters of the running
 * instance; MG_EXIT_NOT_RUNNING when nothing is attached. */
int mg_ctl_status(int json);

/* The `status --json` document: the kernel's state and counters around
 * the status file's document (doc, NULL when missing), whole. */
void mg_ctl_print_status_json(FILE *out, __u32 mode, __u32 backend, __u32 gen, __u32 abi,
			      const __u64 *c,
			      const char *doc, int alive);

/* Switches the running instance's global mode at runtime. */
int mg_ctl_mode(int mode);

/* Makes the daemon re-read its policy and prints the result; exit
 * MG_EXIT_POLICY when the new policy was rejected. */
int mg_ctl_reload(void);

/* Stops a live daemon and removes every pin: enforcement ends. */
int mg_ctl_unload(void);

#endif
