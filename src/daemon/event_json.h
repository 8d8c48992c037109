/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One kernel decision (struct mg_event) as one JSON line. */
#ifndef MG_EVENT_JSON_H
#define MG_EVENT_JSON_H

#include <stddef.h>
#include "minerguard_abi.h"
#include "enrich.h"
#include "image.h"

struct mg_event_ctx {
	const struct mg_image *gen_img[2]; /* image installed in each slot, may be NULL */
	const char *hostname;
	const char *backend;       /* minerguard.backend: "lsm", "fmodret"; NULL omits */
	long long boot_to_real_ns; /* add to ts_boot_ns to get CLOCK_REALTIME */
	const struct mg_enrich *enrich; /* fields read from /proc, or NULL */
	unsigned long long folded;    /* >0: summary of this many repeats */
	long long first_real_ns;      /* with folded: when the window began */
};

/* Writes a NUL-terminated JSON object without newline. Returns its length,
 * or -1 if buf is too small (MG_EVENT_JSON_MAX always suffices). */
#define MG_EVENT_JSON_MAX (4 * 2 * MG_PATH_MAX + 8192)
int mg_event_format(const struct mg_event *ev, const struct mg_event_ctx *ctx,
		    char *buf, size_t len);

/* A daemon lifecycle record (started, policy loaded, reloaded, reload
 * rejected, mode changed, events dropped, stopped): ECS event.kind "event". */
struct mg_lifecycle {
	long long real_ns;         /* CLOCK_REALTIME */
	const char *action;        /* event.action, e.g. "reload-rejected" */
	const char *category;      /* "process" or "configuration" */
	const char *type;          /* "start", "end", "change", "info" */
	int failed;                /* event.outcome failure */
	const char *message;       /* one human sentence */
	const char *error;         /* error.message, or NULL */
	const char *hostname;
	const char *backend;       /* NULL before a backend enforces */
	int mode;                  /* enum mg_mode, or -1 */
	const char *policy_sha256; /* or NULL */
	unsigned long long policy_version;
	long long rules;           /* -1: omit */
	long long count;           /* -1: omit (events dropped, lines suppressed) */
};
int mg_lifecycle_format(const struct mg_lifecycle *lc, char *buf, size_t len);

#endif
