// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `minerguard run`: check the kernel, compile the policy, load (adopting
 * the pins of an earlier instance), attach, pin, then turn ring-buffer
 * decisions into JSON lines until SIGTERM/SIGINT. Enforcement lives in the
 * pinned links and outlives this process; `minerguard unload` ends it. */
#include "daemon.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "content_watch.h"
#include "control.h"
#include "dedup.h"
#include "enrich.h"
#include "event_json.h"
#include "exitcodes.h"
#include "image.h"
#include "backend.h"
#include "kcheck.h"
#include "integrity.h"
#include "protect.h"
#include "loader.h"
#include "lockfile.h"
#include "logfile.h"
#include "metrics.h"
#include "notify.h"
#include "paths.h"
#include "policy.h"
#include "vcache.h"
#include "selftest.h"
#include "status_file.h"

#define MG_DEDUP_MAX_KEYS 4096
#define MG_TICK_MS 200
#define MG_STATUS_EVERY_MS 1000
/* A policy error: a path of up to PATH_MAX and its message, never cut. */
#define MG_ERR_MAX (2 * PATH_MAX)

static volatile sig_atomic_t reload_requested, reopen_requested;
/* int, not sig_atomic_t (also int on Linux): the policy compiler watches it
 * (mg_policy_set_cancel_flag) to give up a compile when we must stop */
static volatile int stop_requested;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_requested = 1;
	else if (sig == SIGUSR1)
		reopen_requested = 1;
	else
		stop_requested = 1;
}

struct daemon {
	const struct mg_run_opts *opts;
	struct mg_loader *ld;
	int control_fd;  /* listening control socket (control.h), -1 none */
	/* Policy installed in each generation slot: events name their slot,
	 * so the previous one stays until the slot is reused. */
	struct mg_policy *pol[2];
	struct mg_image *img[2];
	int active;      /* slot in force */
	int exe_in_kernel;
	int adopted;
	int backend;     /* enum mg_backend that enforces */
	struct mg_cwatch *cw; /* content scanning, NULL when the policy has none */
	const char *roots[64];
	size_t nroots;
	char *roots_buf;
	unsigned long long last_selftest_ms;
	int mode;        /* as last seen in the state map */
	time_t started;
	FILE *out;
	struct mg_event_ctx ectx;
	char hostname[256];
	char *line;      /* one JSON line, grown by mg_event_format_grow */
	size_t linecap;
	struct mg_event fixed; /* copy when userspace has to fill a field */
	struct mg_enrich enrich;
	struct mg_dedup *dedup;

	/* decisions per rule, by rule name across reloads */
	struct mg_rule_count *counts;
	size_t ncounts, capcounts;
	size_t *count_of[2]; /* per slot: rule index -> entry of counts */
	size_t unknown_rule; /* entry for decisions of a policy we never saw */

	/* rate limit of decision lines (token bucket, per second) */
	double tokens;
	unsigned long long bucket_ms;
	unsigned long long suppressed_unreported;

	unsigned long long events_logged, events_folded, events_suppressed;
	unsigned long long events_format_failed; /* decisions no line could be made for */
	unsigned long long reloads_ok, reloads_failed;
	unsigned long long tamper_detected; /* watchdog repairs and kernel refusals */
	unsigned long long last_watchdog_ms;
	__u64 last_no_policy;                /* MG_CTR_NO_POLICY at the last check */
	unsigned long long policy_version, reload_seq;
	long long reload_started_ns;
	int reload_ok;
	char reload_error[MG_ERR_MAX];
	time_t policy_loaded;
	unsigned long long last_dropped;
	unsigned long long last_digest_fail;
	int status_dirty;
	unsigned long long last_status_ms, last_metrics_ms, last_suppress_report_ms;
	uint64_t last_flush_ms; /* event time of the last dedup flush */
};

/* The live self-test of the backend runs at start and this often. */
#define MG_SELFTEST_INTERVAL_MS 1000
#define MG_WATCHDOG_INTERVAL_MS 1000

static long long clock_ns(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static unsigned long long now_ms(void)
{
	return (unsigned long long)(clock_ns(CLOCK_BOOTTIME) / 1000000);
}

static long long boot_to_real_ns(void)
{
	return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
}

static const char *mode_name(int mode)
{
	return mode == MG_MODE_AUDIT ? "audit" : "enforce";
}

static void write_line(struct daemon *d, const char *line, int n)
{
	fwrite(line, 1, (size_t)n, d->out);
	fputc('\n', d->out);
	fflush(d->out);
}

/* ---- lifecycle records ------------------------------------------------ */

static void lifecycle(struct daemon *d, const char *action, const char *category,
		      const char *type, int failed, const char *error, long long count,
		      const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static void lifecycle(struct daemon *d, const char *action, const char *category,
		      const char *type, int failed, const char *error, long long count,
		      const char *fmt, ...)
{
	const struct mg_image *img = d->img[d->active];
	struct mg_lifecycle lc = {
		.real_ns = clock_ns(CLOCK_REALTIME),
		.action = action,
		.category = category,
		.type = type,
		.failed = failed,
		.error = error,
		.hostname = d->hostname,
		.backend = d->ld ? mg_backend_name(d->backend) : NULL,
		.mode = d->mode,
		.policy_sha256 = img ? img->policy->sha256 : NULL,
		.policy_version = d->policy_version,
		.rules = img ? (long long)img->nrules : -1,
		.count = count,
	};
	char msg[1536];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lc.message = msg;
	n = mg_lifecycle_format(&lc, d->line, d->linecap);
	if (n > 0)
		write_line(d, d->line, n);
}

/* ---- decisions per rule ----------------------------------------------- */

static size_t count_entry(struct daemon *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->ncounts; i++)
		if (!strcmp(d->counts[i].rule, name))
			return i;
	if (d->ncounts == d->capcounts) {
		size_t cap = d->capcounts ? 2 * d->capcounts : 64;
		struct mg_rule_count *c = realloc(d->counts, cap * sizeof(*c));

		if (!c)
			return SIZE_MAX;
		d->counts = c;
		d->capcounts = cap;
	}
	d->counts[d->ncounts] = (struct mg_rule_count){ .rule = strdup(name) };
	if (!d->counts[d->ncounts].rule)
		return SIZE_MAX;
	return d->ncounts++;
}

/* After an install in slot: where each rule index of it is counted. */
static void index_counts(struct daemon *d, int slot)
{
	const struct mg_image *img = d->img[slot];
	size_t i;

	free(d->count_of[slot]);
	d->count_of[slot] = calloc(img->nrules + 1, sizeof(size_t));
	if (!d->count_of[slot])
		return;
	d->count_of[slot][0] = SIZE_MAX;
	for (i = 1; i <= img->nrules; i++)
		d->count_of[slot][i] = count_entry(d, img->policy->rules[i - 1].name);
}

static void count_decision(struct daemon *d, const struct mg_event *ev)
{
	size_t slot = ev->gen & 1, e = d->unknown_rule;
	struct mg_rule_count *c;

	if (d->count_of[slot] && d->img[slot] && ev->rule >= 1 && ev->rule <= d->img[slot]->nrules &&
	    d->ectx.gen_img[slot] == d->img[slot])
		e = d->count_of[slot][ev->rule];
	if (e == SIZE_MAX || e >= d->ncounts)
		return;
	c = &d->counts[e];
	if (ev->verdict == MG_VERDICT_BLOCK)
		c->block++;
	else
		c->audit++;
	d->status_dirty = 1;
}

/* ---- decision lines --------------------------------------------------- */

/* The kernel could not name the executable: ask /proc (racy if the process
 * exec'ed or exited since, so only as a fallback). */
static const struct mg_event *fill_exe(struct daemon *d, const struct mg_event *ev)
{
	char link[64];
	ssize_t n;

	if (!(ev->flags & MG_EV_EXE_ERR))
		return ev;
	d->fixed = *ev;
	snprintf(link, sizeof(link), "/proc/%u/exe", ev->tgid);
	n = readlink(link, d->fixed.exe, sizeof(d->fixed.exe) - 1);
	if (n <= 0)
		return ev;
	d->fixed.exe[n] = '\0';
	d->fixed.flags = (d->fixed.flags & ~MG_EV_EXE_ERR) | MG_EV_USER_EXE_FROM_PROC;
	return &d->fixed;
}

/* Token bucket: at most rate_limit lines a second, bursts of as many.
 * Only the log is limited; verdicts were applied in the kernel already. */
static int rate_admit(struct daemon *d)
{
	unsigned rate = d->opts->rate_limit;
	unsigned long long t;

	if (!rate)
		return 1;
	t = now_ms();
	d->tokens += (double)(t - d->bucket_ms) * rate / 1000.0;
	if (d->tokens > rate)
		d->tokens = rate;
	d->bucket_ms = t;
	if (d->tokens < 1.0) {
		d->events_suppressed++;
		d->suppressed_unreported++;
		d->status_dirty = 1;
		return 0;
	}
	d->tokens -= 1.0;
	return 1;
}

static void emit_decision(struct daemon *d, const struct mg_event *ev, uint64_t folded,
			  uint64_t first_ms)
{
	int n;

	if (!rate_admit(d))
		return;
	/* Command line, parent executable, container: best effort from /proc
	 * while the process most likely still exists. */
	mg_enrich_read("/proc", (pid_t)ev->tgid, (pid_t)ev->ppid, &d->enrich);
	d->ectx.enrich = &d->enrich;
	d->ectx.folded = folded;
	d->ectx.first_real_ns = (long long)first_ms * 1000000LL + d->ectx.boot_to_real_ns;
	n = mg_event_format_grow(ev, &d->ectx, &d->line, &d->linecap);
	d->ectx.folded = 0;
	if (n < 0) {
		/* never silent: counted in status and metrics */
		d->events_format_failed++;
		d->status_dirty = 1;
		fprintf(stderr, "minerguard: warning: a decision could not be formatted "
				"(%llu so far)\n", d->events_format_failed);
		return;
	}
	write_line(d, d->line, n);
	d->events_logged++;
	d->status_dirty = 1;
}

static void emit_folded(void *ctx, const struct mg_event *last, uint64_t folded, uint64_t first_ms)
{
	emit_decision(ctx, last, folded, first_ms);
}

static const char *tamper_what(__u32 what)
{
	switch (what) {
	case MG_TAMPER_MAP: return "an fd for minerguard map";
	case MG_TAMPER_PROG: return "an fd for minerguard program";
	case MG_TAMPER_LINK: return "an fd for minerguard link";
	case MG_TAMPER_UNLINK: return "unlink of minerguard pin";
	case MG_TAMPER_RENAME: return "rename of minerguard pin";
	default: return "access to";
	}
}

/* A refusal of the kernel's self-protection (bpf/protect.bpf.h): logged
 * as a tamper event with who tried, from where. /proc is read now, best
 * effort (the process may be gone). */
static void on_tamper(struct daemon *d, const struct mg_event *ev)
{
	char path[64], exe[512] = "", cg[4096], cid[65] = "", comm[MG_COMM_LEN + 1], obj[300];
	FILE *f;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/exe", ev->tgid);
	n = readlink(path, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	snprintf(path, sizeof(path), "/proc/%u/cgroup", ev->tgid);
	if ((f = fopen(path, "re"))) {
		size_t got = fread(cg, 1, sizeof(cg) - 1, f);

		cg[got] = '\0';
		fclose(f);
		mg_container_id(cg, cid, sizeof(cid));
	}
	memcpy(comm, ev->comm, MG_COMM_LEN);
	comm[MG_COMM_LEN] = '\0';
	if (ev->path[0])
		snprintf(obj, sizeof(obj), "%.255s", ev->path);
	else
		snprintf(obj, sizeof(obj), "id %u", ev->rule);
	d->tamper_detected++;
	d->status_dirty = 1;
	lifecycle(d, "tamper", "intrusion_detection", "denied", 1, "refused", -1,
		  "refused %s %s to pid %u (%s, executable %s, uid %u, parent %u, cgroup %llu%s%s)",
		  tamper_what(ev->hook), obj, ev->tgid, comm, exe[0] ? exe : "unknown", ev->uid,
		  ev->ppid, (unsigned long long)ev->cgroup_id, cid[0] ? ", container " : "", cid);
}

/* ---- control channel (control.h) ----------------------------------- */

static const char *control_cmd_name(enum mg_control_cmd c)
{
	switch (c) {
	case MG_CTL_MODE_ENFORCE: return "mode enforce";
	case MG_CTL_MODE_AUDIT: return "mode audit";
	case MG_CTL_RELOAD: return "reload";
	case MG_CTL_UNLOAD: return "unload";
	default: return "unknown";
	}
}

/* Serves one request and logs it with who asked, whatever the outcome. */
static void control_serve(struct daemon *d, struct mg_control_req *req)
{
	const char *what = req->cmd == MG_CTL_NONE ? req->text : control_cmd_name(req->cmd);
	char detail[160] = "";
	int mode;

	if (req->refused) {
		lifecycle(d, "control-refused", "configuration", "denied", 1, req->refused, -1,
			  "control request '%s' from pid %d (uid %u, %s) refused: %s", what, (int)req->pid,
			  (unsigned)req->uid, req->exe[0] ? req->exe : "unknown", req->refused);
		mg_control_reply(req, "refused", req->refused);
		return;
	}
	switch (req->cmd) {
	case MG_CTL_MODE_ENFORCE:
	case MG_CTL_MODE_AUDIT:
		mode = req->cmd == MG_CTL_MODE_AUDIT ? MG_MODE_AUDIT : MG_MODE_ENFORCE;
		if (mg_loader_set_mode(d->ld, mode)) {
			snprintf(detail, sizeof(detail), "writing the mode: %s", strerror(errno));
			mg_control_reply(req, "error", detail);
			return;
		}
		/* the next tick sees the change and logs mode-changed, as for
		 * a mode written without us */
		snprintf(detail, sizeof(detail), "mode %s", mode_name(mode));
		break;
	case MG_CTL_RELOAD:
		reload_requested = 1;
		snprintf(detail, sizeof(detail), "reload started");
		break;
	case MG_CTL_UNLOAD:
		stop_requested = 1;
		snprintf(detail, sizeof(detail), "stopping for unload");
		break;
	default:
		break;
	}
	lifecycle(d, "control", "configuration", "change", 0, NULL, -1,
		  "control request '%s' from pid %d (uid %u, %s): %s", what, (int)req->pid,
		  (unsigned)req->uid, req->exe[0] ? req->exe : "unknown", detail);
	mg_control_reply(req, "ok", detail);
}

static void control_poll(struct daemon *d)
{
	struct mg_control_req req;
	int i;

	/* a few per tick: a flood of connections cannot starve the events */
	for (i = 0; d->control_fd >= 0 && i < 8; i++) {
		int rc = mg_control_next(d->control_fd, "/proc", &req);

		if (rc <= 0) {
			if (rc < 0)
				fprintf(stderr, "minerguard: warning: control socket: %s\n", strerror(-rc));
			return;
		}
		control_serve(d, &req);
	}
}

static int on_event(void *ctx, const struct mg_event *ev)
{
	struct daemon *d = ctx;

	if (ev->flags & MG_EV_TAMPER) {
		on_tamper(d, ev);
		return 0;
	}

	uint64_t t = ev->ts_boot_ns / 1000000;

	ev = fill_exe(d, ev);
	count_decision(d, ev);
	/* A burst (e.g. the backlog after a restart) is read in one poll:
	 * close windows by event time too, or every event after the first
	 * window would be logged unfolded. */
	if (t - d->last_flush_ms >= 100) {
		mg_dedup_flush(d->dedup, t, false, emit_folded, d);
		d->last_flush_ms = t;
	}
	if (!mg_dedup_admit(d->dedup, ev, t)) {
		d->events_folded++;
		d->status_dirty = 1;
		return 0;
	}
	emit_decision(d, ev, 0, 0);
	return 0;
}

static void cwatch_restart(struct daemon *d);

/* ---- status, metrics, periodic work ----------------------------------- */

static void write_status(struct daemon *d)
{
	struct mg_status st = {
		.img = d->img[d->active],
		.mode = d->mode,
		.exe_in_kernel = d->exe_in_kernel,
		.adopted = d->adopted,
		.started = d->started,
		.policy_version = d->policy_version,
		.policy_loaded = d->policy_loaded,
		.reload_seq = d->reload_seq,
		.reload_started_ns = d->reload_started_ns,
		.reload_ok = d->reload_ok,
		.reload_error = d->reload_error[0] ? d->reload_error : NULL,
		.rules = d->counts,
		.nrules = d->ncounts,
		.events_logged = d->events_logged,
		.events_folded = d->events_folded,
		.events_suppressed = d->events_suppressed,
		.events_format_failed = d->events_format_failed,
		.reloads_ok = d->reloads_ok,
		.reloads_failed = d->reloads_failed,
		.tamper_detected = d->tamper_detected,
	};
	char err[512];

	if (mg_status_write(&st, err, sizeof(err)))
		fprintf(stderr, "minerguard: warning: %s\n", err);
	d->status_dirty = 0;
	d->last_status_ms = now_ms();
}

static void write_metrics(struct daemon *d, const __u64 *counters)
{
	const struct mg_image *img = d->img[d->active];
	struct mg_metrics m = {
		.mode = d->mode,
		.backend = mg_backend_name(d->backend),
		.policy_sha256 = img->policy->sha256,
		.nrules = img->nrules,
		.rules = d->counts,
		.nrule_counts = d->ncounts,
		.uptime_s = difftime(time(NULL), d->started),
		.events_logged = d->events_logged,
		.events_folded = d->events_folded,
		.events_suppressed = d->events_suppressed,
		.events_format_failed = d->events_format_failed,
		.reloads_ok = d->reloads_ok,
		.reloads_failed = d->reloads_failed,
		.tamper_detected = d->tamper_detected,
	};
	size_t cap = 65536 + d->ncounts * 512;
	char err[512], *buf;
	int n;

	memcpy(m.counters, counters, sizeof(m.counters));
	memcpy(m.kind_count, img->count, sizeof(m.kind_count));
	buf = malloc(cap);
	if (!buf)
		return;
	n = mg_metrics_prom(&m, buf, cap);
	if (n < 0 || mg_write_atomic(d->opts->metrics_file, buf, (size_t)n, err, sizeof(err)))
		fprintf(stderr, "minerguard: warning: metrics: %s\n",
			n < 0 ? "exposition too large" : err);
	free(buf);
}

/* Once a second: is the policy we installed still the one the programs
 * read (integrity.h), and did any access find no policy at all since the
 * last check? Either is someone else writing our pinned maps: log a tamper
 * event, put the policy back, count it. */
static void watchdog(struct daemon *d, const __u64 *counters, int have_counters)
{
	char what[512];
	int found;

	if (now_ms() - d->last_watchdog_ms < MG_WATCHDOG_INTERVAL_MS)
		return;
	d->last_watchdog_ms = now_ms();
	/* an excepted executable replaced by an upgrade: follow it */
	found = mg_loader_refresh_exes(d->ld, what, sizeof(what));
	if (found > 0)
		lifecycle(d, "exception-refreshed", "configuration", "change", 0, NULL, found,
			  "executable exception followed its path: %s", what);
	else if (found < 0)
		fprintf(stderr, "minerguard: warning: refreshing executable exceptions: %s\n",
			strerror(-found));
	found = mg_loader_integrity(d->ld, what, sizeof(what));
	if (found < 0) {
		fprintf(stderr, "minerguard: warning: watchdog: %s\n", what);
	} else if (found) {
		d->tamper_detected++;
		d->status_dirty = 1;
		lifecycle(d, "tamper", "configuration", "change", 1, what, -1,
			  "the installed policy was changed behind minerguard's back: %s", what);
	}
	if (have_counters && counters[MG_CTR_NO_POLICY] > d->last_no_policy) {
		unsigned long long n = counters[MG_CTR_NO_POLICY] - d->last_no_policy;

		d->last_no_policy = counters[MG_CTR_NO_POLICY];
		d->tamper_detected += found > 0 ? 0 : 1;
		d->status_dirty = 1;
		lifecycle(d, "tamper", "configuration", "change", 1, "no policy", (long long)n,
			  "%llu accesses found no policy installed (and were allowed) since the last "
			  "check", n);
	}
}

static void tick(struct daemon *d, int final)
{
	unsigned long long t = now_ms();
	__u64 counters[MG_CTR_COUNT];
	int have_counters;
	__u32 mode;

	mg_dedup_flush(d->dedup, t, final, emit_folded, d);
	if (!mg_state_read(mg_loader_state_fd(d->ld), MG_STATE_MODE, &mode) && (int)mode != d->mode) {
		d->mode = (int)mode;
		mg_cwatch_set_enforce(d->cw, d->mode == MG_MODE_ENFORCE);
		lifecycle(d, "mode-changed", "configuration", "change", 0, NULL, -1,
			  "global mode is now %s", mode_name(d->mode));
		d->status_dirty = 1;
	}
	have_counters = !mg_counters_read(mg_loader_counters_fd(d->ld), counters);
	if (!final)
		watchdog(d, counters, have_counters);
	if (have_counters && counters[MG_CTR_EVENTS_DROPPED] > d->last_dropped) {
		unsigned long long n = counters[MG_CTR_EVENTS_DROPPED] - d->last_dropped;

		d->last_dropped = counters[MG_CTR_EVENTS_DROPPED];
		lifecycle(d, "events-dropped", "process", "info", 1, NULL, (long long)n,
			  "%llu decisions were not logged: the ring buffer was full (verdicts were "
			  "applied; %llu dropped in total)", n, d->last_dropped);
	}
	if (have_counters && counters[MG_CTR_DIGEST_FAIL] > d->last_digest_fail) {
		unsigned long long n = counters[MG_CTR_DIGEST_FAIL] - d->last_digest_fail;

		d->last_digest_fail = counters[MG_CTR_DIGEST_FAIL];
		lifecycle(d, "digest-unknown", "file", "info", 1, NULL, (long long)n,
			  "the kernel could not take %llu file digest(s): those files are unknown, "
			  "not clean (%s; %llu in total)", n,
			  d->img[d->active] && d->img[d->active]->meta.digest_unknown_rule
				  ? "options.digest_unknown decides them"
				  : "allowed: the policy sets no options.digest_unknown",
			  d->last_digest_fail);
	}
	if (d->suppressed_unreported && (final || t - d->last_suppress_report_ms >= 1000)) {
		lifecycle(d, "events-suppressed", "process", "info", 0, NULL,
			  (long long)d->suppressed_unreported,
			  "%llu decision lines suppressed by rate_limit (%u/s)",
			  d->suppressed_unreported, d->opts->rate_limit);
		d->suppressed_unreported = 0;
		d->last_suppress_report_ms = t;
	}
	if (d->status_dirty && (final || t - d->last_status_ms >= MG_STATUS_EVERY_MS))
		write_status(d);
	if (d->opts->metrics_file && have_counters &&
	    (final || !d->last_metrics_ms ||
	     t - d->last_metrics_ms >= (unsigned long long)d->opts->metrics_interval_s * 1000)) {
		write_metrics(d, counters);
		d->last_metrics_ms = t;
	}
}

/* ---- log file --------------------------------------------------------- */

static int log_is_file(const char *path)
{
	return path && strcmp(path, "-") && strcmp(path, "stdout");
}

/* After logrotate moved the file away: continue in a fresh one. */
static void reopen_log(struct daemon *d)
{
	char err[PATH_MAX + 128];
	FILE *f;

	if (!log_is_file(d->opts->log_path))
		return;
	f = mg_log_open(d->opts->log_path, d->opts->log_mode, err, sizeof(err));
	if (!f) {
		fprintf(stderr, "minerguard: cannot reopen log: %s\n", err);
		return;
	}
	fclose(d->out);
	d->out = f;
}

/* ---- reload ----------------------------------------------------------- */

static void reload_rejected(struct daemon *d, const char *msg)
{
	fprintf(stderr, "minerguard: reload failed, policy unchanged: %s\n", msg);
	d->reloads_failed++;
	d->reload_ok = 0;
	snprintf(d->reload_error, sizeof(d->reload_error), "%s", msg);
	lifecycle(d, "reload-rejected", "configuration", "change", 1, msg, -1,
		  "policy reload rejected, policy version %llu stays in force", d->policy_version);
	write_status(d);
}

/* SIGHUP / `minerguard reload`: reopens the log, compiles the policy again
 * and installs it as the next generation; on any error the running policy
 * stays. */
static void reload(struct daemon *d)
{
	const struct mg_run_opts *o = d->opts;
	struct mg_policy *pol = NULL;
	struct mg_image *img = NULL;
	char msg[MG_ERR_MAX];
	int slot;

	d->reload_seq++;
	d->reload_started_ns = clock_ns(CLOCK_BOOTTIME);
	reopen_log(d);

	/* in a child with a deadline: a policy cannot hang this loop */
	if (mg_policy_load_isolated(o->policies, o->npolicies, o->lua_dir, NULL,
				    MG_POLICY_COMPILE_TIMEOUT_MS, &pol, msg, sizeof(msg)) ||
	    mg_image_build(pol, &img, msg, sizeof(msg))) {
		mg_policy_free(pol);
		reload_rejected(d, msg);
		return;
	}
	/* Lines for decisions of the generation about to be replaced. */
	mg_loader_events_poll(d->ld, 0);
	slot = mg_loader_install(d->ld, img, msg, sizeof(msg));
	if (slot < 0) {
		mg_image_free(img);
		mg_policy_free(pol);
		reload_rejected(d, msg);
		return;
	}
	d->ectx.gen_img[slot] = img;
	mg_image_free(d->img[slot]);
	mg_policy_free(d->pol[slot]);
	d->img[slot] = img;
	d->pol[slot] = pol;
	d->active = slot;
	index_counts(d, slot);
	d->policy_version++;
	d->policy_loaded = time(NULL);
	d->reloads_ok++;
	d->reload_ok = 1;
	d->reload_error[0] = '\0';
	cwatch_restart(d);
	lifecycle(d, "reloaded", "configuration", "change", 0, NULL, -1,
		  "policy reloaded: %zu rules, %zu signatures, generation %d", img->nrules,
		  img->nentries, slot);
	write_status(d);
	fprintf(stderr, "minerguard: reloaded: %zu rules, %zu signatures, policy %.12s, generation %d\n",
		img->nrules, img->nentries, pol->sha256, slot);
}

/* ---- content identity -------------------------------------------------- */

static void cwatch_log(void *ctx, int is_error, const char *fmt, ...)
{
	struct daemon *d = ctx;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "minerguard: %s\n", msg);
	/* marks, kills and failures are records; progress lines stay on stderr */
	if (is_error || strstr(msg, ": marked") || strstr(msg, "mark removed") ||
	    strstr(msg, " done in ") || strstr(msg, "on_match = kill"))
		lifecycle(d, "content-scan", "file", "info", is_error, is_error ? msg : NULL, -1,
			  "%s", msg);
}

static void cwatch_roots(struct daemon *d)
{
	static const char *const defaults[] = { MG_CWATCH_DEFAULT_ROOTS };
	char *save = NULL, *tok;

	d->nroots = 0;
	if (!d->opts->scan_roots) {
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			d->roots[d->nroots++] = defaults[i];
		return;
	}
	if (!strcmp(d->opts->scan_roots, "none"))
		return;
	d->roots_buf = strdup(d->opts->scan_roots);
	for (tok = d->roots_buf ? strtok_r(d->roots_buf, " \t", &save) : NULL;
	     tok && d->nroots < sizeof(d->roots) / sizeof(d->roots[0]);
	     tok = strtok_r(NULL, " \t", &save))
		d->roots[d->nroots++] = tok;
}

/* (Re)starts content scanning for the policy in force: every root once,
 * then close-after-write notifications. */
static void cwatch_restart(struct daemon *d)
{
	mg_cwatch_free(d->cw);
	d->cw = NULL;
	if (!d->nroots)
		return;
	d->cw = mg_cwatch_new(d->ld, d->img[d->active], d->roots, d->nroots, cwatch_log, d);
	mg_cwatch_set_enforce(d->cw, d->mode == MG_MODE_ENFORCE);
	mg_cwatch_scan_roots(d->cw);
}

/* ---- run -------------------------------------------------------------- */

/* Why one backend could not be brought up: exit code and message. */
struct bringup_error {
	int rc;
	char msg[768];
};

/* Loads backend's programs, installs img, sets the mode, attaches and
 * self-tests. 0 with d->ld set; otherwise everything is closed again
 * (unpinned links detach) and e says why. */
static int try_backend(struct daemon *d, int backend, struct mg_image *img, const char *prev_sha,
		       struct mg_adopt_info *ai, int *slot, struct bringup_error *e)
{
	const char *name = mg_backend_name(backend);
	char err[512] = "", why[512];
	int rc;

	d->ectx.backend = name;
	rc = mg_loader_open(&d->ld, backend, ai, err, sizeof(err));
	if (rc)
		goto load_failed;
	rc = mg_loader_events_open(d->ld, on_event, d);
	if (rc) {
		snprintf(err, sizeof(err), "ring buffer: %s", strerror(-rc));
		goto failed;
	}
	if (ai->adopted) {
		/* Decisions made while no daemon read the ring buffer: logged
		 * now, with rule names when the policy is the same one. */
		if (!strcmp(prev_sha, img->policy->sha256))
			d->ectx.gen_img[ai->old_gen & 1] = img;
		mg_loader_events_poll(d->ld, 0);
		mg_dedup_flush(d->dedup, now_ms(), 1, emit_folded, d);
		d->ectx.gen_img[ai->old_gen & 1] = NULL;
	}
	*slot = mg_loader_install(d->ld, img, err, sizeof(err));
	if (*slot == -E2BIG) { /* more rules than the kernel table holds */
		e->rc = MG_EXIT_POLICY;
		snprintf(e->msg, sizeof(e->msg), "%s", err);
		goto closed;
	}
	if (*slot < 0) {
		rc = *slot;
		goto load_failed;
	}
	rc = mg_loader_set_mode(d->ld, d->opts->mode);
	if (rc) {
		snprintf(err, sizeof(err), "setting the mode");
		goto load_failed;
	}
	rc = mg_loader_attach(d->ld, err, sizeof(err));
	if (rc)
		goto load_failed;
	if (mg_selftest(d->ld, err, sizeof(err))) {
		e->rc = MG_EXIT_NO_BPF_LSM;
		snprintf(e->msg, sizeof(e->msg), "%s: %s", name, err);
		goto closed;
	}
	d->backend = backend;
	return 0;

load_failed:
	e->rc = mg_kcheck_load_error(rc, backend, why, sizeof(why));
	snprintf(e->msg, sizeof(e->msg), "%s: %s (%s)", name, why, err);
	goto closed;
failed:
	e->rc = MG_EXIT_ERROR;
	snprintf(e->msg, sizeof(e->msg), "%s: %s", name, err);
closed:
	mg_loader_close(d->ld);
	d->ld = NULL;
	d->ectx.backend = NULL;
	return -1;
}

/* The backends of opts->backend in turn; the first that passes its
 * self-test enforces. Returns MG_EXIT_OK, or the exit code with the one
 * line that explains it printed. */
static int bring_up(struct daemon *d, struct mg_image *img, const char *prev_sha,
		    struct mg_adopt_info *ai, int *slot)
{
	struct bringup_error errs[2] = { 0 };
	char list[512], fix[768];
	int plan[2], lsm_active;
	size_t n, i;

	lsm_active = mg_kcheck_lsm_active(list, sizeof(list)) > 0;
	mg_kcheck_lsm_fix(list, fix, sizeof(fix));
	n = mg_backend_plan(d->opts->backend, lsm_active, plan);
	if (!n) {
		fprintf(stderr, "minerguard run: --backend lsm: %s; or use --backend auto, which "
				"enforces through fmod_ret where BPF LSM is not active\n", fix);
		return MG_EXIT_NO_BPF_LSM;
	}
	for (i = 0; i < n; i++) {
		if (!try_backend(d, plan[i], img, prev_sha, ai, slot, &errs[i])) {
			if (i)
				fprintf(stderr, "minerguard: %s; using %s\n", errs[0].msg,
					mg_backend_name(plan[i]));
			return MG_EXIT_OK;
		}
		if (errs[i].rc == MG_EXIT_POLICY) {
			fprintf(stderr, "minerguard run: %s\n", errs[i].msg);
			return MG_EXIT_POLICY;
		}
	}
	if (n == 1) {
		/* Without bpf in lsm=, the other fix is worth naming too. */
		fprintf(stderr, "minerguard run: %s%s%s\n", errs[0].msg, lsm_active ? "" : "; or: ",
			lsm_active ? "" : fix);
		return errs[0].rc;
	}
	/* auto, both failed: name both fixes on one line. */
	fprintf(stderr,
		"minerguard run: no backend can enforce on this kernel (%s; %s): add bpf to the "
		"lsm= kernel parameter and reboot, or use a kernel >= %d.%d with BTF and BPF "
		"trampolines for the fmodret backend\n",
		errs[0].msg, errs[1].msg, MG_KERNEL_MIN_MAJOR, MG_KERNEL_MIN_MINOR);
	return errs[0].rc == MG_EXIT_ERROR && errs[1].rc == MG_EXIT_ERROR ? MG_EXIT_ERROR
									  : MG_EXIT_NO_BPF_LSM;
}

/* One daemon at a time: the lock in the run directory, held until we
 * exit. Returns its fd, or -1 after saying who holds it. */
static int take_lock(void)
{
	char path[PATH_MAX], err[PATH_MAX + 256];
	pid_t holder;
	int fd;

	if (mkdir(mg_run_dir(), 0755) && errno != EEXIST) {
		fprintf(stderr, "minerguard run: creating %s: %s\n", mg_run_dir(), strerror(errno));
		return -1;
	}
	fd = mg_lock_acquire(mg_run_path(path, sizeof(path), MG_LOCK_NAME), &holder, err,
			     sizeof(err));
	if (fd < 0)
		fprintf(stderr, "minerguard run: %s\n", err);
	return fd;
}

/* sha256 of the policy the previous daemon recorded, "" if unknown. */
static void previous_sha(char *out, size_t len)
{
	char *doc = mg_status_read();
	const char *p = doc ? strstr(doc, "\"sha256\":\"") : NULL;

	out[0] = '\0';
	if (p)
		snprintf(out, len, "%.64s", p + 10);
	free(doc);
}

static void free_daemon(struct daemon *d)
{
	int slot;

	if (!d)
		return;
	if (d->out && d->out != stdout)
		fclose(d->out);
	if (d->control_fd >= 0) {
		char path[PATH_MAX];

		close(d->control_fd);
		unlink(mg_run_path(path, sizeof(path), MG_CONTROL_NAME));
	}
	for (slot = 0; slot < 2; slot++) {
		mg_image_free(d->img[slot]);
		mg_policy_free(d->pol[slot]);
		free(d->count_of[slot]);
	}
	for (size_t i = 0; i < d->ncounts; i++)
		free((char *)d->counts[i].rule);
	free(d->counts);
	mg_dedup_free(d->dedup);
	mg_cwatch_free(d->cw);
	free(d->roots_buf);
	free(d->line);
	free(d);
}

int mg_daemon_run(const struct mg_run_opts *opts)
{
	struct mg_policy *pol = NULL;
	struct mg_image *img = NULL;
	struct mg_loader *ld = NULL;
	struct mg_adopt_info ai;
	struct daemon *d = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	char msg[MG_ERR_MAX], err[512], prev_sha[65];
	int rc, slot = 0, lock_fd;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = mg_kcheck(msg, sizeof(msg));
	if (rc != MG_EXIT_OK) {
		fprintf(stderr, "minerguard run: %s\n", msg);
		return rc;
	}
	mg_policy_set_cancel_flag(&stop_requested);
	lock_fd = take_lock();
	if (lock_fd < 0)
		return MG_EXIT_ERROR;
	/* An invalid policy changes nothing: pinned programs of an earlier
	 * instance go on enforcing theirs. */
	if (mg_policy_load_isolated(opts->policies, opts->npolicies, opts->lua_dir, NULL,
				    MG_POLICY_COMPILE_TIMEOUT_MS, &pol, msg, sizeof(msg))) {
		fprintf(stderr, "minerguard run: %s\n", msg);
		close(lock_fd);
		return MG_EXIT_POLICY;
	}
	if (mg_image_build(pol, &img, msg, sizeof(msg))) {
		fprintf(stderr, "minerguard run: %s\n", msg);
		rc = MG_EXIT_POLICY;
		goto cleanup;
	}

	d = calloc(1, sizeof(*d));
	if (!d) {
		fprintf(stderr, "minerguard run: out of memory\n");
		rc = MG_EXIT_ERROR;
		goto cleanup;
	}
	d->opts = opts;
	d->control_fd = -1;
	d->started = time(NULL);
	d->out = stdout;
	d->mode = opts->mode;
	d->tokens = opts->rate_limit;
	d->bucket_ms = now_ms();
	d->dedup = mg_dedup_new(opts->dedup_window_ms, MG_DEDUP_MAX_KEYS);
	d->unknown_rule = SIZE_MAX;
	d->linecap = MG_EVENT_JSON_MAX;
	d->line = malloc(d->linecap);
	if (!d->dedup || !d->line) {
		fprintf(stderr, "minerguard run: out of memory\n");
		rc = MG_EXIT_ERROR;
		goto cleanup;
	}
	if (log_is_file(opts->log_path)) {
		d->out = mg_log_open(opts->log_path, opts->log_mode, msg, sizeof(msg));
		if (!d->out) {
			fprintf(stderr, "minerguard run: cannot open log: %s\n", msg);
			rc = MG_EXIT_ERROR;
			goto cleanup;
		}
	}
	if (gethostname(d->hostname, sizeof(d->hostname) - 1))
		strcpy(d->hostname, "unknown");
	d->ectx.hostname = d->hostname;
	d->ectx.boot_to_real_ns = boot_to_real_ns();
	previous_sha(prev_sha, sizeof(prev_sha));

	d->unknown_rule = count_entry(d, "(unknown)");
	rc = bring_up(d, img, prev_sha, &ai, &slot);
	if (rc != MG_EXIT_OK)
		goto cleanup;
	ld = d->ld;
	d->exe_in_kernel = mg_loader_exe_in_kernel(ld);
	d->adopted = ai.adopted;
	if (ai.adopted)
		fprintf(stderr, "minerguard: adopting the programs and maps pinned by an earlier "
				"instance (enforcement never stopped)\n");
	else if (ai.found)
		fprintf(stderr, "minerguard: pinned programs come from an incompatible build (%s): "
				"replacing them, new programs attach before the old ones are released\n",
			ai.why);
	d->ectx.gen_img[slot] = img;
	d->img[slot] = img;
	d->pol[slot] = pol;
	d->active = slot;
	img = NULL; /* owned by d from here */
	pol = NULL;
	index_counts(d, slot);
	d->policy_version = 1;
	d->policy_loaded = time(NULL);
	/* Our links are attached: replacing the pins releases the old ones. */
	rc = mg_loader_pin(ld, err, sizeof(err));
	if (!rc)
		rc = mg_loader_protect(ld, opts->self_protect, err, sizeof(err));
	if (!rc) {
		rc = mg_vcache_set_mode(mg_loader_state_fd(ld), opts->verdict_cache);
		if (rc)
			snprintf(err, sizeof(err), "setting the verdict cache mode: %s", strerror(-rc));
	}
	if (rc) {
		fprintf(stderr, "minerguard run: %s\n", err);
		rc = MG_EXIT_ERROR;
		goto cleanup;
	}
	{
		__u64 c[MG_CTR_COUNT];

		/* Drops of before an adoption are reported by the first tick. */
		if (!ai.adopted && !mg_counters_read(mg_loader_counters_fd(ld), c))
			d->last_dropped = c[MG_CTR_EVENTS_DROPPED];
		/* accesses before our install found no policy: not tampering */
		if (!mg_counters_read(mg_loader_counters_fd(ld), c))
			d->last_no_policy = c[MG_CTR_NO_POLICY];
	}
	/* mode, reload and unload come through here (control.h) */
	{
		char path[PATH_MAX];

		d->control_fd = mg_control_listen(mg_run_path(path, sizeof(path), MG_CONTROL_NAME));
		if (d->control_fd < 0) {
			fprintf(stderr, "minerguard run: control socket %s: %s\n", path,
				strerror(-d->control_fd));
			rc = MG_EXIT_ERROR;
			goto cleanup;
		}
	}
	/* After the pins: a status file naming this live pid means our
	 * programs are the ones attached. */
	write_status(d);
	d->last_selftest_ms = now_ms();

	lifecycle(d, "started", "process", "start", 0, NULL, -1,
		  "minerguard started in %s mode, backend %s, self-protection %s, verdict cache %s%s",
		  mode_name(opts->mode), mg_backend_name(d->backend), opts->self_protect ? "on" : "OFF",
		  mg_vcache_name(opts->verdict_cache),
		  ai.adopted ? ", adopting the pinned programs of an earlier instance"
		  : ai.found ? ", replacing pinned programs of an incompatible build" : "");
	lifecycle(d, "policy-loaded", "configuration", "change", 0, NULL, -1,
		  "policy loaded: %zu rules, %zu signatures from %zu file%s",
		  d->img[slot]->nrules, d->img[slot]->nentries, d->pol[slot]->nfiles,
		  d->pol[slot]->nfiles == 1 ? "" : "s");
	fprintf(stderr, "minerguard: %s mode, backend %s, %zu rules, %zu signatures, policy %.12s (%zu file%s)\n",
		mode_name(opts->mode), mg_backend_name(d->backend), d->img[slot]->nrules, d->img[slot]->nentries,
		d->pol[slot]->sha256, d->pol[slot]->nfiles, d->pol[slot]->nfiles == 1 ? "" : "s");
	/* Files that already carry miner content are marked before READY. */
	cwatch_roots(d);
	cwatch_restart(d);
	/* Enforcement is attached and pinned: only now is the service ready. */
	mg_sd_notify("READY=1");

	rc = MG_EXIT_OK;
	while (!stop_requested) {
		int n;

		if (reopen_requested) {
			reopen_requested = 0;
			reopen_log(d);
		}
		if (reload_requested) {
			reload_requested = 0;
			mg_sd_notify("RELOADING=1");
			reload(d);
			mg_sd_notify("READY=1");
		}
		if (now_ms() - d->last_selftest_ms >= MG_SELFTEST_INTERVAL_MS) {
			/* A backend that stops firing (a detached link, a
			 * kernel change) must never pass for enforcement. */
			if (mg_selftest(ld, err, sizeof(err))) {
				lifecycle(d, "selftest-failed", "process", "error", 1, err, -1,
					  "the %s backend no longer enforces: %s",
					  mg_backend_name(d->backend), err);
				fprintf(stderr, "minerguard run: %s\n", err);
				rc = MG_EXIT_ERROR;
				break;
			}
			d->last_selftest_ms = now_ms();
		}
		mg_cwatch_poll(d->cw);
		control_poll(d);
		n = mg_loader_events_poll(ld, MG_TICK_MS);
		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "minerguard run: reading events: %s\n", strerror(-n));
			rc = MG_EXIT_ERROR;
			break;
		}
		tick(d, 0);
	}
	mg_sd_notify("STOPPING=1");
	/* Decisions already in the buffer still get their line. */
	mg_loader_events_poll(ld, 0);
	tick(d, 1);
	mg_loader_protect_release(ld);
	lifecycle(d, "stopped", "process", "end", rc != MG_EXIT_OK, NULL, -1,
		  "minerguard stopped; enforcement continues in the pinned programs "
		  "(minerguard unload removes it)");
	write_status(d);

cleanup:
	/* Pins stay: enforcement outlives the daemon. */
	mg_loader_close(ld);
	free_daemon(d);
	mg_image_free(img);
	mg_policy_free(pol);
	close(lock_fd); /* the next `run` may start from here */
	return rc;
}
