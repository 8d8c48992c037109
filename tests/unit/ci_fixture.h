/* Decision lines for the CI tests, written by the daemon's own formatter
 * (mg_event_format, mg_lifecycle_format) so the tests follow its format. */
#ifndef MG_TEST_CI_FIXTURE_H
#define MG_TEST_CI_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "event_json.h"
#include "fixture.h"
#include "image.h"

struct ci_fx {
	struct mg_policy pol;
	struct mg_image *img;
	struct mg_event_ctx ctx;
	struct mg_event ev;
	char line[MG_EVENT_JSON_MAX];
};

/* Rules: 1 "xmrig" (block, name xmrig), 2 "miner-conf" (audit, name pools.txt). */
static inline struct ci_fx *ci_fx_new(void)
{
	struct ci_fx *f = calloc(1, sizeof(*f));
	struct mg_rule_def *r;
	char err[128];

	r = fx_rule(&f->pol, "xmrig", MG_ACTION_BLOCK, MG_RHOOK_OPEN | MG_RHOOK_EXEC);
	fx_add(r, MG_LIST_NAMES, "xmrig");
	r = fx_rule(&f->pol, "miner-conf", MG_ACTION_AUDIT, MG_RHOOK_OPEN);
	fx_add(r, MG_LIST_NAMES, "pools.txt");
	if (mg_image_build(&f->pol, &f->img, err, sizeof(err)))
		abort();
	f->ctx.gen_img[0] = f->img;
	f->ctx.hostname = "runner";
	f->ctx.boot_to_real_ns = 1764882000LL * 1000000000LL; /* 2025-12-04T21:00:00Z */
	return f;
}

static inline void ci_fx_free(struct ci_fx *f)
{
	mg_image_free(f->img);
	fx_free(&f->pol);
	free(f);
}

/* The line of one decision: rule 1-based, t seconds after the base time. */
static inline const char *ci_fx_event(struct ci_fx *f, unsigned rule, const char *path,
				      int block, int would_block, unsigned pid, unsigned ppid,
				      const char *comm, unsigned t)
{
	const char *name = rule == 1 ? "xmrig" : "pools.txt";

	memset(&f->ev, 0, sizeof(f->ev));
	f->ev.ts_boot_ns = (unsigned long long)t * 1000000000ULL;
	f->ev.tgid = f->ev.pid = pid;
	f->ev.ppid = ppid;
	f->ev.hook = MG_HOOK_EXEC;
	f->ev.rule = rule;
	f->ev.gen = 0;
	f->ev.sig_kind = MG_KIND_NAME;
	f->ev.sig_len = (unsigned)strlen(name);
	f->ev.sig_hash = mg_hash_kind(MG_KIND_NAME, name, strlen(name));
	f->ev.verdict = block ? MG_VERDICT_BLOCK : MG_VERDICT_AUDIT;
	f->ev.mode = block || !would_block ? MG_MODE_ENFORCE : MG_MODE_AUDIT;
	f->ev.flags = would_block ? MG_EV_WOULD_BLOCK : 0;
	snprintf(f->ev.comm, sizeof(f->ev.comm), "%s", comm);
	snprintf(f->ev.path, sizeof(f->ev.path), "%s", path);
	snprintf(f->ev.exe, sizeof(f->ev.exe), "/usr/bin/%s", comm);
	if (mg_event_format(&f->ev, &f->ctx, f->line, sizeof(f->line)) < 0)
		abort();
	return f->line;
}

/* The /proc context of the next decisions: ancestry "sh"(ppid) <-
 * "Runner.Worker"(50) and a CI step; NULL step: none at all. */
static inline void ci_fx_context(struct ci_fx *f, struct mg_enrich *en, unsigned ppid,
				 const char *step, const char *job)
{
	memset(en, 0, sizeof(*en));
	if (step) {
		en->ancestors[0] = (struct mg_ancestor){ .pid = (int)ppid, .name = "sh" };
		en->ancestors[1] = (struct mg_ancestor){ .pid = 50, .name = "Runner.Worker" };
		en->nancestors = 2;
		snprintf(en->ci.step, sizeof(en->ci.step), "%s", step);
		snprintf(en->ci.job, sizeof(en->ci.job), "%s", job ? job : "");
	}
	f->ctx.enrich = en;
}

/* A lifecycle line ("started", "policy-loaded", "events-dropped"...). */
static inline const char *ci_fx_lifecycle(struct ci_fx *f, const char *action, int mode,
					  unsigned long long version, long long count)
{
	struct mg_lifecycle lc = {
		.real_ns = f->ctx.boot_to_real_ns, .action = action, .category = "process",
		.type = "info", .message = action, .hostname = "runner", .mode = mode,
		.policy_sha256 = version ? "40e19f73d18d0000000000000000000000000000000000000000000000000000" : NULL,
		.policy_version = version, .rules = version ? 2 : -1, .count = count,
	};

	if (mg_lifecycle_format(&lc, f->line, sizeof(f->line)) < 0)
		abort();
	return f->line;
}

#endif
