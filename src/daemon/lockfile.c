// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"

/* A probe by mg_lock_holder holds LOCK_SH for a moment: retry over this
 * long before calling the lock taken. */
#define MG_LOCK_TRIES 25
#define MG_LOCK_PAUSE_NS (20 * 1000 * 1000)

static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long v;
	char *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	v = strtol(buf, &end, 10);
	return v > 0 && (*end == '\n' || *end == '\0') ? (pid_t)v : 0;
}

static int write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n)
		return -1;
	return 0;
}

/* The directory part of path, checked like the status file's. */
static int check_dir(const char *path, char *err, size_t errlen)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (!slash || n >= sizeof(dir)) {
		snprintf(err, errlen, "%s: not an absolute path", path);
		return -1;
	}
	memcpy(dir, path, n ? n : 1);
	dir[n ? n : 1] = '\0';
	return mg_dir_check(dir, err, errlen);
}

static int lock_with_retries(int fd)
{
	struct timespec pause = { 0, MG_LOCK_PAUSE_NS };

	for (int i = 0; i < MG_LOCK_TRIES; i++) {
		if (!flock(fd, LOCK_EX | LOCK_NB))
			return 0;
		if (errno != EWOULDBLOCK)
			return -1;
		nanosleep(&pause, NULL);
	}
	errno = EWOULDBLOCK;
	return -1;
}

int mg_lock_acquire(const char *path, pid_t *holder, char *err, size_t errlen)
{
	int fd;

	*holder = 0;
	if (check_dir(path, err, errlen))
		return -1;
	/* never through a planted symlink */
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (lock_with_retries(fd)) {
		int e = errno;

		if (e == EWOULDBLOCK) {
			*holder = read_pid(fd);
			snprintf(err, errlen, "another instance (pid %d) holds %s", (int)*holder, path);
		} else {
			snprintf(err, errlen, "locking %s: %s", path, strerror(e));
		}
		close(fd);
		return -1;
	}
	if (write_pid(fd)) {
		snprintf(err, errlen, "writing %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int mg_lock_holder(const char *path, pid_t *pid)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int held;

	*pid = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (!flock(fd, LOCK_SH | LOCK_NB)) {
		held = 0; /* nobody holds it: whatever pid it names is stale */
	} else if (errno == EWOULDBLOCK) {
		held = 1;
		*pid = read_pid(fd);
	} else {
		held = -1;
	}
	close(fd); /* drops our probe's LOCK_SH */
	return held;
}
