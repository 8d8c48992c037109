/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * GitHub workflow annotations (`::error file=F,line=L,title=T::msg`).
 * GitHub keeps only 10 of each kind per step, so we emit at most a fixed
 * number in all and count the rest for the summary.
 */
#ifndef MG_CI_ANNOTATIONS_H
#define MG_CI_ANNOTATIONS_H

#include <stdio.h>

#define MG_CI_MAX_ANNOTATIONS 10

/* Escaped copy (malloc'ed, NULL on out of memory). Data: '%' CR LF;
 * properties additionally ':' and ','. */
char *mg_gh_escape(const char *s, int property);

struct mg_annotation {
	int error;           /* ::error, else ::warning */
	const char *file;    /* repository-relative, or NULL (no file property) */
	unsigned line;       /* with file; 0 means 1 */
	const char *title;   /* or NULL */
	const char *message;
};

struct mg_annotator {
	FILE *out;
	unsigned max;        /* MG_CI_MAX_ANNOTATIONS */
	unsigned emitted, dropped;
};

void mg_annotator_init(struct mg_annotator *a, FILE *out, unsigned max);
/* Writes one annotation line, or counts it as dropped once max are out.
 * 0, or -1 on out of memory (counted as dropped). */
int mg_annotate(struct mg_annotator *a, const struct mg_annotation *an);

#endif
