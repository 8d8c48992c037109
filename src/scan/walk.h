/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Walking a tree without leaving it: every entry is examined with
 * fstatat(AT_SYMLINK_NOFOLLOW) relative to its directory's descriptor, and
 * directories are entered with openat(O_NOFOLLOW), so a symlink is never
 * followed (it is reported as a link, by its own path).
 */
#ifndef MG_WALK_H
#define MG_WALK_H

#include <sys/stat.h>

enum mg_walk_type {
	MG_WALK_FILE,    /* regular file */
	MG_WALK_LINK,    /* symbolic link: not followed */
	MG_WALK_SPECIAL, /* device, socket, FIFO: never opened */
	MG_WALK_ERROR,   /* could not be examined or entered; errno in err */
};

/* path: the entry's path (the root as given, then root/...). Return
 * non-zero to stop the walk. */
typedef int (*mg_walk_fn)(void *ctx, const char *path, enum mg_walk_type type,
			  const struct stat *st, int err);

/* Walks root (a file or a directory). Returns 0, or the callback's
 * non-zero value. */
int mg_walk(const char *root, mg_walk_fn fn, void *ctx);

#endif
