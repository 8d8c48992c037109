/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Live self-test: proves that the programs this daemon loaded run and that
 * their refusals take effect. An lsm attach on a kernel without bpf in
 * lsm= succeeds and never runs; a trampoline can be detached behind our
 * back. Either would otherwise be a silent allow.
 *
 * It arms MG_STATE_SELFTEST_* with this process, a memfd's inode and the
 * load's nonce, reopens the memfd through /proc/self/fd (security_file_open
 * runs on every open), and requires EPERM plus a rise of MG_CTR_SELFTEST.
 * Programs pinned by an earlier instance have another nonce and stay
 * silent, so the test proves ours.
 */
#ifndef MG_SELFTEST_H
#define MG_SELFTEST_H

#include <stddef.h>

struct mg_loader;

/* 0 when the probe open was refused by our programs; -1 with a one-line
 * reason in err otherwise. */
int mg_selftest(struct mg_loader *l, char *err, size_t errlen);

#endif
