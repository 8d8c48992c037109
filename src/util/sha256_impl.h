/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Internals shared by the portable and the SHA-NI compression functions. */
#ifndef MG_SHA256_IMPL_H
#define MG_SHA256_IMPL_H

#include <stddef.h>
#include <stdint.h>

extern const uint32_t mg_sha256_k[64];

void mg_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t nblocks);
/* 1 when this CPU has the SHA extensions (and SSSE3/SSE4.1). */
int mg_sha256_have_shani(void);
/* Compresses nblocks 64-byte blocks into state; only when the above is 1. */
void mg_sha256_blocks_shani(uint32_t state[8], const uint8_t *data, size_t nblocks);

#endif
