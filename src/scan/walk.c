// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Depth-first, by directory descriptors, sorted by nothing (readdir order). */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WALK_PATH_MAX (64 * 1024) /* deeper than PATH_MAX: trees can be */

struct walk {
	mg_walk_fn fn;
	void *ctx;
	char *path;
};

static enum mg_walk_type type_of(const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return MG_WALK_FILE;
	if (S_ISLNK(st->st_mode))
		return MG_WALK_LINK;
	return MG_WALK_SPECIAL;
}

static int walk_dir(struct walk *w, int dfd, size_t plen);

/* One entry of the directory dfd, whose path is w->path[0..plen). */
static int walk_entry(struct walk *w, int dfd, size_t plen, const char *name)
{
	size_t nlen = strlen(name);
	struct stat st;
	int fd, rc;

	if (plen + 1 + nlen + 1 > WALK_PATH_MAX)
		return w->fn(w->ctx, w->path, MG_WALK_ERROR, NULL, ENAMETOOLONG);
	if (plen == 0 || w->path[plen - 1] != '/')
		w->path[plen++] = '/';
	memcpy(w->path + plen, name, nlen + 1);
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return w->fn(w->ctx, w->path, MG_WALK_ERROR, NULL, errno);
	if (!S_ISDIR(st.st_mode))
		return w->fn(w->ctx, w->path, type_of(&st), &st, 0);
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return w->fn(w->ctx, w->path, MG_WALK_ERROR, NULL, errno);
	rc = walk_dir(w, fd, plen + nlen);
	return rc;
}

/* Takes over dfd. */
static int walk_dir(struct walk *w, int dfd, size_t plen)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		int err = errno;

		close(dfd);
		return w->fn(w->ctx, w->path, MG_WALK_ERROR, NULL, err);
	}
	while (rc == 0 && (errno = 0, e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		rc = walk_entry(w, dirfd(d), plen, e->d_name);
		w->path[plen] = '\0';
	}
	if (rc == 0 && errno != 0)
		rc = w->fn(w->ctx, w->path, MG_WALK_ERROR, NULL, errno);
	closedir(d);
	return rc;
}

int mg_walk(const char *root, mg_walk_fn fn, void *ctx)
{
	struct walk w = { .fn = fn, .ctx = ctx };
	size_t len = strlen(root);
	struct stat st;
	int fd, rc;

	if (len + 1 > WALK_PATH_MAX)
		return fn(ctx, root, MG_WALK_ERROR, NULL, ENAMETOOLONG);
	if (lstat(root, &st) != 0)
		return fn(ctx, root, MG_WALK_ERROR, NULL, errno);
	if (!S_ISDIR(st.st_mode))
		return fn(ctx, root, type_of(&st), &st, 0);
	fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fn(ctx, root, MG_WALK_ERROR, NULL, errno);
	w.path = malloc(WALK_PATH_MAX);
	if (!w.path) {
		close(fd);
		return fn(ctx, root, MG_WALK_ERROR, NULL, ENOMEM);
	}
	memcpy(w.path, root, len + 1);
	while (len > 1 && w.path[len - 1] == '/')
		w.path[--len] = '\0';
	rc = walk_dir(&w, fd, len);
	free(w.path);
	return rc;
}
