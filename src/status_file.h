/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * /run/minerguard/status.json: what the running daemon loaded (policy
 * files, sha256, rule and signature counts), for `minerguard status`,
 * which runs as another process and only sees pins otherwise.
 */
#ifndef MG_STATUS_FILE_H
#define MG_STATUS_FILE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "image.h"

#define MG_STATUS_DIR "/run/minerguard"
#define MG_STATUS_FILE MG_STATUS_DIR "/status.json"

/* Atomic replace (temporary file + rename). 0 or -1 with err set. */
int mg_status_write(const struct mg_image *img, int mode, int exe_in_kernel, time_t started,
		    char *err, size_t errlen);
void mg_status_remove(void);
/* pid of a live daemon recorded in the file (not us), else 0. */
pid_t mg_status_running_pid(void);
/* The file's contents (malloc'ed, NUL-terminated) or NULL. */
char *mg_status_read(void);

#endif
