// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * struct mg_policy as bytes, for the compile child to hand its result to
 * the daemon (policy_fork.c). The child ran untrusted Lua: the decoder
 * trusts nothing, checks every length against what is left and every
 * value against its range, and fails cleanly.
 *
 * Format (native byte order, same binary on both ends): "MGP1", then
 * u64 nrules, per rule six optional strings (name, description, category,
 * importance, mitre, file), i32 line, i32 action, u32 hooks, i32 except_any_ns,
 * i32 on_match_kill and
 * MG_LIST_COUNT lists (u64 n, n strings), the content signature (u8
 * present; u64 n, n byte strings of u64 length and bytes, NUL allowed;
 * u64 min, u64 max_size, i32 type); u64 nfiles and the files; the
 * sha256 string; i32 memfd_exec, i32 tmpfs_exec. A string is u8 present,
 * then u64 length and the bytes (no NUL).
 */
#include "policy_wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "minerguard_abi.h"

#define WIRE_MAGIC "MGP2" /* 2: content signatures */

struct wbuf {
	unsigned char *buf;
	size_t len, cap;
	int oom;
};

static void put(struct wbuf *w, const void *p, size_t n)
{
	if (w->oom)
		return;
	if (w->cap - w->len < n) {
		size_t cap = w->cap ? w->cap : 4096;
		unsigned char *b;

		while (cap - w->len < n)
			cap *= 2;
		b = realloc(w->buf, cap);
		if (!b) {
			w->oom = 1;
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put_u64(struct wbuf *w, uint64_t v)
{
	put(w, &v, sizeof(v));
}

static void put_i32(struct wbuf *w, int32_t v)
{
	put(w, &v, sizeof(v));
}

static void put_str(struct wbuf *w, const char *s)
{
	unsigned char present = s != NULL;

	put(w, &present, 1);
	if (!s)
		return;
	put_u64(w, strlen(s));
	put(w, s, strlen(s));
}

static void put_content(struct wbuf *w, const struct mg_content_def *c)
{
	unsigned char present = c != NULL;

	put(w, &present, 1);
	if (!c)
		return;
	put_u64(w, c->nstrings);
	for (size_t i = 0; i < c->nstrings; i++) {
		put_u64(w, c->strings[i].n);
		put(w, c->strings[i].p, c->strings[i].n);
	}
	put_u64(w, c->min);
	put_u64(w, c->max_size);
	put_i32(w, c->type);
}

static void put_rule(struct wbuf *w, const struct mg_rule_def *r)
{
	put_str(w, r->name);
	put_str(w, r->description);
	put_str(w, r->category);
	put_str(w, r->importance);
	put_str(w, r->mitre);
	put_str(w, r->file);
	put_i32(w, r->line);
	put_i32(w, r->action);
	put_i32(w, (int32_t)r->hooks);
	put_i32(w, r->except_any_ns);
	put_i32(w, r->on_match_kill);
	for (int l = 0; l < MG_LIST_COUNT; l++) {
		put_u64(w, r->lists[l].n);
		for (size_t i = 0; i < r->lists[l].n; i++)
			put_str(w, r->lists[l].v[i]);
	}
	put_content(w, r->content);
}

int mg_policy_encode(const struct mg_policy *p, unsigned char **buf, size_t *len)
{
	struct wbuf w = { 0 };

	put(&w, WIRE_MAGIC, 4);
	put_u64(&w, p->nrules);
	for (size_t i = 0; i < p->nrules; i++)
		put_rule(&w, &p->rules[i]);
	put_u64(&w, p->nfiles);
	for (size_t i = 0; i < p->nfiles; i++)
		put_str(&w, p->files[i]);
	put_str(&w, p->sha256);
	put_i32(&w, p->options.memfd_exec);
	put_i32(&w, p->options.tmpfs_exec);
	if (w.oom) {
		free(w.buf);
		return -1;
	}
	*buf = w.buf;
	*len = w.len;
	return 0;
}

/* ---- decoding --------------------------------------------------------- */

struct rbuf {
	const unsigned char *p;
	size_t left;
	int bad;
};

static int get(struct rbuf *r, void *out, size_t n)
{
	if (r->bad || r->left < n) {
		r->bad = 1;
		return -1;
	}
	memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
	return 0;
}

static uint64_t get_u64(struct rbuf *r)
{
	uint64_t v = 0;

	get(r, &v, sizeof(v));
	return v;
}

static int32_t get_i32(struct rbuf *r)
{
	int32_t v = 0;

	get(r, &v, sizeof(v));
	return v;
}

/* A count of items that each take at least min_bytes: never more than
 * what is left, so a forged count cannot make us allocate wildly. */
static size_t get_count(struct rbuf *r, size_t min_bytes)
{
	uint64_t n = get_u64(r);

	if (r->bad || n > r->left / min_bytes) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

/* Returns the string (malloc'ed), NULL when absent or on error (r->bad). */
static char *get_str(struct rbuf *r, int required)
{
	unsigned char present = 0;
	uint64_t n;
	char *s;

	if (get(r, &present, 1) || present > 1 || (required && !present)) {
		r->bad = 1;
		return NULL;
	}
	if (!present)
		return NULL;
	n = get_u64(r);
	if (r->bad || n > r->left) {
		r->bad = 1;
		return NULL;
	}
	s = malloc((size_t)n + 1);
	if (!s || memchr(r->p, '\0', (size_t)n)) {
		free(s);
		r->bad = 1;
		return NULL;
	}
	memcpy(s, r->p, (size_t)n);
	s[n] = '\0';
	r->p += n;
	r->left -= (size_t)n;
	return s;
}

static void get_list(struct rbuf *r, struct mg_strvec *v)
{
	size_t n = get_count(r, 9);

	if (!n)
		return;
	v->v = calloc(n, sizeof(*v->v));
	if (!v->v) {
		r->bad = 1;
		return;
	}
	for (; v->n < n && !r->bad; v->n++)
		v->v[v->n] = get_str(r, 1);
}

/* A content signature, checked against what the validator allows. */
static void get_content(struct rbuf *r, struct mg_rule_def *d)
{
	unsigned char present = 0;
	struct mg_content_def *c;

	if (get(r, &present, 1) || present > 1) {
		r->bad = 1;
		return;
	}
	if (!present)
		return;
	c = d->content = calloc(1, sizeof(*c));
	if (!c) {
		r->bad = 1;
		return;
	}
	c->nstrings = 0;
	{
		size_t n = get_count(r, 8);

		if (!n || !(c->strings = calloc(n, sizeof(*c->strings)))) {
			r->bad = 1;
			return;
		}
		for (; c->nstrings < n && !r->bad; c->nstrings++) {
			struct mg_bytes *b = &c->strings[c->nstrings];
			uint64_t len = get_u64(r);

			if (r->bad || len < 6 || len > r->left || !(b->p = malloc((size_t)len))) {
				r->bad = 1;
				break;
			}
			get(r, b->p, (size_t)len);
			b->n = (size_t)len;
		}
	}
	c->min = (size_t)get_u64(r);
	c->max_size = get_u64(r);
	c->type = get_i32(r);
	if (!r->bad && (c->min < 1 || c->min > c->nstrings || !c->max_size ||
			c->type < MG_CTYPE_ANY || c->type > MG_CTYPE_TEXT))
		r->bad = 1;
}

static void get_rule(struct rbuf *r, struct mg_rule_def *d)
{
	d->name = get_str(r, 1);
	d->description = get_str(r, 0);
	d->category = get_str(r, 0);
	d->importance = get_str(r, 0);
	d->mitre = get_str(r, 0);
	d->file = get_str(r, 1);
	d->line = get_i32(r);
	d->action = get_i32(r);
	d->hooks = (unsigned)get_i32(r);
	d->except_any_ns = get_i32(r);
	d->on_match_kill = get_i32(r);
	/* values image.c indexes by: only what the validator lets through */
	if ((d->except_any_ns != 0 && d->except_any_ns != 1) ||
	    (d->on_match_kill != 0 && d->on_match_kill != 1) ||
	    (d->action != MG_ACTION_AUDIT && d->action != MG_ACTION_BLOCK) || !d->hooks ||
	    (d->hooks & ~(unsigned)(MG_RHOOK_OPEN | MG_RHOOK_EXEC | MG_RHOOK_MMAP)))
		r->bad = 1;
	for (int l = 0; l < MG_LIST_COUNT && !r->bad; l++)
		get_list(r, &d->lists[l]);
	if (!r->bad)
		get_content(r, d);
}

static void get_policy(struct rbuf *r, struct mg_policy *p)
{
	char magic[4], *sha;

	if (get(r, magic, 4) || memcmp(magic, WIRE_MAGIC, 4)) {
		r->bad = 1;
		return;
	}
	p->nrules = get_count(r, 1);
	if (p->nrules && !(p->rules = calloc(p->nrules, sizeof(*p->rules))))
		r->bad = 1;
	for (size_t i = 0; i < p->nrules && !r->bad; i++)
		get_rule(r, &p->rules[i]);
	p->nfiles = r->bad ? 0 : get_count(r, 9);
	if (p->nfiles && !(p->files = calloc(p->nfiles, sizeof(*p->files))))
		r->bad = 1;
	for (size_t i = 0; i < p->nfiles && !r->bad; i++)
		p->files[i] = get_str(r, 1);
	sha = get_str(r, 1);
	if (sha && strlen(sha) < sizeof(p->sha256))
		memcpy(p->sha256, sha, strlen(sha) + 1);
	else
		r->bad = 1;
	free(sha);
	p->options.memfd_exec = get_i32(r);
	p->options.tmpfs_exec = get_i32(r);
	if (p->options.memfd_exec < MG_OPT_MEMFD_MATCH || p->options.memfd_exec > MG_OPT_MEMFD_AUDIT ||
	    p->options.tmpfs_exec < MG_OPT_TMPFS_ALLOW || p->options.tmpfs_exec > MG_OPT_TMPFS_AUDIT)
		r->bad = 1;
	if (r->left)
		r->bad = 1;
}

int mg_policy_decode(const unsigned char *buf, size_t len, struct mg_policy **out)
{
	struct rbuf r = { .p = buf, .left = len };
	struct mg_policy *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return -1;
	get_policy(&r, p);
	if (r.bad) {
		mg_policy_free(p);
		return -1;
	}
	*out = p;
	return 0;
}
