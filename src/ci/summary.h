/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The job summary (GitHub $GITHUB_STEP_SUMMARY, or --summary FILE): one
 * Markdown section with a header line (mode, backend, policy), a table of
 * aggregated decisions and findings, and what was left out. GitHub accepts
 * at most 1 MiB per step, so the table is cut with an "N more" line.
 */
#ifndef MG_CI_SUMMARY_H
#define MG_CI_SUMMARY_H

#include <stddef.h>

#include "report.h"

#define MG_CI_SUMMARY_MAX (1024 * 1024 - 1024) /* under GitHub's 1 MiB, with room to spare */

struct mg_ci_meta {
	int monitored;            /* 0: `ci start` could not attach (reason says why) */
	int start_failed;         /* with !monitored: start failed, not the kernel */
	const char *reason;
	/* the report's values win; these come from the state of `ci start` */
	const char *mode, *backend, *policy_version, *policy_sha256;
	long long rules;          /* -1: unknown */
	const char *const *notes; /* lines worth knowing (scans, errors), may be NULL */
	size_t nnotes;
	unsigned annotations_dropped;
	const char *fail_on;      /* the --fail-on value */
	int failing;              /* the job fails because of the decisions */
	const char *log_path;     /* where the full decision log is, or NULL */
};

/* The summary text (malloc'ed, *len bytes, never more than cap), or NULL
 * on out of memory. */
char *mg_ci_summary(const struct mg_ci_report *r, const struct mg_ci_meta *m, size_t cap,
		    size_t *len);

#endif
