// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Content rules: one automaton, "at least min of the strings", size, type. */
#include "content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ac.h"
#include "filetype.h"

struct mg_content_engine {
	const struct mg_image *img;
	struct mg_ac *ac;
	size_t npat;         /* distinct strings: automaton ids 0 .. npat-1 */
	uint32_t *ref_start; /* per string, into refs */
	uint32_t *ref_len;
	uint32_t *refs;      /* indexes into img->content */
	uint64_t max_size;
};

struct mg_content_scan {
	const struct mg_content_engine *e;
	uint32_t state;
	uint32_t gen;     /* a string was seen in this file when seen[id] == gen */
	uint32_t *seen;
	uint32_t *count;  /* per content rule: distinct strings seen */
	unsigned char head[MG_FILETYPE_HEAD];
	size_t head_len;
};

struct string_ref {
	const struct mg_bytes *s;
	uint32_t rule; /* index into img->content */
};

static int cmp_ref(const void *a, const void *b)
{
	const struct mg_bytes *x = ((const struct string_ref *)a)->s;
	const struct mg_bytes *y = ((const struct string_ref *)b)->s;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static int same_string(const struct string_ref *a, const struct string_ref *b)
{
	return a->s->n == b->s->n && memcmp(a->s->p, b->s->p, a->s->n) == 0;
}

/* Every (string, rule) pair, sorted by string so equal strings of
 * different rules become one automaton pattern. */
static struct string_ref *collect_refs(const struct mg_image *img, size_t *n)
{
	struct string_ref *refs;
	size_t k = 0;

	*n = 0;
	for (size_t r = 0; r < img->ncontent; r++)
		*n += img->content[r].def->nstrings;
	refs = malloc((*n ? *n : 1) * sizeof(*refs));
	if (!refs)
		return NULL;
	for (size_t r = 0; r < img->ncontent; r++)
		for (size_t i = 0; i < img->content[r].def->nstrings; i++)
			refs[k++] = (struct string_ref){ &img->content[r].def->strings[i],
							 (uint32_t)r };
	qsort(refs, *n, sizeof(*refs), cmp_ref);
	return refs;
}

static int index_patterns(struct mg_content_engine *e, const struct string_ref *refs, size_t n)
{
	e->ref_start = calloc(n ? n : 1, sizeof(*e->ref_start));
	e->ref_len = calloc(n ? n : 1, sizeof(*e->ref_len));
	e->refs = calloc(n ? n : 1, sizeof(*e->refs));
	if (!e->ref_start || !e->ref_len || !e->refs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || !same_string(&refs[i - 1], &refs[i])) {
			if (mg_ac_add(e->ac, refs[i].s->p, refs[i].s->n, (uint32_t)e->npat))
				return -1;
			e->ref_start[e->npat++] = (uint32_t)i;
		}
		e->refs[i] = refs[i].rule;
		e->ref_len[e->npat - 1]++;
	}
	return 0;
}

int mg_content_build(const struct mg_image *img, struct mg_content_engine **out, char *err,
		     size_t errlen)
{
	struct mg_content_engine *e = calloc(1, sizeof(*e));
	struct string_ref *refs = NULL;
	size_t n = 0;

	*out = NULL;
	if (!e || !(e->ac = mg_ac_new()) || !(refs = collect_refs(img, &n)))
		goto fail;
	e->img = img;
	if (index_patterns(e, refs, n) || mg_ac_compile(e->ac))
		goto fail;
	for (size_t r = 0; r < img->ncontent; r++)
		if (img->content[r].def->max_size > e->max_size)
			e->max_size = img->content[r].def->max_size;
	free(refs);
	*out = e;
	return 0;
fail:
	snprintf(err, errlen, "content rules: out of memory building the automaton");
	free(refs);
	mg_content_free(e);
	return -1;
}

void mg_content_free(struct mg_content_engine *e)
{
	if (!e)
		return;
	mg_ac_free(e->ac);
	free(e->ref_start);
	free(e->ref_len);
	free(e->refs);
	free(e);
}

uint64_t mg_content_max_size(const struct mg_content_engine *e)
{
	return e->max_size;
}

size_t mg_content_nrules(const struct mg_content_engine *e)
{
	return e->img->ncontent;
}

struct mg_content_scan *mg_content_scan_new(const struct mg_content_engine *e)
{
	struct mg_content_scan *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->e = e;
	s->seen = calloc(e->npat ? e->npat : 1, sizeof(*s->seen));
	s->count = calloc(e->img->ncontent ? e->img->ncontent : 1, sizeof(*s->count));
	if (!s->seen || !s->count) {
		mg_content_scan_free(s);
		return NULL;
	}
	mg_content_scan_reset(s);
	return s;
}

void mg_content_scan_free(struct mg_content_scan *s)
{
	if (!s)
		return;
	free(s->seen);
	free(s->count);
	free(s);
}

void mg_content_scan_reset(struct mg_content_scan *s)
{
	s->state = 0;
	s->head_len = 0;
	memset(s->count, 0, s->e->img->ncontent * sizeof(*s->count));
	/* A new generation forgets every string seen, without a clear. */
	if (++s->gen == 0) {
		memset(s->seen, 0, s->e->npat * sizeof(*s->seen));
		s->gen = 1;
	}
}

/* A string counts once per file, however often it occurs. */
static void on_hit(void *ctx, uint32_t id)
{
	struct mg_content_scan *s = ctx;
	const struct mg_content_engine *e = s->e;

	if (s->seen[id] == s->gen)
		return;
	s->seen[id] = s->gen;
	for (uint32_t i = 0; i < e->ref_len[id]; i++)
		s->count[e->refs[e->ref_start[id] + i]]++;
}

void mg_content_scan_feed(struct mg_content_scan *s, const void *buf, size_t len)
{
	if (s->head_len < sizeof(s->head)) {
		size_t take = sizeof(s->head) - s->head_len;

		if (take > len)
			take = len;
		memcpy(s->head + s->head_len, buf, take);
		s->head_len += take;
	}
	s->state = mg_ac_scan(s->e->ac, s->state, buf, len, on_hit, s);
}

size_t mg_content_scan_result(struct mg_content_scan *s, uint64_t size,
			      const struct mg_image_content **out)
{
	const struct mg_image *img = s->e->img;
	size_t n = 0;

	for (size_t r = 0; r < img->ncontent; r++) {
		const struct mg_content_def *d = img->content[r].def;

		if (s->count[r] >= d->min && size <= d->max_size &&
		    mg_filetype_is(d->type, s->head, s->head_len))
			out[n++] = &img->content[r];
	}
	return n;
}
