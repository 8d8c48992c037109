/* A strict JSON validity check for tests (RFC 8259 grammar, UTF-8 not
 * checked): json_valid(text) is 1 when text is exactly one JSON value,
 * optionally followed by whitespace. */
#ifndef MG_TEST_JSON_CHECK_H
#define MG_TEST_JSON_CHECK_H

#include <string.h>

static const char *jc_value(const char *p, int depth);

static const char *jc_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *jc_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if (!*p || (unsigned char)*p < 0x20)
			return NULL;
		if (*p != '\\')
			continue;
		p++;
		if (*p == 'u') {
			for (int i = 1; i <= 4; i++)
				if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
					return NULL;
			p += 4;
		} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
			return NULL;
		}
	}
	return p + 1;
}

static const char *jc_number(const char *p)
{
	const char *s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		s = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == s)
			return NULL;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		s = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == s)
			return NULL;
	}
	return p;
}

/* Object or array: open, members separated by ',', close. */
static const char *jc_container(const char *p, int depth, char close)
{
	p = jc_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			p = jc_string(p);
			if (!p)
				return NULL;
			p = jc_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = jc_value(p, depth + 1);
		if (!p)
			return NULL;
		p = jc_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
		p = jc_ws(p);
	}
}

static const char *jc_value(const char *p, int depth)
{
	if (depth > 256)
		return NULL;
	p = jc_ws(p);
	switch (*p) {
	case '{':
		return jc_container(p, depth, '}');
	case '[':
		return jc_container(p, depth, ']');
	case '"':
		return jc_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return jc_number(p);
	}
}

static inline int json_valid(const char *text)
{
	const char *end = text ? jc_value(text, 0) : NULL;

	return end && *jc_ws(end) == '\0';
}

#endif
