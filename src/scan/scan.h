/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * `minerguard scan`: walks trees, reads every regular file once (digest and
 * content in one pass, on several threads), looks inside tar archives, and
 * judges each file and member as the kernel would. Findings go to a sink.
 */
#ifndef MG_SCAN_H
#define MG_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content.h"
#include "finding.h"
#include "image.h"

struct mg_scan_opts {
	const struct mg_image *img;
	const struct mg_content_engine *engine; /* NULL: no content rules */
	uint64_t max_size; /* larger files (and members) are judged by path only */
	unsigned jobs;     /* reader threads, >= 1 */
	bool progress;     /* a line on stderr every 2 s */
	const struct mg_finding_sink *sink;
};

struct mg_scan_stats {
	uint64_t files;     /* regular files judged (archive members included) */
	uint64_t bytes;     /* bytes read through digest and content */
	uint64_t archives;  /* tar archives looked into */
	uint64_t members;   /* their regular members */
	uint64_t links;     /* symlinks: judged by their path, not followed */
	uint64_t special;   /* devices, sockets, FIFOs: skipped */
	uint64_t too_large; /* over max_size: judged by path only */
	uint64_t findings;
	uint64_t errors;    /* each printed on stderr, naming the file */
	double secs;
};

/* Scans every root; errors are counted and reported, never fatal.
 * Returns 0, or -1 when the scan could not start (threads, memory). */
int mg_scan_run(const struct mg_scan_opts *o, const char *const *roots, size_t nroots,
		struct mg_scan_stats *st);

#endif
