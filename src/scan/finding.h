/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What `minerguard scan` found, handed to a sink: the reporting interface.
 * The human and JSON output are sinks (src/cli/scan_report.c); another
 * format (SARIF) is one more sink, nothing else changes.
 */
#ifndef MG_FINDING_H
#define MG_FINDING_H

#include <stdint.h>

#include "minerguard_abi.h"
#include "policy.h"

struct mg_finding {
	const char *path;             /* the file, or "archive!member" */
	const struct mg_rule_def *rule;
	enum mg_kind kind;            /* name .. dir_name, content, sha256 */
	const char *signature;        /* the signature as written: a name, a
				       * path, the content rule's name, a digest */
	int action;                   /* enum mg_action */
	enum mg_hook hook;            /* the kernel hook it was judged for */
	const char *sha256;           /* of the file; NULL when not read */
	uint64_t size;
};

/* Calls come one at a time (the scanner serialises them). */
struct mg_finding_sink {
	void (*report)(void *ctx, const struct mg_finding *f);
	/* Once, after the last finding; may be NULL. */
	void (*finish)(void *ctx);
	void *ctx;
};

#endif
