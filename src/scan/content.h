/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The content engine: every content rule of a compiled policy, searched in
 * one pass over a file's bytes. Built once per policy (one automaton over
 * all rules' strings, each distinct string once); a scan holds only its
 * automaton state, which strings it saw and the file's first bytes, so a
 * file of any size streams through in fixed memory.
 */
#ifndef MG_CONTENT_H
#define MG_CONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

struct mg_content_engine;
struct mg_content_scan;

int mg_content_build(const struct mg_image *img, struct mg_content_engine **out, char *err,
		     size_t errlen);
void mg_content_free(struct mg_content_engine *e);
/* The largest max_size of any rule: no rule needs bytes of a larger file. */
uint64_t mg_content_max_size(const struct mg_content_engine *e);
size_t mg_content_nrules(const struct mg_content_engine *e);

/* Per-file state; one per thread, reused across files. */
struct mg_content_scan *mg_content_scan_new(const struct mg_content_engine *e);
void mg_content_scan_free(struct mg_content_scan *s);
void mg_content_scan_reset(struct mg_content_scan *s);
void mg_content_scan_feed(struct mg_content_scan *s, const void *buf, size_t len);
/* After the last byte of a file of size bytes: the content rules that
 * match it, in rule order, into out (room for mg_content_nrules). */
size_t mg_content_scan_result(struct mg_content_scan *s, uint64_t size,
			      const struct mg_image_content **out);

#endif
