// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `minerguard scan`: files judged by name, path, content and digest. */
#include "commands.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"
#include "exitcodes.h"
#include "scan.h"
#include "scan_report.h"
#include "scan_sarif.h"
#include "workspace.h"

#define SCAN_USAGE "[--policy PATH]... [--json] [--sarif FILE] [--max-size N] [--jobs N] PATH..."
#define DEFAULT_MAX_SIZE (256ull << 20)
#define MAX_JOBS 64

struct scan_cli {
	struct policy_opts_list pl;
	const char *lua_dir;
	int json;
	const char *sarif; /* --sarif FILE, or NULL */
	uint64_t max_size;
	unsigned jobs;
};

/* N, or N with K, M or G (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	default: break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
}

/* Returns -1 to go on, or the exit code to return now. */
static int parse_scan_cli(int argc, char **argv, struct scan_cli *o)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "lua-dir", required_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "sarif", required_argument, NULL, 'S' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->max_size = DEFAULT_MAX_SIZE;
	o->jobs = default_jobs();
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:j", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (mg_add_policy_path(&o->pl, optarg))
				return MG_EXIT_ERROR;
			break;
		case 'L':
			o->lua_dir = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'S':
			o->sarif = optarg;
			break;
		case 'm':
		case 'J':
			if (parse_size(optarg, &v) || (c == 'J' && (v < 1 || v > MAX_JOBS))) {
				fprintf(stderr, "minerguard scan: bad %s '%s'\n",
					c == 'm' ? "--max-size" : "--jobs (1-64)", optarg);
				return MG_EXIT_USAGE;
			}
			if (c == 'm')
				o->max_size = v;
			else
				o->jobs = (unsigned)v;
			break;
		case 'h':
			printf("usage: minerguard scan %s\n", SCAN_USAGE);
			return MG_EXIT_OK;
		default:
			return mg_usage_error("scan", argc, argv);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "minerguard scan: no PATH to scan; usage: minerguard scan %s\n",
			SCAN_USAGE);
		return MG_EXIT_USAGE;
	}
	return -1;
}

/* The kernel judges absolute paths: each root as realpath(3) gives it.
 * A root that does not exist is an error naming it. */
static char **absolute_roots(char **args, size_t n, size_t *nroots, size_t *errors)
{
	char **roots = calloc(n ? n : 1, sizeof(*roots));

	*nroots = 0;
	for (size_t i = 0; roots && i < n; i++) {
		char *r = realpath(args[i], NULL);

		if (!r) {
			fprintf(stderr, "minerguard scan: %s: %s\n", args[i], strerror(errno));
			(*errors)++;
			continue;
		}
		roots[(*nroots)++] = r;
	}
	return roots;
}

static void print_summary(const struct mg_scan_stats *st)
{
	double mb = (double)st->bytes / 1e6;

	fprintf(stderr,
		"minerguard scan: %llu files (%llu archives, %llu members), %llu links, %llu special skipped, %llu over --max-size; %.1f MB in %.2f s (%.1f MB/s); %llu findings, %llu errors\n",
		(unsigned long long)st->files, (unsigned long long)st->archives,
		(unsigned long long)st->members, (unsigned long long)st->links,
		(unsigned long long)st->special, (unsigned long long)st->too_large, mb, st->secs,
		st->secs > 0 ? mb / st->secs : 0.0, (unsigned long long)st->findings,
		(unsigned long long)st->errors);
}

/* The SARIF file, paths relative to the workspace; 0 or -1 (said). */
static int write_sarif(const struct mg_scan_sarif *c, const char *file)
{
	char *root = mg_ws_root(NULL), err[512];
	size_t outside = 0;
	int rc;

	if (!root) {
		fprintf(stderr, "minerguard scan: --sarif: no workspace directory\n");
		return -1;
	}
	rc = mg_scan_sarif_write(c, file, root, &outside, err, sizeof(err));
	if (rc)
		fprintf(stderr, "minerguard scan: --sarif %s\n", err);
	else if (outside)
		fprintf(stderr, "minerguard scan: %zu finding%s outside %s not in %s (SARIF takes "
				"repository-relative paths only)\n",
			outside, outside == 1 ? "" : "s", root, file);
	free(root);
	return rc;
}

int mg_cmd_scan(int argc, char **argv)
{
	struct scan_cli o;
	struct mg_policy *pol = NULL;
	struct mg_image *img = NULL;
	struct mg_content_engine *engine = NULL;
	struct mg_finding_sink sink;
	struct mg_scan_sarif sarif = { 0 };
	struct mg_scan_stats st = { 0 };
	size_t nroots = 0, root_errors = 0;
	char **roots = NULL, err[256];
	int rc = parse_scan_cli(argc, argv, &o);

	if (rc >= 0) {
		free(o.pl.v);
		return rc;
	}
	rc = mg_load_compiled(&o.pl, o.lua_dir, &pol, &img);
	free(o.pl.v);
	if (rc)
		return rc;
	if (img->ncontent && mg_content_build(img, &engine, err, sizeof(err))) {
		fprintf(stderr, "minerguard scan: %s\n", err);
		rc = MG_EXIT_ERROR;
		goto out;
	}
	roots = absolute_roots(argv + optind, (size_t)(argc - optind), &nroots, &root_errors);
	if (!roots) {
		fprintf(stderr, "minerguard scan: out of memory\n");
		rc = MG_EXIT_ERROR;
		goto out;
	}
	if (o.json)
		mg_sink_json(&sink, stdout);
	else
		mg_sink_text(&sink, stdout);
	if (o.sarif) {
		struct mg_finding_sink out = sink;

		mg_scan_sarif_sink(&sink, &sarif, &out);
	}
	struct mg_scan_opts so = {
		.img = img, .engine = engine, .max_size = o.max_size, .jobs = o.jobs,
		.progress = true, .sink = &sink,
	};
	if (mg_scan_run(&so, (const char *const *)roots, nroots, &st)) {
		fprintf(stderr, "minerguard scan: cannot start the reader threads\n");
		rc = MG_EXIT_ERROR;
		goto out;
	}
	st.errors += root_errors;
	print_summary(&st);
	if (o.sarif && write_sarif(&sarif, o.sarif)) {
		rc = MG_EXIT_ERROR;
		goto out;
	}
	/* Findings first: an unreadable file elsewhere does not hide them. */
	rc = st.findings ? MG_EXIT_FINDINGS : st.errors ? MG_EXIT_ERROR : MG_EXIT_OK;
out:
	mg_scan_sarif_free(&sarif);
	for (size_t i = 0; i < nroots; i++)
		free(roots[i]);
	free(roots);
	mg_content_free(engine);
	mg_image_free(img);
	mg_policy_free(pol);
	return rc;
}
