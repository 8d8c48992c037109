/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What a CI job saw: kernel decisions from the daemon's log and findings
 * of `minerguard scan --json`, aggregated per (file path, rule, verdict)
 * with their count, first and last time and the first process seen (with
 * its ancestry and CI step).
 */
#ifndef MG_CI_REPORT_H
#define MG_CI_REPORT_H

#include <stddef.h>
#include <stdio.h>

enum mg_ci_verdict {
	MG_CI_V_BLOCK, /* the kernel refused the access */
	MG_CI_V_AUDIT, /* the kernel allowed and reported it */
	MG_CI_V_FOUND, /* a scan found the file */
};

struct mg_ci_row {
	char *path;             /* file.path, else file.name */
	char *rule;
	enum mg_ci_verdict verdict;
	/* The rule blocks: a block verdict, an audit-mode decision the rule
	 * would have blocked (would_block), or a scan finding whose action is
	 * block. --fail-on judges this, not the verdict. */
	int blocks;
	unsigned long long count;
	char first[40], last[40]; /* UTC ISO 8601 as logged ("" for scans) */
	/* the process of the first decision */
	char *process, *executable, *args, *parent_executable, *hook;
	long long pid, ppid;    /* -1 when unknown */
	/* "name(pid) ← name(ppid) ← ...": the process and its ancestors, or
	 * NULL when the daemon could not read them (best effort) */
	char *ancestry;
	/* the CI step (GITHUB_ACTION), job and workflow of the process, or
	 * NULL (best effort) */
	char *step, *job, *workflow;
	unsigned long long other_pids; /* decisions by another pid than the first */
	char *signature;        /* "kind value" */
	char *sha256;           /* scans */
	char *scan_root;        /* scans: the root given */
};

struct mg_ci_report {
	struct mg_ci_row *rows;
	size_t nrows, cap;
	size_t *slots, nslots;  /* hash index of rows (index + 1, 0 free) */
	unsigned long long decisions, findings; /* lines' counts summed */
	unsigned long long bad_lines, dropped, suppressed;
	/* from the daemon's lifecycle lines; NULL when not logged */
	char *mode, *backend, *policy_version, *policy_sha256;
	long long rules;
};

void mg_ci_report_init(struct mg_ci_report *r);
void mg_ci_report_free(struct mg_ci_report *r);

/* One line of the decision log: decisions are aggregated, lifecycle
 * records fill mode/backend/policy and drop counts, anything unreadable
 * counts in bad_lines. 0, or -1 on out of memory. */
int mg_ci_report_event_line(struct mg_ci_report *r, const char *line, size_t len);
/* One line of `scan --json` output from scanning root. */
int mg_ci_report_scan_line(struct mg_ci_report *r, const char *line, size_t len,
			   const char *root);
/* Every line of a file through fn-like dispatch: scan_root NULL reads a
 * decision log, else scan output. 0, -1 when it cannot be opened (errno). */
int mg_ci_report_read(struct mg_ci_report *r, const char *path, const char *scan_root);

/* Orders rows for presentation: blocking rules first, then by first time,
 * then path. */
void mg_ci_report_sort(struct mg_ci_report *r);

const char *mg_ci_verdict_name(enum mg_ci_verdict v);

#endif
