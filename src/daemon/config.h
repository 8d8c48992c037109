/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * /etc/minerguard/minerguard.conf: "key = value" lines, '#' comments.
 * Command-line flags override what the file sets.
 */
#ifndef MG_CONFIG_H
#define MG_CONFIG_H

#include <stddef.h>

#define MG_CONFIG_FILE "/etc/minerguard/minerguard.conf"
#define MG_CONFIG_MAX_POLICIES 32

struct mg_config {
	int mode;                 /* enum mg_mode */
	int backend; /* enum mg_backend, default auto */
	char *policies[MG_CONFIG_MAX_POLICIES]; /* `policy =` may repeat */
	size_t npolicies;
	char *lua_dir;            /* NULL: default */
	char *log;                /* NULL or "stdout": standard output */
	unsigned log_mode;        /* permissions of a log file we create (0600) */
	unsigned dedup_window_ms; /* fold identical decisions; 0 = off */
	unsigned rate_limit;      /* max event lines per second; 0 = unlimited */
	char *metrics_file;       /* NULL: no Prometheus textfile */
	char *scan_roots;         /* content scan roots, space-separated; NULL: defaults */
	unsigned metrics_interval_s;
	int self_protect;         /* kernel guard of our maps and pins (default 1) */
	int verdict_cache;        /* enum mg_vcache_mode (default on) */
};

/* Defaults: enforce, no policy (the shipped one), stdout (a file: 0600), 1000 ms folding,
 * no rate limit, no metrics file, 15 s metrics interval. */
void mg_config_defaults(struct mg_config *c);

/* Parse a file into c (over the defaults already there). Returns 0, or -1
 * with "file:line: what is wrong" in err. A missing file is an error only
 * when required. */
int mg_config_load(struct mg_config *c, const char *file, int required,
		   char *err, size_t errlen);

/* Same, from a buffer; `name` is used in messages. */
int mg_config_parse(struct mg_config *c, const char *name, const char *text,
		    char *err, size_t errlen);

void mg_config_free(struct mg_config *c);

#endif
