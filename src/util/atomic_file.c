// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mg_dir_check(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (stat(dir, &st)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", dir);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen,
			 "%s: refusing a directory writable by group or others (mode %04o); "
			 "use a directory only its owner can write to",
			 dir, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

/* The directory part of path ("." for a bare name). */
static int dir_of(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;

	if (n + 1 > len)
		return -1;
	if (!slash)
		memcpy(out, ".", 1);
	else if (n == 0)
		memcpy(out, "/", ++n);
	else
		memcpy(out, path, n);
	out[n] = '\0';
	return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

int mg_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	int fd;

	if (dir_of(path, dir, sizeof(dir)) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir,
			     strrchr(path, '/') ? strrchr(path, '/') + 1 : path) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	if (mg_dir_check(dir, err, errlen))
		return -1;
	/* a new name of our own: never opens what someone else put there */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: creating a temporary file: %s", path, strerror(errno));
		return -1;
	}
	/* readable by the collector whatever our umask (the unit sets 0077) */
	if (fchmod(fd, 0644) || write_all(fd, data, len) || fsync(fd)) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
