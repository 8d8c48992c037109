/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One file's bytes through SHA-256 and the content engine in a single pass,
 * read in large chunks into one buffer per scanner: memory does not grow
 * with the file. The bytes may come from a file descriptor or from
 * anywhere else (archive members) through begin/feed/end.
 */
#ifndef MG_FILESCAN_H
#define MG_FILESCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content.h"

#define MG_SCAN_CHUNK (1u << 20) /* bytes per read(2) */

struct mg_file_result {
	uint64_t size;          /* bytes that went through */
	unsigned char digest[32];
	char sha256[65];        /* lowercase hex of digest */
	bool content_checked;   /* false: larger than every content rule's max_size */
	size_t ncontent;        /* content rules that matched */
	const struct mg_image_content *const *content;
};

struct mg_file_scanner;

/* engine may be NULL (a policy without content rules). */
struct mg_file_scanner *mg_fscan_new(const struct mg_content_engine *engine);
void mg_fscan_free(struct mg_file_scanner *fs);

/* The scanner's chunk buffer (MG_SCAN_CHUNK bytes), for callers that read
 * the bytes themselves and feed them back. */
void *mg_fscan_buffer(struct mg_file_scanner *fs);

/* size: the size the bytes will have, when known (UINT64_MAX otherwise):
 * content is not searched in files no content rule applies to. */
void mg_fscan_begin(struct mg_file_scanner *fs, uint64_t size);
void mg_fscan_feed(struct mg_file_scanner *fs, const void *buf, size_t len);
/* The result stays valid until the next begin. */
void mg_fscan_end(struct mg_file_scanner *fs, struct mg_file_result *r);

/* begin, every byte of fd up to its end, end. Returns 0, or -1 with errno
 * when a read failed. */
int mg_fscan_fd(struct mg_file_scanner *fs, int fd, uint64_t size, struct mg_file_result *r);

#endif
