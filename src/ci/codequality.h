/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* GitLab code quality report (artifacts:reports:codequality) from generic
 * findings: a JSON array of {description, check_name, fingerprint,
 * severity, location{path, lines{begin}}}. */
#ifndef MG_CI_CODEQUALITY_H
#define MG_CI_CODEQUALITY_H

#include <stdio.h>

#include "report_finding.h"

/* errors are "critical", warnings "major", notes "info". 0, or -1. */
int mg_codequality_write(FILE *out, const struct mg_report_finding *f, size_t n);

#endif
