// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Aggregation of decisions and scan findings, see report.h. */
#include "report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

void mg_ci_report_init(struct mg_ci_report *r)
{
	memset(r, 0, sizeof(*r));
	r->rules = -1;
}

static void row_free(struct mg_ci_row *w)
{
	free(w->path);
	free(w->rule);
	free(w->process);
	free(w->executable);
	free(w->args);
	free(w->parent_executable);
	free(w->hook);
	free(w->signature);
	free(w->sha256);
	free(w->scan_root);
	free(w->ancestry);
	free(w->step);
	free(w->job);
	free(w->workflow);
}

void mg_ci_report_free(struct mg_ci_report *r)
{
	for (size_t i = 0; i < r->nrows; i++)
		row_free(&r->rows[i]);
	free(r->rows);
	free(r->slots);
	free(r->mode);
	free(r->backend);
	free(r->policy_version);
	free(r->policy_sha256);
	memset(r, 0, sizeof(*r));
}

const char *mg_ci_verdict_name(enum mg_ci_verdict v)
{
	return v == MG_CI_V_BLOCK ? "blocked" : v == MG_CI_V_AUDIT ? "audited" : "found";
}

static uint64_t key_hash(const char *path, const char *rule, enum mg_ci_verdict v)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const char *p = path; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = (h ^ 0xff) * 0x100000001b3ULL; /* separator: no byte of a C string */
	for (const char *p = rule; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return (h ^ (uint64_t)v) * 0x100000001b3ULL;
}

/* Rebuilds the open-addressing index at twice the row capacity. */
static int reindex(struct mg_ci_report *r, size_t nslots)
{
	size_t *s = calloc(nslots, sizeof(*s));

	if (!s)
		return -1;
	for (size_t i = 0; i < r->nrows; i++) {
		size_t k = key_hash(r->rows[i].path, r->rows[i].rule, r->rows[i].verdict) % nslots;

		while (s[k])
			k = (k + 1) % nslots;
		s[k] = i + 1;
	}
	free(r->slots);
	r->slots = s;
	r->nslots = nslots;
	return 0;
}

/* The row for (path, rule, verdict), created when new (*created set). */
static struct mg_ci_row *row_for(struct mg_ci_report *r, const char *path, const char *rule,
				 enum mg_ci_verdict v, int *created)
{
	struct mg_ci_row *w;
	size_t k;

	*created = 0;
	if ((r->nrows + 1) * 2 > r->nslots && reindex(r, r->nslots ? r->nslots * 2 : 64))
		return NULL;
	for (k = key_hash(path, rule, v) % r->nslots; r->slots[k]; k = (k + 1) % r->nslots) {
		w = &r->rows[r->slots[k] - 1];
		if (w->verdict == v && !strcmp(w->path, path) && !strcmp(w->rule, rule))
			return w;
	}
	if (r->nrows == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		struct mg_ci_row *rows = realloc(r->rows, cap * sizeof(*rows));

		if (!rows)
			return NULL;
		r->rows = rows;
		r->cap = cap;
	}
	w = &r->rows[r->nrows];
	memset(w, 0, sizeof(*w));
	w->path = strdup(path);
	w->rule = strdup(rule);
	w->verdict = v;
	w->pid = w->ppid = -1;
	if (!w->path || !w->rule) {
		row_free(w);
		return NULL;
	}
	r->slots[k] = ++r->nrows;
	*created = 1;
	return w;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Replaces *dst with a copy of s when s is set. */
static void set_str(char **dst, const char *s)
{
	char *c;

	if (!s || !(c = strdup(s)))
		return;
	free(*dst);
	*dst = c;
}

/* process.args as one space-separated string, or NULL. */
static char *joined_args(const struct mg_jv *ev)
{
	const struct mg_jv *a = mg_jv_get(ev, "process.args"), *m;
	size_t n = 0;
	char *s, *o;

	if (!a || a->type != MG_J_ARR || !a->child)
		return NULL;
	for (m = a->child; m; m = m->next)
		n += (m->type == MG_J_STR ? m->slen : 1) + 1;
	s = malloc(n + 1);
	if (!s)
		return NULL;
	for (o = s, m = a->child; m; m = m->next) {
		if (o != s)
			*o++ = ' ';
		if (m->type == MG_J_STR) {
			memcpy(o, m->s, m->slen);
			o += m->slen;
		} else {
			*o++ = '?';
		}
	}
	*o = '\0';
	return s;
}

/* "name(pid) ← name(pid) ← ...": the process, then minerguard.ancestry;
 * NULL when the event has no ancestry. */
static char *ancestry_chain(const struct mg_jv *ev, const char *name, long long pid)
{
	static const char arrow[] = " ← ";
	const struct mg_jv *a = mg_jv_get(ev, "minerguard.ancestry"), *m;
	size_t n = 0;
	char *s, *o;

	if (!a || a->type != MG_J_ARR || !a->child)
		return NULL;
	n += strlen(name ? name : "?") + 24;
	for (m = a->child; m; m = m->next) {
		const struct mg_jv *nm = mg_jv_get(m, "name");

		n += sizeof(arrow) + (nm && nm->type == MG_J_STR ? nm->slen : 1) + 24;
	}
	s = malloc(n + 1);
	if (!s)
		return NULL;
	o = s + sprintf(s, "%s(%lld)", name ? name : "?", pid);
	for (m = a->child; m; m = m->next) {
		const char *nm = mg_jv_str(m, "name");
		long long p = -1;

		mg_jv_int(m, "pid", &p);
		o += sprintf(o, "%s%s(%lld)", arrow, nm ? nm : "?", p);
	}
	return s;
}

/* The process's best-effort context (ancestry, CI step) when the row has
 * none yet: the first decision may have come too late to read /proc. */
static void context(struct mg_ci_row *w, const struct mg_jv *ev, const char *name, long long pid)
{
	if (!w->ancestry)
		w->ancestry = ancestry_chain(ev, name, pid);
	if (!w->step && !w->job && !w->workflow) {
		w->step = dup_or_null(mg_jv_str(ev, "minerguard.ci.step"));
		w->job = dup_or_null(mg_jv_str(ev, "minerguard.ci.job"));
		w->workflow = dup_or_null(mg_jv_str(ev, "minerguard.ci.workflow"));
	}
}

static void copy_ts(char *dst, const char *src)
{
	snprintf(dst, 40, "%s", src ? src : "");
}

static int decision(struct mg_ci_report *r, const struct mg_jv *ev)
{
	const char *path = mg_jv_str(ev, "file.path"), *rule = mg_jv_str(ev, "rule.name");
	const char *verdict = mg_jv_str(ev, "minerguard.verdict");
	const char *start = mg_jv_str(ev, "event.start"), *end = mg_jv_str(ev, "event.end");
	const char *ts = mg_jv_str(ev, "@timestamp"), *kind, *value;
	long long folded = 0, pid = -1, ppid = -1, idx = 0;
	char unknown_rule[48];
	enum mg_ci_verdict v;
	struct mg_ci_row *w;
	int created;

	if (!path)
		path = mg_jv_str(ev, "file.name");
	if (!path)
		path = "(unknown file)";
	if (!rule) {
		/* the policy was replaced before the daemon read the event */
		mg_jv_int(ev, "rule.index", &idx);
		snprintf(unknown_rule, sizeof(unknown_rule), "(rule #%lld)", idx);
		rule = unknown_rule;
	}
	if (!verdict)
		verdict = mg_jv_str(ev, "event.action");
	v = verdict && (!strcmp(verdict, "block") || !strcmp(verdict, "blocked")) ? MG_CI_V_BLOCK
										 : MG_CI_V_AUDIT;
	mg_jv_int(ev, "minerguard.folded", &folded);
	mg_jv_int(ev, "process.pid", &pid);
	mg_jv_int(ev, "process.parent.pid", &ppid);
	w = row_for(r, path, rule, v, &created);
	if (!w)
		return -1;
	if (v == MG_CI_V_BLOCK || mg_jv_true(ev, "minerguard.would_block"))
		w->blocks = 1;
	w->count += 1 + (unsigned long long)(folded > 0 ? folded : 0);
	r->decisions += 1 + (unsigned long long)(folded > 0 ? folded : 0);
	if (!start)
		start = ts;
	if (!end)
		end = ts;
	/* lines arrive roughly in time order; folded lines may overlap */
	if (start && (!w->first[0] || strcmp(start, w->first) < 0))
		copy_ts(w->first, start);
	if (end && strcmp(end, w->last) > 0)
		copy_ts(w->last, end);
	if (!created) {
		if (pid != w->pid)
			w->other_pids += 1 + (unsigned long long)(folded > 0 ? folded : 0);
		else
			context(w, ev, w->process, pid);
		return 0;
	}
	w->pid = pid;
	w->ppid = ppid;
	w->process = dup_or_null(mg_jv_str(ev, "process.name"));
	context(w, ev, w->process, pid);
	w->executable = dup_or_null(mg_jv_str(ev, "process.executable"));
	w->parent_executable = dup_or_null(mg_jv_str(ev, "process.parent.executable"));
	w->args = joined_args(ev);
	w->hook = dup_or_null(mg_jv_str(ev, "minerguard.hook"));
	kind = mg_jv_str(ev, "minerguard.signature.kind");
	value = mg_jv_str(ev, "minerguard.signature.value");
	if (kind && value && (w->signature = malloc(strlen(kind) + strlen(value) + 2)))
		sprintf(w->signature, "%s %s", kind, value);
	return 0;
}

static void lifecycle(struct mg_ci_report *r, const struct mg_jv *ev)
{
	const char *action = mg_jv_str(ev, "event.action");
	const struct mg_jv *ver = mg_jv_get(ev, "minerguard.policy.version");
	long long n;
	char num[32];

	if (!action)
		return;
	if (!strcmp(action, "events-dropped") && !mg_jv_int(ev, "minerguard.count", &n) && n > 0)
		r->dropped += (unsigned long long)n;
	if (!strcmp(action, "events-suppressed") && !mg_jv_int(ev, "minerguard.count", &n) &&
	    n > 0)
		r->suppressed += (unsigned long long)n;
	set_str(&r->mode, mg_jv_str(ev, "minerguard.mode"));
	set_str(&r->backend, mg_jv_str(ev, "minerguard.backend"));
	set_str(&r->policy_sha256, mg_jv_str(ev, "minerguard.policy.sha256"));
	if (ver && ver->type == MG_J_NUM && ver->is_int) {
		snprintf(num, sizeof(num), "%lld", ver->ival);
		set_str(&r->policy_version, num);
	}
	if (!mg_jv_int(ev, "minerguard.policy.rules", &n))
		r->rules = n;
}

int mg_ci_report_event_line(struct mg_ci_report *r, const char *line, size_t len)
{
	struct mg_jv *ev;
	const char *kind;
	char err[128];
	int rc = 0;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!len)
		return 0;
	ev = mg_jv_parse(line, len, err, sizeof(err));
	if (!ev || ev->type != MG_J_OBJ) {
		r->bad_lines++;
		mg_jv_free(ev);
		return 0;
	}
	kind = mg_jv_str(ev, "event.kind");
	if (kind && !strcmp(kind, "alert"))
		rc = decision(r, ev);
	else if (kind && !strcmp(kind, "event"))
		lifecycle(r, ev);
	else
		r->bad_lines++;
	mg_jv_free(ev);
	return rc;
}

int mg_ci_report_scan_line(struct mg_ci_report *r, const char *line, size_t len,
			   const char *root)
{
	const char *path, *rule, *action, *kind, *name;
	struct mg_ci_row *w;
	struct mg_jv *f;
	char err[128];
	int created, rc = 0;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!len)
		return 0;
	f = mg_jv_parse(line, len, err, sizeof(err));
	path = mg_jv_str(f, "path");
	rule = mg_jv_str(f, "rule");
	if (!f || !path || !rule) {
		r->bad_lines++;
		mg_jv_free(f);
		return 0;
	}
	action = mg_jv_str(f, "action");
	w = row_for(r, path, rule, MG_CI_V_FOUND, &created);
	if (!w) {
		rc = -1;
		goto out;
	}
	w->count++;
	r->findings++;
	if (action && !strcmp(action, "block"))
		w->blocks = 1;
	if (!created)
		goto out;
	kind = mg_jv_str(f, "signature.kind");
	name = mg_jv_str(f, "signature.name");
	if (kind && name && (w->signature = malloc(strlen(kind) + strlen(name) + 2)))
		sprintf(w->signature, "%s %s", kind, name);
	w->sha256 = dup_or_null(mg_jv_str(f, "sha256"));
	w->scan_root = dup_or_null(root);
out:
	mg_jv_free(f);
	return rc;
}

int mg_ci_report_read(struct mg_ci_report *r, const char *path, const char *scan_root)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	if (!f)
		return -1;
	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0)
		rc = scan_root ? mg_ci_report_scan_line(r, line, (size_t)n, scan_root)
			       : mg_ci_report_event_line(r, line, (size_t)n);
	free(line);
	fclose(f);
	return rc;
}

static int row_cmp(const void *a, const void *b)
{
	const struct mg_ci_row *x = a, *y = b;
	int c;

	if (x->blocks != y->blocks)
		return y->blocks - x->blocks;
	if (x->verdict != y->verdict)
		return (int)x->verdict - (int)y->verdict;
	c = strcmp(x->first, y->first);
	return c ? c : strcmp(x->path, y->path);
}

void mg_ci_report_sort(struct mg_ci_report *r)
{
	if (r->nrows > 1)
		qsort(r->rows, r->nrows, sizeof(*r->rows), row_cmp);
	/* the index points at old positions */
	free(r->slots);
	r->slots = NULL;
	r->nslots = 0;
	if (r->nrows)
		reindex(r, r->nrows * 2 + 2);
}
