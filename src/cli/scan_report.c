// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Text and JSON lines for scan findings. */
#include "scan_report.h"

#include "image.h"
#include "json.h"
#include "minerguard_abi.h"

static const char *action_name(int action)
{
	return action == MG_ACTION_BLOCK ? "block" : "audit";
}

static void json_report(void *ctx, const struct mg_finding *f)
{
	static char buf[4 * MG_PATH_MAX + 8192];
	struct mg_json j;

	mg_json_init(&j, buf, sizeof(buf));
	mg_json_obj_begin(&j, NULL);
	mg_json_str(&j, "path", f->path);
	mg_json_str(&j, "rule", f->rule->name);
	mg_json_str(&j, "action", action_name(f->action));
	mg_json_obj_begin(&j, "signature");
	mg_json_str(&j, "kind", mg_kind_name(f->kind));
	mg_json_str(&j, "name", f->signature);
	mg_json_obj_end(&j);
	mg_json_str(&j, "hook", mg_hook_name(f->hook));
	mg_json_str(&j, "sha256", f->sha256);
	mg_json_u64(&j, "size", f->size);
	mg_json_str(&j, "category", f->rule->category);
	mg_json_obj_end(&j);
	if (mg_json_finish(&j) >= 0) {
		fputs(buf, ctx);
		fputc('\n', ctx);
	}
}

static void text_report(void *ctx, const struct mg_finding *f)
{
	fprintf(ctx, "%s: %s by rule \"%s\" (%s %s)%s%s\n", f->path, action_name(f->action),
		f->rule->name, mg_kind_name(f->kind), f->signature, f->sha256 ? " sha256 " : "",
		f->sha256 ? f->sha256 : "");
}

static void flush(void *ctx)
{
	fflush(ctx);
}

void mg_sink_json(struct mg_finding_sink *sink, FILE *out)
{
	*sink = (struct mg_finding_sink){ .report = json_report, .finish = flush, .ctx = out };
}

void mg_sink_text(struct mg_finding_sink *sink, FILE *out)
{
	*sink = (struct mg_finding_sink){ .report = text_report, .finish = flush, .ctx = out };
}
