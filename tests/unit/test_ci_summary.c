/* The Markdown job summary: clean, findings, not monitored, escaping and
 * the 1 MiB cut with its "N more" line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "ci_fixture.h"
#include "summary.h"

static void add(struct mg_ci_report *r, const char *line)
{
	assert_int_equal(mg_ci_report_event_line(r, line, strlen(line)), 0);
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_clean_job(void **state)
{
	struct ci_fx *f = ci_fx_new();
	struct mg_ci_meta m = { .monitored = 1, .backend = "lsm", .rules = -1, .fail_on = "block" };
	struct mg_ci_report r;
	size_t len;
	char *s;

	(void)state;
	mg_ci_report_init(&r);
	add(&r, ci_fx_lifecycle(f, "policy-loaded", MG_MODE_AUDIT, 3, -1));
	s = mg_ci_summary(&r, &m, MG_CI_SUMMARY_MAX, &len);
	assert_non_null(s);
	assert_int_equal(len, strlen(s));
	assert_true(strncmp(s, "### minerguard: no miner activity\n", 34) == 0);
	/* the header: mode and policy from the log, backend from start's state */
	assert_non_null(strstr(s, "Mode: **audit** · backend: **lsm** · policy version 3, sha256 40e19f73d18d, 2 rules"));
	assert_non_null(strstr(s, "No miner file was opened"));
	assert_null(strstr(s, "| verdict |"));
	assert_non_null(strstr(s, "`--fail-on block`: the job passes"));
	assert_true(len < 1024); /* short */
	free(s);
	mg_ci_report_free(&r);
	ci_fx_free(f);
}

static void test_findings_table(void **state)
{
	struct ci_fx *f = ci_fx_new();
	struct mg_ci_meta m = { .monitored = 1, .rules = -1, .fail_on = "block", .failing = 1,
				.annotations_dropped = 3 };
	const char *notes[] = { "scan of dist/: 1 finding" };
	struct mg_ci_report r;
	size_t len;
	char *s;

	(void)state;
	m.notes = notes;
	m.nnotes = 1;
	mg_ci_report_init(&r);
	add(&r, ci_fx_event(f, 1, "/tmp/a|b*xmrig", 1, 0, 100, 99, "sh", 3));
	add(&r, ci_fx_event(f, 1, "/tmp/a|b*xmrig", 1, 0, 100, 99, "sh", 4));
	add(&r, ci_fx_event(f, 2, "/w/pools.txt", 0, 0, 7, 6, "cat", 5));
	mg_ci_report_sort(&r);
	s = mg_ci_summary(&r, &m, MG_CI_SUMMARY_MAX, &len);
	assert_non_null(s);
	assert_true(strncmp(s, "### minerguard: 2 blocked, 1 audited\n", 37) == 0);
	assert_non_null(strstr(s, "backend: **not reported**"));
	/* one row per (path, rule, verdict); cell specials escaped */
	/* no ancestry or step recorded: pid and parent pid, step "–" */
	assert_non_null(strstr(s, "| blocked | xmrig | /tmp/a\\|b\\*xmrig | 2 | 2025-12-04 21:00:03 | 2025-12-04 21:00:04 | exec | – | sh (pid 100, parent 99) /usr/bin/sh |"));
	assert_non_null(strstr(s, "| audited | miner-conf | /w/pools.txt | 1 |"));
	assert_true(strstr(s, "| blocked |") < strstr(s, "| audited |"));
	assert_non_null(strstr(s, "3 more annotations not shown"));
	assert_non_null(strstr(s, "- scan of dist/: 1 finding\n"));
	assert_non_null(strstr(s, "| verdict | rule | file | count | first | last | hook | step | process |\n"
				  "|---|---|---|---:|---|---|---|---|---|\n"));
	assert_non_null(strstr(s, "Step: `GITHUB_ACTION`"));
	assert_non_null(strstr(s, "**the job fails**"));
	assert_null(strstr(s, "more rows not shown"));
	free(s);
	mg_ci_report_free(&r);
	ci_fx_free(f);
}

/* Which step did it: GITHUB_ACTION and job, the ancestry chain, escaped
 * as every cell is; GitLab's job alone. */
static void test_step_and_ancestry(void **state)
{
	struct ci_fx *f = ci_fx_new();
	struct mg_ci_meta m = { .monitored = 1, .rules = -1, .fail_on = "block", .failing = 1 };
	static struct mg_enrich en;
	struct mg_ci_report r;
	size_t len;
	char *s;

	(void)state;
	mg_ci_report_init(&r);
	ci_fx_context(f, &en, 120, "__run_7", "build");
	add(&r, ci_fx_event(f, 1, "/tmp/xmrig", 1, 0, 123, 120, "mg-probe", 3));
	ci_fx_context(f, &en, 6, "", "test|unit");
	strcpy(en.ancestors[1].name, "a<b>*c");
	add(&r, ci_fx_event(f, 2, "/w/pools.txt", 0, 0, 7, 6, "cat", 4));
	f->ctx.enrich = NULL;
	mg_ci_report_sort(&r);
	s = mg_ci_summary(&r, &m, MG_CI_SUMMARY_MAX, &len);
	assert_non_null(s);
	assert_non_null(strstr(s, "| exec | \\_\\_run\\_7 (job build) | "
				  "mg-probe(123) ← sh(120) ← Runner.Worker(50) · /usr/bin/mg-probe |"));
	assert_non_null(strstr(s, "| exec | job test\\|unit | "
				  "cat(7) ← sh(6) ← a&lt;b&gt;\\*c(50) · /usr/bin/cat |"));
	free(s);
	mg_ci_report_free(&r);
	ci_fx_free(f);
}

static void test_not_monitored(void **state)
{
	struct mg_ci_meta m = { .monitored = 0, .rules = -1,
				.reason = "minerguard run exited 3: BPF LSM is not active (lsm=)" };
	const char *scan = "{\"path\":\"dist/xmrig\",\"rule\":\"xmrig\",\"action\":\"block\"}";
	struct mg_ci_report r;
	size_t len;
	char *s;

	(void)state;
	mg_ci_report_init(&r);
	s = mg_ci_summary(&r, &m, MG_CI_SUMMARY_MAX, &len);
	assert_true(strncmp(s, "### minerguard: not monitored\n", 30) == 0);
	assert_non_null(strstr(s, "could not host minerguard: minerguard run exited 3: BPF LSM is not active (lsm=)."));
	assert_null(strstr(s, "No miner file was opened")); /* we cannot know */
	free(s);
	/* scans still report */
	assert_int_equal(mg_ci_report_scan_line(&r, scan, strlen(scan), "dist/"), 0);
	s = mg_ci_summary(&r, &m, MG_CI_SUMMARY_MAX, &len);
	assert_true(strncmp(s, "### minerguard: not monitored · 1 found by scans\n", 50) == 0);
	assert_non_null(strstr(s, "| found | xmrig | dist/xmrig | 1 |"));
	free(s);
	/* a start that failed for another reason says so, not "the kernel" */
	m.start_failed = 1;
	m.reason = "minerguard run: policies/x.lua:3: unknown key";
	s = mg_ci_summary(&r, &m, MG_CI_SUMMARY_MAX, &len);
	assert_non_null(strstr(s, "`minerguard ci start` failed: minerguard run: policies/x.lua:3: unknown key."));
	assert_null(strstr(s, "could not host"));
	free(s);
	mg_ci_report_free(&r);
}

/* 20,000 rows of ~600 bytes: far beyond 1 MiB, cut with an exact count. */
static void test_truncation_under_1mib(void **state)
{
	struct ci_fx *f = ci_fx_new();
	struct mg_ci_meta m = { .monitored = 1, .rules = -1, .log_path = "/tmp/s/decisions.jsonl" };
	struct mg_ci_report r;
	char path[512], want[128];
	size_t len, rows, cap = MG_CI_SUMMARY_MAX;
	char *s;

	(void)state;
	mg_ci_report_init(&r);
	for (unsigned i = 0; i < 20000; i++) {
		snprintf(path, sizeof(path), "/tmp/%0400u/xmrig", i);
		add(&r, ci_fx_event(f, 1, path, 1, 0, i, 1, "sh", i));
	}
	s = mg_ci_summary(&r, &m, cap, &len);
	assert_non_null(s);
	assert_int_equal(len, strlen(s));
	assert_true(len <= cap);
	assert_true(len < 1024 * 1024);
	assert_true(len > cap / 2); /* the cut uses the room it has */
	rows = count_of(s, "| blocked |");
	assert_true(rows > 100 && rows < 20000);
	snprintf(want, sizeof(want), "**%zu more rows not shown** (the summary stays under 1 MiB); "
		 "every decision is in /tmp/s/decisions.jsonl.", 20000 - rows);
	assert_non_null(strstr(s, want));
	free(s);
	/* a smaller cap is honoured too */
	s = mg_ci_summary(&r, &m, 64 * 1024, &len);
	assert_true(len <= 64 * 1024);
	assert_non_null(strstr(s, "more rows not shown"));
	free(s);
	mg_ci_report_free(&r);
	ci_fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_job),
		cmocka_unit_test(test_findings_table),
		cmocka_unit_test(test_step_and_ancestry),
		cmocka_unit_test(test_not_monitored),
		cmocka_unit_test(test_truncation_under_1mib),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
