/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * on_match = "kill": the processes already running a file (by device and
 * inode of /proc/PID/exe) that a content scan has just identified as a
 * miner. The kernel refuses every later open, exec and mmap of it; this
 * ends what started before (or in the window before the scan).
 */
#ifndef MG_REAPER_H
#define MG_REAPER_H

#include <stddef.h>
#include <sys/types.h>

/* Called once per process found (killed: 1 when SIGKILL was sent). */
typedef void (*mg_reap_fn)(void *ctx, pid_t pid, const char *comm, int killed);

/* Finds every process whose executable is (dev, ino) under proc_root
 * ("/proc" except in tests), never this process, and sends it SIGKILL
 * when kill is set (enforce mode), else only reports it. Returns how many
 * were found. */
size_t mg_reap_exe(const char *proc_root, dev_t dev, ino_t ino, int kill, mg_reap_fn fn, void *ctx);

#endif
