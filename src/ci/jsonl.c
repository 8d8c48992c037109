// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Recursive-descent JSON reader (RFC 8259), see jsonl.h. */
#include "jsonl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rd {
	const char *p, *end, *start;
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct rd *r, const char *what)
{
	if (!r->failed)
		snprintf(r->err, r->errlen, "%s at byte %zu", what, (size_t)(r->p - r->start));
	r->failed = 1;
}

static void ws(struct rd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static struct mg_jv *node(struct rd *r, enum mg_jtype t)
{
	struct mg_jv *v = calloc(1, sizeof(*v));

	if (!v)
		fail(r, "out of memory");
	else
		v->type = t;
	return v;
}

static int hex4(struct rd *r, unsigned *out)
{
	unsigned v = 0;

	if (r->end - r->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = *r->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A \uXXXX escape (the backslash and u consumed), surrogate pairs joined;
 * a lone surrogate becomes U+FFFD rather than invalid UTF-8. */
static int unicode_escape(struct rd *r, unsigned *cp)
{
	unsigned lo;

	if (hex4(r, cp))
		return -1;
	if (*cp >= 0xd800 && *cp <= 0xdbff && r->end - r->p >= 6 && r->p[0] == '\\' &&
	    r->p[1] == 'u') {
		const char *save = r->p;

		r->p += 2;
		if (hex4(r, &lo))
			return -1;
		if (lo >= 0xdc00 && lo <= 0xdfff) {
			*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
			return 0;
		}
		r->p = save;
	}
	if (*cp >= 0xd800 && *cp <= 0xdfff)
		*cp = 0xfffd;
	return 0;
}

/* A string body after its opening quote, into a new buffer. Decoded text
 * is never longer than the escaped text, so one allocation suffices. */
static char *string(struct rd *r, size_t *len)
{
	const char *q = r->p;
	char *out, *o;

	while (q < r->end && *q != '"') /* find the end to size the buffer */
		q += (*q == '\\' && q + 1 < r->end) ? 2 : 1;
	if (q >= r->end) {
		fail(r, "unterminated string");
		return NULL;
	}
	out = malloc((size_t)(q - r->p) + 1);
	if (!out) {
		fail(r, "out of memory");
		return NULL;
	}
	o = out;
	while (*r->p != '"') {
		unsigned char c = (unsigned char)*r->p++;
		unsigned cp;

		if (c < 0x20) {
			r->p--;
			fail(r, "control character in string");
			free(out);
			return NULL;
		}
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		c = (unsigned char)*r->p++;
		switch (c) {
		case '"': case '\\': case '/': *o++ = (char)c; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (unicode_escape(r, &cp)) {
				fail(r, "bad \\u escape");
				free(out);
				return NULL;
			}
			o += put_utf8(o, cp);
			break;
		default:
			r->p--;
			fail(r, "bad escape");
			free(out);
			return NULL;
		}
	}
	r->p++; /* closing quote */
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

static void number(struct rd *r, struct mg_jv *v)
{
	const char *s = r->p;
	char buf[64];
	int frac = 0;

	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0')
		r->p++;
	else if (r->p < r->end && *r->p >= '1' && *r->p <= '9')
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	else
		return fail(r, "bad number");
	if (r->p < r->end && *r->p == '.') {
		frac = 1;
		r->p++;
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			return fail(r, "bad number");
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		frac = 1;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			return fail(r, "bad number");
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	if ((size_t)(r->p - s) >= sizeof(buf))
		return fail(r, "number too long");
	memcpy(buf, s, (size_t)(r->p - s));
	buf[r->p - s] = '\0';
	v->num = strtod(buf, NULL);
	if (!frac) {
		errno = 0;
		v->ival = strtoll(buf, NULL, 10);
		v->is_int = errno == 0; /* out of range stays a double */
	}
}

static int literal(struct rd *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return -1;
	r->p += n;
	return 0;
}

static struct mg_jv *value(struct rd *r, int depth);

static struct mg_jv *container(struct rd *r, int depth, int obj)
{
	struct mg_jv *v = node(r, obj ? MG_J_OBJ : MG_J_ARR), **tail;
	char close = obj ? '}' : ']';

	if (!v)
		return NULL;
	tail = &v->child;
	r->p++;
	ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;
		struct mg_jv *m;

		ws(r);
		if (obj) {
			if (r->p >= r->end || *r->p != '"') {
				fail(r, "expected a member name");
				break;
			}
			r->p++;
			key = string(r, &klen);
			if (!key)
				break;
			ws(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key);
				fail(r, "expected ':'");
				break;
			}
			r->p++;
		}
		m = value(r, depth + 1);
		if (!m) {
			free(key);
			break;
		}
		m->key = key;
		*tail = m;
		tail = &m->next;
		ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return v;
		}
		fail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
	}
	mg_jv_free(v);
	return NULL;
}

static struct mg_jv *value(struct rd *r, int depth)
{
	struct mg_jv *v;

	if (depth > MG_JV_MAX_DEPTH) {
		fail(r, "nested too deeply");
		return NULL;
	}
	ws(r);
	if (r->p >= r->end) {
		fail(r, "unexpected end");
		return NULL;
	}
	switch (*r->p) {
	case '{':
		return container(r, depth, 1);
	case '[':
		return container(r, depth, 0);
	case '"':
		v = node(r, MG_J_STR);
		if (!v)
			return NULL;
		r->p++;
		v->s = string(r, &v->slen);
		break;
	case 't':
	case 'f':
		v = node(r, MG_J_BOOL);
		if (!v)
			return NULL;
		v->b = *r->p == 't';
		if (literal(r, v->b ? "true" : "false"))
			fail(r, "bad literal");
		break;
	case 'n':
		v = node(r, MG_J_NULL);
		if (v && literal(r, "null"))
			fail(r, "bad literal");
		break;
	default:
		v = node(r, MG_J_NUM);
		if (v)
			number(r, v);
		break;
	}
	if (r->failed) {
		mg_jv_free(v);
		return NULL;
	}
	return v;
}

struct mg_jv *mg_jv_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct rd r = { .p = text, .end = text + len, .start = text, .err = err, .errlen = errlen };
	struct mg_jv *v = value(&r, 0);

	if (!v)
		return NULL;
	ws(&r);
	if (r.p != r.end) {
		fail(&r, "trailing characters");
		mg_jv_free(v);
		return NULL;
	}
	return v;
}

void mg_jv_free(struct mg_jv *v)
{
	while (v) {
		struct mg_jv *next = v->next;

		mg_jv_free(v->child);
		free(v->s);
		free(v->key);
		free(v);
		v = next;
	}
}

const struct mg_jv *mg_jv_get(const struct mg_jv *v, const char *path)
{
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		const struct mg_jv *m;

		if (v->type != MG_J_OBJ)
			return NULL;
		for (m = v->child; m; m = m->next)
			if (strlen(m->key) == n && !memcmp(m->key, path, n))
				break;
		v = m;
		path += n + (dot ? 1 : 0);
	}
	return v;
}

const char *mg_jv_str(const struct mg_jv *v, const char *path)
{
	v = mg_jv_get(v, path);
	return v && v->type == MG_J_STR ? v->s : NULL;
}

int mg_jv_int(const struct mg_jv *v, const char *path, long long *out)
{
	v = mg_jv_get(v, path);
	if (!v || v->type != MG_J_NUM || !v->is_int)
		return -1;
	*out = v->ival;
	return 0;
}

bool mg_jv_true(const struct mg_jv *v, const char *path)
{
	v = mg_jv_get(v, path);
	return v && v->type == MG_J_BOOL && v->b;
}
