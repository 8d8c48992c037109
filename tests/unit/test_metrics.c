/* Prometheus exposition and atomic file replacement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics.h"

static void test_exposition(void **state)
{
	static char buf[16384];
	struct mg_rule_count rc[] = { { "xmrig", 2, 7 }, { "we\"ird\\", 0, 1 } };
	struct mg_metrics m = {
		.mode = MG_MODE_AUDIT, .policy_sha256 = "abc",
		.backend = "fmodret", .nrules = 2,
		.rules = rc, .nrule_counts = 2, .uptime_s = 1.5, .events_logged = 9,
	};

	(void)state;
	m.counters[MG_CTR_EVENTS_DROPPED] = 3;
	m.events_suppressed = 5;
	m.events_format_failed = 8;
	m.counters[MG_CTR_HOOK_BASE + MG_HOOK_EXEC * MG_CTR_PER_HOOK + MG_HCTR_BLOCK] = 4;
	m.kind_count[MG_KIND_NAME] = 195;
	m.counters[MG_CTR_MARK_SET] = 6;
	m.counters[MG_CTR_MARK_HIT] = 2;
	m.counters[MG_CTR_NAME_ERR] = 1;
	m.counters[MG_CTR_EXE_ERR] = 11;
	m.counters[MG_CTR_NO_POLICY] = 12;
	m.counters[MG_CTR_SCRATCH_FALLBACK] = 13;
	m.counters[MG_CTR_NO_SCRATCH] = 14;
	assert_true(mg_metrics_prom(&m, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "# TYPE minerguard_hook_decisions_total counter\n"));
	assert_non_null(strstr(buf, "minerguard_hook_decisions_total{hook=\"exec\",result=\"block\"} 4\n"));
	assert_non_null(strstr(buf, "minerguard_events_dropped_total 3\n"));
	assert_non_null(strstr(buf, "minerguard_rule_decisions_total{rule=\"xmrig\",verdict=\"block\"} 7\n"));
	assert_non_null(strstr(buf, "{rule=\"we\\\"ird\\\\\",verdict=\"audit\"} 0\n"));
	assert_non_null(strstr(buf, "minerguard_signatures{kind=\"name\"} 195\n"));
	assert_non_null(strstr(buf, "minerguard_policy_info{sha256=\"abc\",mode=\"audit\",backend=\"fmodret\"} 1\n"));
	assert_non_null(strstr(buf, "minerguard_uptime_seconds 1.500\n"));
	assert_non_null(strstr(buf, "minerguard_events_suppressed_total 5\n"));
	assert_non_null(strstr(buf, "# TYPE minerguard_events_format_failed_total counter\n"
				    "minerguard_events_format_failed_total 8\n"));
	/* the inode-mark and name-read counters, each from its own slot */
	assert_non_null(strstr(buf, "# HELP minerguard_marks_set_total "));
	assert_non_null(strstr(buf, "# TYPE minerguard_marks_set_total counter\nminerguard_marks_set_total 6\n"));
	assert_non_null(strstr(buf, "# HELP minerguard_mark_hits_total "));
	assert_non_null(strstr(buf, "# TYPE minerguard_mark_hits_total counter\nminerguard_mark_hits_total 2\n"));
	assert_non_null(strstr(buf, "# HELP minerguard_name_errors_total "));
	assert_non_null(strstr(buf, "# TYPE minerguard_name_errors_total counter\nminerguard_name_errors_total 1\n"));
	assert_non_null(strstr(buf, "counter\nminerguard_exe_errors_total 11\n"));
	assert_non_null(strstr(buf, "counter\nminerguard_no_policy_total 12\n"));
	assert_non_null(strstr(buf, "counter\nminerguard_scratch_fallback_total 13\n"));
	assert_non_null(strstr(buf, "counter\nminerguard_no_scratch_total 14\n"));
	assert_int_equal(mg_metrics_prom(&m, buf, 100), -1);
}

static void test_atomic_write(void **state)
{
	char dir[] = "/tmp/mg-metrics-XXXXXX", path[256], err[256], got[64] = { 0 };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	assert_int_equal(mg_write_atomic(path, "one\n", 4, err, sizeof(err)), 0);
	{
		mode_t old = umask(077);
		struct stat st;

		assert_int_equal(mg_write_atomic(path, "two\n", 4, err, sizeof(err)), 0);
		umask(old);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0644); /* readable by the collector */
	}
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof(got) - 1, f), 4);
	fclose(f);
	assert_string_equal(got, "two\n");
	unlink(path);
	assert_int_equal(rmdir(dir), 0); /* no temporary file left behind */
	assert_int_equal(mg_write_atomic("/nonexistent/dir/m.prom", "x", 1, err, sizeof(err)), -1);
}

/* The temporary name used to be predictable (path.tmp.PID), opened without
 * O_EXCL and chmodded 0644: a symlink planted there redirected the write. */
static void test_planted_symlink_not_followed(void **state)
{
	char dir[] = "/tmp/mg-metrics-XXXXXX", path[256], tmp[300], victim[300], err[256];
	char got[64] = { 0 };
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	f = fopen(victim, "w");
	assert_non_null(f);
	fputs("secret\n", f);
	fclose(f);
	assert_int_equal(chmod(victim, 0600), 0);
	assert_int_equal(symlink(victim, tmp), 0);
	assert_int_equal(symlink(victim, path), 0);

	assert_int_equal(mg_write_atomic(path, "m 1\n", 4, err, sizeof(err)), 0);
	/* the victim is untouched; the symlink at path was replaced, not followed */
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(victim, "r");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof(got) - 1, f), 7);
	fclose(f);
	assert_string_equal(got, "secret\n");
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	unlink(tmp);
	unlink(path);
	unlink(victim);
	assert_int_equal(rmdir(dir), 0);
}

static void test_shared_directory_refused(void **state)
{
	char dir[] = "/tmp/mg-metrics-XXXXXX", path[256], err[256];
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	assert_int_equal(chmod(dir, 0770), 0);
	assert_int_equal(mg_write_atomic(path, "x", 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable by group or others"));
	assert_int_equal(chmod(dir, 01777), 0);
	assert_int_equal(mg_write_atomic(path, "x", 1, err, sizeof(err)), -1);
	assert_int_not_equal(lstat(path, &st), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(mg_write_atomic(path, "x", 1, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exposition),
		cmocka_unit_test(test_atomic_write),
		cmocka_unit_test(test_planted_symlink_not_followed),
		cmocka_unit_test(test_shared_directory_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
