// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The failing policy of `ci stop`, see failon.h. */
#include "failon.h"

#include <string.h>

static const char *const names[] = { "never", "block", "audit", "any" };

int mg_fail_on_parse(const char *s, enum mg_fail_on *out)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum mg_fail_on)i;
			return 0;
		}
	return -1;
}

const char *mg_fail_on_name(enum mg_fail_on f)
{
	return names[f];
}

size_t mg_fail_on_count(const struct mg_ci_report *r, enum mg_fail_on f)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		int blocks = r->rows[i].blocks;

		if (f == MG_FAIL_ANY || (f == MG_FAIL_BLOCK && blocks) ||
		    (f == MG_FAIL_AUDIT && !blocks))
			n++;
	}
	return n;
}
