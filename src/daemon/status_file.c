// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The daemon's status file, written atomically. */
#include "status_file.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "json.h"
#include "lockfile.h"
#include "paths.h"

int mg_status_write(const struct mg_status *st, char *err, size_t errlen)
{
	const struct mg_image *img = st->img;
	const struct mg_policy *p = img->policy;
	size_t cap = 8192, i;
	char path[PATH_MAX];
	char started_s[32], loaded_s[32];
	struct mg_json j;
	struct tm tm;
	char *buf;
	int n, rc = -1;

	for (i = 0; i < p->nfiles; i++)
		cap += 8 + strlen(p->files[i]) * 6;
	for (i = 0; i < st->nrules; i++)
		cap += 96 + strlen(st->rules[i].rule) * 6;
	cap += st->reload_error ? strlen(st->reload_error) * 6 : 0;
	buf = malloc(cap);
	if (!buf) {
		snprintf(err, errlen, "status file: out of memory");
		return -1;
	}
	gmtime_r(&st->started, &tm);
	strftime(started_s, sizeof(started_s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	gmtime_r(&st->policy_loaded, &tm);
	strftime(loaded_s, sizeof(loaded_s), "%Y-%m-%dT%H:%M:%SZ", &tm);

	mg_json_init(&j, buf, cap);
	mg_json_obj_begin(&j, NULL);
	mg_json_u64(&j, "pid", (uint64_t)getpid());
	mg_json_str(&j, "started", started_s);
	mg_json_u64(&j, "started_epoch", (uint64_t)st->started);
	mg_json_u64(&j, "abi", MG_ABI_VERSION);
	mg_json_str(&j, "mode", st->mode == MG_MODE_AUDIT ? "audit" : "enforce");
	mg_json_bool(&j, "exe_in_kernel", st->exe_in_kernel != 0);
	mg_json_bool(&j, "adopted", st->adopted != 0);
	mg_json_obj_begin(&j, "policy");
	mg_json_u64(&j, "version", st->policy_version);
	mg_json_str(&j, "loaded", loaded_s);
	mg_json_str(&j, "sha256", p->sha256);
	mg_json_arr_begin(&j, "files");
	for (i = 0; i < p->nfiles; i++)
		mg_json_str(&j, NULL, p->files[i]);
	mg_json_arr_end(&j);
	mg_json_u64(&j, "rules", img->nrules);
	mg_json_u64(&j, "entries", img->nentries);
	mg_json_obj_begin(&j, "signatures");
	for (i = MG_KIND_NAME; i < MG_KIND_COUNT; i++)
		mg_json_u64(&j, mg_kind_name((enum mg_kind)i), img->count[i]);
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	mg_json_obj_begin(&j, "reload");
	mg_json_u64(&j, "reload_seq", st->reload_seq);
	mg_json_i64(&j, "reload_started_ns", st->reload_started_ns);
	mg_json_bool(&j, "ok", st->reload_ok != 0);
	mg_json_str(&j, "error", st->reload_error);
	mg_json_obj_end(&j);
	mg_json_obj_begin(&j, "stats");
	mg_json_u64(&j, "events_logged", st->events_logged);
	mg_json_u64(&j, "events_folded", st->events_folded);
	mg_json_u64(&j, "events_suppressed", st->events_suppressed);
	mg_json_u64(&j, "events_format_failed", st->events_format_failed);
	mg_json_u64(&j, "reloads_ok", st->reloads_ok);
	mg_json_u64(&j, "reloads_rejected", st->reloads_failed);
	mg_json_u64(&j, "tamper_detected", st->tamper_detected);
	/* "audited"/"blocked", not the kernel counters' "audit"/"block" */
	mg_json_arr_begin(&j, "rules");
	for (i = 0; i < st->nrules; i++) {
		mg_json_obj_begin(&j, NULL);
		mg_json_str(&j, "name", st->rules[i].rule);
		mg_json_u64(&j, "audited", st->rules[i].audit);
		mg_json_u64(&j, "blocked", st->rules[i].block);
		mg_json_obj_end(&j);
	}
	mg_json_arr_end(&j);
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	n = mg_json_finish(&j);
	if (n < 0) {
		snprintf(err, errlen, "status file: too large");
		goto out;
	}
	buf[n] = '\n';
	if (mkdir(mg_run_dir(), 0755) && errno != EEXIST) {
		snprintf(err, errlen, "creating %s: %s", mg_run_dir(), strerror(errno));
		goto out;
	}
	if (mg_write_atomic(mg_status_path(path, sizeof(path)), buf, (size_t)n + 1, err, errlen))
		goto out;
	rc = 0;
out:
	free(buf);
	return rc;
}

const char *mg_status_path(char *out, size_t len)
{
	return mg_run_path(out, len, MG_STATUS_NAME);
}

void mg_status_remove(void)
{
	char path[PATH_MAX];

	unlink(mg_status_path(path, sizeof(path)));
}

/* The whole file, however large (thousands of rules pass 64 KiB). */
char *mg_status_read(void)
{
	char path[PATH_MAX];
	FILE *f = fopen(mg_status_path(path, sizeof(path)), "re");
	size_t len = 0, cap = 65536;
	char *buf = NULL;

	if (!f)
		return NULL;
	for (;;) {
		char *bigger = realloc(buf, cap + 1);

		if (!bigger) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = bigger;
		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
		cap *= 2;
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

long long mg_status_number(const char *doc, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = doc ? strstr(doc, pat) : NULL;
	if (!p)
		return -1;
	return strtoll(p + strlen(pat), NULL, 10);
}

/* The status file outlives the daemon (enforcement does too), so its pid
 * proves nothing: the daemon is whoever holds the lock. */
pid_t mg_status_running_pid(void)
{
	char path[PATH_MAX];
	pid_t pid;

	if (mg_lock_holder(mg_run_path(path, sizeof(path), MG_LOCK_NAME), &pid) != 1)
		return 0;
	return pid == getpid() ? 0 : pid;
}
