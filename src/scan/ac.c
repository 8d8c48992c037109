// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Aho-Corasick as a full DFA: one row of next states per trie node, fail
 * links folded into the rows at compile time, so a byte costs one table
 * load. Rows are indexed by byte class, not byte: every byte that occurs in
 * no pattern behaves alike and shares class 0, which shrinks the table
 * (a few dozen columns instead of 256) until it fits the CPU's caches. A
 * row entry holds the next state's row offset (state * classes) with the
 * top bit set when that state ends some pattern: the scan loop tests one
 * bit and touches the output lists only then.
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
	uint32_t *delta;     /* nstates * 256 entries; nstates * nclasses once compiled */
	uint8_t cls[256];    /* byte -> class */
	uint32_t nclasses;
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
		if (ac->own[s].n) /* memcpy's source must not be NULL, even for 0 bytes */
			memcpy(&ac->outs[at], ac->own[s].v, ac->own[s].n * sizeof(*ac->outs));
		memcpy(&ac->outs[at + ac->own[s].n], &ac->outs[ac->out_start[f]],
		       ac->out_len[f] * sizeof(*ac->outs));
		at += ac->out_len[s];
	}
	return 0;
}

/* Class 0 for bytes in no pattern, then one class per byte in some:
 * the root's row tells which bytes occur (every pattern byte is some
 * state's transition, and the completed root row sends the others to 0). */
static void make_classes(struct mg_ac *ac)
{
	uint8_t used[256] = { 0 };

	for (size_t s = 0; s < ac->nstates; s++)
		for (int c = 0; c < 256; c++)
			if (ac->delta[s * 256 + (size_t)c] != 0)
				used[c] = 1;
	ac->nclasses = 1;
	for (int c = 0; c < 256; c++)
		ac->cls[c] = used[c] ? (uint8_t)ac->nclasses++ : 0;
}

/* Rows by class, entries as row offsets with the output flag. A byte of
 * class 0 leads every state to the root (no pattern contains it). */
static void encode_rows(struct mg_ac *ac)
{
	uint32_t k = ac->nclasses;

	for (size_t s = 0; s < ac->nstates; s++) {
		const uint32_t *row = &ac->delta[s * 256];
		uint32_t out[256];

		for (int c = 0; c < 256; c++) {
			uint32_t t = row[c];

			out[ac->cls[c]] = t * k | (ac->out_len[t] ? OUT_FLAG : 0);
		}
		/* rows only shrink, so row s lands at or before where it was read */
		memmove(&ac->delta[s * k], out, k * sizeof(*out));
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

		if (collect_outputs(ac, fail, order, (size_t)n) == 0 &&
		    (make_classes(ac), ac->nstates * ac->nclasses < OUT_FLAG)) {
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
	const uint8_t *cls = ac->cls;
	const uint32_t k = ac->nclasses;
	uint32_t row = state * k;

	while (p < end) {
		uint32_t t = delta[row + cls[*p++]];

		row = t & ~OUT_FLAG;
		if (t & OUT_FLAG) {
			uint32_t s = row / k;
			const uint32_t *o = &ac->outs[ac->out_start[s]];

			for (uint32_t i = 0; i < ac->out_len[s]; i++)
				hit(ctx, o[i]);
		}
	}
	return row / k;
}

size_t mg_ac_states(const struct mg_ac *ac)
{
	return ac->nstates;
}
