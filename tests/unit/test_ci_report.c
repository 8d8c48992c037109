/* Aggregation of the daemon's decision lines (written by mg_event_format)
 * and of scan findings, and the --fail-on policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "ci_fixture.h"
#include "failon.h"
#include "report.h"

static void add(struct mg_ci_report *r, const char *line)
{
	assert_int_equal(mg_ci_report_event_line(r, line, strlen(line)), 0);
}

static const struct mg_ci_row *find(const struct mg_ci_report *r, const char *path,
				    enum mg_ci_verdict v)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].path, path) && r->rows[i].verdict == v)
			return &r->rows[i];
	return NULL;
}

static void test_aggregates_per_path_rule_verdict(void **state)
{
	struct ci_fx *f = ci_fx_new();
	struct mg_ci_report r;
	const struct mg_ci_row *w;

	(void)state;
	mg_ci_report_init(&r);
	add(&r, ci_fx_lifecycle(f, "started", MG_MODE_ENFORCE, 0, -1));
	add(&r, ci_fx_lifecycle(f, "policy-loaded", MG_MODE_ENFORCE, 1, -1));
	add(&r, ci_fx_event(f, 1, "/tmp/xmrig", 1, 0, 100, 99, "sh", 3));
	add(&r, ci_fx_event(f, 1, "/tmp/xmrig", 1, 0, 100, 99, "sh", 9));
	add(&r, ci_fx_event(f, 1, "/tmp/xmrig", 1, 0, 200, 99, "bash", 5));
	add(&r, ci_fx_event(f, 1, "/w/repo/dist/xmrig", 1, 0, 300, 1, "make", 7));
	add(&r, ci_fx_event(f, 2, "/w/repo/pools.txt", 0, 0, 400, 1, "cat", 8));
	add(&r, ci_fx_lifecycle(f, "events-dropped", MG_MODE_ENFORCE, 0, 17));
	add(&r, "not json at all");
	add(&r, "{\"event\":{\"kind\":\"metric\"}}");
	add(&r, "\n");

	assert_int_equal(r.nrows, 3);
	assert_int_equal(r.decisions, 5);
	assert_int_equal(r.dropped, 17);
	assert_int_equal(r.bad_lines, 2);
	assert_string_equal(r.mode, "enforce");
	assert_string_equal(r.policy_version, "1");
	assert_int_equal(r.rules, 2);
	assert_null(r.backend); /* not logged by this build: tolerated */

	w = find(&r, "/tmp/xmrig", MG_CI_V_BLOCK);
	assert_non_null(w);
	assert_int_equal(w->count, 3);
	assert_string_equal(w->rule, "xmrig");
	assert_true(w->blocks);
	assert_string_equal(w->first, "2025-12-04T21:00:03.000000000Z");
	assert_string_equal(w->last, "2025-12-04T21:00:09.000000000Z");
	/* the first decision's process; the others counted */
	assert_string_equal(w->process, "sh");
	assert_int_equal(w->pid, 100);
	assert_int_equal(w->ppid, 99);
	assert_string_equal(w->executable, "/usr/bin/sh");
	assert_string_equal(w->hook, "exec");
	assert_string_equal(w->signature, "name xmrig");
	assert_int_equal(w->other_pids, 1);

	w = find(&r, "/w/repo/pools.txt", MG_CI_V_AUDIT);
	assert_non_null(w);
	assert_false(w->blocks);
	assert_string_equal(w->rule, "miner-conf");
	mg_ci_report_free(&r);
	ci_fx_free(f);
}

/* Folded lines count their repeats and span event.start..event.end; an
 * audit-mode decision of a blocking rule is an audit that would block. */
static void test_folded_and_would_block(void **state)
{
	struct ci_fx *f = ci_fx_new();
	struct mg_ci_report r;
	const struct mg_ci_row *w;

	(void)state;
	mg_ci_report_init(&r);
	add(&r, ci_fx_event(f, 1, "/tmp/xmrig", 0, 1, 100, 1, "sh", 20));
	f->ctx.folded = 4;
	f->ctx.first_real_ns = f->ctx.boot_to_real_ns + 21000000000LL;
	add(&r, ci_fx_event(f, 1, "/tmp/xmrig", 0, 1, 100, 1, "sh", 30));
	f->ctx.folded = 0;
	assert_int_equal(r.nrows, 1);
	w = &r.rows[0];
	assert_int_equal(w->verdict, MG_CI_V_AUDIT);
	assert_true(w->blocks);
	assert_int_equal(w->count, 6);
	assert_string_equal(w->first, "2025-12-04T21:00:20.000000000Z");
	assert_string_equal(w->last, "2025-12-04T21:00:30.000000000Z");
	mg_ci_report_free(&r);
	ci_fx_free(f);
}

static void test_scan_findings(void **state)
{
	static const char *const lines[] = {
		"{\"path\":\"dist/xmrig\",\"rule\":\"xmrig\",\"signature\":{\"kind\":\"name\",\"name\":\"xmrig\"},\"sha256\":\"ab12\",\"action\":\"block\"}",
		"{\"path\":\"dist/pools.txt\",\"rule\":\"miner-conf\",\"signature\":{\"kind\":\"name\",\"name\":\"pools.txt\"},\"sha256\":\"cd34\",\"action\":\"audit\"}",
		"{\"path\":\"dist/xmrig\",\"rule\":\"xmrig\",\"action\":\"block\"}",
		"{\"rule\":\"no path\"}",
	};
	struct mg_ci_report r;
	const struct mg_ci_row *w;

	(void)state;
	mg_ci_report_init(&r);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(mg_ci_report_scan_line(&r, lines[i], strlen(lines[i]), "dist/"), 0);
	assert_int_equal(r.nrows, 2);
	assert_int_equal(r.findings, 3);
	assert_int_equal(r.bad_lines, 1);
	w = find(&r, "dist/xmrig", MG_CI_V_FOUND);
	assert_non_null(w);
	assert_true(w->blocks);
	assert_int_equal(w->count, 2);
	assert_string_equal(w->sha256, "ab12");
	assert_string_equal(w->scan_root, "dist/");
	assert_string_equal(w->signature, "name xmrig");
	assert_false(find(&r, "dist/pools.txt", MG_CI_V_FOUND)->blocks);
	mg_ci_report_free(&r);
}

static void test_fail_on(void **state)
{
	struct ci_fx *f = ci_fx_new();
	struct mg_ci_report clean, audits, blocks, both;
	enum mg_fail_on fo;
	const char *scan_block = "{\"path\":\"x/xmrig\",\"rule\":\"xmrig\",\"action\":\"block\"}";

	(void)state;
	assert_int_equal(mg_fail_on_parse("never", &fo), 0);
	assert_int_equal(fo, MG_FAIL_NEVER);
	assert_int_equal(mg_fail_on_parse("any", &fo), 0);
	assert_int_equal(fo, MG_FAIL_ANY);
	assert_int_equal(mg_fail_on_parse("blocks", &fo), -1);
	assert_int_equal(mg_fail_on_parse("", &fo), -1);

	mg_ci_report_init(&clean);
	mg_ci_report_init(&audits);
	mg_ci_report_init(&blocks);
	mg_ci_report_init(&both);
	add(&clean, ci_fx_lifecycle(f, "started", MG_MODE_ENFORCE, 1, -1));
	add(&audits, ci_fx_event(f, 2, "/p/pools.txt", 0, 0, 1, 1, "cat", 1));
	/* audit mode: nothing blocked, but the rule blocks */
	add(&blocks, ci_fx_event(f, 1, "/tmp/xmrig", 0, 1, 1, 1, "sh", 1));
	add(&both, ci_fx_event(f, 2, "/p/pools.txt", 0, 0, 1, 1, "cat", 1));
	assert_int_equal(mg_ci_report_scan_line(&both, scan_block, strlen(scan_block), "x"), 0);

	for (int i = 0; i < 4; i++)
		assert_int_equal(mg_fail_on_count(&clean, (enum mg_fail_on)i), 0);
	assert_int_equal(mg_fail_on_count(&audits, MG_FAIL_NEVER), 0);
	assert_int_equal(mg_fail_on_count(&audits, MG_FAIL_BLOCK), 0);
	assert_int_equal(mg_fail_on_count(&audits, MG_FAIL_AUDIT), 1);
	assert_int_equal(mg_fail_on_count(&audits, MG_FAIL_ANY), 1);
	assert_int_equal(mg_fail_on_count(&blocks, MG_FAIL_NEVER), 0);
	assert_int_equal(mg_fail_on_count(&blocks, MG_FAIL_BLOCK), 1);
	assert_int_equal(mg_fail_on_count(&blocks, MG_FAIL_AUDIT), 0);
	assert_int_equal(mg_fail_on_count(&blocks, MG_FAIL_ANY), 1);
	/* a scan finding of a blocking rule counts as a block */
	assert_int_equal(mg_fail_on_count(&both, MG_FAIL_BLOCK), 1);
	assert_int_equal(mg_fail_on_count(&both, MG_FAIL_AUDIT), 1);
	assert_int_equal(mg_fail_on_count(&both, MG_FAIL_ANY), 2);
	mg_ci_report_free(&clean);
	mg_ci_report_free(&audits);
	mg_ci_report_free(&blocks);
	mg_ci_report_free(&both);
	ci_fx_free(f);
}

/* Many distinct rows: the index must keep every one apart. */
static void test_many_rows(void **state)
{
	struct ci_fx *f = ci_fx_new();
	struct mg_ci_report r;
	char path[64];

	(void)state;
	mg_ci_report_init(&r);
	for (unsigned i = 0; i < 3000; i++) {
		snprintf(path, sizeof(path), "/tmp/d%u/xmrig", i % 1000);
		add(&r, ci_fx_event(f, 1, path, 1, 0, i, 1, "sh", i));
	}
	assert_int_equal(r.nrows, 1000);
	mg_ci_report_sort(&r);
	for (size_t i = 0; i < r.nrows; i++)
		assert_int_equal(r.rows[i].count, 3);
	/* sorted by first time */
	assert_string_equal(r.rows[0].path, "/tmp/d0/xmrig");
	assert_string_equal(r.rows[999].path, "/tmp/d999/xmrig");
	/* still indexed after sorting */
	add(&r, ci_fx_event(f, 1, "/tmp/d5/xmrig", 1, 0, 1, 1, "sh", 1));
	assert_int_equal(r.nrows, 1000);
	mg_ci_report_free(&r);
	ci_fx_free(f);
}

/* The ancestry chain and CI step of the daemon's best-effort fields: from
 * the first decision, else from a later one of the same process. */
static void test_ancestry_and_step(void **state)
{
	struct ci_fx *f = ci_fx_new();
	static struct mg_enrich en;
	struct mg_ci_report r;
	const struct mg_ci_row *w;

	(void)state;
	mg_ci_report_init(&r);
	ci_fx_context(f, &en, 120, "__run_7", "build");
	strcpy(en.ci.workflow, "CI");
	add(&r, ci_fx_event(f, 1, "/tmp/xmrig", 1, 0, 123, 120, "mg-probe", 3));
	w = find(&r, "/tmp/xmrig", MG_CI_V_BLOCK);
	assert_non_null(w);
	assert_string_equal(w->ancestry, "mg-probe(123) ← sh(120) ← Runner.Worker(50)");
	assert_string_equal(w->step, "__run_7");
	assert_string_equal(w->job, "build");
	assert_string_equal(w->workflow, "CI");

	/* the first decision came too late to read /proc; a later one of the
	 * same process fills in, one of another process does not */
	ci_fx_context(f, &en, 0, NULL, NULL);
	add(&r, ci_fx_event(f, 2, "/w/pools.txt", 0, 0, 7, 6, "cat", 4));
	ci_fx_context(f, &en, 9, "__run_3", NULL);
	add(&r, ci_fx_event(f, 2, "/w/pools.txt", 0, 0, 8, 9, "cat", 5));
	w = find(&r, "/w/pools.txt", MG_CI_V_AUDIT);
	assert_null(w->ancestry);
	assert_null(w->step);
	ci_fx_context(f, &en, 6, "__run_2", NULL);
	add(&r, ci_fx_event(f, 2, "/w/pools.txt", 0, 0, 7, 6, "cat", 6));
	w = find(&r, "/w/pools.txt", MG_CI_V_AUDIT);
	assert_string_equal(w->ancestry, "cat(7) ← sh(6) ← Runner.Worker(50)");
	assert_string_equal(w->step, "__run_2");
	assert_null(w->job);
	/* and the first one it had stays */
	ci_fx_context(f, &en, 6, "__run_5", "other");
	add(&r, ci_fx_event(f, 2, "/w/pools.txt", 0, 0, 7, 6, "cat", 7));
	assert_string_equal(w->step, "__run_2");
	assert_null(w->job);
	assert_int_equal(w->count, 4);
	f->ctx.enrich = NULL;
	mg_ci_report_free(&r);
	ci_fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aggregates_per_path_rule_verdict),
		cmocka_unit_test(test_folded_and_would_block),
		cmocka_unit_test(test_scan_findings),
		cmocka_unit_test(test_fail_on),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_ancestry_and_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
