/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * <run dir>/status.json (/run/minerguard by default): what the running daemon loaded (policy
 * files, sha256, version, rule and signature counts), the result of the
 * last reload and the daemon's own counters (decisions per rule, lines
 * logged/folded/suppressed), for `minerguard status` and `reload`, which
 * run as other processes and only see pins otherwise.
 */
#ifndef MG_STATUS_FILE_H
#define MG_STATUS_FILE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "image.h"
#include "metrics.h"

/* in the run directory (mg_run_dir: /run/minerguard by default) */
#define MG_STATUS_NAME "status.json"

struct mg_status {
	const struct mg_image *img;   /* the policy in force */
	int mode;                     /* enum mg_mode, as last seen */
	int exe_in_kernel;
	int adopted;                  /* took over the pins of an earlier instance */
	time_t started;
	unsigned long long policy_version; /* 1 at start, +1 per successful reload */
	time_t policy_loaded;
	/* the last reload: seq counts attempts; started_ns is CLOCK_BOOTTIME
	 * when it began reading files (`reload` waits for one that began
	 * after its signal) */
	unsigned long long reload_seq;
	long long reload_started_ns;
	int reload_ok;
	const char *reload_error;
	const struct mg_rule_count *rules;
	size_t nrules;
	unsigned long long events_logged, events_folded, events_suppressed;
	unsigned long long events_format_failed;
	unsigned long long reloads_ok, reloads_failed;
	unsigned long long tamper_detected; /* watchdog repairs, no-policy accesses, kernel refusals */
};

/* Writes "<run dir>/status.json" to out; returns out. */
const char *mg_status_path(char *out, size_t len);
/* Atomic replace (mg_write_atomic: a fresh temporary file + rename, in a
 * directory only its owner can write to). 0 or -1 with err set. */
int mg_status_write(const struct mg_status *st, char *err, size_t errlen);
void mg_status_remove(void);
/* pid of the running daemon (not us): the holder of <run dir>/minerguard.lock
 * (lockfile.h), else 0 (also while the holder has not written its pid). */
pid_t mg_status_running_pid(void);
/* The file's contents (malloc'ed, NUL-terminated) or NULL. */
char *mg_status_read(void);
/* A number "key": N in a status document; -1 when absent. */
long long mg_status_number(const char *doc, const char *key);

#endif
