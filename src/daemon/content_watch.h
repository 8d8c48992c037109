/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Content identity in the running daemon: files under the scan roots are
 * read once at start (and after each reload), and again within a tick
 * whenever one is closed after writing (fanotify FAN_CLOSE_WRITE). A file
 * whose bytes match a content rule, or whose SHA-256 is a digest
 * signature, gets that signature as its inode's mark (kernel/marks.h): from
 * then on the kernel refuses or audits it under any name, per its rule.
 *
 * The window: between the close of a write and the scan (at most one tick,
 * 200 ms, plus the read) the file is judged by its names only. A file
 * executed during the write itself is not caught by content.
 */
#ifndef MG_CONTENT_WATCH_H
#define MG_CONTENT_WATCH_H

#include <stddef.h>
#include <stdint.h>

struct mg_loader;
struct mg_image;
struct mg_cwatch;

/* Default roots: where miners are dropped. */
#define MG_CWATCH_DEFAULT_ROOTS \
	"/tmp", "/var/tmp", "/dev/shm", "/root", "/home", "/opt", "/usr/local", "/srv", "/run/user"
#define MG_CWATCH_MAX_FILES 200000 /* files read by one start-up scan */

/* One line for the daemon's log: what was marked, progress, problems. */
typedef void (*mg_cwatch_log_fn)(void *ctx, int is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct mg_cwatch_stats {
	uint64_t files, bytes, marked, unmarked, errors, skipped, killed;
};

/* NULL when the image has no content or digest signatures (nothing to
 * do); otherwise a watcher whose fanotify marks are set on roots. */
struct mg_cwatch *mg_cwatch_new(struct mg_loader *ld, const struct mg_image *img,
				const char *const *roots, size_t nroots, mg_cwatch_log_fn log,
				void *ctx);
void mg_cwatch_free(struct mg_cwatch *w);

/* The start-up scan of every root (bounded by MG_CWATCH_MAX_FILES and
 * the largest content rule's max_size). */
void mg_cwatch_scan_roots(struct mg_cwatch *w);
/* Handles the pending close-after-write notifications (non-blocking). */
void mg_cwatch_poll(struct mg_cwatch *w);
const struct mg_cwatch_stats *mg_cwatch_stats(const struct mg_cwatch *w);
/* on_match = "kill" kills only while the global mode is enforce. */
void mg_cwatch_set_enforce(struct mg_cwatch *w, int enforce);

#endif
