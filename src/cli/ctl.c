// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `minerguard status` and `minerguard mode`: talk to the running instance
 * through its pins under MG_PIN_DIR and its status file. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "backend.h"
#include "control_proto.h"
#include "daemon.h"
#include "exitcodes.h"
#include "image.h"
#include "loader.h"
#include "lockfile.h"
#include "paths.h"
#include "status_file.h"

/* the loops print c[0..MG_CTR_GLOBAL_COUNT) as globals: never into the
 * per-hook block */
_Static_assert(MG_CTR_GLOBAL_COUNT <= MG_CTR_HOOK_BASE,
	       "global counters overlap the hook counters");

/* Hooks the programs implement; later ones show up once they count. */
#define MG_HOOKS_SHOWN 3

static __u64 hctr(const __u64 *c, unsigned hook, unsigned which)
{
	return c[MG_CTR_HOOK_BASE + hook * MG_CTR_PER_HOOK + which];
}

static int hook_shown(const __u64 *c, unsigned hook)
{
	return hook < MG_HOOKS_SHOWN || hctr(c, hook, MG_HCTR_SEEN);
}

static int open_pin(const char *cmd, const char *name, int *fd)
{
	*fd = mg_pin_open(name);
	if (*fd >= 0)
		return MG_EXIT_OK;
	fprintf(stderr, "minerguard %s: opening %s/%s: %s\n", cmd, MG_PIN_DIR, name,
		strerror(-*fd));
	return *fd == -EPERM || *fd == -EACCES ? MG_EXIT_PRIVILEGE : MG_EXIT_NOT_RUNNING;
}

/* One request to the running daemon over its control socket. 0 when it
 * answered "ok" (reply holds the detail), else an exit code after a
 * one-line message. */
static int control_request(const char *cmd, const char *request, char *reply, size_t len)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char path[PATH_MAX], msg[MG_CONTROL_MSG_MAX];
	struct timeval tv = { .tv_sec = 30 };
	ssize_t n;
	int fd;

	mg_run_path(path, sizeof(path), MG_CONTROL_NAME);
	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "minerguard %s: control socket path too long: %s\n", cmd, path);
		return MG_EXIT_ERROR;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		int e = errno;

		fprintf(stderr, "minerguard %s: the daemon's control socket %s: %s\n", cmd, path,
			strerror(e));
		if (fd >= 0)
			close(fd);
		return e == EACCES || e == EPERM ? MG_EXIT_PRIVILEGE : MG_EXIT_NOT_RUNNING;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (send(fd, request, strlen(request), MSG_NOSIGNAL) < 0 ||
	    (n = recv(fd, msg, sizeof(msg) - 1, 0)) <= 0) {
		fprintf(stderr, "minerguard %s: no answer from the daemon: %s\n", cmd,
			strerror(errno ? errno : EPIPE));
		close(fd);
		return MG_EXIT_ERROR;
	}
	close(fd);
	msg[n] = '\0';
	if (!strncmp(msg, "ok ", 3)) {
		snprintf(reply, len, "%s", msg + 3);
		return MG_EXIT_OK;
	}
	fprintf(stderr, "minerguard %s: %s\n", cmd, msg);
	return !strncmp(msg, "refused ", 8) ? MG_EXIT_PRIVILEGE : MG_EXIT_ERROR;
}

/* What the administrator path did with no daemon to log it: to syslog
 * (the journal), with who did it. */
static void audit_syslog(const char *what)
{
	openlog("minerguard", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_NOTICE, "%s (by uid %u, pid %d)", what, (unsigned)getuid(), (int)getpid());
	closelog();
}

static int not_running(const char *cmd)
{
	if (mg_pins_attached() < 0) {
		fprintf(stderr, "minerguard %s: cannot read %s: %s (run as root)\n", cmd,
			MG_PIN_DIR, strerror(EACCES));
		return MG_EXIT_PRIVILEGE;
	}
	fprintf(stderr, "minerguard %s: no running instance (no programs pinned under %s)\n",
		cmd, MG_PIN_DIR);
	return MG_EXIT_NOT_RUNNING;
}

/* Text of a "key": value in the status file, up to the matching close of
 * an array/object, or to the next ',' or '}' for a scalar. */
static int json_value(const char *doc, const char *key, const char **val, size_t *len)
{
	char pat[64];
	const char *p, *e;
	int depth = 0;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = doc ? strstr(doc, pat) : NULL;
	if (!p)
		return -1;
	p += strlen(pat);
	for (e = p; *e; e++) {
		if (*e == '"') {
			for (e++; *e && *e != '"'; e++)
				if (*e == '\\' && e[1])
					e++;
			if (!*e)
				break;
		} else if (*e == '[' || *e == '{') {
			depth++;
		} else if (*e == ']' || *e == '}') {
			if (depth == 0)
				break;
			if (--depth == 0) {
				e++;
				break;
			}
		} else if (*e == ',' && depth == 0) {
			break;
		}
	}
	*val = p;
	*len = (size_t)(e - p);
	return 0;
}

static void print_value(const char *doc, const char *key)
{
	const char *v;
	size_t n;

	if (json_value(doc, key, &v, &n)) {
		printf("?");
		return;
	}
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') { /* a plain string reads better bare */
		v++;
		n -= 2;
	}
	printf("%.*s", (int)n, v);
}

void mg_ctl_print_status_json(FILE *out, __u32 mode, __u32 backend, __u32 gen, __u32 abi,
			      const __u64 *c, const char *doc, int alive)
{
	size_t i, dl;
	unsigned h, k;

	fprintf(out, "{\"running\":true,\"mode\":\"%s\",\"backend\":\"%s\",\"generation\":%u,"
		"\"abi\":%u,\"daemon_alive\":%s,",
		mode == MG_MODE_AUDIT ? "audit" : "enforce", mg_backend_name((int)backend), gen, abi,
		alive ? "true" : "false");
	dl = doc ? strlen(doc) : 0;
	while (dl && (doc[dl - 1] == '\n' || doc[dl - 1] == ' '))
		dl--;
	if (dl) {
		long long started = mg_status_number(doc, "started_epoch");

		fprintf(out, "\"daemon\":%.*s,", (int)dl, doc);
		if (alive && started > 0)
			fprintf(out, "\"uptime_s\":%lld,", (long long)time(NULL) - started);
	} else {
		fprintf(out, "\"daemon\":null,");
	}
	fprintf(out, "\"counters\":{");
	for (i = 0; i < MG_CTR_GLOBAL_COUNT; i++)
		fprintf(out, "\"%s\":%" PRIu64 ",", mg_counter_name((unsigned)i), (uint64_t)c[i]);
	fprintf(out, "\"hooks\":{");
	for (h = 0, i = 0; h < MG_HOOK_COUNT; h++) {
		if (!hook_shown(c, h))
			continue;
		fprintf(out, "%s\"%s\":{", i++ ? "," : "", mg_hook_name((enum mg_hook)h));
		for (k = 0; k < MG_CTR_PER_HOOK; k++)
			fprintf(out, "%s\"%s\":%" PRIu64, k ? "," : "", mg_hook_counter_name(k),
				(uint64_t)hctr(c, h, k));
		fprintf(out, "}");
	}
	fprintf(out, "}}}\n");
}

static void print_text(__u32 mode, __u32 backend, __u32 gen, const __u64 *c, const char *doc,
		       int alive)
{
	unsigned h, k;
	size_t i;

	printf("minerguard: running, mode %s, backend %s, generation %u\n",
	       mode == MG_MODE_AUDIT ? "audit" : "enforce", mg_backend_name((int)backend), gen);
	if (doc) {
		printf("daemon: pid ");
		print_value(doc, "pid");
		printf(", started ");
		print_value(doc, "started");
		/* Programs stay attached through their pins: say so when the
		 * process that logs their decisions is gone. */
		if (!alive)
			printf(" (exited: enforcing without logging)");
		printf("\npolicy: sha256 ");
		print_value(doc, "sha256");
		printf(", ");
		print_value(doc, "rules");
		printf(" rules, ");
		print_value(doc, "entries");
		printf(" entries, loaded ");
		print_value(doc, "loaded");
		printf("\npolicy files: ");
		print_value(doc, "files");
		printf("\nsignatures: ");
		print_value(doc, "signatures");
		printf("\npolicy version ");
		print_value(doc, "version");
		printf(", last reload ok: ");
		print_value(doc, "ok");
		printf("\ndecisions per rule: ");
		/* the daemon's "rules" list, not the policy's rule count */
		print_value(strstr(doc, "\"stats\":"), "rules");
		printf("\n");
	} else {
		char path[PATH_MAX];

		printf("policy: unknown (%s missing)\n", mg_status_path(path, sizeof(path)));
	}
	printf("%-10s", "hook");
	for (k = 0; k < MG_CTR_PER_HOOK; k++)
		printf(" %12s", mg_hook_counter_name(k));
	printf("\n");
	for (h = 0; h < MG_HOOK_COUNT; h++) {
		if (!hook_shown(c, h))
			continue;
		printf("%-10s", mg_hook_name((enum mg_hook)h));
		for (k = 0; k < MG_CTR_PER_HOOK; k++)
			printf(" %12" PRIu64, (uint64_t)hctr(c, h, k));
		printf("\n");
	}
	for (i = 0; i < MG_CTR_GLOBAL_COUNT; i++)
		printf("%s%s: %" PRIu64, i ? ", " : "", mg_counter_name((unsigned)i),
		       (uint64_t)c[i]);
	printf("\n");
}

int mg_ctl_status(int json)
{
	__u64 counters[MG_CTR_COUNT];
	__u32 mode = 0, gen = 0, abi = 0, backend = 0;
	int state_fd = -1, ctr_fd = -1, rc;
	char *doc;

	if (mg_pins_attached() <= 0)
		return not_running("status");
	rc = open_pin("status", MG_PIN_STATE, &state_fd);
	if (rc)
		return rc;
	rc = open_pin("status", MG_PIN_COUNTERS, &ctr_fd);
	if (rc)
		goto cleanup;
	if (mg_state_read(state_fd, MG_STATE_MODE, &mode) ||
	    mg_state_read(state_fd, MG_STATE_GEN, &gen) ||
	    mg_state_read(state_fd, MG_STATE_ABI, &abi) ||
	    mg_state_read(state_fd, MG_STATE_BACKEND, &backend) || mg_counters_read(ctr_fd, counters)) {
		fprintf(stderr, "minerguard status: reading maps: %s\n", strerror(errno));
		rc = MG_EXIT_ERROR;
		goto cleanup;
	}
	doc = mg_status_read();
	if (json)
		mg_ctl_print_status_json(stdout, mode, backend, gen, abi, counters, doc,
					 mg_status_running_pid() > 0);
	else
		print_text(mode, backend, gen, counters, doc, mg_status_running_pid() > 0);
	free(doc);
	rc = MG_EXIT_OK;
cleanup:
	if (state_fd >= 0)
		close(state_fd);
	if (ctr_fd >= 0)
		close(ctr_fd);
	return rc;
}

/* Waits for the daemon to finish a reload that began after t0 (its
 * CLOCK_BOOTTIME), up to timeout_s. Returns the status document or NULL. */
static char *wait_reload(long long t0, int timeout_s)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < timeout_s * 50; i++) {
		char *doc = mg_status_read();

		if (doc && mg_status_number(doc, "reload_started_ns") >= t0 &&
		    mg_status_number(doc, "reload_seq") > 0)
			return doc;
		free(doc);
		nanosleep(&pause, NULL);
	}
	return NULL;
}

int mg_ctl_reload(void)
{
	pid_t pid = mg_status_running_pid();
	char reply[MG_CONTROL_MSG_MAX];
	struct timespec now;
	long long t0;
	const char *v;
	size_t n;
	char *doc;
	int ok;

	if (pid <= 0) {
		char path[PATH_MAX];

		fprintf(stderr, "minerguard reload: no running daemon (nobody holds %s)\n",
			mg_run_path(path, sizeof(path), MG_LOCK_NAME));
		return MG_EXIT_NOT_RUNNING;
	}
	clock_gettime(CLOCK_BOOTTIME, &now);
	t0 = now.tv_sec * 1000000000LL + now.tv_nsec;
	if ((ok = control_request("reload", "reload", reply, sizeof(reply))) != MG_EXIT_OK)
		return ok;
	doc = wait_reload(t0, 120);
	if (!doc) {
		fprintf(stderr, "minerguard reload: no result from pid %d within 120s\n", (int)pid);
		return MG_EXIT_ERROR;
	}
	ok = strstr(doc, "\"ok\":true") != NULL;
	if (ok) {
		printf("minerguard reload: ok: policy version ");
		print_value(doc, "version");
		printf(", sha256 ");
		print_value(doc, "sha256");
		printf(", ");
		print_value(doc, "rules");
		printf(" rules\n");
	} else if (!json_value(doc, "error", &v, &n)) {
		if (n >= 2 && v[0] == '"') {
			v++;
			n -= 2;
		}
		fprintf(stderr, "minerguard reload: rejected, policy unchanged: %.*s\n", (int)n, v);
	}
	free(doc);
	return ok ? MG_EXIT_OK : MG_EXIT_POLICY;
}

int mg_ctl_unload(void)
{
	pid_t pid = mg_status_running_pid();
	char err[512];
	int i, rc;

	/* A live daemon holds link fds that would keep enforcing: stop it
	 * first (its clean exit leaves the pins, which go next). */
	if (pid > 0) {
		char reply[MG_CONTROL_MSG_MAX];

		rc = control_request("unload", "unload", reply, sizeof(reply));
		if (rc != MG_EXIT_OK)
			return rc;
		for (i = 0; i < 300 && mg_status_running_pid() == pid; i++) {
			struct timespec pause = { 0, 50 * 1000 * 1000 };
			char state[256] = "", path[64];
			FILE *f;

			/* a zombie child of the caller counts as gone */
			snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
			f = fopen(path, "re");
			if (f) {
				if (!fgets(state, sizeof(state), f))
					state[0] = '\0';
				fclose(f);
				if (strstr(state, ") Z "))
					break;
			}
			nanosleep(&pause, NULL);
		}
		if (i == 300) {
			fprintf(stderr, "minerguard unload: pid %d did not exit within 15s\n", (int)pid);
			return MG_EXIT_ERROR;
		}
	}
	rc = mg_pins_remove_all(err, sizeof(err));
	if (rc) {
		fprintf(stderr, "minerguard unload: %s\n", err);
		return rc == -EPERM || rc == -EACCES ? MG_EXIT_PRIVILEGE : MG_EXIT_ERROR;
	}
	mg_status_remove();
	audit_syslog("unload: every pin removed, nothing is enforced");
	printf("minerguard: unloaded, nothing is enforced\n");
	return MG_EXIT_OK;
}

int mg_ctl_mode(int mode)
{
	int fd, rc;

	if (mg_pins_attached() <= 0)
		return not_running("mode");
	/* A running daemon switches it and logs who asked. */
	if (mg_status_running_pid() > 0) {
		char reply[MG_CONTROL_MSG_MAX];

		rc = control_request("mode", mode == MG_MODE_AUDIT ? "mode audit" : "mode enforce",
				     reply, sizeof(reply));
		if (rc == MG_EXIT_OK)
			printf("minerguard: %s\n", reply);
		return rc;
	}
	/* No daemon: the pinned state directly (self-protection lets only
	 * the administrator path do this). */
	rc = open_pin("mode", MG_PIN_STATE, &fd);
	if (rc)
		return rc;
	rc = mg_state_write(fd, MG_STATE_MODE, (__u32)mode);
	close(fd);
	if (rc) {
		fprintf(stderr, "minerguard mode: %s\n", strerror(-rc));
		return MG_EXIT_ERROR;
	}
	audit_syslog(mode == MG_MODE_AUDIT ? "mode audit written with no daemon running"
					   : "mode enforce written with no daemon running");
	printf("minerguard: mode %s\n", mode == MG_MODE_AUDIT ? "audit" : "enforce");
	return MG_EXIT_OK;
}
