/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Multi-pattern byte search (Aho-Corasick, compiled to a full DFA): every
 * pattern is found in one pass over the input, whatever their number, and
 * the scan state carries across calls, so a file read in chunks finds
 * matches that straddle two chunks.
 */
#ifndef MG_AC_H
#define MG_AC_H

#include <stddef.h>
#include <stdint.h>

struct mg_ac;

struct mg_ac *mg_ac_new(void);
void mg_ac_free(struct mg_ac *ac);
/* Adds pattern id (ids need not be distinct; an empty pattern is refused).
 * Only before mg_ac_compile. Returns 0 or -1 (out of memory). */
int mg_ac_add(struct mg_ac *ac, const void *pat, size_t len, uint32_t id);
/* Builds the automaton; returns 0 or -1 (out of memory, too many states). */
int mg_ac_compile(struct mg_ac *ac);

/* Called once per occurrence (end position) of every pattern found. */
typedef void (*mg_ac_hit_fn)(void *ctx, uint32_t id);

/* Scans buf from state (0 at the start of a stream), calls hit for each
 * occurrence, returns the state to pass with the next chunk. */
uint32_t mg_ac_scan(const struct mg_ac *ac, uint32_t state, const void *buf, size_t len,
		    mg_ac_hit_fn hit, void *ctx);

size_t mg_ac_states(const struct mg_ac *ac);

#endif
