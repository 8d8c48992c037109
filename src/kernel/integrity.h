/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The watchdog's kernel-side check (issue 12): is the policy this daemon
 * installed still the one the programs read? Anyone who can open the pinned
 * maps (root with bpftool, a container with the host's bpffs) could point
 * the generation at the empty slot or swap a slot's inner map, after which
 * every hook allows. The check compares the generation and the three slots
 * with what mg_loader_install left, and puts them back; a link pin someone
 * removed is pinned again from the link this daemon holds, so killing the
 * daemon afterwards does not end enforcement.
 */
#ifndef MG_INTEGRITY_H
#define MG_INTEGRITY_H

#include <stddef.h>

#include "loader.h"

enum mg_tamper {
	MG_TAMPER_GEN = 1 << 0,  /* MG_STATE_GEN no longer names our slot */
	MG_TAMPER_SLOT = 1 << 1, /* an outer map's active slot holds another map */
	MG_TAMPER_PIN = 1 << 2,  /* a link's pin was removed (pinned again) */
};

/* 0 when all holds; otherwise a mask of enum mg_tamper, with what was found
 * and repaired described in what, or a negative errno when the check itself
 * failed (what says why). Before any install there is nothing to check. */
int mg_loader_integrity(struct mg_loader *l, char *what, size_t len);

#endif
