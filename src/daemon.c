// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `minerguard run`: check the kernel, compile the policy, load, attach,
 * then turn ring-buffer decisions into JSON lines until SIGTERM/SIGINT. */
#include "daemon.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "enrich.h"
#include "event_json.h"
#include "exitcodes.h"
#include "image.h"
#include "kcheck.h"
#include "loader.h"
#include "notify.h"
#include "policy.h"
#include "status_file.h"

static volatile sig_atomic_t stop_requested, reload_requested;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_requested = 1;
	else
		stop_requested = 1;
}

struct daemon {
	const struct mg_run_opts *opts;
	struct mg_loader *ld;
	/* Policy installed in each generation slot: events name their slot,
	 * so the previous one stays until the slot is reused. */
	struct mg_policy *pol[2];
	struct mg_image *img[2];
	int exe_in_kernel;
	time_t started;
	FILE *out;
	struct mg_event_ctx ectx;
	char hostname[256];
	char line[MG_EVENT_JSON_MAX];
	struct mg_event fixed; /* copy when userspace has to fill a field */
	struct mg_enrich enrich;
};

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
	d->fixed.flags &= ~MG_EV_EXE_ERR;
	return &d->fixed;
}

static int on_event(void *ctx, const struct mg_event *ev)
{
	struct daemon *d = ctx;
	int n;

	ev = fill_exe(d, ev);
	/* Command line, parent executable, container: best effort from /proc
	 * while the process most likely still exists. */
	mg_enrich_read("/proc", (pid_t)ev->tgid, (pid_t)ev->ppid, &d->enrich);
	d->ectx.enrich = &d->enrich;
	n = mg_event_format(ev, &d->ectx, d->line, sizeof(d->line));
	if (n < 0)
		return 0;
	fwrite(d->line, 1, (size_t)n, d->out);
	fputc('\n', d->out);
	fflush(d->out);
	return 0;
}

static long long boot_to_real_ns(void)
{
	struct timespec r, b;

	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_BOOTTIME, &b);
	return (r.tv_sec - b.tv_sec) * 1000000000LL + (r.tv_nsec - b.tv_nsec);
}

static const char *mode_name(int mode)
{
	return mode == MG_MODE_AUDIT ? "audit" : "enforce";
}

/* Load and attach errors: EPERM may mean the kernel refuses BPF LSM. */
static int load_failure(const char *what, int err)
{
	char msg[512];
	int rc = mg_kcheck_load_error(err, msg, sizeof(msg));

	fprintf(stderr, "minerguard run: %s (%s)\n", msg, what);
	return rc;
}

static int log_is_file(const char *path)
{
	return path && strcmp(path, "-") && strcmp(path, "stdout");
}

/* After logrotate moved the file away: continue in a fresh one. */
static void reopen_log(struct daemon *d)
{
	FILE *f;

	if (!log_is_file(d->opts->log_path))
		return;
	f = fopen(d->opts->log_path, "ae");
	if (!f) {
		fprintf(stderr, "minerguard: cannot reopen log %s: %s\n", d->opts->log_path,
			strerror(errno));
		return;
	}
	fclose(d->out);
	d->out = f;
}

/* SIGHUP: reopens the log, compiles the policy again and installs it as
 * the next generation; on any error the running policy stays. */
static void reload(struct daemon *d)
{
	const struct mg_run_opts *o = d->opts;
	struct mg_policy *pol = NULL;
	struct mg_image *img = NULL;
	char msg[1024];
	int slot;

	reopen_log(d);

	if (mg_policy_load(o->policies, o->npolicies, o->lua_dir, NULL, &pol, msg, sizeof(msg)) ||
	    mg_image_build(pol, &img, msg, sizeof(msg))) {
		fprintf(stderr, "minerguard: reload failed, policy unchanged: %s\n", msg);
		mg_policy_free(pol);
		return;
	}
	/* Lines for decisions of the generation about to be replaced. */
	mg_loader_events_poll(d->ld, 0);
	slot = mg_loader_install(d->ld, img, msg, sizeof(msg));
	if (slot < 0) {
		fprintf(stderr, "minerguard: reload failed, policy unchanged: %s\n", msg);
		mg_image_free(img);
		mg_policy_free(pol);
		return;
	}
	d->ectx.gen_img[slot] = img;
	mg_image_free(d->img[slot]);
	mg_policy_free(d->pol[slot]);
	d->img[slot] = img;
	d->pol[slot] = pol;
	if (mg_status_write(img, o->mode, d->exe_in_kernel, d->started, msg, sizeof(msg)))
		fprintf(stderr, "minerguard: warning: %s\n", msg);
	fprintf(stderr, "minerguard: reloaded: %zu rules, %zu signatures, policy %.12s, generation %d\n",
		img->nrules, img->nentries, pol->sha256, slot);
}

int mg_daemon_run(const struct mg_run_opts *opts)
{
	struct mg_policy *pol = NULL;
	struct mg_image *img = NULL;
	struct mg_loader *ld = NULL;
	struct daemon *d = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	char msg[1024], err[512];
	int rc, slot, pinned = 0;

	/* Before anything is pinned: a SIGTERM during startup must still
	 * reach the cleanup below. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = mg_kcheck(msg, sizeof(msg));
	if (rc != MG_EXIT_OK) {
		fprintf(stderr, "minerguard run: %s\n", msg);
		return rc;
	}
	if (mg_status_running_pid() > 0) {
		fprintf(stderr, "minerguard run: another instance (pid %d) is running\n",
			mg_status_running_pid());
		return MG_EXIT_ERROR;
	}
	if (mg_policy_load(opts->policies, opts->npolicies, opts->lua_dir, NULL, &pol, msg,
			   sizeof(msg))) {
		fprintf(stderr, "minerguard run: %s\n", msg);
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
	d->started = time(NULL);
	d->out = stdout;
	if (log_is_file(opts->log_path)) {
		d->out = fopen(opts->log_path, "ae");
		if (!d->out) {
			fprintf(stderr, "minerguard run: cannot open log %s: %s\n", opts->log_path,
				strerror(errno));
			rc = MG_EXIT_ERROR;
			goto cleanup;
		}
	}
	if (gethostname(d->hostname, sizeof(d->hostname) - 1))
		strcpy(d->hostname, "unknown");
	d->ectx.hostname = d->hostname;
	d->ectx.boot_to_real_ns = boot_to_real_ns();

	rc = mg_loader_open(&ld, err, sizeof(err));
	if (rc) {
		rc = load_failure(err, rc);
		goto cleanup;
	}
	d->ld = ld;
	d->exe_in_kernel = mg_loader_exe_in_kernel(ld);
	slot = mg_loader_install(ld, img, err, sizeof(err));
	if (slot == -E2BIG) { /* more rules than the kernel table holds */
		fprintf(stderr, "minerguard run: %s\n", err);
		rc = MG_EXIT_POLICY;
		goto cleanup;
	}
	if (slot < 0) {
		rc = load_failure(err, slot);
		goto cleanup;
	}
	d->ectx.gen_img[slot] = img;
	d->img[slot] = img;
	d->pol[slot] = pol;
	img = NULL; /* owned by d from here */
	pol = NULL;
	rc = mg_loader_set_mode(ld, opts->mode);
	if (rc) {
		rc = load_failure("setting the mode", rc);
		goto cleanup;
	}
	rc = mg_loader_events_open(ld, on_event, d);
	if (rc) {
		fprintf(stderr, "minerguard run: ring buffer: %s\n", strerror(-rc));
		rc = MG_EXIT_ERROR;
		goto cleanup;
	}
	rc = mg_loader_attach(ld, err, sizeof(err));
	if (rc) {
		rc = load_failure(err, rc);
		goto cleanup;
	}
	/* Pins of an instance that died still enforce until ours replace them
	 * (nothing is left unguarded meanwhile). */
	if (mg_pins_attached() > 0)
		fprintf(stderr, "minerguard: replacing programs left attached by an exited instance\n");
	pinned = 1;
	rc = mg_loader_pin(ld, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "minerguard run: %s\n", err);
		rc = MG_EXIT_ERROR;
		goto cleanup;
	}
	/* After the pins: a status file naming this live pid means our
	 * programs are the ones attached. */
	if (mg_status_write(d->img[slot], opts->mode, d->exe_in_kernel, d->started, err,
			    sizeof(err)))
		fprintf(stderr, "minerguard run: warning: %s\n", err);

	fprintf(stderr, "minerguard: %s mode, %zu rules, %zu signatures, policy %.12s (%zu file%s)\n",
		mode_name(opts->mode), d->img[slot]->nrules, d->img[slot]->nentries,
		d->pol[slot]->sha256, d->pol[slot]->nfiles, d->pol[slot]->nfiles == 1 ? "" : "s");
	mg_sd_notify("READY=1");

	rc = MG_EXIT_OK;
	while (!stop_requested) {
		int n;

		if (reload_requested) {
			reload_requested = 0;
			reload(d);
		}
		n = mg_loader_events_poll(ld, 500);

		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "minerguard run: reading events: %s\n", strerror(-n));
			rc = MG_EXIT_ERROR;
			break;
		}
	}
	/* Decisions already in the buffer still get their line. */
	mg_loader_events_poll(ld, 0);
	mg_sd_notify("STOPPING=1");

cleanup:
	if (pinned) {
		mg_loader_unpin(ld);
		mg_status_remove();
	}
	mg_loader_close(ld);
	if (d) {
		if (d->out && d->out != stdout)
			fclose(d->out);
		for (slot = 0; slot < 2; slot++) {
			mg_image_free(d->img[slot]);
			mg_policy_free(d->pol[slot]);
		}
		free(d);
	}
	mg_image_free(img);
	mg_policy_free(pol);
	return rc;
}
