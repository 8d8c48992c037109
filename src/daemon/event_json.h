/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One kernel decision (struct mg_event) as one JSON line. */
#ifndef MG_EVENT_JSON_H
#define MG_EVENT_JSON_H

#include <stddef.h>
#include "minerguard_abi.h"
#include "enrich.h"
#include "image.h"

/* Set in mg_event.flags by the daemon, never by the kernel (which uses the
 * low bits): the kernel could not name the executable and it was read from
 * /proc/PID/exe after the decision, so it is best effort (the process may
 * have exec'ed or exited, and the pid been reused). */
#define MG_EV_USER_EXE_FROM_PROC (1u << 31)

struct mg_event_ctx {
	const struct mg_image *gen_img[2]; /* image installed in each slot, may be NULL */
	const char *hostname;
	const char *backend;       /* minerguard.backend: "lsm", "fmodret"; NULL omits */
	long long boot_to_real_ns; /* add to ts_boot_ns to get CLOCK_REALTIME */
	const struct mg_enrich *enrich; /* fields read from /proc, or NULL */
	unsigned long long folded;    /* >0: summary of this many repeats */
	long long first_real_ns;      /* with folded: when the window began */
};

/* Worst case of everything but the policy's own strings: each byte of the
 * kernel's path (written as path, name and directory: at most two path
 * lengths), executable and comm and of the /proc fields may take 6
 * characters (\u00XX); per argument 4 and per ancestor 48 characters of
 * punctuation, keys and pid; 8 KiB for the other keys, numbers and the
 * rule fields of a reasonable policy. */
#define MG_EVENT_JSON_BYTES_MAX                                                         \
	(2 * MG_PATH_MAX + MG_PATH_MAX + MG_COMM_LEN + MG_ENRICH_ARGS_BYTES +              \
	 sizeof(((struct mg_enrich *)0)->parent_exe) +                                     \
	 sizeof(((struct mg_enrich *)0)->container_id) +                                   \
	 MG_ANCESTRY_MAX * MG_ANCESTOR_NAME_BYTES + sizeof(struct mg_ci_env))
#define MG_EVENT_JSON_MAX                                                               \
	(6 * MG_EVENT_JSON_BYTES_MAX + 4 * MG_ENRICH_MAX_ARGS + 48 * MG_ANCESTRY_MAX + 8192)
/* mg_event_format_grow never grows a line past this */
#define MG_EVENT_JSON_LIMIT (16u << 20)

/* Writes a NUL-terminated JSON object without newline. Returns its length,
 * or -1 if buf is too small (MG_EVENT_JSON_MAX suffices unless the rule's
 * strings are long). */
int mg_event_format(const struct mg_event *ev, const struct mg_event_ctx *ctx,
		    char *buf, size_t len);
/* The same into a malloc'ed *buf of *cap bytes, doubled as needed up to
 * MG_EVENT_JSON_LIMIT. Returns the length, or -1 (counted by the caller). */
int mg_event_format_grow(const struct mg_event *ev, const struct mg_event_ctx *ctx,
			 char **buf, size_t *cap);

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
