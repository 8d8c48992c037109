/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* SARIF 2.1.0 (GitHub code scanning) from generic findings. */
#ifndef MG_CI_SARIF_H
#define MG_CI_SARIF_H

#include <stdio.h>

#include "report_finding.h"

#define MG_SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

struct mg_sarif_tool {
	const char *name;            /* runs[].tool.driver.name */
	const char *version;         /* or NULL */
	const char *information_uri; /* or NULL */
};

/* One SARIF log with one run: the driver, its rules (each distinct
 * rule_id once, in order of appearance) and one result per finding.
 * 0, or -1 on a write error or out of memory. */
int mg_sarif_write(FILE *out, const struct mg_sarif_tool *tool, const struct mg_report_finding *f,
		   size_t n);

/* A relative path as a URI reference: bytes other than unreserved
 * characters and '/' percent-encoded. malloc'ed. */
char *mg_sarif_uri(const char *path);

#endif
