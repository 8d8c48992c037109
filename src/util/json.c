// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void mg_json_init(struct mg_json *j, char *buf, size_t cap)
{
	j->buf = buf;
	j->cap = cap;
	j->len = 0;
	j->overflow = cap == 0;
	j->need_comma = false;
	if (cap)
		buf[0] = '\0';
}

static void put(struct mg_json *j, const char *s, size_t n)
{
	if (j->overflow)
		return;
	if (j->len + n + 1 > j->cap) { /* keep room for the NUL */
		j->overflow = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void putc_(struct mg_json *j, char c)
{
	put(j, &c, 1);
}

/* Length of the valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t need;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		need = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (need > n)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and values past U+10FFFF */
	if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) ||
	    (need == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

/* True when every byte of s[0..n) belongs to a valid UTF-8 sequence. */
bool mg_json_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, ul;

	while (i < n) {
		ul = utf8_len(p + i, n - i);
		if (!ul)
			return false;
		i += ul;
	}
	return true;
}

static void put_hex_escape(struct mg_json *j, const char *fmt, unsigned char c)
{
	char esc[8];
	int n = snprintf(esc, sizeof(esc), fmt, c);

	put(j, esc, (size_t)n);
}

/* One character, or one invalid byte; returns the bytes consumed. */
static size_t escape_char(struct mg_json *j, const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t ul;

	if (c == '"' || c == '\\') {
		putc_(j, '\\');
		putc_(j, (char)c);
		return 1;
	}
	if (c == '\n') {
		put(j, "\\n", 2);
		return 1;
	}
	if (c == '\t') {
		put(j, "\\t", 2);
		return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		put_hex_escape(j, "\\u%04x", c);
		return 1;
	}
	ul = utf8_len(p, n);
	if (!ul) { /* only in byte form (see mg_json_escape) */
		put_hex_escape(j, "\\\\x%02x", c);
		return 1;
	}
	put(j, (const char *)p, ul);
	return ul;
}

bool mg_json_escape(struct mg_json *j, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	bool bytes = !mg_json_utf8_valid(s, n);
	size_t i = 0;

	while (i < n) {
		/* byte form: the decoded string escapes its own backslashes,
		 * so "\\xHH" can only be a raw byte */
		if (bytes && p[i] == '\\') {
			put(j, "\\\\\\\\", 4);
			i++;
			continue;
		}
		i += escape_char(j, p + i, n - i);
	}
	return bytes;
}

static void key_(struct mg_json *j, const char *key)
{
	if (j->need_comma)
		putc_(j, ',');
	j->need_comma = true;
	if (key) {
		putc_(j, '"');
		mg_json_escape(j, key, strlen(key));
		put(j, "\":", 2);
	}
}

void mg_json_obj_begin(struct mg_json *j, const char *key)
{
	key_(j, key);
	putc_(j, '{');
	j->need_comma = false;
}

void mg_json_obj_end(struct mg_json *j)
{
	putc_(j, '}');
	j->need_comma = true;
}

void mg_json_arr_begin(struct mg_json *j, const char *key)
{
	key_(j, key);
	putc_(j, '[');
	j->need_comma = false;
}

void mg_json_arr_end(struct mg_json *j)
{
	putc_(j, ']');
	j->need_comma = true;
}

bool mg_json_strn(struct mg_json *j, const char *key, const char *s, size_t n)
{
	bool bytes;

	key_(j, key);
	putc_(j, '"');
	bytes = mg_json_escape(j, s, n);
	putc_(j, '"');
	return bytes;
}

bool mg_json_str(struct mg_json *j, const char *key, const char *s)
{
	if (!s) {
		mg_json_null(j, key);
		return false;
	}
	return mg_json_strn(j, key, s, strlen(s));
}

void mg_json_u64(struct mg_json *j, const char *key, uint64_t v)
{
	char num[24];

	key_(j, key);
	put(j, num, (size_t)snprintf(num, sizeof(num), "%" PRIu64, v));
}

void mg_json_i64(struct mg_json *j, const char *key, int64_t v)
{
	char num[24];

	key_(j, key);
	put(j, num, (size_t)snprintf(num, sizeof(num), "%" PRId64, v));
}

void mg_json_bool(struct mg_json *j, const char *key, bool v)
{
	key_(j, key);
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

void mg_json_null(struct mg_json *j, const char *key)
{
	key_(j, key);
	put(j, "null", 4);
}

int mg_json_finish(struct mg_json *j)
{
	return j->overflow ? -1 : (int)j->len;
}
