// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The daemon's status file, written atomically. */
#include "status_file.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"

int mg_status_write(const struct mg_image *img, int mode, int exe_in_kernel, time_t started,
		    char *err, size_t errlen)
{
	const struct mg_policy *p = img->policy;
	size_t cap = 4096, i;
	char tmp[] = MG_STATUS_DIR "/.status.XXXXXX";
	char started_s[32], loaded_s[32];
	struct mg_json j;
	time_t now = time(NULL);
	struct tm tm;
	char *buf;
	int fd, n, rc = -1;

	for (i = 0; i < p->nfiles; i++)
		cap += 8 + 2 * strlen(p->files[i]) * 3;
	buf = malloc(cap);
	if (!buf) {
		snprintf(err, errlen, "status file: out of memory");
		return -1;
	}
	gmtime_r(&started, &tm);
	strftime(started_s, sizeof(started_s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	gmtime_r(&now, &tm);
	strftime(loaded_s, sizeof(loaded_s), "%Y-%m-%dT%H:%M:%SZ", &tm);

	mg_json_init(&j, buf, cap);
	mg_json_obj_begin(&j, NULL);
	mg_json_u64(&j, "pid", (uint64_t)getpid());
	mg_json_str(&j, "started", started_s);
	mg_json_u64(&j, "abi", MG_ABI_VERSION);
	mg_json_str(&j, "mode_at_start", mode == MG_MODE_AUDIT ? "audit" : "enforce");
	mg_json_bool(&j, "exe_in_kernel", exe_in_kernel != 0);
	mg_json_obj_begin(&j, "policy");
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
	mg_json_obj_end(&j);
	n = mg_json_finish(&j);
	if (n < 0) {
		snprintf(err, errlen, "status file: too large");
		goto out;
	}
	if (mkdir(MG_STATUS_DIR, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "creating %s: %s", MG_STATUS_DIR, strerror(errno));
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "writing %s: %s", MG_STATUS_FILE, strerror(errno));
		goto out;
	}
	buf[n] = '\n';
	if (fchmod(fd, 0644) || write(fd, buf, (size_t)n + 1) != n + 1 || fsync(fd)) {
		snprintf(err, errlen, "writing %s: %s", MG_STATUS_FILE, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, MG_STATUS_FILE)) {
		snprintf(err, errlen, "renaming to %s: %s", MG_STATUS_FILE, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

void mg_status_remove(void)
{
	unlink(MG_STATUS_FILE);
}

char *mg_status_read(void)
{
	FILE *f = fopen(MG_STATUS_FILE, "re");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(65536);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

pid_t mg_status_running_pid(void)
{
	char *s = mg_status_read(), *p;
	long pid = 0;

	if (!s)
		return 0;
	p = strstr(s, "\"pid\":");
	if (p)
		pid = strtol(p + 6, NULL, 10);
	free(s);
	if (pid <= 0 || pid == (long)getpid())
		return 0;
	if (kill((pid_t)pid, 0) && errno == ESRCH)
		return 0;
	return (pid_t)pid;
}
