/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Scans of build outputs: one `minerguard scan --json ROOT` per root (exit
 * 0 clean, 9 findings, 1 error, 2 a build without `scan`), its lines kept
 * in the state directory as scan-N.jsonl and listed in the state
 * (scan.N.root, scan.N.file, scans = N) for the report.
 */
#ifndef MG_CI_SCANS_H
#define MG_CI_SCANS_H

#include <stddef.h>

#include "state.h"

/* Never fails the caller: what went wrong becomes a note for the summary
 * and one line on stderr. */
void mg_ci_run_scans(const char *dir, struct mg_kv *kv, const char *const *roots, size_t n);

#endif
