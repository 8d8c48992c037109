// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Path, content and digest decisions of one file, as findings. */
#include "judge.h"

#include <string.h>

#include "matcher.h"

static const enum mg_hook judge_hooks[] = MG_JUDGE_HOOKS;
#define NHOOKS (sizeof(judge_hooks) / sizeof(judge_hooks[0]))

static void send(const struct mg_finding_sink *sink, const char *path, const struct mg_match *m,
		 const char *signature, enum mg_hook hook, uint64_t size,
		 const struct mg_file_result *r)
{
	struct mg_finding f = {
		.path = path, .rule = m->def, .kind = m->kind, .signature = signature,
		.action = m->action, .hook = hook, .sha256 = r ? r->sha256 : NULL, .size = size,
	};

	sink->report(sink->ctx, &f);
}

/* The first hook whose decision matches: open, else exec (a rule for
 * exec only). */
static bool decide_path(const struct mg_image *img, const char *path, struct mg_match *m,
			enum mg_hook *hook)
{
	for (size_t i = 0; i < NHOOKS; i++) {
		mg_match_path(img, path, NULL, judge_hooks[i], m);
		if (m->matched) {
			*hook = judge_hooks[i];
			return true;
		}
	}
	return false;
}

static bool decide_mark(const struct mg_image *img, const char *path,
			const struct mg_sig_key *mark, struct mg_match *m, enum mg_hook *hook)
{
	for (size_t i = 0; i < NHOOKS; i++) {
		mg_match_mark(img, path, NULL, judge_hooks[i], mark, m);
		if (m->matched) {
			*hook = judge_hooks[i];
			return true;
		}
	}
	return false;
}

size_t mg_judge_file(const struct mg_image *img, const char *report_path, const char *judge_path,
		     uint64_t size, const struct mg_file_result *r,
		     const struct mg_finding_sink *sink)
{
	struct mg_match m;
	enum mg_hook hook;
	size_t n = 0;

	if (decide_path(img, judge_path, &m, &hook)) {
		send(sink, report_path, &m, m.sig->str, hook, size, r);
		n++;
	}
	if (!r)
		return n;
	for (size_t i = 0; i < r->ncontent; i++) {
		if (decide_mark(img, judge_path, &r->content[i]->key, &m, &hook)) {
			send(sink, report_path, &m, m.def->name, hook, size, r);
			n++;
		}
	}
	if (img->count[MG_KIND_SHA256]) {
		struct mg_sig_key k;

		mg_key_sha256(&k, r->digest);
		if (decide_mark(img, judge_path, &k, &m, &hook)) {
			send(sink, report_path, &m, r->sha256, hook, size, r);
			n++;
		}
	}
	return n;
}

size_t mg_judge_link(const struct mg_image *img, const char *path,
		     const struct mg_finding_sink *sink)
{
	struct mg_match m;

	mg_match_path(img, path, NULL, MG_HOOK_LINK, &m);
	if (!m.matched)
		return 0;
	send(sink, path, &m, m.sig->str, MG_HOOK_LINK, 0, NULL);
	return 1;
}
