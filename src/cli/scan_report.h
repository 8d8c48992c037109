/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The finding sinks of `minerguard scan`: human lines and JSON lines. */
#ifndef MG_SCAN_REPORT_H
#define MG_SCAN_REPORT_H

#include <stdio.h>

#include "finding.h"

/* One JSON object per line: path, rule, action, signature {kind, name},
 * hook, sha256 (null when the file was not read), size. */
void mg_sink_json(struct mg_finding_sink *sink, FILE *out);
/* One line per finding: path, rule, action, kind and signature. */
void mg_sink_text(struct mg_finding_sink *sink, FILE *out);

#endif
