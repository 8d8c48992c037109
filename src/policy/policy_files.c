/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Which files a policy load reads, and reading them safely: a size cap
 * checked before reading, no Lua bytecode, and a record of every file so
 * the policy's digest covers exactly what was executed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lua.h>

#include "policy_internal.h"
#include "sha256.h"

char *mg_path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	int slash = dl > 0 && dir[dl - 1] != '/';
	char *s = malloc(dl + slash + nl + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, dir, dl);
	if (slash)
		s[dl] = '/';
	memcpy(s + dl + slash, name, nl + 1);
	return s;
}

static int record_file(struct mg_host *h, const char *path, const char *data, size_t len,
		       const struct stat *st)
{
	struct mg_read_file *grown, *f;

	for (size_t i = 0; i < h->nfiles; i++)
		if (strcmp(h->files[i].path, path) == 0)
			return 0;
	grown = realloc(h->files, (h->nfiles + 1) * sizeof(*h->files));
	if (grown == NULL)
		return -1;
	h->files = grown;
	f = &h->files[h->nfiles];
	f->path = strdup(path);
	if (f->path == NULL)
		return -1;
	mg_sha256_hex_of(data, len, f->sha256);
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	h->nfiles++;
	return 0;
}

char *mg_file_read(struct mg_host *h, const char *path, int record, size_t *len, char *err,
		   size_t errlen)
{
	size_t cap = h->limits.max_file_bytes, got = 0;
	struct stat st;
	char *buf = NULL;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		mg_policy_errf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		mg_policy_errf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if ((unsigned long long)st.st_size > cap) {
		mg_policy_errf(err, errlen, "%s: file is %lld bytes, over the limit of %zu bytes",
			       path, (long long)st.st_size, cap);
		goto fail;
	}
	buf = malloc(cap + 2);
	if (buf == NULL) {
		mg_policy_errf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	/* Read at most cap + 1 bytes: the file may grow after fstat. */
	while (got <= cap) {
		ssize_t n = read(fd, buf + got, cap + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			mg_policy_errf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > cap) {
		mg_policy_errf(err, errlen, "%s: file is over the limit of %zu bytes", path, cap);
		goto fail;
	}
	buf[got] = '\0';
	if (got >= 4 && memcmp(buf, LUA_SIGNATURE, 4) == 0) {
		mg_policy_errf(err, errlen,
			       "%s: is precompiled Lua bytecode; only Lua source text is accepted",
			       path);
		goto fail;
	}
	if (record && record_file(h, path, buf, got, &st) != 0) {
		mg_policy_errf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	close(fd);
	*len = got;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

struct found_file {
	char *path;
	dev_t dev;
	ino_t ino;
};

static int cmp_found(const void *a, const void *b)
{
	return strcmp(((const struct found_file *)a)->path, ((const struct found_file *)b)->path);
}

static int add_found(struct found_file **v, size_t *n, char *path, const struct stat *st)
{
	struct found_file *grown = realloc(*v, (*n + 1) * sizeof(**v));

	if (grown == NULL) {
		free(path);
		return -1;
	}
	*v = grown;
	(*v)[*n].path = path;
	(*v)[*n].dev = st->st_dev;
	(*v)[*n].ino = st->st_ino;
	(*n)++;
	return 0;
}

/* Sorts by path and drops later spellings of the same file. */
static void sort_unique(struct found_file *v, size_t *n)
{
	size_t kept = 0;

	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_found);
	for (size_t i = 0; i < *n; i++) {
		int dup = 0;

		for (size_t k = 0; k < kept && !dup; k++)
			dup = v[k].dev == v[i].dev && v[k].ino == v[i].ino;
		if (dup)
			free(v[i].path);
		else
			v[kept++] = v[i];
	}
	*n = kept;
}

/* Adds the top-level *.lua files of dir; returns how many, or -1. */
static long list_dir(const char *dir, struct found_file **v, size_t *n, char *err,
		     size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long count = 0;

	if (d == NULL) {
		mg_policy_errf(err, errlen, "%s: cannot read directory: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		struct stat st;
		char *path;

		/* Hidden files are editor leftovers, not policies. */
		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".lua") != 0)
			continue;
		path = mg_path_join(dir, e->d_name);
		if (path == NULL)
			goto oom;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (add_found(v, n, path, &st) != 0)
			goto oom;
		count++;
	}
	closedir(d);
	return count;
oom:
	closedir(d);
	mg_policy_errf(err, errlen, "%s: out of memory", dir);
	return -1;
}

/* The directory holding a file given by path, as given: "" for "x.lua". */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup("");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* A directory as given, without trailing '/' (except "/" itself). */
static char *dir_clean(const char *dir)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	return strndup(dir, len);
}

int mg_files_collect(struct mg_host *h, const char *const *paths, size_t npaths,
		     char ***files_out, size_t *nfiles_out, char *err, size_t errlen)
{
	struct found_file *files = NULL, *dirs = NULL;
	size_t nfiles = 0, ndirs = 0;
	char **out = NULL;

	if (npaths == 0) {
		mg_policy_errf(err, errlen, "policy: no policy file or directory given");
		return -1;
	}
	for (size_t i = 0; i < npaths; i++) {
		struct stat st, dst;
		char *dir;

		if (stat(paths[i], &st) != 0) {
			mg_policy_errf(err, errlen, "%s: cannot read policy: %s", paths[i],
				       strerror(errno));
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			dir = dir_clean(paths[i]);
			if (dir == NULL)
				goto oom;
			long n = list_dir(dir, &files, &nfiles, err, errlen);
			if (n < 0) {
				free(dir);
				goto fail;
			}
			if (n == 0) {
				mg_policy_errf(err, errlen, "%s: no *.lua policy files in the directory",
					       paths[i]);
				free(dir);
				goto fail;
			}
			dst = st;
		} else if (S_ISREG(st.st_mode)) {
			char *copy = strdup(paths[i]);

			if (copy == NULL || add_found(&files, &nfiles, copy, &st) != 0)
				goto oom;
			dir = dir_of(paths[i]);
			if (dir == NULL)
				goto oom;
			if (stat(dir[0] ? dir : ".", &dst) != 0) {
				free(dir);
				continue;
			}
		} else {
			mg_policy_errf(err, errlen, "%s: not a regular file or directory", paths[i]);
			goto fail;
		}
		if (add_found(&dirs, &ndirs, dir, &dst) != 0)
			goto oom;
	}
	sort_unique(files, &nfiles);
	sort_unique(dirs, &ndirs);
	out = calloc(nfiles, sizeof(*out));
	h->dirs = calloc(ndirs ? ndirs : 1, sizeof(*h->dirs));
	if (out == NULL || h->dirs == NULL)
		goto oom;
	for (size_t i = 0; i < nfiles; i++)
		out[i] = files[i].path;
	for (size_t i = 0; i < ndirs; i++)
		h->dirs[i] = dirs[i].path;
	h->ndirs = ndirs;
	free(files);
	free(dirs);
	*files_out = out;
	*nfiles_out = nfiles;
	return 0;
oom:
	mg_policy_errf(err, errlen, "policy: out of memory");
fail:
	for (size_t i = 0; i < nfiles; i++)
		free(files[i].path);
	for (size_t i = 0; i < ndirs; i++)
		free(dirs[i].path);
	free(files);
	free(dirs);
	free(out);
	return -1;
}

static int cmp_read_file(const void *a, const void *b)
{
	return strcmp(((const struct mg_read_file *)a)->path,
		      ((const struct mg_read_file *)b)->path);
}

int mg_files_finish(struct mg_host *h, struct mg_policy *p)
{
	struct mg_sha256 ctx;
	uint8_t digest[32];

	p->files = calloc(h->nfiles ? h->nfiles : 1, sizeof(*p->files));
	if (p->files == NULL)
		return -1;
	if (h->nfiles > 1)
		qsort(h->files, h->nfiles, sizeof(*h->files), cmp_read_file);
	mg_sha256_init(&ctx);
	for (size_t i = 0; i < h->nfiles; i++) {
		/* Exactly a line of `sha256sum` output. */
		mg_sha256_update(&ctx, h->files[i].sha256, 64);
		mg_sha256_update(&ctx, "  ", 2);
		mg_sha256_update(&ctx, h->files[i].path, strlen(h->files[i].path));
		mg_sha256_update(&ctx, "\n", 1);
		p->files[i] = h->files[i].path;
		h->files[i].path = NULL;
	}
	p->nfiles = h->nfiles;
	mg_sha256_final(&ctx, digest);
	mg_sha256_hex(digest, p->sha256);
	return 0;
}

void mg_files_free(struct mg_host *h)
{
	for (size_t i = 0; i < h->nfiles; i++)
		free(h->files[i].path);
	free(h->files);
	h->files = NULL;
	h->nfiles = 0;
	for (size_t i = 0; i < h->ndirs; i++)
		free(h->dirs[i]);
	free(h->dirs);
	h->dirs = NULL;
	h->ndirs = 0;
}
