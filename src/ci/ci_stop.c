// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `minerguard ci stop`: ends enforcement (`minerguard unload`: nothing
 * stays attached after the job), reads the decision log and the scans,
 * and reports: annotations on stdout, the Markdown summary, SARIF and
 * GitLab code quality for what lies inside the workspace, and an exit
 * status by --fail-on.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "annotations.h"
#include "ci.h"
#include "codequality.h"
#include "exitcodes.h"
#include "failon.h"
#include "report.h"
#include "sarif.h"
#include "scans.h"
#include "spawn.h"
#include "state.h"
#include "summary.h"
#include "workspace.h"

#define MAX_PATHS 64
#define MG_VERSION_STRING "0.1.0"

struct stop_opts {
	enum mg_fail_on fail_on;
	const char *summary, *sarif, *codequality, *outputs, *state, *workspace;
	const char *scans[MAX_PATHS];
	size_t nscans;
	int github;
};

static const char stop_usage[] =
	"usage: minerguard ci stop [--fail-on never|block|audit|any] [--summary FILE] "
	"[--sarif FILE] [--codequality FILE] [--scan PATH]... [--state DIR] [--workspace DIR] "
	"[--outputs FILE] [--github]\n";

static int parse_stop(int argc, char **argv, struct stop_opts *o)
{
	static const struct option opts[] = {
		{ "fail-on", required_argument, NULL, 'f' },
		{ "summary", required_argument, NULL, 'm' },
		{ "sarif", required_argument, NULL, 'r' },
		{ "codequality", required_argument, NULL, 'q' },
		{ "outputs", required_argument, NULL, 'o' },
		{ "scan", required_argument, NULL, 's' },
		{ "state", required_argument, NULL, 'S' },
		{ "workspace", required_argument, NULL, 'w' },
		{ "github", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->fail_on = MG_FAIL_BLOCK;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (mg_fail_on_parse(optarg, &o->fail_on)) {
				fprintf(stderr, "minerguard ci stop: unknown --fail-on '%s' (never, block, "
						"audit or any)\n", optarg);
				return MG_EXIT_USAGE;
			}
			break;
		case 'm': o->summary = optarg; break;
		case 'r': o->sarif = optarg; break;
		case 'q': o->codequality = optarg; break;
		case 'o': o->outputs = optarg; break;
		case 'S': o->state = optarg; break;
		case 'w': o->workspace = optarg; break;
		case 'g': o->github = 1; break;
		case 's':
			if (o->nscans == MAX_PATHS) {
				fprintf(stderr, "minerguard ci stop: more than %d --scan paths\n", MAX_PATHS);
				return MG_EXIT_USAGE;
			}
			o->scans[o->nscans++] = optarg;
			break;
		case 'h':
			fputs(stop_usage, stdout);
			return -1;
		default:
			fprintf(stderr, "minerguard ci stop: unknown option or missing argument '%s'; %s",
				argv[optind - 1], stop_usage);
			return MG_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "minerguard ci stop: unexpected argument '%s'\n", argv[optind]);
		return MG_EXIT_USAGE;
	}
	return 0;
}

/* Runs a subcommand of ours; its status, with the last stderr line. */
static int run_self(const char *const *args, int timeout_s, char **last)
{
	struct mg_ci_proc p;
	int status;

	*last = NULL;
	if (mg_ci_exec(args, NULL, timeout_s, &p))
		return -1;
	status = p.status;
	*last = mg_ci_last_line(p.err);
	mg_ci_proc_free(&p);
	return status;
}

/* unload, then wait for the daemon's exit (its last lines reach the log),
 * then make sure `status` finds nothing attached. 0, or -1 after one
 * line on stderr. */
static int stop_daemon(const char *dir, const struct mg_kv *kv)
{
	static const char *const unload[] = { "unload", NULL }, *const status[] = { "status", NULL };
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	char *exitp = mg_ci_path(dir, MG_CI_EXIT_FILE), *last = NULL;
	int rc, st, i, ended_before;

	if (!exitp)
		return -1;
	ended_before = !mg_ci_exit_status(exitp, &st);
	if (ended_before)
		mg_ci_note(dir, "the daemon (pid %s) ended during the job with status %d: the pinned "
			   "programs went on enforcing, decisions after that were not logged",
			   mg_kv_get(kv, "pid") ? mg_kv_get(kv, "pid") : "?", st);
	rc = run_self(unload, 60, &last);
	if (rc != MG_EXIT_OK && rc != MG_EXIT_NOT_RUNNING) {
		fprintf(stderr, "minerguard ci stop: unload failed (exit %d): %s\n", rc,
			last ? last : "no message");
		free(last);
		free(exitp);
		return -1;
	}
	free(last);
	for (i = 0; i < 200 && mg_ci_exit_status(exitp, &st); i++)
		nanosleep(&pause, NULL);
	free(exitp);
	rc = run_self(status, 30, &last);
	free(last);
	if (rc != MG_EXIT_NOT_RUNNING) {
		fprintf(stderr, "minerguard ci stop: minerguard is still attached after unload "
				"(status exit %d)\n", rc);
		return -1;
	}
	return 0;
}

/* The decision log and every scan the state lists, into r. */
static void read_all(const char *dir, const struct mg_kv *kv, struct mg_ci_report *r)
{
	char *log = mg_ci_path(dir, MG_CI_LOG_FILE), key[48];
	const char *n = mg_kv_get(kv, "scans");

	if (log && mg_ci_report_read(r, log, NULL) && errno != ENOENT)
		mg_ci_note(dir, "reading %s: %s", log, strerror(errno));
	free(log);
	for (int i = 1; n && i <= atoi(n); i++) {
		const char *root, *file;

		snprintf(key, sizeof(key), "scan.%d.root", i);
		root = mg_kv_get(kv, key);
		snprintf(key, sizeof(key), "scan.%d.file", i);
		file = mg_kv_get(kv, key);
		if (root && file && mg_ci_report_read(r, file, root))
			mg_ci_note(dir, "reading %s: %s", file, strerror(errno));
	}
	mg_ci_report_sort(r);
}

/* Repository-relative path of w, or NULL outside the workspace. The
 * workspace is tried as given and resolved: the kernel reports resolved
 * paths, and $GITHUB_WORKSPACE may lie under a symlink. */
static char *relative_path(const char *root, const char *real_root, const char *path)
{
	char cwd[4096], *rel;

	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	rel = mg_ws_relative(root, path, cwd);
	if (!rel && real_root)
		rel = mg_ws_relative(real_root, path, cwd);
	return rel;
}

static char *describe(const struct mg_ci_row *w)
{
	char *s = NULL;
	int n;

	if (w->verdict == MG_CI_V_FOUND)
		n = asprintf(&s, "%s: found by minerguard scan (rule %s%s%s%s%s)", w->path, w->rule,
			     w->signature ? ", " : "", w->signature ? w->signature : "",
			     w->sha256 ? ", sha256 " : "", w->sha256 ? w->sha256 : "");
	else
		n = asprintf(&s, "%s: %s %llu time%s%s (rule %s%s%s, hook %s), first by %s pid %lld "
			     "(parent %lld)%s%s%s%s", w->path, mg_ci_verdict_name(w->verdict),
			     w->count, w->count == 1 ? "" : "s",
			     w->verdict == MG_CI_V_AUDIT && w->blocks ? ", would have been blocked" : "",
			     w->rule, w->signature ? ", " : "", w->signature ? w->signature : "",
			     w->hook ? w->hook : "?", w->process ? w->process : "?", w->pid, w->ppid,
			     /* which step did it, where the environment told */
			     w->step ? " in step " : "", w->step ? w->step : "",
			     w->job ? (w->step ? " of job " : " in job ") : "", w->job ? w->job : "");
	return n < 0 ? NULL : s;
}

struct outputs {
	struct mg_report_finding *f;
	char **owned;      /* strings the findings point to */
	size_t n, nowned;
};

static void outputs_free(struct outputs *o)
{
	for (size_t i = 0; i < o->nowned; i++)
		free(o->owned[i]);
	free(o->owned);
	free(o->f);
}

/* Annotations for every row (at most 10 shown), findings for the rows
 * inside the workspace. */
static int collect(const struct mg_ci_report *r, const char *root, int github,
		   struct mg_annotator *an, struct outputs *o)
{
	char *real_root = root ? realpath(root, NULL) : NULL;

	memset(o, 0, sizeof(*o));
	o->f = calloc(r->nrows ? r->nrows : 1, sizeof(*o->f));
	o->owned = calloc(2 * r->nrows + 1, sizeof(*o->owned));
	if (!o->f || !o->owned) {
		free(real_root);
		return -1;
	}
	for (size_t i = 0; i < r->nrows; i++) {
		const struct mg_ci_row *w = &r->rows[i];
		char *rel = root ? relative_path(root, real_root, w->path) : NULL, *msg = describe(w);
		char title[160];

		if (!msg) {
			free(rel);
			continue;
		}
		o->owned[o->nowned++] = msg;
		snprintf(title, sizeof(title), "minerguard: %s %s", mg_ci_verdict_name(w->verdict),
			 w->rule);
		if (github) {
			struct mg_annotation a = { .error = w->blocks, .file = rel, .line = 1,
						   .title = title, .message = msg };

			mg_annotate(an, &a);
		}
		if (!rel)
			continue;
		o->owned[o->nowned++] = rel;
		o->f[o->n++] = (struct mg_report_finding){
			.rule_id = w->rule, .message = msg, .path = rel, .line = 1,
			.level = w->blocks ? MG_REPORT_ERROR : MG_REPORT_WARNING,
		};
	}
	free(real_root);
	return 0;
}

static int write_file(const char *path, const char *what,
		      int (*fn)(FILE *, const struct outputs *), const struct outputs *o)
{
	FILE *f = fopen(path, "we");

	if (!f || fn(f, o) || fclose(f)) {
		fprintf(stderr, "minerguard ci stop: writing %s %s: %s\n", what, path,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int sarif_fn(FILE *f, const struct outputs *o)
{
	struct mg_sarif_tool tool = { .name = "minerguard", .version = MG_VERSION_STRING };

	return mg_sarif_write(f, &tool, o->f, o->n);
}

static int codequality_fn(FILE *f, const struct outputs *o)
{
	return mg_codequality_write(f, o->f, o->n);
}

/* GitHub wants the summary appended; without a file it goes to stdout
 * (the job log). */
static int write_summary(const char *path, const char *text, size_t len)
{
	FILE *f = path ? fopen(path, "ae") : stdout;

	if (!f || fwrite(text, 1, len, f) != len || (path ? fclose(f) : fflush(f))) {
		fprintf(stderr, "minerguard ci stop: writing the summary to %s: %s\n",
			path ? path : "stdout", strerror(errno));
		return -1;
	}
	return 0;
}

static long long number(const char *s)
{
	return s && *s ? strtoll(s, NULL, 10) : -1;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

int mg_ci_stop(int argc, char **argv)
{
	struct stop_opts o;
	struct mg_kv kv = { 0 };
	struct mg_ci_report r;
	struct mg_ci_meta m = { 0 };
	struct mg_annotator an;
	struct outputs out = { 0 };
	char *dir, *state = NULL, *root = NULL, *text = NULL, *log = NULL, **notes = NULL;
	const char *status, *summary_path;
	size_t nnotes = 0, len = 0, failing = 0;
	int rc, errors = 0, github;
	unsigned long long blocked = 0, audited = 0, found = 0;

	rc = parse_stop(argc, argv, &o);
	if (rc)
		return rc < 0 ? MG_EXIT_OK : rc;
	github = mg_ci_github(o.github);
	mg_ci_report_init(&r);
	dir = mg_ci_state_dir(o.state);
	state = dir ? mg_ci_path(dir, MG_CI_STATE_FILE) : NULL;
	if (!state || mg_kv_load(&kv, state)) {
		fprintf(stderr, "minerguard ci stop: no state in %s (%s): did `minerguard ci start` "
				"run with the same --state?\n", dir ? dir : "?", strerror(errno));
		free(dir);
		free(state);
		return MG_EXIT_ERROR;
	}
	status = mg_kv_get(&kv, "status");
	m.monitored = status && (!strcmp(status, "monitoring") || !strcmp(status, "stopped"));
	if (status && !strcmp(status, "monitoring") && stop_daemon(dir, &kv))
		errors++;
	mg_ci_run_scans(dir, &kv, o.scans, o.nscans);

	read_all(dir, &kv, &r);
	notes = mg_ci_notes(dir, &nnotes);
	log = mg_ci_path(dir, MG_CI_LOG_FILE);
	root = mg_ws_root(o.workspace);
	mg_annotator_init(&an, stdout, MG_CI_MAX_ANNOTATIONS);
	if (collect(&r, root, github, &an, &out)) {
		fprintf(stderr, "minerguard ci stop: out of memory\n");
		errors++;
	}
	failing = mg_fail_on_count(&r, o.fail_on);

	m.reason = or_null(mg_kv_get(&kv, "reason"));
	m.start_failed = !status || !strcmp(status, "failed");
	m.mode = or_null(mg_kv_get(&kv, "mode"));
	if (!m.mode) /* never attached: what was asked for */
		m.mode = or_null(mg_kv_get(&kv, "requested_mode"));
	m.backend = or_null(mg_kv_get(&kv, "backend"));
	m.policy_version = or_null(mg_kv_get(&kv, "policy_version"));
	m.policy_sha256 = or_null(mg_kv_get(&kv, "policy_sha256"));
	m.rules = number(mg_kv_get(&kv, "rules"));
	m.notes = (const char *const *)notes;
	m.nnotes = nnotes;
	m.annotations_dropped = an.dropped;
	m.fail_on = mg_fail_on_name(o.fail_on);
	m.failing = failing > 0;
	m.log_path = log;
	text = mg_ci_summary(&r, &m, MG_CI_SUMMARY_MAX, &len);
	summary_path = o.summary ? o.summary : or_null(getenv("GITHUB_STEP_SUMMARY"));
	if (!text || write_summary(summary_path, text, len))
		errors++;
	if (o.sarif && write_file(o.sarif, "SARIF", sarif_fn, &out))
		errors++;
	if (o.codequality && write_file(o.codequality, "code quality report", codequality_fn, &out))
		errors++;

	for (size_t i = 0; i < r.nrows; i++) {
		unsigned long long c = r.rows[i].count;

		*(r.rows[i].verdict == MG_CI_V_BLOCK ? &blocked
		  : r.rows[i].verdict == MG_CI_V_AUDIT ? &audited : &found) += c;
	}
	if (o.outputs) {
		FILE *f = fopen(o.outputs, "we");

		if (!f || fprintf(f, "findings=%zu\nblocked=%llu\naudited=%llu\nfound=%llu\n"
				  "failing=%zu\nmonitored=%s\nsummary=%s\n", r.nrows, blocked, audited,
				  found, failing, m.monitored ? "true" : "false",
				  summary_path ? summary_path : "") < 0 || fclose(f)) {
			fprintf(stderr, "minerguard ci stop: writing %s: %s\n", o.outputs,
				strerror(errno));
			errors++;
		}
	}
	if (m.monitored)
		mg_kv_set(&kv, "status", "stopped");
	mg_kv_save(&kv, state);
	fprintf(stderr, "minerguard ci: %s; %llu blocked, %llu audited, %llu found by scans; "
			"--fail-on %s: %s\n",
		m.monitored ? "monitored" : "not monitored", blocked, audited, found,
		m.fail_on, failing ? "failing the job" : "passing");

	outputs_free(&out);
	mg_ci_notes_free(notes, nnotes);
	mg_ci_report_free(&r);
	mg_kv_free(&kv);
	free(text);
	free(log);
	free(root);
	free(state);
	free(dir);
	if (errors)
		return MG_EXIT_ERROR;
	return failing ? MG_EXIT_FINDINGS : MG_EXIT_OK;
}
