/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Folding of repeated identical decisions (same rule, executable, path,
 * hook and verdict) for the log only: the first one is logged at once, the
 * repeats within the window become one summary line with their count.
 * Enforcement never passes through here.
 */
#ifndef MG_DEDUP_H
#define MG_DEDUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "minerguard_abi.h"

struct mg_dedup;

/* window_ms 0 disables folding; max_keys bounds memory (each key keeps a
 * copy of its latest event). */
struct mg_dedup *mg_dedup_new(unsigned window_ms, size_t max_keys);
void mg_dedup_free(struct mg_dedup *d);

/* The identity of a decision for folding. */
uint64_t mg_dedup_key(const struct mg_event *ev);

/* True: log ev now. False: it was folded into a pending summary. When the
 * table is full, events are logged rather than lost. */
bool mg_dedup_admit(struct mg_dedup *d, const struct mg_event *ev, uint64_t now_ms);

typedef void (*mg_dedup_emit)(void *ctx, const struct mg_event *last, uint64_t folded,
			      uint64_t first_ms);
/* Emit summaries of windows that ended by now_ms (all of them if all). */
void mg_dedup_flush(struct mg_dedup *d, uint64_t now_ms, bool all, mg_dedup_emit emit,
		    void *ctx);

#endif
