// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `minerguard ci start`: runs `minerguard run` detached for the rest of
 * the job, waits until `status` says it enforces, and records what `ci
 * stop` needs in the state directory. A kernel that cannot host
 * minerguard (run exits 3, 5 or 6) is a warning, not a failed job: the
 * state says "not monitored" and `ci stop` reports that.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ci.h"
#include "exitcodes.h"
#include "jsonl.h"
#include "scans.h"
#include "spawn.h"
#include "state.h"
#include "workspace.h"

#define MAX_PATHS 64

struct start_opts {
	const char *mode;
	const char *policies[MAX_PATHS];
	size_t npolicies;
	const char *scans[MAX_PATHS];
	size_t nscans;
	const char *state;
	int timeout_s;
	int github;
};

enum outcome { ENFORCING, NOT_HOSTABLE, FAILED };

int mg_ci_github(int flag)
{
	const char *e = getenv("GITHUB_ACTIONS");

	return flag || (e && !strcmp(e, "true"));
}

static const char start_usage[] =
	"usage: minerguard ci start [--mode audit|enforce] [--policy PATH]... [--scan PATH]... "
	"[--state DIR] [--timeout SECONDS] [--github]\n";

static int add_path(const char **v, size_t *n, const char *p)
{
	if (*n == MAX_PATHS) {
		fprintf(stderr, "minerguard ci start: more than %d paths\n", MAX_PATHS);
		return -1;
	}
	v[(*n)++] = p;
	return 0;
}

static int parse_start(int argc, char **argv, struct start_opts *o)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "policy", required_argument, NULL, 'p' },
		{ "scan", required_argument, NULL, 's' },
		{ "state", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 't' },
		{ "github", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = "audit";
	o->timeout_s = 120;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (strcmp(optarg, "audit") && strcmp(optarg, "enforce")) {
				fprintf(stderr, "minerguard ci start: unknown mode '%s' (audit or enforce)\n",
					optarg);
				return MG_EXIT_USAGE;
			}
			o->mode = optarg;
			break;
		case 'p':
			if (add_path(o->policies, &o->npolicies, optarg))
				return MG_EXIT_USAGE;
			break;
		case 's':
			if (add_path(o->scans, &o->nscans, optarg))
				return MG_EXIT_USAGE;
			break;
		case 'S':
			o->state = optarg;
			break;
		case 't':
			o->timeout_s = (int)strtol(optarg, &end, 10);
			if (*end || o->timeout_s < 1 || o->timeout_s > 3600) {
				fprintf(stderr, "minerguard ci start: --timeout takes 1..3600 seconds\n");
				return MG_EXIT_USAGE;
			}
			break;
		case 'g':
			o->github = 1;
			break;
		case 'h':
			fputs(start_usage, stdout);
			return -1;
		default:
			fprintf(stderr, "minerguard ci start: unknown option or missing argument '%s'; %s",
				argv[optind - 1], start_usage);
			return MG_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "minerguard ci start: unexpected argument '%s'\n", argv[optind]);
		return MG_EXIT_USAGE;
	}
	return 0;
}

/* A path the daemon (cwd "/") reads the same as we do. */
static char *absolute(const char *p)
{
	char cwd[4096];

	return mg_ws_normalize(p, getcwd(cwd, sizeof(cwd)) ? cwd : "/");
}

/* A state directory whose daemon still runs belongs to an earlier start. */
static int refuse_second_start(const char *dir)
{
	char *path = mg_ci_path(dir, MG_CI_STATE_FILE), *exitp = mg_ci_path(dir, MG_CI_EXIT_FILE);
	struct mg_kv kv;
	const char *st;
	int status, busy = 0;

	if (path && !mg_kv_load(&kv, path)) {
		st = mg_kv_get(&kv, "status");
		busy = st && !strcmp(st, "monitoring") && exitp && mg_ci_exit_status(exitp, &status);
		mg_kv_free(&kv);
	}
	free(path);
	free(exitp);
	if (busy)
		fprintf(stderr, "minerguard ci start: %s belongs to a job that is still monitored; "
				"run `minerguard ci stop --state %s` first\n", dir, dir);
	return busy;
}

/* A state directory used before (a self-hosted runner, a rerun) must not
 * bring the earlier job's decisions, scans or notes into this report. */
static void forget_previous_job(const char *dir)
{
	static const char *const files[] = { MG_CI_LOG_FILE, MG_CI_NOTES_FILE, MG_CI_ERR_FILE,
					     MG_CI_EXIT_FILE, MG_CI_STATE_FILE };
	char *state = mg_ci_path(dir, MG_CI_STATE_FILE), *p, key[48];
	struct mg_kv kv;

	if (state && !mg_kv_load(&kv, state)) {
		const char *n = mg_kv_get(&kv, "scans");

		for (int i = 1; n && i <= atoi(n); i++) {
			const char *f;

			snprintf(key, sizeof(key), "scan.%d.file", i);
			f = mg_kv_get(&kv, key);
			if (f)
				unlink(f);
		}
		mg_kv_free(&kv);
	}
	free(state);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		p = mg_ci_path(dir, files[i]);
		if (p)
			unlink(p);
		free(p);
	}
}

static int start_daemon(const struct start_opts *o, const char *dir, pid_t *pid)
{
	const char *args[8 + 2 * MAX_PATHS];
	char *abs[MAX_PATHS] = { 0 }, *log = mg_ci_path(dir, MG_CI_LOG_FILE);
	char *errp = mg_ci_path(dir, MG_CI_ERR_FILE), *exitp = mg_ci_path(dir, MG_CI_EXIT_FILE);
	char err[512];
	size_t n = 0, i;
	int rc = -1;

	if (!log || !errp || !exitp)
		goto out;
	args[n++] = "run";
	args[n++] = "--mode";
	args[n++] = o->mode;
	args[n++] = "--log";
	args[n++] = log;
	for (i = 0; i < o->npolicies; i++) {
		if (!(abs[i] = absolute(o->policies[i])))
			goto out;
		args[n++] = "--policy";
		args[n++] = abs[i];
	}
	args[n] = NULL;
	unlink(errp);
	if (mg_ci_spawn_detached(args, errp, exitp, pid, err, sizeof(err))) {
		fprintf(stderr, "minerguard ci start: %s\n", err);
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < o->npolicies; i++)
		free(abs[i]);
	free(log);
	free(errp);
	free(exitp);
	return rc;
}

/* The backend's self-test, where this build reports one: 1 passed (or no
 * self-test reported), 0 failed. */
static int self_test_ok(const struct mg_jv *st)
{
	const struct mg_jv *t = mg_jv_get(st, "self_test");

	if (!t)
		t = mg_jv_get(st, "daemon.self_test");
	if (!t)
		return 1;
	if (t->type == MG_J_BOOL)
		return t->b;
	if (t->type == MG_J_STR)
		return !strcmp(t->s, "passed") || !strcmp(t->s, "ok");
	if (t->type == MG_J_OBJ)
		return mg_jv_true(t, "ok") || mg_jv_true(t, "passed");
	return 0;
}

/* `status --json` while our daemon runs: NULL until it enforces. */
static struct mg_jv *status_if_ours(pid_t pid)
{
	static const char *const args[] = { "status", "--json", NULL };
	struct mg_ci_proc p;
	struct mg_jv *st = NULL;
	long long dpid = -1;
	char err[128];

	if (mg_ci_exec(args, NULL, 30, &p))
		return NULL;
	if (p.status == 0)
		st = mg_jv_parse(p.out, p.outlen, err, sizeof(err));
	mg_ci_proc_free(&p);
	if (st && (!mg_jv_true(st, "running") || !mg_jv_true(st, "daemon_alive") ||
		   mg_jv_int(st, "daemon.pid", &dpid) || dpid != pid)) {
		mg_jv_free(st);
		st = NULL;
	}
	return st;
}

static char *daemon_error(const char *dir)
{
	char *errp = mg_ci_path(dir, MG_CI_ERR_FILE), *text = NULL, *line;
	FILE *f = errp ? fopen(errp, "re") : NULL;
	size_t n = 0;

	if (f) {
		text = calloc(1, 65537);
		if (text)
			n = fread(text, 1, 65536, f);
		fclose(f);
		(void)n;
	}
	free(errp);
	line = mg_ci_last_line(text);
	free(text);
	return line;
}

static void unload_quietly(void)
{
	static const char *const args[] = { "unload", NULL };
	struct mg_ci_proc p;

	if (!mg_ci_exec(args, NULL, 60, &p))
		mg_ci_proc_free(&p);
}

/* Polls until the daemon enforces, exits, or the time is up. */
static enum outcome wait_enforcing(const char *dir, pid_t pid, int timeout_s, struct mg_jv **st,
				   int *status, char **reason)
{
	struct timespec pause = { 0, 250 * 1000 * 1000 };
	char *exitp = mg_ci_path(dir, MG_CI_EXIT_FILE), buf[256];
	time_t deadline = time(NULL) + timeout_s;
	enum outcome out = FAILED;

	*st = NULL;
	*reason = NULL;
	*status = MG_EXIT_ERROR;
	while (exitp) {
		if (!mg_ci_exit_status(exitp, status)) {
			char *why = daemon_error(dir);

			snprintf(buf, sizeof(buf), "minerguard run exited with status %d", *status);
			*reason = why ? why : strdup(buf);
			out = *status == MG_EXIT_NO_BPF_LSM || *status == MG_EXIT_NO_BTF ||
			      *status == MG_EXIT_OLD_KERNEL ? NOT_HOSTABLE : FAILED;
			if (*status == 0)
				*status = MG_EXIT_ERROR; /* it must not end on its own */
			break;
		}
		*st = status_if_ours(pid);
		if (*st) {
			if (self_test_ok(*st)) {
				out = ENFORCING;
				break;
			}
			/* attached but its hooks never run (an LSM left out of lsm=) */
			*reason = strdup("the backend attached but failed its self-test");
			mg_jv_free(*st);
			*st = NULL;
			unload_quietly();
			out = NOT_HOSTABLE;
			break;
		}
		if (time(NULL) >= deadline) {
			snprintf(buf, sizeof(buf), "not enforcing after %d s (BPF verification under "
				 "emulation is slow: see --timeout)", timeout_s);
			*reason = strdup(buf);
			unload_quietly();
			break;
		}
		nanosleep(&pause, NULL);
	}
	free(exitp);
	return out;
}

static const char *str_or(const struct mg_jv *st, const char *a, const char *b)
{
	const char *s = mg_jv_str(st, a);

	return s ? s : mg_jv_str(st, b);
}

static void record_enforcing(struct mg_kv *kv, const struct mg_jv *st, pid_t pid)
{
	long long n;

	mg_kv_set(kv, "status", "monitoring");
	mg_kv_setf(kv, "pid", "%d", (int)pid);
	mg_kv_set(kv, "mode", mg_jv_str(st, "mode"));
	/* "backend" comes with the fmod_ret work; older builds have only LSM */
	mg_kv_set(kv, "backend", str_or(st, "backend", "daemon.backend"));
	if (!mg_jv_int(st, "daemon.policy.version", &n))
		mg_kv_setf(kv, "policy_version", "%lld", n);
	mg_kv_set(kv, "policy_sha256", mg_jv_str(st, "daemon.policy.sha256"));
	if (!mg_jv_int(st, "daemon.policy.rules", &n))
		mg_kv_setf(kv, "rules", "%lld", n);
}

static void warn(int github, const char *fmt, const char *reason)
{
	if (github) {
		printf("::warning title=minerguard::");
		printf(fmt, reason);
		printf("\n");
		fflush(stdout);
	} else {
		fprintf(stderr, "minerguard ci start: warning: ");
		fprintf(stderr, fmt, reason);
		fprintf(stderr, "\n");
	}
}

int mg_ci_start(int argc, char **argv)
{
	struct start_opts o;
	struct mg_jv *st = NULL;
	struct mg_kv kv = { 0 };
	char *dir = NULL, *state = NULL, *reason = NULL, err[512];
	int rc, status;
	enum outcome out;
	pid_t pid;

	rc = parse_start(argc, argv, &o);
	if (rc)
		return rc < 0 ? MG_EXIT_OK : rc;
	dir = mg_ci_state_dir(o.state);
	if (!dir || mg_ci_state_prepare(dir, err, sizeof(err))) {
		fprintf(stderr, "minerguard ci start: %s\n", dir ? err : "out of memory");
		free(dir);
		return MG_EXIT_ERROR;
	}
	if (refuse_second_start(dir)) {
		free(dir);
		return MG_EXIT_ERROR;
	}
	state = mg_ci_path(dir, MG_CI_STATE_FILE);
	forget_previous_job(dir);
	mg_kv_setf(&kv, "started", "%lld", (long long)time(NULL));
	mg_kv_set(&kv, "requested_mode", o.mode);
	rc = MG_EXIT_ERROR;
	if (start_daemon(&o, dir, &pid))
		goto save;
	out = wait_enforcing(dir, pid, o.timeout_s, &st, &status, &reason);
	if (out == ENFORCING) {
		record_enforcing(&kv, st, pid);
		printf("minerguard ci: %s mode, backend %s, decisions logged to %s/%s\n",
		       mg_kv_get(&kv, "mode"),
		       *mg_kv_get(&kv, "backend") ? mg_kv_get(&kv, "backend") : "not reported", dir,
		       MG_CI_LOG_FILE);
		rc = MG_EXIT_OK;
	} else if (out == NOT_HOSTABLE) {
		mg_kv_set(&kv, "status", "not-monitored");
		mg_kv_set(&kv, "reason", reason);
		warn(mg_ci_github(o.github), "minerguard: not monitored: %s", reason);
		rc = MG_EXIT_OK;
	} else {
		mg_kv_set(&kv, "status", "failed");
		mg_kv_set(&kv, "reason", reason);
		fprintf(stderr, "minerguard ci start: %s\n", reason ? reason : "failed");
		rc = status;
	}
	if (rc == MG_EXIT_OK)
		mg_ci_run_scans(dir, &kv, o.scans, o.nscans);
save:
	if (!state || mg_kv_save(&kv, state)) {
		fprintf(stderr, "minerguard ci start: writing %s: %s\n", state ? state : dir,
			strerror(errno));
		rc = MG_EXIT_ERROR;
	}
	mg_jv_free(st);
	mg_kv_free(&kv);
	free(reason);
	free(state);
	free(dir);
	return rc;
}
