/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A heap buffer big enough for one JSON object of known strings, for the
 * bounded writer in util/json.h. */
#ifndef MG_CI_JSONBUF_H
#define MG_CI_JSONBUF_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

/* Bytes one string can take once escaped (\u00XX per byte at worst). */
static inline size_t mg_json_room(const char *s)
{
	return s ? 6 * strlen(s) + 8 : 8;
}

/* Writes j's finished text to out; -1 on overflow or a write error. */
static inline int mg_json_flush_to(struct mg_json *j, FILE *out)
{
	int n = mg_json_finish(j);

	if (n < 0 || fwrite(j->buf, 1, (size_t)n, out) != (size_t)n)
		return -1;
	return 0;
}

#endif
