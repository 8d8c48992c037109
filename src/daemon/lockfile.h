/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The running daemon is whoever holds <run dir>/minerguard.lock with
 * flock(LOCK_EX). The pid written inside is trusted only while the lock is
 * held, so a stale pid (a crash, a reboot, pid reuse) never blocks `run`
 * nor receives `reload`'s SIGHUP.
 */
#ifndef MG_LOCKFILE_H
#define MG_LOCKFILE_H

#include <stddef.h>
#include <sys/types.h>

#define MG_LOCK_NAME "minerguard.lock"

/* Takes the lock at path (creating it; the directory must pass
 * mg_dir_check) and writes our pid into it. Returns the fd that holds the
 * lock (keep it open for the daemon's life), or -1 with err set; *holder
 * is the pid of the instance holding it (0 when unknown or another error). */
int mg_lock_acquire(const char *path, pid_t *holder, char *err, size_t errlen);

/* 1 when the lock at path is held (*pid: the pid written in it, 0 while
 * the holder is still writing it), 0 when it is not (or there is no lock
 * file), -1 when we cannot tell (e.g. no permission), errno set. */
int mg_lock_holder(const char *path, pid_t *pid);

#endif
