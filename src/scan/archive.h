/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Which files are tar archives (by their bytes, not their names: a
 * disguised .tar.gz is still one), and walking their members. */
#ifndef MG_ARCHIVE_H
#define MG_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "tar.h"

/* Whether the file open at fd holds a tar archive, plain or gzip'd. */
bool mg_archive_probe(int fd);

/* Called for each member; return non-zero to stop. The member's data can
 * be read with mg_tar_read until the next call. */
typedef int (*mg_member_fn)(void *ctx, const struct mg_tar_member *m, struct mg_tar *t);

/* Walks the members of the archive at fd (fd stays open and owned by the
 * caller). Returns 0, or -1 with a message in err for a damaged archive. */
int mg_archive_members(int fd, mg_member_fn fn, void *ctx, char *err, size_t errlen);

#endif
