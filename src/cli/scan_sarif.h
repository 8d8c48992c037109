/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * `minerguard scan --sarif FILE`: a sink that keeps what the scan found
 * (and passes each finding on to the text or JSON sink), then writes it as
 * SARIF 2.1.0 for code scanning. SARIF takes repository-relative paths
 * only: findings outside the workspace ($GITHUB_WORKSPACE,
 * $CI_PROJECT_DIR or the current directory) are counted, not written.
 */
#ifndef MG_SCAN_SARIF_H
#define MG_SCAN_SARIF_H

#include <stddef.h>

#include "finding.h"

struct mg_scan_sarif {
	struct mg_finding_sink next; /* the sink findings are passed on to */
	struct mg_scan_sarif_item *v;
	size_t n, cap;
	int oom;
};

/* sink forwards to next and keeps a copy of every finding in c. */
void mg_scan_sarif_sink(struct mg_finding_sink *sink, struct mg_scan_sarif *c,
			const struct mg_finding_sink *next);

/* Writes file. 0, or -1 with err; *outside: findings
 * left out because they lie outside the workspace root. */
int mg_scan_sarif_write(const struct mg_scan_sarif *c, const char *file, const char *root,
			size_t *outside, char *err, size_t errlen);

void mg_scan_sarif_free(struct mg_scan_sarif *c);

#endif
