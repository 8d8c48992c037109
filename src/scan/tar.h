/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Reading tar archives member by member, compressed with gzip or not
 * (zlib's gzread reads both): ustar (name + prefix), GNU long names ('L')
 * and pax extended headers ('x': path=, size=). Member data streams
 * through the caller's buffer; nothing is extracted.
 */
#ifndef MG_TAR_H
#define MG_TAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <zlib.h>

#define MG_TAR_BLOCK 512
#define MG_TAR_NAME_MAX 4096 /* longer member names are cut */

struct mg_tar_member {
	const char *name; /* valid until the next mg_tar_next */
	uint64_t size;
	char type;        /* ustar typeflag: '0' (or '\0', '7') regular, '5' dir, ... */
};

struct mg_tar;

/* Whether a 512-byte block is a tar header (its checksum adds up). */
bool mg_tar_is_header(const unsigned char block[MG_TAR_BLOCK]);

/* Takes over gz (closed by mg_tar_close). */
struct mg_tar *mg_tar_open(gzFile gz);
void mg_tar_close(struct mg_tar *t);
/* Moves to the next member (skipping what is left of the current one).
 * Returns 1 with *m filled, 0 at the end of the archive, -1 with a
 * message in err when the archive is damaged. */
int mg_tar_next(struct mg_tar *t, struct mg_tar_member *m, char *err, size_t errlen);
/* Up to cap bytes of the current member's data: 0 at its end, -1 on a
 * read error or a short archive. */
ssize_t mg_tar_read(struct mg_tar *t, void *buf, size_t cap);
/* Whether a member is a regular file with data. */
bool mg_tar_is_file(const struct mg_tar_member *m);

#endif
