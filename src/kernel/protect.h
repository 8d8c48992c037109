/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Self-protection, userspace half (the kernel half is bpf/protect.bpf.h):
 * tells the programs which objects are ours (ids of every map, program,
 * link and installed inner map), who the daemon and the administrator
 * binary are, and where the pins live, then switches the guard on.
 */
#ifndef MG_PROTECT_H
#define MG_PROTECT_H

#include <stddef.h>

#include "loader.h"

/* Records our objects and identity and sets MG_STATE_PROTECT to on (0 or
 * 1). Call once the links are pinned. 0, or a negative errno with err. */
int mg_loader_protect(struct mg_loader *l, int on, char *err, size_t errlen);

/* The daemon is going away: it no longer counts as the daemon (the
 * administrator path still works for the next one). */
void mg_loader_protect_release(struct mg_loader *l);

#endif
