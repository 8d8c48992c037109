/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * `ci stop --fail-on`: which decisions fail the job. A decision's kind is
 * its rule's: "block" when the rule blocks (blocked in enforce mode, or
 * would have been in audit mode; a scan finding whose rule blocks), else
 * "audit". never: no decision fails the job; block / audit: one of that
 * kind does; any: one of either.
 */
#ifndef MG_CI_FAILON_H
#define MG_CI_FAILON_H

#include "report.h"

enum mg_fail_on { MG_FAIL_NEVER, MG_FAIL_BLOCK, MG_FAIL_AUDIT, MG_FAIL_ANY };

/* 0, or -1 for an unknown word. */
int mg_fail_on_parse(const char *s, enum mg_fail_on *out);
const char *mg_fail_on_name(enum mg_fail_on f);
/* Rows of r that fail the job under f. */
size_t mg_fail_on_count(const struct mg_ci_report *r, enum mg_fail_on f);

#endif
