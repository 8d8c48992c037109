/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One reportable finding, independent of where it came from (a kernel
 * decision in CI, `minerguard scan`): what the SARIF and GitLab code
 * quality writers take.
 */
#ifndef MG_CI_REPORT_FINDING_H
#define MG_CI_REPORT_FINDING_H

#include <stddef.h>

enum mg_report_level { MG_REPORT_ERROR, MG_REPORT_WARNING, MG_REPORT_NOTE };

struct mg_report_finding {
	const char *rule_id;     /* required */
	const char *rule_text;   /* the rule's description, or NULL */
	const char *message;     /* required, one sentence */
	const char *path;        /* repository-relative, '/'-separated; required */
	unsigned line;           /* 0: not a text position, reported as line 1 */
	enum mg_report_level level;
	const char *fingerprint; /* stable identity, or NULL: derived from rule and path */
};

/* The fingerprint of f: f->fingerprint, else SHA-256 of rule NUL path. */
void mg_report_finding_fingerprint(const struct mg_report_finding *f, char hex[65]);

#endif
