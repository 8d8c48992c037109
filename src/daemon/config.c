// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "logfile.h"
#include "minerguard_abi.h"
#include "vcache.h"

void mg_config_defaults(struct mg_config *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = MG_MODE_ENFORCE;
	c->dedup_window_ms = 1000;
	c->metrics_interval_s = 15;
	c->log_mode = MG_LOG_MODE_DEFAULT;
	c->self_protect = 1;
	c->verdict_cache = MG_VC_ON;
}

void mg_config_free(struct mg_config *c)
{
	for (size_t i = 0; i < c->npolicies; i++)
		free(c->policies[i]);
	free(c->lua_dir);
	free(c->log);
	free(c->metrics_file);
	free(c->scan_roots);
	mg_config_defaults(c);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_uint(const char *v, unsigned max, unsigned *out)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n > max)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* An octal file mode such as 0600 or 640, at most 0777. */
static int parse_mode(const char *v, unsigned *out)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoul(v, &end, 8);
	if (errno || *end || n > 0777)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static int set_string(char **dst, const char *v)
{
	char *s = strdup(v);

	if (!s)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

static const char unknown_key[] = "unknown key";

/* Applies one key; returns NULL, unknown_key, or what is wrong with the value. */
static const char *apply(struct mg_config *c, const char *key, const char *v)
{
	if (!strcmp(key, "backend")) {
		int b = mg_backend_parse(v);

		if (b < 0)
			return "backend must be auto, lsm or fmodret";
		c->backend = b;
		return NULL;
	}
	if (!strcmp(key, "mode")) {
		if (!strcmp(v, "enforce"))
			c->mode = MG_MODE_ENFORCE;
		else if (!strcmp(v, "audit"))
			c->mode = MG_MODE_AUDIT;
		else
			return "mode must be enforce or audit";
	} else if (!strcmp(key, "policy")) {
		if (v[0] != '/')
			return "policy must be an absolute path";
		if (c->npolicies == MG_CONFIG_MAX_POLICIES)
			return "too many policy lines (limit 32)";
		if (!(c->policies[c->npolicies] = strdup(v)))
			return "out of memory";
		c->npolicies++;
	} else if (!strcmp(key, "lua_dir")) {
		if (v[0] != '/')
			return "lua_dir must be an absolute path";
		if (set_string(&c->lua_dir, v))
			return "out of memory";
	} else if (!strcmp(key, "log")) {
		if (strcmp(v, "stdout") && v[0] != '/')
			return "log must be stdout or an absolute path";
		if (set_string(&c->log, v))
			return "out of memory";
	} else if (!strcmp(key, "log_mode")) {
		if (parse_mode(v, &c->log_mode))
			return "log_mode must be an octal file mode, 0000 to 0777 (e.g. 0640)";
	} else if (!strcmp(key, "dedup_window_ms")) {
		if (parse_uint(v, 3600000, &c->dedup_window_ms))
			return "dedup_window_ms must be a whole number of milliseconds, 0 to 3600000";
	} else if (!strcmp(key, "rate_limit")) {
		if (parse_uint(v, 1000000, &c->rate_limit))
			return "rate_limit must be events per second, 0 (unlimited) to 1000000";
	} else if (!strcmp(key, "self_protect")) {
		if (!strcmp(v, "yes"))
			c->self_protect = 1;
		else if (!strcmp(v, "no"))
			c->self_protect = 0;
		else
			return "self_protect must be yes or no";
	} else if (!strcmp(key, "verdict_cache")) {
		c->verdict_cache = mg_vcache_parse(v);
		if (c->verdict_cache < 0 || c->verdict_cache == MG_VC_VERIFY_IGNORE_KEYS)
			return "verdict_cache must be on, off or verify";
	} else if (!strcmp(key, "scan_roots")) {
		/* space-separated absolute directories; "none" turns scanning off */
		if (strcmp(v, "none") && v[0] != '/')
			return "scan_roots must be absolute directories separated by spaces, or none";
		if (set_string(&c->scan_roots, v))
			return "out of memory";
	} else if (!strcmp(key, "metrics_file")) {
		if (v[0] != '/')
			return "metrics_file must be an absolute path";
		if (set_string(&c->metrics_file, v))
			return "out of memory";
	} else if (!strcmp(key, "metrics_interval")) {
		if (parse_uint(v, 86400, &c->metrics_interval_s) || !c->metrics_interval_s)
			return "metrics_interval must be seconds, 1 to 86400";
	} else {
		return unknown_key;
	}
	return NULL;
}

int mg_config_parse(struct mg_config *c, const char *name, const char *text,
		    char *err, size_t errlen)
{
	const char *p = text;
	int line = 0;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char buf[PATH_MAX + 128];
		char *s, *eq, *key, *val;
		const char *why;

		line++;
		if (n >= sizeof(buf)) {
			snprintf(err, errlen, "%s:%d: line too long", name, line);
			return -1;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		p += n + (p[n] == '\n');
		s = trim(buf);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'", name, line);
			return -1;
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		if (!*val) {
			snprintf(err, errlen, "%s:%d: %s has no value", name, line, key);
			return -1;
		}
		why = apply(c, key, val);
		if (why == unknown_key) {
			snprintf(err, errlen, "%s:%d: unknown key '%s'", name, line, key);
			return -1;
		}
		if (why) {
			snprintf(err, errlen, "%s:%d: %s (got '%s')", name, line, why, val);
			return -1;
		}
	}
	return 0;
}

int mg_config_load(struct mg_config *c, const char *file, int required, char *err,
		   size_t errlen)
{
	FILE *f = fopen(file, "re");
	char *text;
	long size;
	int rc;

	if (!f) {
		if (!required && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || size > (1 << 20) ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		snprintf(err, errlen, "%s: unreadable or larger than 1 MiB", file);
		return -1;
	}
	text = malloc((size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		fclose(f);
		snprintf(err, errlen, "%s: read failed", file);
		return -1;
	}
	fclose(f);
	text[size] = '\0';
	if (memchr(text, '\0', (size_t)size)) {
		free(text);
		snprintf(err, errlen, "%s: contains a NUL byte", file);
		return -1;
	}
	rc = mg_config_parse(c, file, text, err, errlen);
	free(text);
	return rc;
}
