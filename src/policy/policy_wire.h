/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* struct mg_policy as bytes between the compile child and the daemon. */
#ifndef MG_POLICY_WIRE_H
#define MG_POLICY_WIRE_H

#include <stddef.h>

#include "policy.h"

/* *buf (malloc'ed) and *len; 0, or -1 when out of memory. */
int mg_policy_encode(const struct mg_policy *p, unsigned char **buf, size_t *len);
/* A new policy from exactly len bytes; 0, or -1 (*out NULL) on any
 * malformed input or out of memory. */
int mg_policy_decode(const unsigned char *buf, size_t len, struct mg_policy **out);

#endif
