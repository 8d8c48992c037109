// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `minerguard check` and `minerguard match`: the policy author's tools. */
#include "commands.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "content.h"
#include "exitcodes.h"
#include "filescan.h"
#include "image.h"
#include "json.h"
#include "matcher.h"
#include "paths.h"
#include "policy.h"

int mg_add_policy_path(struct policy_opts_list *l, const char *p)
{
	const char **n = realloc(l->v, (l->n + 1) * sizeof(*n));

	if (!n)
		return -1;
	n[l->n++] = p;
	l->v = n;
	return 0;
}

int mg_load_compiled(const struct policy_opts_list *l, const char *lua_dir,
		     struct mg_policy **pol, struct mg_image **img)
{
	const char *def = mg_default_policy_dir();
	const char *const *paths = l->n ? l->v : &def;
	size_t n = l->n ? l->n : 1;
	char err[1024];

	*pol = NULL;
	*img = NULL;
	if (mg_policy_load(paths, n, lua_dir ? lua_dir : mg_default_lua_dir(), NULL, pol,
			   err, sizeof(err))) {
		fprintf(stderr, "minerguard: %s\n", err);
		return MG_EXIT_POLICY;
	}
	if (mg_image_build(*pol, img, err, sizeof(err))) {
		fprintf(stderr, "minerguard: %s\n", err);
		mg_policy_free(*pol);
		*pol = NULL;
		return MG_EXIT_POLICY;
	}
	return MG_EXIT_OK;
}

static const struct option policy_options[] = {
	{ "policy", required_argument, NULL, 'p' },
	{ "lua-dir", required_argument, NULL, 'L' },
	{ "json", no_argument, NULL, 'j' },
	{ "hook", required_argument, NULL, 'H' },
	{ "exe", required_argument, NULL, 'e' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int parse_hook(const char *s, enum mg_hook *out)
{
	for (int h = 0; h < MG_HOOK_COUNT; h++) {
		if (!strcmp(s, mg_hook_name(h))) {
			*out = h;
			return 0;
		}
	}
	return -1;
}

/* The DSL hooks of a rule, as the primary kernel hook of each. */
static const struct {
	unsigned rhook;
	enum mg_hook hook;
} rule_hooks[] = {
	{ MG_RHOOK_OPEN, MG_HOOK_OPEN },
	{ MG_RHOOK_EXEC, MG_HOOK_EXEC },
	{ MG_RHOOK_MMAP, MG_HOOK_MMAP },
};

/* What check and match accept. */
struct policy_cli {
	struct policy_opts_list pl;
	const char *lua_dir;
	int json;
	enum mg_hook hook;
	const char *exe;
	const char *match_only; /* a --hook/--exe seen, which only match takes */
};

/* Returns -1 to go on, or the exit code to return now. */
static int parse_policy_cli(const char *cmd, const char *usage, int argc, char **argv,
			    struct policy_cli *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->hook = MG_HOOK_OPEN;
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:j", policy_options, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (mg_add_policy_path(&o->pl, optarg))
				goto fail;
			break;
		case 'L':
			o->lua_dir = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'H':
			if (parse_hook(optarg, &o->hook)) {
				fprintf(stderr, "minerguard %s: unknown hook '%s'\n", cmd, optarg);
				free(o->pl.v);
				return MG_EXIT_USAGE;
			}
			o->match_only = "--hook";
			break;
		case 'e':
			o->exe = optarg;
			o->match_only = "--exe";
			break;
		case 'h':
			printf("usage: minerguard %s %s\n", cmd, usage);
			free(o->pl.v);
			return MG_EXIT_OK;
		default:
			free(o->pl.v);
			return mg_usage_error(cmd, argc, argv);
		}
	}
	return -1;
fail:
	free(o->pl.v);
	return MG_EXIT_ERROR;
}

struct check_result {
	size_t passed;
	size_t failed;
};

static void expect_fail(struct check_result *r, const struct mg_rule_def *def,
			const char *what, const char *path, enum mg_hook hook,
			const struct mg_match *m)
{
	r->failed++;
	fprintf(stderr, "%s:%d: rule \"%s\": expected %s for %s at %s, got %s%s%s\n",
		def->file, def->line, def->name, what, path, mg_hook_name(hook),
		m->matched ? "a match by rule \"" : "no match",
		m->matched ? m->def->name : "", m->matched ? "\"" : "");
}

static void run_expectations(const struct mg_image *img, struct check_result *r)
{
	const struct mg_policy *p = img->policy;

	for (size_t i = 0; i < p->nrules; i++) {
		const struct mg_rule_def *def = &p->rules[i];
		const struct mg_strvec *yes = &def->lists[MG_LIST_EXPECT_MATCH];
		const struct mg_strvec *no = &def->lists[MG_LIST_EXPECT_NOMATCH];

		for (size_t k = 0; k < yes->n; k++) {
			for (size_t h = 0; h < sizeof(rule_hooks) / sizeof(rule_hooks[0]); h++) {
				struct mg_match m;

				if (!(def->hooks & rule_hooks[h].rhook))
					continue;
				mg_match_path(img, yes->v[k], NULL, rule_hooks[h].hook, &m);
				if (m.matched && m.action == def->action)
					r->passed++;
				else
					expect_fail(r, def, "a match", yes->v[k], rule_hooks[h].hook, &m);
			}
		}
		for (size_t k = 0; k < no->n; k++) {
			for (size_t h = 0; h < sizeof(rule_hooks) / sizeof(rule_hooks[0]); h++) {
				struct mg_match m;

				mg_match_path(img, no->v[k], NULL, rule_hooks[h].hook, &m);
				if (!m.matched)
					r->passed++;
				else
					expect_fail(r, def, "no match", no->v[k], rule_hooks[h].hook, &m);
			}
		}
	}
}

/* expect.content_* files are relative to the policy file naming them. */
static char *fixture_path(const struct mg_rule_def *def, const char *file)
{
	const char *slash = strrchr(def->file, '/');
	size_t dl = slash ? (size_t)(slash - def->file) + 1 : 0;
	char *p;

	if (file[0] == '/' || dl == 0)
		return strdup(file);
	p = malloc(dl + strlen(file) + 1);
	if (p) {
		memcpy(p, def->file, dl);
		strcpy(p + dl, file);
	}
	return p;
}

/* Reads path through the content engine; -1 with errno on failure. */
static int content_of(struct mg_file_scanner *fs, const char *path, struct mg_file_result *r)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc, saved;

	if (fd < 0)
		return -1;
	rc = mg_fscan_fd(fs, fd, UINT64_MAX, r);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static bool content_found(const struct mg_file_result *r, __u32 rule)
{
	for (size_t i = 0; i < r->ncontent; i++)
		if (r->content[i]->rule == rule)
			return true;
	return false;
}

/* One expect.content_match (want == true) or content_nomatch file. */
static void content_expectation(struct mg_file_scanner *fs, const struct mg_policy *p,
				const struct mg_rule_def *def, const char *file, bool want,
				struct check_result *res)
{
	__u32 rule = (__u32)(def - p->rules) + 1;
	struct mg_file_result r;
	char *path = fixture_path(def, file);

	if (!path || content_of(fs, path, &r) != 0) {
		res->failed++;
		fprintf(stderr, "%s:%d: rule \"%s\": cannot read %s: %s\n", def->file, def->line,
			def->name, path ? path : file, path ? strerror(errno) : "out of memory");
		free(path);
		return;
	}
	if (want ? content_found(&r, rule) : r.ncontent == 0) {
		res->passed++;
	} else {
		res->failed++;
		fprintf(stderr, "%s:%d: rule \"%s\": expected %s for %s, got %s%s%s\n", def->file,
			def->line, def->name, want ? "a content match" : "no content match", path,
			r.ncontent ? "a content match by rule \"" : "no content match",
			r.ncontent ? p->rules[r.content[0]->rule - 1].name : "",
			r.ncontent ? "\"" : "");
	}
	free(path);
}

static void run_content_expectations(const struct mg_image *img,
				     const struct mg_content_engine *engine,
				     struct check_result *res)
{
	const struct mg_policy *p = img->policy;
	struct mg_file_scanner *fs = mg_fscan_new(engine);

	if (!fs) {
		res->failed++;
		fprintf(stderr, "minerguard check: out of memory\n");
		return;
	}
	for (size_t i = 0; i < p->nrules; i++) {
		const struct mg_rule_def *def = &p->rules[i];
		const struct mg_strvec *yes = &def->lists[MG_LIST_EXPECT_CONTENT_MATCH];
		const struct mg_strvec *no = &def->lists[MG_LIST_EXPECT_CONTENT_NOMATCH];

		for (size_t k = 0; k < yes->n; k++)
			content_expectation(fs, p, def, yes->v[k], true, res);
		for (size_t k = 0; k < no->n; k++)
			content_expectation(fs, p, def, no->v[k], false, res);
	}
	mg_fscan_free(fs);
}

static size_t count_list(const struct mg_policy *p, enum mg_list l)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nrules; i++)
		n += p->rules[i].lists[l].n;
	return n;
}

static const struct {
	const char *key;
	enum mg_list list;
} summary_lists[] = {
	{ "names", MG_LIST_NAMES },
	{ "name_prefixes", MG_LIST_PREFIXES },
	{ "name_suffixes", MG_LIST_SUFFIXES },
	{ "paths", MG_LIST_PATHS },
	{ "dirs", MG_LIST_DIRS },
	{ "dir_names", MG_LIST_DIRNAMES },
	{ "sha256", MG_LIST_SHA256 },
	{ "except_paths", MG_LIST_EXC_PATHS },
	{ "except_dirs", MG_LIST_EXC_DIRS },
	{ "except_executables", MG_LIST_EXC_EXES },
};
#define NSUMMARY (sizeof(summary_lists) / sizeof(summary_lists[0]))

static void print_summary(const struct mg_image *img, const struct check_result *r,
			  double secs, int json)
{
	const struct mg_policy *p = img->policy;

	if (json) {
		static char buf[1 << 16];
		struct mg_json j;

		mg_json_init(&j, buf, sizeof(buf));
		mg_json_obj_begin(&j, NULL);
		mg_json_bool(&j, "ok", r->failed == 0);
		mg_json_u64(&j, "rules", p->nrules);
		mg_json_obj_begin(&j, "signatures");
		for (size_t i = 0; i < NSUMMARY; i++)
			mg_json_u64(&j, summary_lists[i].key, count_list(p, summary_lists[i].list));
		mg_json_u64(&j, "content", img->ncontent);
		mg_json_obj_end(&j);
		mg_json_u64(&j, "kernel_entries", img->nentries);
		mg_json_obj_begin(&j, "expectations");
		mg_json_u64(&j, "passed", r->passed);
		mg_json_u64(&j, "failed", r->failed);
		mg_json_obj_end(&j);
		mg_json_arr_begin(&j, "files");
		for (size_t i = 0; i < p->nfiles; i++)
			mg_json_str(&j, NULL, p->files[i]);
		mg_json_arr_end(&j);
		mg_json_str(&j, "sha256", p->sha256);
		mg_json_u64(&j, "compile_us", (uint64_t)(secs * 1e6));
		mg_json_obj_end(&j);
		if (mg_json_finish(&j) >= 0)
			puts(buf);
		return;
	}
	printf("policy %s: %zu rules from %zu files\n", p->sha256, p->nrules, p->nfiles);
	for (size_t i = 0; i < NSUMMARY; i++)
		printf("  %-19s %zu\n", summary_lists[i].key, count_list(p, summary_lists[i].list));
	printf("  %-19s %zu\n", "content", img->ncontent);
	printf("  %-19s %zu\n", "kernel entries", img->nentries);
	printf("expectations: %zu passed, %zu failed\n", r->passed, r->failed);
	printf("compiled in %.3f s\n", secs);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int mg_cmd_check(int argc, char **argv)
{
	struct policy_cli o;
	struct check_result r = { 0 };
	struct mg_policy *pol = NULL;
	struct mg_image *img = NULL;
	struct mg_content_engine *engine = NULL;
	char err[256];
	int rc;
	double t0;

	rc = parse_policy_cli("check", "[--policy PATH]... [--json]", argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind < argc || o.match_only) {
		fprintf(stderr, "minerguard check: unexpected argument '%s'\n",
			o.match_only ? o.match_only : argv[optind]);
		free(o.pl.v);
		return MG_EXIT_USAGE;
	}
	t0 = now_s();
	rc = mg_load_compiled(&o.pl, o.lua_dir, &pol, &img);
	free(o.pl.v);
	if (rc)
		return rc;
	run_expectations(img, &r);
	if (mg_content_build(img, &engine, err, sizeof(err)) == 0) {
		run_content_expectations(img, engine, &r);
		mg_content_free(engine);
	} else {
		fprintf(stderr, "minerguard check: %s\n", err);
		r.failed++;
	}
	print_summary(img, &r, now_s() - t0, o.json);
	mg_image_free(img);
	mg_policy_free(pol);
	return r.failed ? MG_EXIT_ERROR : MG_EXIT_OK;
}

static void print_match(const char *path, const struct mg_match *m, int json)
{
	if (json) {
		static char buf[4 * MG_PATH_MAX + 4096];
		struct mg_json j;

		mg_json_init(&j, buf, sizeof(buf));
		mg_json_obj_begin(&j, NULL);
		mg_json_str(&j, "path", path);
		mg_json_bool(&j, "match", m->matched);
		if (m->matched) {
			mg_json_str(&j, "rule", m->def->name);
			mg_json_str(&j, "action", m->action == MG_ACTION_BLOCK ? "block" : "audit");
			mg_json_obj_begin(&j, "signature");
			mg_json_str(&j, "kind", mg_kind_name(m->kind));
			mg_json_str(&j, "value", m->sig->str);
			mg_json_obj_end(&j);
		} else {
			mg_json_null(&j, "rule");
			mg_json_null(&j, "action");
			mg_json_null(&j, "signature");
		}
		mg_json_obj_end(&j);
		if (mg_json_finish(&j) >= 0) {
			fputs(buf, stdout);
			fputc('\n', stdout);
		}
		return;
	}
	if (m->matched)
		printf("%s\tmatch\t%s\t%s\t%s\t%s\n", path, m->def->name,
		       m->action == MG_ACTION_BLOCK ? "block" : "audit", mg_kind_name(m->kind),
		       m->sig->str);
	else
		printf("%s\tno-match\n", path);
}

int mg_cmd_match(int argc, char **argv)
{
	struct policy_cli o;
	struct mg_policy *pol = NULL;
	struct mg_image *img = NULL;
	size_t n = 0, hits = 0;
	int rc;
	double t0;

	rc = parse_policy_cli("match", "[--policy PATH]... [--json] [--hook HOOK] [--exe PATH] [PATH...]",
			      argc, argv, &o);
	if (rc >= 0)
		return rc;
	rc = mg_load_compiled(&o.pl, o.lua_dir, &pol, &img);
	free(o.pl.v);
	if (rc)
		return rc;

	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	t0 = now_s();
	if (optind < argc) {
		for (int i = optind; i < argc; i++, n++) {
			struct mg_match m;

			mg_match_path(img, argv[i], o.exe, o.hook, &m);
			hits += m.matched;
			print_match(argv[i], &m, o.json);
		}
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;

		while ((len = getline(&line, &cap, stdin)) > 0) {
			struct mg_match m;

			if (line[len - 1] == '\n')
				line[--len] = '\0';
			mg_match_path(img, line, o.exe, o.hook, &m);
			hits += m.matched;
			print_match(line, &m, o.json);
			n++;
		}
		free(line);
		double secs = now_s() - t0;
		fflush(stdout);
		fprintf(stderr, "minerguard match: %zu paths, %zu matched, %.2f s, %.0f paths/s\n",
			n, hits, secs, secs > 0 ? (double)n / secs : 0.0);
	}
	fflush(stdout);
	mg_image_free(img);
	mg_policy_free(pol);
	return MG_EXIT_OK;
}
