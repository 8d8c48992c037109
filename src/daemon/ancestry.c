// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The ppid chain from /proc/PID/stat, see ancestry.h. */
#include "ancestry.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mg_stat_parse(const char *text, size_t len, char *name, size_t namelen, pid_t *ppid)
{
	/* the last ')': a comm such as "a) S 1 (" must not end it early */
	const char *lp = memchr(text, '(', len), *rp = memrchr(text, ')', len);
	const char *p, *end = text + len;
	size_t n;
	char num[24];
	long v;

	if (!lp || !rp || rp < lp || !namelen)
		return -1;
	/* ") S 123 ...": skip the state, then the ppid */
	p = rp + 1;
	if (end - p < 4 || p[0] != ' ' || p[2] != ' ')
		return -1;
	p += 3;
	for (n = 0; p + n < end && n < sizeof(num) - 1 && p[n] >= '0' && p[n] <= '9'; n++)
		num[n] = p[n];
	if (!n || (p + n < end && p[n] != ' '))
		return -1;
	num[n] = '\0';
	v = strtol(num, NULL, 10);
	if (v < 0 || v > INT_MAX)
		return -1;
	n = (size_t)(rp - lp - 1);
	if (n >= namelen)
		n = namelen - 1;
	memcpy(name, lp + 1, n);
	name[n] = '\0';
	*ppid = (pid_t)v;
	return 0;
}

static int read_stat(const char *proc_root, pid_t pid, struct mg_ancestor *a, pid_t *ppid)
{
	char path[PATH_MAX], buf[1024];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%d/stat", proc_root, (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || mg_stat_parse(buf, (size_t)n, a->name, sizeof(a->name), ppid))
		return -1;
	a->pid = (int)pid;
	return 0;
}

size_t mg_ancestry_read(const char *proc_root, pid_t pid, struct mg_ancestor *out, size_t max)
{
	size_t n = 0;
	pid_t ppid;

	/* max bounds a cycle too (a reused pid, or a fake /proc) */
	while (n < max && pid > 0 && read_stat(proc_root, pid, &out[n], &ppid) == 0) {
		n++;
		if (pid == 1)
			break;
		pid = ppid;
	}
	return n;
}
