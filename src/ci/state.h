/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What `ci start` leaves for `ci stop` (which runs as another process, in
 * GitLab even in another shell): a directory with the decision log, the
 * daemon's stderr and exit status, scan output, and a "state" file of
 * key=value lines.
 */
#ifndef MG_CI_STATE_H
#define MG_CI_STATE_H

#include <stddef.h>

#define MG_CI_STATE_FILE "state"
#define MG_CI_LOG_FILE "decisions.jsonl"
#define MG_CI_ERR_FILE "daemon.err"
#define MG_CI_EXIT_FILE "daemon.exit"
#define MG_CI_NOTES_FILE "notes.txt"

/* --state DIR, else $RUNNER_TEMP/minerguard, else /tmp/minerguard-ci.
 * malloc'ed. */
char *mg_ci_state_dir(const char *opt);
/* Creates dir (0700, one level) or accepts an existing one only when it is
 * a real directory owned by us and not writable by others: under /tmp a
 * directory planted by another user must not receive root's files. */
int mg_ci_state_prepare(const char *dir, char *err, size_t errlen);
/* dir/name, malloc'ed. */
char *mg_ci_path(const char *dir, const char *name);

struct mg_kv {
	char **key, **val;
	size_t n;
};

/* Reads key=value lines; 0, or -1 when the file cannot be read (errno). */
int mg_kv_load(struct mg_kv *kv, const char *path);
const char *mg_kv_get(const struct mg_kv *kv, const char *key);
/* Sets (replaces) key; line breaks in val become spaces. 0 or -1. */
int mg_kv_set(struct mg_kv *kv, const char *key, const char *val);
int mg_kv_setf(struct mg_kv *kv, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Atomic replace (temporary file + rename). 0 or -1 (errno). */
int mg_kv_save(const struct mg_kv *kv, const char *path);
void mg_kv_free(struct mg_kv *kv);

/* Appends one line to dir/notes.txt (shown in the summary). */
void mg_ci_note(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The lines of dir/notes.txt (malloc'ed array of malloc'ed strings). */
char **mg_ci_notes(const char *dir, size_t *n);
void mg_ci_notes_free(char **v, size_t n);

#endif
