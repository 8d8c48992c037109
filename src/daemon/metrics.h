/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Counters of a running instance, as the Prometheus text exposition format
 * for node_exporter's textfile collector (no network listener of ours).
 */
#ifndef MG_METRICS_H
#define MG_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "atomic_file.h" /* mg_write_atomic, for the metrics file */
#include "minerguard_abi.h"

struct mg_rule_count {
	const char *rule;
	uint64_t audit;
	uint64_t block;
};

struct mg_metrics {
	__u64 counters[MG_CTR_COUNT]; /* kernel counters, summed over CPUs */
	int mode;                     /* enum mg_mode */
	const char *policy_sha256;
	const char *backend;          /* "lsm" or "fmodret" */
	size_t nrules;
	size_t kind_count[MG_KIND_COUNT];
	const struct mg_rule_count *rules; /* decisions per rule seen by the daemon */
	size_t nrule_counts;
	double uptime_s;
	uint64_t events_logged, events_folded;
	uint64_t events_suppressed; /* decision lines over rate_limit */
	uint64_t events_format_failed; /* decisions no JSON line could be made for */
	uint64_t reloads_ok, reloads_failed;
	uint64_t tamper_detected;
};

/* Text exposition into buf; returns its length or -1 if buf is too small. */
int mg_metrics_prom(const struct mg_metrics *m, char *buf, size_t len);

#endif
