/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The verdict cache from userspace (bpf/vcache.bpf.h): its mode, and the
 * policy sequence the daemon bumps whenever a cached "nothing matched"
 * may have become false (a policy installed or repaired, a content mark
 * written).
 */
#ifndef MG_VCACHE_H
#define MG_VCACHE_H

#include "minerguard_abi.h"

struct mg_loader;

enum mg_vcache_mode {
	MG_VC_ON = 0,
	MG_VC_OFF = MG_VCACHE_OFF,
	MG_VC_VERIFY = MG_VCACHE_VERIFY,
	/* test only: hits ignore the name and path keys (stale on purpose) */
	MG_VC_VERIFY_IGNORE_KEYS = MG_VCACHE_VERIFY | MG_VCACHE_IGNORE_KEYS,
};

/* "on", "off", "verify", "verify-ignore-keys" -> mode; -1 when unknown. */
int mg_vcache_parse(const char *s);
const char *mg_vcache_name(int mode);

/* Sets the kernel's mode. 0 or a negative errno. */
int mg_vcache_set_mode(int state_fd, int mode);
/* Voids every cached verdict. 0 or a negative errno. */
int mg_vcache_void_policy(int state_fd);

#endif
