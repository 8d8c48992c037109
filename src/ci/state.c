// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The CI state directory and its key=value file, see state.h. */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *mg_ci_state_dir(const char *opt)
{
	const char *rt = getenv("RUNNER_TEMP");
	char *d;

	if (opt && *opt)
		return strdup(opt);
	if (rt && *rt) {
		d = malloc(strlen(rt) + sizeof("/minerguard"));
		if (d)
			sprintf(d, "%s/minerguard", rt);
		return d;
	}
	return strdup("/tmp/minerguard-ci");
}

int mg_ci_state_prepare(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "creating state directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st)) {
		snprintf(err, errlen, "state directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 0022)) {
		snprintf(err, errlen, "state directory %s is not a directory of ours writable only "
			 "by us (a symlink, another owner, or group/world-writable): refusing it", dir);
		return -1;
	}
	return 0;
}

char *mg_ci_path(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	if (p)
		sprintf(p, "%s/%s", dir, name);
	return p;
}

int mg_kv_load(struct mg_kv *kv, const char *path)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	memset(kv, 0, sizeof(*kv));
	if (!f)
		return -1;
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *eq = strchr(line, '=');

		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (!eq)
			continue;
		*eq = '\0';
		mg_kv_set(kv, line, eq + 1);
	}
	free(line);
	fclose(f);
	return 0;
}

const char *mg_kv_get(const struct mg_kv *kv, const char *key)
{
	for (size_t i = 0; i < kv->n; i++)
		if (!strcmp(kv->key[i], key))
			return kv->val[i];
	return NULL;
}

int mg_kv_set(struct mg_kv *kv, const char *key, const char *val)
{
	char *v = strdup(val ? val : ""), **nk, **nv;
	size_t i;

	if (!v)
		return -1;
	for (char *p = v; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	for (i = 0; i < kv->n; i++)
		if (!strcmp(kv->key[i], key)) {
			free(kv->val[i]);
			kv->val[i] = v;
			return 0;
		}
	nk = realloc(kv->key, (kv->n + 1) * sizeof(*nk));
	if (nk)
		kv->key = nk;
	nv = realloc(kv->val, (kv->n + 1) * sizeof(*nv));
	if (nv)
		kv->val = nv;
	if (!nk || !nv || !(kv->key[kv->n] = strdup(key))) {
		free(v);
		return -1;
	}
	kv->val[kv->n++] = v;
	return 0;
}

int mg_kv_setf(struct mg_kv *kv, const char *key, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return mg_kv_set(kv, key, buf);
}

int mg_kv_save(const struct mg_kv *kv, const char *path)
{
	char *tmp = malloc(strlen(path) + 8);
	FILE *f;
	int fd, rc = -1;

	if (!tmp)
		return -1;
	sprintf(tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		goto out;
	}
	for (size_t i = 0; i < kv->n; i++)
		fprintf(f, "%s=%s\n", kv->key[i], kv->val[i]);
	if (fflush(f) || fsync(fileno(f)) || fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

void mg_kv_free(struct mg_kv *kv)
{
	for (size_t i = 0; i < kv->n; i++) {
		free(kv->key[i]);
		free(kv->val[i]);
	}
	free(kv->key);
	free(kv->val);
	memset(kv, 0, sizeof(*kv));
}

void mg_ci_note(const char *dir, const char *fmt, ...)
{
	char *path = mg_ci_path(dir, MG_CI_NOTES_FILE), buf[2048];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	f = path ? fopen(path, "ae") : NULL;
	if (f) {
		fprintf(f, "%s\n", buf);
		fclose(f);
	}
	free(path);
}

char **mg_ci_notes(const char *dir, size_t *n)
{
	char *path = mg_ci_path(dir, MG_CI_NOTES_FILE), *line = NULL, **v = NULL, **nv;
	FILE *f = path ? fopen(path, "re") : NULL;
	size_t cap = 0;
	ssize_t len;

	*n = 0;
	free(path);
	if (!f)
		return NULL;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[len - 1] = '\0';
		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		if (!(v[*n] = strdup(line)))
			break;
		(*n)++;
	}
	free(line);
	fclose(f);
	return v;
}

void mg_ci_notes_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
