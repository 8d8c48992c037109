// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	uint64_t key; /* 0 = free */
	uint64_t first_ms;
	uint64_t folded;
	struct mg_event *last;
};

struct mg_dedup {
	unsigned window_ms;
	size_t cap; /* power of two, at least 2 * max_keys */
	size_t used, max_keys;
	struct slot *slots;
};

static uint64_t fnv_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = mg_fnv_step(h, b[i]);
	return h;
}

uint64_t mg_dedup_key(const struct mg_event *ev)
{
	uint64_t h = MG_FNV_OFFSET;

	h = fnv_bytes(h, &ev->gen, sizeof(ev->gen));
	h = fnv_bytes(h, &ev->rule, sizeof(ev->rule));
	h = fnv_bytes(h, &ev->hook, sizeof(ev->hook));
	h = fnv_bytes(h, &ev->verdict, sizeof(ev->verdict));
	h = fnv_bytes(h, ev->path, strnlen(ev->path, sizeof(ev->path)));
	h = mg_fnv_step(h, 0);
	h = fnv_bytes(h, ev->exe, strnlen(ev->exe, sizeof(ev->exe)));
	return h ? h : 1;
}

struct mg_dedup *mg_dedup_new(unsigned window_ms, size_t max_keys)
{
	struct mg_dedup *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->window_ms = window_ms;
	d->max_keys = max_keys ? max_keys : 1;
	for (d->cap = 16; d->cap < 2 * d->max_keys; d->cap *= 2)
		;
	d->slots = calloc(d->cap, sizeof(*d->slots));
	if (!d->slots) {
		free(d);
		return NULL;
	}
	return d;
}

static void slot_clear(struct slot *s)
{
	free(s->last);
	memset(s, 0, sizeof(*s));
}

void mg_dedup_free(struct mg_dedup *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->cap; i++)
		free(d->slots[i].last);
	free(d->slots);
	free(d);
}

/* Linear probing; deletions rebuild the cluster (see remove_at). */
static struct slot *find(struct mg_dedup *d, uint64_t key)
{
	for (size_t i = key & (d->cap - 1);; i = (i + 1) & (d->cap - 1)) {
		if (d->slots[i].key == key || !d->slots[i].key)
			return &d->slots[i];
	}
}

static void remove_at(struct mg_dedup *d, size_t i)
{
	slot_clear(&d->slots[i]);
	d->used--;
	/* re-insert the rest of the cluster so lookups never stop early */
	for (size_t j = (i + 1) & (d->cap - 1); d->slots[j].key; j = (j + 1) & (d->cap - 1)) {
		struct slot tmp = d->slots[j];

		memset(&d->slots[j], 0, sizeof(tmp));
		*find(d, tmp.key) = tmp;
	}
}

bool mg_dedup_admit(struct mg_dedup *d, const struct mg_event *ev, uint64_t now_ms)
{
	uint64_t key;
	struct slot *s;

	if (!d || !d->window_ms)
		return true;
	key = mg_dedup_key(ev);
	s = find(d, key);
	if (s->key && now_ms - s->first_ms < d->window_ms) {
		if (!s->last)
			s->last = malloc(sizeof(*s->last));
		if (!s->last)
			return true; /* cannot keep it: log it instead */
		memcpy(s->last, ev, sizeof(*ev));
		s->folded++;
		return false;
	}
	if (s->key)
		return true; /* window over: the flush will emit and free it */
	if (d->used >= d->max_keys)
		return true;
	s->key = key;
	s->first_ms = now_ms;
	d->used++;
	return true;
}

void mg_dedup_flush(struct mg_dedup *d, uint64_t now_ms, bool all, mg_dedup_emit emit,
		    void *ctx)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->cap;) {
		struct slot *s = &d->slots[i];

		if (!s->key || (!all && now_ms - s->first_ms < d->window_ms)) {
			i++;
			continue;
		}
		if (s->folded && s->last)
			emit(ctx, s->last, s->folded, s->first_ms);
		remove_at(d, i); /* may move a later slot into i: look again */
	}
}
