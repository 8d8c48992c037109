/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A small JSON reader for the JSON lines minerguard writes (decisions,
 * scan findings, `status --json`): one document into a tree, looked up by
 * dotted key paths ("process.parent.pid"). Strict about syntax, bounded in
 * depth, so a damaged or hostile line is refused, never half-read.
 */
#ifndef MG_CI_JSONL_H
#define MG_CI_JSONL_H

#include <stdbool.h>
#include <stddef.h>

enum mg_jtype { MG_J_NULL, MG_J_BOOL, MG_J_NUM, MG_J_STR, MG_J_ARR, MG_J_OBJ };

struct mg_jv {
	enum mg_jtype type;
	bool b;
	double num;
	bool is_int;      /* num was written as an integer that fits ival */
	long long ival;
	char *s;          /* MG_J_STR: decoded, NUL-terminated */
	size_t slen;
	char *key;        /* member name when inside an object */
	struct mg_jv *child, *next;
};

#define MG_JV_MAX_DEPTH 64

/* Parses exactly one JSON value (surrounding white space allowed). NULL on
 * error, with err naming the byte offset. */
struct mg_jv *mg_jv_parse(const char *text, size_t len, char *err, size_t errlen);
void mg_jv_free(struct mg_jv *v);

/* Member at a dotted path of object keys; NULL when any step is missing.
 * A key holding a dot itself ("@timestamp" has none) cannot be reached. */
const struct mg_jv *mg_jv_get(const struct mg_jv *v, const char *path);
/* The string at path, or NULL when absent or not a string. */
const char *mg_jv_str(const struct mg_jv *v, const char *path);
/* The integer at path into *out: 0, or -1 when absent or not an integer. */
int mg_jv_int(const struct mg_jv *v, const char *path, long long *out);
/* true only for a JSON true at path. */
bool mg_jv_true(const struct mg_jv *v, const char *path);

#endif
