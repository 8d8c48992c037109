/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * How `ci start`/`ci stop` run minerguard's own subcommands (run, status,
 * unload, scan): as separate processes of the same binary, so CI uses
 * exactly the interfaces an operator uses.
 */
#ifndef MG_CI_SPAWN_H
#define MG_CI_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

/* The binary: $MINERGUARD_BIN (tests put a stand-in there), else the
 * running executable. */
const char *mg_ci_self(void);

struct mg_ci_proc {
	int status;        /* exit status; 128+N for signal N; -1: could not run */
	char *out;         /* stdout (when not sent to a file), NUL-terminated */
	size_t outlen;
	char *err;         /* stderr, NUL-terminated, at most 64 KiB kept */
};

/* Runs self with args (NULL-terminated, without argv[0]), stdin from
 * /dev/null, stdout to out_path (appended) or captured, within timeout_s
 * (then killed: status 124). 0, or -1 when it could not be started. */
int mg_ci_exec(const char *const *args, const char *out_path, int timeout_s,
	       struct mg_ci_proc *p);
void mg_ci_proc_free(struct mg_ci_proc *p);
/* The last non-empty line of text (malloc'ed), or NULL. */
char *mg_ci_last_line(const char *text);

/* Starts self with args detached from us (double fork, setsid, stdin and
 * stdout /dev/null, stderr appended to err_path, cwd /). A supervisor
 * process waits for it and writes "status=N" to exit_path when it ends.
 * *pid is the command's pid. 0, or -1 with err set. */
int mg_ci_spawn_detached(const char *const *args, const char *err_path, const char *exit_path,
			 pid_t *pid, char *err, size_t errlen);
/* The status exit_path records: 0 with *status set, -1 while absent. */
int mg_ci_exit_status(const char *exit_path, int *status);

#endif
