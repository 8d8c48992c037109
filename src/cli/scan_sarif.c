// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* SARIF output of `minerguard scan` (see scan_sarif.h). */
#include "scan_sarif.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "minerguard_abi.h"
#include "report_finding.h"
#include "sarif.h"
#include "workspace.h"

/* What a finding leaves behind once the scanner moved on. */
struct mg_scan_sarif_item {
	char *path, *rule, *description, *message;
	int block;
};

static void item_free(struct mg_scan_sarif_item *it)
{
	free(it->path);
	free(it->rule);
	free(it->description);
	free(it->message);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void keep(void *ctx, const struct mg_finding *f)
{
	struct mg_scan_sarif *c = ctx;
	struct mg_scan_sarif_item *it;
	char msg[1024];

	if (c->next.report)
		c->next.report(c->next.ctx, f);
	if (c->oom)
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		void *v = realloc(c->v, cap * sizeof(*c->v));

		if (!v) {
			c->oom = 1;
			return;
		}
		c->v = v;
		c->cap = cap;
	}
	snprintf(msg, sizeof(msg), "%s: %s by minerguard rule \"%s\" (%s signature %.200s)", f->path,
		 f->action == MG_ACTION_BLOCK ? "would be blocked" : "would be audited", f->rule->name,
		 mg_kind_name(f->kind), f->signature);
	it = &c->v[c->n];
	*it = (struct mg_scan_sarif_item){
		.path = strdup(f->path), .rule = strdup(f->rule->name),
		.description = dup_or_null(f->rule->description), .message = strdup(msg),
		.block = f->action == MG_ACTION_BLOCK,
	};
	if (!it->path || !it->rule || !it->message || (f->rule->description && !it->description)) {
		item_free(it);
		c->oom = 1;
		return;
	}
	c->n++;
}

static void finish(void *ctx)
{
	struct mg_scan_sarif *c = ctx;

	if (c->next.finish)
		c->next.finish(c->next.ctx);
}

void mg_scan_sarif_sink(struct mg_finding_sink *sink, struct mg_scan_sarif *c,
			const struct mg_finding_sink *next)
{
	memset(c, 0, sizeof(*c));
	c->next = *next;
	*sink = (struct mg_finding_sink){ .report = keep, .finish = finish, .ctx = c };
}

/* An archive member is reported as the archive ("image.tar!usr/bin/x"). */
static char *file_part(const char *path)
{
	const char *bang = strchr(path, '!');

	return bang ? strndup(path, (size_t)(bang - path)) : strdup(path);
}

int mg_scan_sarif_write(const struct mg_scan_sarif *c, const char *file, const char *root,
			size_t *outside, char *err, size_t errlen)
{
	struct mg_sarif_tool tool = { .name = "minerguard", .information_uri = NULL };
	struct mg_report_finding *f = calloc(c->n ? c->n : 1, sizeof(*f));
	char **rel = calloc(c->n ? c->n : 1, sizeof(*rel));
	size_t n = 0, i;
	FILE *out = NULL;
	int rc = -1;

	*outside = 0;
	if (!f || !rel || c->oom) {
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < c->n; i++) {
		char *whole = file_part(c->v[i].path);

		rel[i] = whole ? mg_ws_relative(root, whole, root) : NULL;
		free(whole);
		if (!rel[i]) {
			(*outside)++;
			continue;
		}
		f[n++] = (struct mg_report_finding){
			.rule_id = c->v[i].rule, .rule_text = c->v[i].description,
			.message = c->v[i].message, .path = rel[i],
			.level = c->v[i].block ? MG_REPORT_ERROR : MG_REPORT_WARNING,
		};
	}
	out = fopen(file, "we");
	if (!out) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		goto cleanup;
	}
	if (mg_sarif_write(out, &tool, f, n)) {
		snprintf(err, errlen, "%s: write failed", file);
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (out && fclose(out) && !rc) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		rc = -1;
	}
	for (i = 0; rel && i < c->n; i++)
		free(rel[i]);
	free(rel);
	free(f);
	return rc;
}

void mg_scan_sarif_free(struct mg_scan_sarif *c)
{
	for (size_t i = 0; i < c->n; i++)
		item_free(&c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}
