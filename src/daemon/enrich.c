// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "enrich.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n;
}

static size_t hex_run(const char *s)
{
	size_t n = 0;

	while (isxdigit((unsigned char)s[n]) && !isupper((unsigned char)s[n]))
		n++;
	return n;
}

int mg_container_id(const char *text, char *out, size_t len)
{
	/* The id is a run of exactly 64 lowercase hex digits after one of
	 * these markers, in the last path component that has one. */
	static const char *const markers[] = { "docker-", "cri-containerd-", "crio-",
					       "libpod-", "/docker/", "/kubepods/", "/" };
	const char *p;

	if (len < 65)
		return -1;
	for (p = text; *p; p++) {
		for (size_t m = 0; m < sizeof(markers) / sizeof(markers[0]); m++) {
			size_t ml = strlen(markers[m]);

			if (strncmp(p, markers[m], ml))
				continue;
			if (hex_run(p + ml) == 64 && !isxdigit((unsigned char)p[ml + 64])) {
				memcpy(out, p + ml, 64);
				out[64] = '\0';
				return 0;
			}
		}
	}
	out[0] = '\0';
	return -1;
}

void mg_enrich_read(const char *proc_root, pid_t tgid, pid_t ppid, struct mg_enrich *e)
{
	char path[PATH_MAX], cg[8192];
	ssize_t n;

	memset(e, 0, sizeof(*e));
	snprintf(path, sizeof(path), "%s/%d/cmdline", proc_root, (int)tgid);
	n = read_small(path, e->argbuf, sizeof(e->argbuf) - 1);
	if (n > 0) {
		e->argbuf[n] = '\0';
		for (ssize_t i = 0; i < n && e->nargs < MG_ENRICH_MAX_ARGS;) {
			e->args[e->nargs++] = e->argbuf + i;
			i += (ssize_t)strlen(e->argbuf + i) + 1;
		}
	}
	if (ppid > 0) {
		snprintf(path, sizeof(path), "%s/%d/exe", proc_root, (int)ppid);
		n = readlink(path, e->parent_exe, sizeof(e->parent_exe) - 1);
		e->parent_exe[n > 0 ? n : 0] = '\0';
	}
	snprintf(path, sizeof(path), "%s/%d/cgroup", proc_root, (int)tgid);
	n = read_small(path, cg, sizeof(cg) - 1);
	if (n > 0) {
		cg[n] = '\0';
		mg_container_id(cg, e->container_id, sizeof(e->container_id));
	}
	/* From the kernel's ppid, not the current one: a process whose parent
	 * exited has been reparented since the decision. */
	e->nancestors = mg_ancestry_read(proc_root, ppid, e->ancestors, MG_ANCESTRY_MAX);
	/* A step's own processes carry GITHUB_ACTION; one that cleared its
	 * environment, or has already exited, has a shell above that does. */
	if (!mg_ci_env_read(proc_root, tgid, &e->ci))
		for (size_t i = 0; i < e->nancestors; i++)
			if (mg_ci_env_read(proc_root, e->ancestors[i].pid, &e->ci))
				break;
}
