/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* SHA-256 (FIPS 180-4), small and dependency-free: policies are identified
 * by a digest and the project links no crypto library. */
#ifndef MG_SHA256_H
#define MG_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct mg_sha256 {
	uint32_t state[8];
	uint64_t total_bytes;
	uint8_t block[64];
	size_t block_len;
};

void mg_sha256_init(struct mg_sha256 *c);
void mg_sha256_update(struct mg_sha256 *c, const void *data, size_t len);
void mg_sha256_final(struct mg_sha256 *c, uint8_t digest[32]);
/* Lowercase hex of digest into hex[65] (NUL-terminated). */
void mg_sha256_hex(const uint8_t digest[32], char hex[65]);
/* One-shot convenience: hex digest of data[0..len). */
void mg_sha256_hex_of(const void *data, size_t len, char hex[65]);

#endif /* MG_SHA256_H */
