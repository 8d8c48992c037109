/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A bounded JSON writer: appends to a caller's buffer, never allocates. */
#ifndef MG_JSON_H
#define MG_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mg_json {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow; /* set once anything did not fit; the output is then unusable */
	bool need_comma;
};

void mg_json_init(struct mg_json *j, char *buf, size_t cap);
void mg_json_obj_begin(struct mg_json *j, const char *key); /* key NULL at top level */
void mg_json_obj_end(struct mg_json *j);
void mg_json_arr_begin(struct mg_json *j, const char *key);
void mg_json_arr_end(struct mg_json *j);
/* Both return true when the string was written in byte form (see
 * mg_json_escape): the caller should say so next to the field. */
bool mg_json_str(struct mg_json *j, const char *key, const char *s); /* s NULL -> null */
bool mg_json_strn(struct mg_json *j, const char *key, const char *s, size_t n);
void mg_json_u64(struct mg_json *j, const char *key, uint64_t v);
void mg_json_i64(struct mg_json *j, const char *key, int64_t v);
void mg_json_bool(struct mg_json *j, const char *key, bool v);
void mg_json_null(struct mg_json *j, const char *key);
/* Terminates the buffer; returns the length or -1 on overflow. */
int mg_json_finish(struct mg_json *j);

/* Escaped string body (no quotes) of s[0..n). Valid UTF-8 passes through
 * (control characters as \u00XX, which decode to those very bytes). A
 * string with any invalid byte is written in byte form instead: each
 * invalid byte decodes to the four characters \xHH and each backslash
 * to two backslashes, so the decoded text is unambiguous and a reader can
 * recover the exact bytes. Returns true for the byte form. */
bool mg_json_escape(struct mg_json *j, const char *s, size_t n);
/* True when s[0..n) is entirely valid UTF-8. */
bool mg_json_utf8_valid(const char *s, size_t n);

#endif
