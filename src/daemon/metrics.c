// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "metrics.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "image.h"

struct out {
	char *buf;
	size_t len, cap;
	bool overflow;
};

__attribute__((format(printf, 2, 3))) static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->overflow = true;
		return;
	}
	o->len += (size_t)n;
}

/* Label values escape backslash, quote and newline. */
static void label(struct out *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			emit(o, "\\%c", *s);
		else if (*s == '\n')
			emit(o, "\\n");
		else
			emit(o, "%c", *s);
	}
}

static void head(struct out *o, const char *name, const char *type, const char *help)
{
	emit(o, "# HELP minerguard_%s %s\n# TYPE minerguard_%s %s\n", name, help, name, type);
}

/* HELP text of each global kernel counter (MG_CTR_*), exported as
 * minerguard_<mg_counter_name>_total. */
static const char *const global_help[MG_CTR_GLOBAL_COUNT] = {
	[MG_CTR_EVENTS_DROPPED] =
		"Decisions not reported because the ring buffer was full (verdicts still applied).",
	[MG_CTR_PATH_ERR] = "Target paths the kernel could not resolve.",
	[MG_CTR_EXE_ERR] = "Executable paths the kernel could not resolve.",
	[MG_CTR_NO_POLICY] = "Accesses seen before a policy was installed.",
	[MG_CTR_SCRATCH_FALLBACK] =
		"Decisions that found their CPU's work area busy and used their task's.",
	[MG_CTR_MARK_SET] = "Files whose inode was marked with the signature that matched them.",
	[MG_CTR_MARK_HIT] =
		"Decisions made by an inode mark: a matched file seen again under another name or path.",
	[MG_CTR_NAME_ERR] =
		"Target file names the kernel could not read (name, prefix, suffix signatures not checked).",
	[MG_CTR_NO_SCRATCH] = "Accesses not judged because no work area could be had (allowed).",
	[MG_CTR_SELFTEST] = "Self-test probe opens refused by this instance's programs (live proof of enforcement).",
	[MG_CTR_MARK_FULL] = "Marks that could not be kept because the keyed mark store (fmodret backend) was full.",
	[MG_CTR_TAMPER] = "Attempts on minerguard's own maps, programs, links or pins refused in the kernel.",
	[MG_CTR_VCACHE_HIT] = "Accesses answered by the per-inode verdict cache (nothing matched before, nothing changed since).",
	[MG_CTR_VCACHE_STORE] = "Nothing-matched verdicts stored in the verdict cache.",
	[MG_CTR_DIGESTS] = "File digests taken in the kernel (exec and executable mmap, policies with sha256 signatures, lsm backend).",
	[MG_CTR_DIGEST_FAIL] = "File digests the kernel could not take: the file is unknown, never clean (options.digest_unknown decides).",
	[MG_CTR_AUDIT_SHED] = "Audit records not sent because the ring buffer's reserve for refusals was reached (also in events_dropped).",
	[MG_CTR_VCACHE_MISMATCH] = "Verdict cache hits the full decision contradicted (verdict_cache = verify only; must stay 0).",
};

int mg_metrics_prom(const struct mg_metrics *m, char *buf, size_t len)
{
	struct out o = { .buf = buf, .cap = len, .overflow = len == 0 };

	head(&o, "hook_decisions_total", "counter",
	     "Accesses seen by each hook and how they were decided, from kernel counters.");
	for (int h = 0; h < MG_HOOK_COUNT; h++) {
		if (h >= MG_HOOK_RESERVED7)
			continue;
		for (int c = 0; c < MG_CTR_PER_HOOK; c++)
			emit(&o, "minerguard_hook_decisions_total{hook=\"%s\",result=\"%s\"} %llu\n",
			     mg_hook_name(h), mg_hook_counter_name((unsigned)c),
			     (unsigned long long)m->counters[MG_CTR_HOOK_BASE + h * MG_CTR_PER_HOOK + c]);
	}
	for (unsigned i = 0; i < MG_CTR_GLOBAL_COUNT; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s_total", mg_counter_name(i));
		head(&o, name, "counter", global_help[i]);
		emit(&o, "minerguard_%s %llu\n", name, (unsigned long long)m->counters[i]);
	}
	head(&o, "rule_decisions_total", "counter", "Decisions per rule and verdict logged by the daemon.");
	for (size_t i = 0; i < m->nrule_counts; i++) {
		emit(&o, "minerguard_rule_decisions_total{rule=\"");
		label(&o, m->rules[i].rule);
		emit(&o, "\",verdict=\"audit\"} %" PRIu64 "\n", m->rules[i].audit);
		emit(&o, "minerguard_rule_decisions_total{rule=\"");
		label(&o, m->rules[i].rule);
		emit(&o, "\",verdict=\"block\"} %" PRIu64 "\n", m->rules[i].block);
	}
	head(&o, "signatures", "gauge", "Signatures and exceptions in the kernel maps, per kind.");
	for (int k = MG_KIND_NAME; k < MG_KIND_COUNT; k++)
		emit(&o, "minerguard_signatures{kind=\"%s\"} %zu\n", mg_kind_name(k), m->kind_count[k]);
	head(&o, "rules", "gauge", "Rules in the active policy.");
	emit(&o, "minerguard_rules %zu\n", m->nrules);
	head(&o, "policy_info", "gauge",
	     "The active policy, by sha256, the global mode and the enforcing backend.");
	emit(&o, "minerguard_policy_info{sha256=\"");
	label(&o, m->policy_sha256 ? m->policy_sha256 : "");
	emit(&o, "\",mode=\"%s\",backend=\"", m->mode == MG_MODE_AUDIT ? "audit" : "enforce");
	label(&o, m->backend ? m->backend : "");
	emit(&o, "\"} 1\n");
	head(&o, "events_logged_total", "counter", "JSON decision lines written.");
	emit(&o, "minerguard_events_logged_total %" PRIu64 "\n", m->events_logged);
	head(&o, "events_folded_total", "counter", "Repeated decisions folded into summary lines.");
	emit(&o, "minerguard_events_folded_total %" PRIu64 "\n", m->events_folded);
	head(&o, "events_suppressed_total", "counter",
	     "Decision lines not written because of rate_limit (verdicts still applied).");
	emit(&o, "minerguard_events_suppressed_total %" PRIu64 "\n", m->events_suppressed);
	head(&o, "events_format_failed_total", "counter",
	     "Decisions no JSON line could be written for (verdicts still applied).");
	emit(&o, "minerguard_events_format_failed_total %" PRIu64 "\n", m->events_format_failed);
	head(&o, "reloads_total", "counter", "Policy reloads by result.");
	emit(&o, "minerguard_reloads_total{result=\"ok\"} %" PRIu64 "\n", m->reloads_ok);
	emit(&o, "minerguard_reloads_total{result=\"rejected\"} %" PRIu64 "\n", m->reloads_failed);
	head(&o, "tamper_detected_total", "counter",
	     "Times the watchdog found the installed policy changed (and put it back) or accesses "
	     "that found no policy.");
	emit(&o, "minerguard_tamper_detected_total %" PRIu64 "\n", m->tamper_detected);
	head(&o, "uptime_seconds", "gauge", "Seconds since this daemon started.");
	emit(&o, "minerguard_uptime_seconds %.3f\n", m->uptime_s);
	return o.overflow ? -1 : (int)o.len;
}
