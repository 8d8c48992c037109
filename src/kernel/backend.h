/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Backends: the same decision behind BPF LSM programs ("lsm") or fmod_ret
 * programs on security_* ("fmodret"). `run --backend auto` tries lsm where
 * bpf is an active LSM and falls back to fmodret; whichever is used must
 * pass the live self-test (selftest.h) before it counts as enforcing.
 */
#ifndef MG_BACKEND_H
#define MG_BACKEND_H

#include <stddef.h>

#include "minerguard_abi.h"

/* "auto", "lsm", "fmodret"; "unknown" otherwise. */
const char *mg_backend_name(int backend);
/* enum mg_backend of s, or -1. */
int mg_backend_parse(const char *s);

/* The backends to try for want (enum mg_backend), in order, into
 * plan[0..1]; lsm_active: bpf is in the active LSM list. Returns how many
 * (0: want is lsm but BPF LSM is not active). */
size_t mg_backend_plan(int want, int lsm_active, int plan[2]);

#endif
