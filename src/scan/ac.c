// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Aho-Corasick as a full DFA: one 256-entry row of next states per trie
 * node, fail links folded into the rows at compile time, so a byte costs
 * one table load. A row entry holds the next state's row offset (state *
 * 256) with the top bit set when that state ends some pattern: the scan
 * loop tests one bit and touches the output lists only then.
 */
#include "ac.h"

#include <stdlib.h>
#include <string.h>

#define OUT_FLAG 0x80000000u
#define NO_STATE 0xffffffffu
#define MAX_STATES (1u << 23) /* state * 256 must stay below OUT_FLAG */

struct ids {
	uint32_t *v;
	size_t n;
};

struct mg_ac {
	uint32_t *delta;     /* nstates * 256 entries */
	size_t nstates, cap;
	struct ids *own;     /* per state: patterns ending exactly here */
	uint32_t *out_start; /* per state, into outs: own + the fail chain's */
	uint32_t *out_len;
	uint32_t *outs;
	int compiled;
};

/* A fresh state with every transition still unknown. */
static int new_state(struct mg_ac *ac, uint32_t *out)
{
	if (ac->nstates == ac->cap) {
		size_t cap = ac->cap ? ac->cap * 2 : 64;
		uint32_t *d;
		struct ids *own;

		if (cap > MAX_STATES)
			return -1;
		d = realloc(ac->delta, cap * 256 * sizeof(*d));
		if (!d)
			return -1;
		ac->delta = d;
		own = realloc(ac->own, cap * sizeof(*own));
		if (!own)
			return -1;
		ac->own = own;
		ac->cap = cap;
	}
	memset(&ac->delta[ac->nstates * 256], 0xff, 256 * sizeof(*ac->delta));
	ac->own[ac->nstates] = (struct ids){ 0 };
	*out = (uint32_t)ac->nstates++;
	return 0;
}

struct mg_ac *mg_ac_new(void)
{
	struct mg_ac *ac = calloc(1, sizeof(*ac));
	uint32_t root;

	if (ac && new_state(ac, &root) != 0) {
		mg_ac_free(ac);
		return NULL;
	}
	return ac;
}

void mg_ac_free(struct mg_ac *ac)
{
	if (!ac)
		return;
	for (size_t i = 0; i < ac->nstates; i++)
		free(ac->own[i].v);
	free(ac->own);
	free(ac->delta);
	free(ac->out_start);
	free(ac->out_len);
	free(ac->outs);
	free(ac);
}

static int ids_push(struct ids *s, uint32_t id)
{
	uint32_t *v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	v[s->n++] = id;
	s->v = v;
	return 0;
}

int mg_ac_add(struct mg_ac *ac, const void *pat, size_t len, uint32_t id)
{
	const unsigned char *p = pat;
	uint32_t s = 0;

	if (ac->compiled || len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		uint32_t *next = &ac->delta[(size_t)s * 256 + p[i]];

		if (*next == NO_STATE) {
			uint32_t n;

			if (new_state(ac, &n) != 0)
				return -1;
			/* new_state may have moved delta */
			ac->delta[(size_t)s * 256 + p[i]] = n;
			s = n;
		} else {
			s = *next;
		}
	}
	return ids_push(&ac->own[s], id);
}

/* Breadth-first: a state's fail target is shallower, so its transitions
 * and outputs are final when the state is reached. */
static int link_states(struct mg_ac *ac, uint32_t *fail, uint32_t *order)
{
	size_t head = 0, tail = 0;

	for (int c = 0; c < 256; c++) {
		uint32_t t = ac->delta[c];

		if (t == NO_STATE) {
			ac->delta[c] = 0;
		} else {
			fail[t] = 0;
			order[tail++] = t;
		}
	}
	while (head < tail) {
		uint32_t s = order[head++];
		uint32_t *row = &ac->delta[(size_t)s * 256];
		const uint32_t *frow = &ac->delta[(size_t)fail[s] * 256];

		for (int c = 0; c < 256; c++) {
			if (row[c] == NO_STATE) {
				row[c] = frow[c];
			} else {
				fail[row[c]] = frow[c];
				order[tail++] = row[c];
			}
		}
	}
	return (int)tail;
}

/* outs of a state = its own ids, then those of its fail target. */
static int collect_outputs(struct mg_ac *ac, const uint32_t *fail, const uint32_t *order,
			   size_t norder)
{
	size_t total = 0, at = 0;

	ac->out_start = calloc(ac->nstates, sizeof(*ac->out_start));
	ac->out_len = calloc(ac->nstates, sizeof(*ac->out_len));
	if (!ac->out_start || !ac->out_len)
		return -1;
	for (size_t i = 0; i < norder; i++) {
		uint32_t s = order[i];

		ac->out_len[s] = (uint32_t)ac->own[s].n + ac->out_len[fail[s]];
		total += ac->out_len[s];
	}
	ac->outs = malloc((total ? total : 1) * sizeof(*ac->outs));
	if (!ac->outs)
		return -1;
	for (size_t i = 0; i < norder; i++) {
		uint32_t s = order[i], f = fail[s];

		ac->out_start[s] = (uint32_t)at;
		memcpy(&ac->outs[at], ac->own[s].v, ac->own[s].n * sizeof(*ac->outs));
		memcpy(&ac->outs[at + ac->own[s].n], &ac->outs[ac->out_start[f]],
		       ac->out_len[f] * sizeof(*ac->outs));
		at += ac->out_len[s];
	}
	return 0;
}

/* Row offsets instead of state numbers, and the output flag. */
static void encode_rows(struct mg_ac *ac)
{
	for (size_t i = 0; i < ac->nstates * 256; i++) {
		uint32_t t = ac->delta[i];

		ac->delta[i] = t * 256 | (ac->out_len[t] ? OUT_FLAG : 0);
	}
}

int mg_ac_compile(struct mg_ac *ac)
{
	uint32_t *fail = calloc(ac->nstates, sizeof(*fail));
	uint32_t *order = calloc(ac->nstates, sizeof(*order));
	int rc = -1;

	if (ac->compiled)
		return -1;
	if (fail && order) {
		int n = link_states(ac, fail, order);

		if (collect_outputs(ac, fail, order, (size_t)n) == 0) {
			encode_rows(ac);
			ac->compiled = 1;
			rc = 0;
		}
	}
	free(fail);
	free(order);
	return rc;
}

uint32_t mg_ac_scan(const struct mg_ac *ac, uint32_t state, const void *buf, size_t len,
		    mg_ac_hit_fn hit, void *ctx)
{
	const unsigned char *p = buf, *end = p + len;
	const uint32_t *delta = ac->delta;
	uint32_t row = state * 256;

	while (p < end) {
		uint32_t t = delta[row + *p++];

		row = t & ~OUT_FLAG;
		if (t & OUT_FLAG) {
			uint32_t s = row / 256;
			const uint32_t *o = &ac->outs[ac->out_start[s]];

			for (uint32_t i = 0; i < ac->out_len[s]; i++)
				hit(ctx, o[i]);
		}
	}
	return row / 256;
}

size_t mg_ac_states(const struct mg_ac *ac)
{
	return ac->nstates;
}
