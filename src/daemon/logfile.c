// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_FLAGS (O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)

/* Created by us (fd, *created = 1) or already there (*created = 0). */
static int open_or_create(const char *path, unsigned mode, int *created)
{
	int fd = open(path, LOG_FLAGS | O_CREAT | O_EXCL, mode);

	*created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(path, LOG_FLAGS);
	return fd;
}

FILE *mg_log_open(const char *path, unsigned mode, char *err, size_t errlen)
{
	struct stat st;
	int created, fd = open_or_create(path, mode, &created);
	FILE *f;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
			 errno == ELOOP ? " (a symlink: give the real path)" : "");
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	/* the umask may only have removed bits: set exactly what was asked */
	if (created && fchmod(fd, mode)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "a");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}
