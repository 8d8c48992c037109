// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Killing the processes that run a miner file (see reaper.h). */
#include "reaper.h"

#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void read_comm(const char *proc_root, const char *pid, char *out, size_t len)
{
	char path[300];
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s/comm", proc_root, pid);
	if (!(f = fopen(path, "re")))
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

size_t mg_reap_exe(const char *proc_root, dev_t dev, ino_t ino, int kill_it, mg_reap_fn fn, void *ctx)
{
	DIR *d = opendir(proc_root);
	struct dirent *e;
	size_t found = 0;
	pid_t self = getpid();

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[300], comm[64];
		struct stat st;
		pid_t pid;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)atoi(e->d_name);
		snprintf(path, sizeof(path), "%s/%s/exe", proc_root, e->d_name);
		/* stat follows the link to the file the process runs, even
		 * after it was renamed or unlinked */
		if (pid == self || stat(path, &st) || st.st_dev != dev || st.st_ino != ino)
			continue;
		read_comm(proc_root, e->d_name, comm, sizeof(comm));
		found++;
		fn(ctx, pid, comm, kill_it && kill(pid, SIGKILL) == 0);
	}
	closedir(d);
	return found;
}
