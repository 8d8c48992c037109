/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The CI step a process belongs to, from its environment: GitHub's
 * GITHUB_ACTION (the step: "__run_2" for the second run step, else the
 * action's id), GITHUB_JOB and GITHUB_WORKFLOW, GitLab's CI_JOB_NAME.
 * Only these are copied: an environment holds the job's secrets too.
 */
#ifndef MG_CI_ENV_H
#define MG_CI_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define MG_CI_ENV_VALUE_BYTES 256

struct mg_ci_env {
	char step[MG_CI_ENV_VALUE_BYTES];     /* GITHUB_ACTION; "" when unset */
	char job[MG_CI_ENV_VALUE_BYTES];      /* GITHUB_JOB, else CI_JOB_NAME */
	char workflow[MG_CI_ENV_VALUE_BYTES]; /* GITHUB_WORKFLOW */
};

/* Fills e (cleared first) from one environment block: NAME=value entries,
 * each ending in NUL, the last one maybe not. The first of duplicates
 * wins, as for getenv(3); a long value is cut at a character boundary. */
void mg_ci_env_parse(const char *block, size_t len, struct mg_ci_env *e);

/* Reads /proc/PID/environ under proc_root into e (cleared first). true
 * when it named any of the variables; false too when it cannot be read. */
bool mg_ci_env_read(const char *proc_root, pid_t pid, struct mg_ci_env *e);

static inline bool mg_ci_env_any(const struct mg_ci_env *e)
{
	return e->step[0] || e->job[0] || e->workflow[0];
}

#endif
