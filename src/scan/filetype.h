/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* content.type: what a file is, from its first bytes. */
#ifndef MG_FILETYPE_H
#define MG_FILETYPE_H

#include <stdbool.h>
#include <stddef.h>

/* How many leading bytes the checks look at (the text check's window). */
#define MG_FILETYPE_HEAD 8192

/* Whether a file whose first bytes are head[0..len) (len <
 * MG_FILETYPE_HEAD only for shorter files) is of enum mg_content_type. */
bool mg_filetype_is(int type, const unsigned char *head, size_t len);

#endif
