// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Decision records as JSON lines. Field names follow the Elastic Common
 * Schema (event.*, rule.*, file.*, process.*, user.*, group.*) so log
 * shippers need no mapping; what ECS has no field for lives under
 * "minerguard".
 */
#include "event_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"

static void timestamp(char *out, size_t len, long long real_ns)
{
	time_t secs = (time_t)(real_ns / 1000000000LL);
	long nsec = (long)(real_ns % 1000000000LL);
	struct tm tm;

	if (nsec < 0) {
		nsec += 1000000000L;
		secs--;
	}
	gmtime_r(&secs, &tm);
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nsec);
}

/* Names of the string fields written in byte form (mg_json_escape). */
struct escaped {
	const char *field[16];
	size_t n;
};

static void note_escaped(struct escaped *e, bool bytes, const char *field)
{
	if (bytes && e->n < sizeof(e->field) / sizeof(e->field[0]))
		e->field[e->n++] = field;
}

/* A kernel string field that may lack its NUL when full. */
static size_t kstrlen(const char *s, size_t cap)
{
	const char *nul = memchr(s, '\0', cap);

	return nul ? (size_t)(nul - s) : cap;
}

static void file_fields(struct mg_json *j, const struct mg_event *ev, struct escaped *esc)
{
	size_t plen = kstrlen(ev->path, sizeof(ev->path));
	const char *slash = memrchr(ev->path, '/', plen);

	mg_json_obj_begin(j, "file");
	if (!(ev->flags & MG_EV_PATH_ERR) && plen) {
		note_escaped(esc, mg_json_strn(j, "path", ev->path, plen), "file.path");
		if (slash) {
			note_escaped(esc, mg_json_strn(j, "name", slash + 1,
						       plen - (size_t)(slash + 1 - ev->path)),
				     "file.name");
			note_escaped(esc, mg_json_strn(j, "directory", ev->path,
						       slash == ev->path ? 1
						       : (size_t)(slash - ev->path)),
				     "file.directory");
		} else {
			note_escaped(esc, mg_json_strn(j, "name", ev->path, plen), "file.name");
		}
	} else if (plen) {
		/* only the file name is known (creation, or d_path failed) */
		note_escaped(esc, mg_json_strn(j, "name", ev->path, plen), "file.name");
	}
	mg_json_u64(j, "inode", ev->ino);
	mg_json_u64(j, "device", ev->dev);
	mg_json_obj_end(j);
}

static void process_fields(struct mg_json *j, const struct mg_event *ev,
			   const struct mg_enrich *en, struct escaped *esc)
{
	size_t elen = kstrlen(ev->exe, sizeof(ev->exe));
	bool bytes = false;

	mg_json_obj_begin(j, "process");
	mg_json_u64(j, "pid", ev->tgid);
	mg_json_obj_begin(j, "thread");
	mg_json_u64(j, "id", ev->pid);
	mg_json_obj_end(j);
	note_escaped(esc, mg_json_strn(j, "name", ev->comm, kstrlen(ev->comm, sizeof(ev->comm))),
		     "process.name");
	if (!(ev->flags & MG_EV_EXE_ERR) && elen)
		note_escaped(esc, mg_json_strn(j, "executable", ev->exe, elen),
			     "process.executable");
	else
		mg_json_null(j, "executable");
	if (en && en->nargs) {
		mg_json_arr_begin(j, "args");
		for (size_t i = 0; i < en->nargs; i++)
			bytes |= mg_json_str(j, NULL, en->args[i]);
		mg_json_arr_end(j);
		note_escaped(esc, bytes, "process.args");
	}
	mg_json_obj_begin(j, "parent");
	mg_json_u64(j, "pid", ev->ppid);
	if (en && en->parent_exe[0])
		note_escaped(esc, mg_json_str(j, "executable", en->parent_exe),
			     "process.parent.executable");
	mg_json_obj_end(j);
	mg_json_obj_end(j);
}

/* Which string fields are in byte form: their text decodes "\\xHH" as a
 * raw byte and "\\\\" as one backslash (minerguard(8), EVENTS). */
static void escaped_fields(struct mg_json *j, const struct escaped *esc)
{
	if (!esc->n)
		return;
	mg_json_arr_begin(j, "escaped");
	for (size_t i = 0; i < esc->n; i++)
		mg_json_str(j, NULL, esc->field[i]);
	mg_json_arr_end(j);
}

/* The parent, its parent, ...: which shell, step or service started the
 * process (ECS has only process.parent). */
static void ancestry_fields(struct mg_json *j, const struct mg_enrich *en, struct escaped *esc)
{
	bool bytes = false;

	if (!en || !en->nancestors)
		return;
	mg_json_arr_begin(j, "ancestry");
	for (size_t i = 0; i < en->nancestors; i++) {
		mg_json_obj_begin(j, NULL);
		mg_json_u64(j, "pid", (uint64_t)en->ancestors[i].pid);
		bytes |= mg_json_str(j, "name", en->ancestors[i].name);
		mg_json_obj_end(j);
	}
	mg_json_arr_end(j);
	note_escaped(esc, bytes, "minerguard.ancestry");
}

/* The CI step (GITHUB_ACTION), job and workflow from the environment. */
static void ci_fields(struct mg_json *j, const struct mg_enrich *en, struct escaped *esc)
{
	if (!en || !mg_ci_env_any(&en->ci))
		return;
	mg_json_obj_begin(j, "ci");
	if (en->ci.step[0])
		note_escaped(esc, mg_json_str(j, "step", en->ci.step), "minerguard.ci.step");
	if (en->ci.job[0])
		note_escaped(esc, mg_json_str(j, "job", en->ci.job), "minerguard.ci.job");
	if (en->ci.workflow[0])
		note_escaped(esc, mg_json_str(j, "workflow", en->ci.workflow),
			     "minerguard.ci.workflow");
	mg_json_obj_end(j);
}

/* Which fields came from /proc after the decision (best effort). */
static void best_effort_fields(struct mg_json *j, const struct mg_event *ev,
			       const struct mg_enrich *en)
{
	bool exe = ev->flags & MG_EV_USER_EXE_FROM_PROC;

	if (!exe && (!en || !(en->nargs || en->parent_exe[0] || en->container_id[0] ||
			      en->nancestors || mg_ci_env_any(&en->ci))))
		return;
	mg_json_arr_begin(j, "best_effort");
	if (exe)
		mg_json_str(j, NULL, "process.executable");
	if (!en) {
		mg_json_arr_end(j);
		return;
	}
	if (en->nargs)
		mg_json_str(j, NULL, "process.args");
	if (en->parent_exe[0])
		mg_json_str(j, NULL, "process.parent.executable");
	if (en->container_id[0])
		mg_json_str(j, NULL, "container.id");
	if (en->nancestors)
		mg_json_str(j, NULL, "minerguard.ancestry");
	if (mg_ci_env_any(&en->ci))
		mg_json_str(j, NULL, "minerguard.ci");
	mg_json_arr_end(j);
}

static void rule_fields(struct mg_json *j, const struct mg_event *ev,
			const struct mg_image *img, const char **sig_value)
{
	const struct mg_rule_def *def = NULL;

	*sig_value = NULL;
	if (img && ev->rule >= 1 && ev->rule <= img->nrules) {
		struct mg_sig_key k = {
			.kind = ev->sig_kind, .len = ev->sig_len, .hash = ev->sig_hash,
		};
		const struct mg_image_entry *e = mg_image_find(img, &k);

		def = &img->policy->rules[ev->rule - 1];
		if (e)
			*sig_value = e->str;
	}
	mg_json_obj_begin(j, "rule");
	if (def) {
		mg_json_str(j, "name", def->name);
		mg_json_str(j, "id", def->name);
		mg_json_str(j, "category", def->category);
		mg_json_str(j, "description", def->description);
		mg_json_str(j, "reference", def->mitre);
		mg_json_str(j, "ruleset", def->file);
	} else {
		/* the generation was replaced before we read the event */
		mg_json_null(j, "name");
		mg_json_u64(j, "index", ev->rule);
	}
	mg_json_obj_end(j);
}

int mg_event_format(const struct mg_event *ev, const struct mg_event_ctx *ctx,
		    char *buf, size_t len)
{
	const struct mg_image *img = ev->gen < 2 ? ctx->gen_img[ev->gen] : NULL;
	bool blocked = ev->verdict == MG_VERDICT_BLOCK;
	bool exec = ev->hook == MG_HOOK_EXEC;
	/* At inode_create there is no path yet, only the name: not an error. */
	__u32 errs = MG_EV_EXE_ERR | MG_EV_EXC_UNCHECKED |
		     (ev->hook == MG_HOOK_CREATE ? 0 : MG_EV_PATH_ERR);
	struct escaped esc = { .n = 0 };
	const char *sig_value;
	struct mg_json j;
	char ts[48];

	timestamp(ts, sizeof(ts), (long long)ev->ts_boot_ns + ctx->boot_to_real_ns);
	mg_json_init(&j, buf, len);
	mg_json_obj_begin(&j, NULL);
	mg_json_str(&j, "@timestamp", ts);

	mg_json_obj_begin(&j, "event");
	mg_json_str(&j, "kind", "alert");
	mg_json_arr_begin(&j, "category");
	mg_json_str(&j, NULL, exec ? "process" : "file");
	mg_json_str(&j, NULL, "malware");
	mg_json_arr_end(&j);
	mg_json_arr_begin(&j, "type");
	mg_json_str(&j, NULL, exec ? "start" : ev->hook == MG_HOOK_CREATE ? "creation" : "access");
	mg_json_str(&j, NULL, blocked ? "denied" : "allowed");
	mg_json_arr_end(&j);
	mg_json_str(&j, "action", blocked ? "blocked" : "audited");
	mg_json_str(&j, "outcome", blocked ? "failure" : "success");
	if (ctx->folded) {
		char start[48];

		timestamp(start, sizeof(start), ctx->first_real_ns);
		mg_json_str(&j, "start", start);
		mg_json_str(&j, "end", ts);
	}
	mg_json_obj_end(&j);

	rule_fields(&j, ev, img, &sig_value);
	file_fields(&j, ev, &esc);
	process_fields(&j, ev, ctx->enrich, &esc);
	if (ctx->enrich && ctx->enrich->container_id[0]) {
		mg_json_obj_begin(&j, "container");
		mg_json_str(&j, "id", ctx->enrich->container_id);
		mg_json_obj_end(&j);
	}

	mg_json_obj_begin(&j, "user");
	mg_json_u64(&j, "id", ev->uid);
	mg_json_obj_end(&j);
	mg_json_obj_begin(&j, "group");
	mg_json_u64(&j, "id", ev->gid);
	mg_json_obj_end(&j);
	if (ctx->hostname) {
		mg_json_obj_begin(&j, "host");
		mg_json_str(&j, "name", ctx->hostname);
		mg_json_obj_end(&j);
	}

	mg_json_obj_begin(&j, "minerguard");
	mg_json_str(&j, "hook", mg_hook_name(ev->hook));
	mg_json_str(&j, "mode", ev->mode == MG_MODE_AUDIT ? "audit" : "enforce");
	mg_json_str(&j, "verdict", blocked ? "block" : "audit");
	mg_json_bool(&j, "would_block", ev->flags & MG_EV_WOULD_BLOCK);
	/* matched by what the inode remembered: the name/path seen here may be innocent */
	mg_json_bool(&j, "inode_mark", ev->flags & MG_EV_INODE_MARK);
	/* an anonymous memfd ("memfd:NAME"), not a file anyone can find on disk */
	mg_json_bool(&j, "memfd", ev->flags & MG_EV_MEMFD);
	mg_json_obj_begin(&j, "signature");
	mg_json_str(&j, "kind", mg_kind_name(ev->sig_kind));
	mg_json_str(&j, "value", sig_value);
	mg_json_obj_end(&j);
	mg_json_u64(&j, "cgroup_id", ev->cgroup_id);
	mg_json_u64(&j, "generation", ev->gen);
	if (ctx->folded)
		mg_json_u64(&j, "folded", ctx->folded);
	if (!(ev->flags & MG_EV_EXE_ERR) && ev->exe[0])
		mg_json_str(&j, "executable_source",
			    ev->flags & MG_EV_USER_EXE_FROM_PROC ? "proc" : "kernel");
	ancestry_fields(&j, ctx->enrich, &esc);
	ci_fields(&j, ctx->enrich, &esc);
	best_effort_fields(&j, ev, ctx->enrich);
	escaped_fields(&j, &esc);
	if (ev->flags & errs) {
		mg_json_arr_begin(&j, "errors");
		if (ev->flags & errs & MG_EV_PATH_ERR)
			mg_json_str(&j, NULL, "path_unresolved");
		if (ev->flags & MG_EV_EXE_ERR)
			mg_json_str(&j, NULL, "executable_unresolved");
		if (ev->flags & MG_EV_EXC_UNCHECKED)
			mg_json_str(&j, NULL, "exceptions_unchecked");
		if (ev->flags & MG_EV_EXC_FOREIGN_NS)
			mg_json_str(&j, NULL, "exceptions_foreign_namespace");
		mg_json_arr_end(&j);
		if (ev->flags & errs & MG_EV_PATH_ERR)
			mg_json_i64(&j, "path_error", ev->path_err);
	}
	if (ctx->backend)
		mg_json_str(&j, "backend", ctx->backend);
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	return mg_json_finish(&j);
}

int mg_event_format_grow(const struct mg_event *ev, const struct mg_event_ctx *ctx,
			 char **buf, size_t *cap)
{
	int n;

	for (;;) {
		char *bigger;

		n = mg_event_format(ev, ctx, *buf, *cap);
		if (n >= 0 || *cap >= MG_EVENT_JSON_LIMIT)
			return n;
		/* only policy strings (rule name, description, ...) get here */
		bigger = realloc(*buf, *cap * 2);
		if (!bigger)
			return -1;
		*buf = bigger;
		*cap *= 2;
	}
}

int mg_lifecycle_format(const struct mg_lifecycle *lc, char *buf, size_t len)
{
	struct mg_json j;
	char ts[48];

	timestamp(ts, sizeof(ts), lc->real_ns);
	mg_json_init(&j, buf, len);
	mg_json_obj_begin(&j, NULL);
	mg_json_str(&j, "@timestamp", ts);
	mg_json_str(&j, "message", lc->message);
	mg_json_obj_begin(&j, "event");
	mg_json_str(&j, "kind", "event");
	mg_json_arr_begin(&j, "category");
	mg_json_str(&j, NULL, lc->category);
	mg_json_arr_end(&j);
	mg_json_arr_begin(&j, "type");
	mg_json_str(&j, NULL, lc->type);
	mg_json_arr_end(&j);
	mg_json_str(&j, "action", lc->action);
	mg_json_str(&j, "outcome", lc->failed ? "failure" : "success");
	mg_json_obj_end(&j);
	if (lc->error) {
		mg_json_obj_begin(&j, "error");
		mg_json_str(&j, "message", lc->error);
		mg_json_obj_end(&j);
	}
	mg_json_obj_begin(&j, "process");
	mg_json_u64(&j, "pid", (uint64_t)getpid());
	mg_json_str(&j, "name", "minerguard");
	mg_json_obj_end(&j);
	if (lc->hostname) {
		mg_json_obj_begin(&j, "host");
		mg_json_str(&j, "name", lc->hostname);
		mg_json_obj_end(&j);
	}
	mg_json_obj_begin(&j, "minerguard");
	if (lc->mode >= 0)
		mg_json_str(&j, "mode", lc->mode == MG_MODE_AUDIT ? "audit" : "enforce");
	if (lc->policy_sha256) {
		mg_json_obj_begin(&j, "policy");
		mg_json_str(&j, "sha256", lc->policy_sha256);
		mg_json_u64(&j, "version", lc->policy_version);
		if (lc->rules >= 0)
			mg_json_u64(&j, "rules", (uint64_t)lc->rules);
		mg_json_obj_end(&j);
	}
	if (lc->count >= 0)
		mg_json_u64(&j, "count", (uint64_t)lc->count);
	if (lc->backend)
		mg_json_str(&j, "backend", lc->backend);
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	return mg_json_finish(&j);
}
