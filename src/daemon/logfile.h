/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The `--log FILE` / `log =` file: decisions name what users run, so it is
 * created private (log_mode, default 0600) whatever the caller's umask,
 * and never opened through a symlink. */
#ifndef MG_LOGFILE_H
#define MG_LOGFILE_H

#include <stddef.h>
#include <stdio.h>

#define MG_LOG_MODE_DEFAULT 0600

/* Opens path for appending; a file we create gets exactly mode. An
 * existing file keeps its mode (logrotate's `create` decides), but must be
 * a regular file. NULL with err set on failure. */
FILE *mg_log_open(const char *path, unsigned mode, char *err, size_t errlen);

#endif
