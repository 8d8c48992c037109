/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Event fields the kernel record lacks, read from /proc after the fact:
 * the command line, the parent's executable, the container id, the
 * ancestry and the CI step. Best effort by nature (the process may be
 * gone or have changed), so events list them under minerguard.best_effort.
 */
#ifndef MG_ENRICH_H
#define MG_ENRICH_H

#include <stddef.h>
#include <sys/types.h>

#include "ancestry.h"
#include "ci_env.h"

#define MG_ENRICH_MAX_ARGS 64
#define MG_ENRICH_ARGS_BYTES 4096

struct mg_enrich {
	const char *args[MG_ENRICH_MAX_ARGS]; /* point into argbuf */
	size_t nargs;
	char argbuf[MG_ENRICH_ARGS_BYTES];
	char parent_exe[4096];  /* "" when unknown */
	char container_id[65];  /* "" when not in a container */
	/* the parent, its parent, ...: ancestors[0].pid is the ppid given */
	struct mg_ancestor ancestors[MG_ANCESTRY_MAX];
	size_t nancestors;
	/* from the environment of the process, else of its nearest ancestor
	 * that has any of the variables */
	struct mg_ci_env ci;
};

/* Fill e for process tgid with parent ppid; proc_root is "/proc" except in
 * tests. Missing pieces are left empty; never fails. */
void mg_enrich_read(const char *proc_root, pid_t tgid, pid_t ppid, struct mg_enrich *e);

/* The container id (64 hex digits) named by a /proc/PID/cgroup text, as
 * docker, containerd, CRI-O and podman write it; 0 if found, -1 if not. */
int mg_container_id(const char *cgroup_text, char *out, size_t len);

#endif
