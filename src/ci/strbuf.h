/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A growing text buffer for the summary and the state file. */
#ifndef MG_CI_STRBUF_H
#define MG_CI_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct mg_sb {
	char *s;       /* NUL-terminated, or NULL before the first append */
	size_t len, cap;
	bool oom;      /* an append failed; the text is incomplete */
};

void mg_sb_add(struct mg_sb *b, const char *s, size_t n);
void mg_sb_puts(struct mg_sb *b, const char *s);
__attribute__((format(printf, 2, 3))) void mg_sb_printf(struct mg_sb *b, const char *fmt, ...);
void mg_sb_free(struct mg_sb *b);

#endif
