/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A process's ancestry from /proc/PID/stat (name and parent pid of each),
 * so a decision says which shell, runner step or service started it. Read
 * after the decision: best effort, like the rest of enrich.h.
 */
#ifndef MG_ANCESTRY_H
#define MG_ANCESTRY_H

#include <stddef.h>
#include <sys/types.h>

#define MG_ANCESTRY_MAX 8
/* TASK_COMM_LEN is 16, but newer kernels show kernel threads' longer names */
#define MG_ANCESTOR_NAME_BYTES 64

struct mg_ancestor {
	int pid;
	char name[MG_ANCESTOR_NAME_BYTES];
};

/* The comm and ppid of a /proc/PID/stat text. The comm lies between the
 * first '(' and the last ')': it may hold ')', spaces or anything else.
 * 0, or -1 when the text is not a stat line. */
int mg_stat_parse(const char *text, size_t len, char *name, size_t namelen, pid_t *ppid);

/* Walks from pid (the process's parent) up its ppid chain: out[0] is pid
 * itself. Stops after max entries, after pid 1, or at an entry that cannot
 * be read (the process exited). Returns the number of entries. */
size_t mg_ancestry_read(const char *proc_root, pid_t pid, struct mg_ancestor *out, size_t max);

#endif
