/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef MG_VCFUZZ_H
#define MG_VCFUZZ_H

/* mg-probe vcfuzz ROOT SEED N (vcfuzz.c). */
int vcfuzz_main(const char *root, unsigned long long seed, long n);

#endif
