/* minerguard.conf parsing, good and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "config.h"
#include "vcache.h"
#include "minerguard_abi.h"

static void test_defaults(void **state)
{
	struct mg_config c;

	(void)state;
	mg_config_defaults(&c);
	assert_int_equal(c.mode, MG_MODE_ENFORCE);
	assert_int_equal(c.npolicies, 0);
	assert_int_equal(c.dedup_window_ms, 1000);
	assert_null(c.log);
	assert_int_equal(c.log_mode, 0600);
	assert_int_equal(c.self_protect, 1);
	assert_int_equal(c.verdict_cache, MG_VC_ON);
}

static void test_full_file(void **state)
{
	struct mg_config c;
	char err[256];
	const char *text =
		"# comment\n"
		"\n"
		"mode = audit\n"
		"  policy=/etc/minerguard/policies  \n"
		"policy = /srv/extra.lua\n"
		"lua_dir = /usr/share/minerguard/lua\n"
		"log = /var/log/minerguard/events.json\n"
		"dedup_window_ms = 0\n"
		"rate_limit = 500\n"
		"metrics_file = /var/lib/prometheus/node-exporter/minerguard.prom\n"
		"metrics_interval = 30\n"
		"self_protect = no\n"
		"verdict_cache = verify\n"
		"log_mode = 0640";

	(void)state;
	mg_config_defaults(&c);
	assert_int_equal(mg_config_parse(&c, "t.conf", text, err, sizeof(err)), 0);
	assert_int_equal(c.mode, MG_MODE_AUDIT);
	assert_int_equal(c.npolicies, 2);
	assert_string_equal(c.policies[0], "/etc/minerguard/policies");
	assert_string_equal(c.policies[1], "/srv/extra.lua");
	assert_string_equal(c.log, "/var/log/minerguard/events.json");
	assert_int_equal(c.dedup_window_ms, 0);
	assert_int_equal(c.rate_limit, 500);
	assert_int_equal(c.metrics_interval_s, 30);
	assert_int_equal(c.log_mode, 0640);
	assert_int_equal(c.self_protect, 0);
	assert_int_equal(c.verdict_cache, MG_VC_VERIFY);
	mg_config_free(&c);
}

static void expect_error(const char *text, const char *msg)
{
	struct mg_config c;
	char err[256];

	mg_config_defaults(&c);
	assert_int_equal(mg_config_parse(&c, "m.conf", text, err, sizeof(err)), -1);
	assert_string_equal(err, msg);
	mg_config_free(&c);
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("mode = audit\nfoo = 1\n", "m.conf:2: unknown key 'foo'");
	expect_error("\n\nmode = strict\n", "m.conf:3: mode must be enforce or audit (got 'strict')");
	expect_error("mode\n", "m.conf:1: expected 'key = value'");
	expect_error("verdict_cache = maybe\n",
		     "m.conf:1: verdict_cache must be on, off or verify (got 'maybe')");
	/* the test-only mode is for the command line of the VM suite */
	expect_error("verdict_cache = verify-ignore-keys\n",
		     "m.conf:1: verdict_cache must be on, off or verify (got 'verify-ignore-keys')");
	expect_error("log =\n", "m.conf:1: log has no value");
	expect_error("policy = policies\n", "m.conf:1: policy must be an absolute path (got 'policies')");
	expect_error("rate_limit = -5\n",
		     "m.conf:1: rate_limit must be events per second, 0 (unlimited) to 1000000 (got '-5')");
	expect_error("dedup_window_ms = 12abc\n",
		     "m.conf:1: dedup_window_ms must be a whole number of milliseconds, 0 to 3600000 (got '12abc')");
	expect_error("metrics_interval = 0\n", "m.conf:1: metrics_interval must be seconds, 1 to 86400 (got '0')");
	expect_error("log_mode = 0644x\n",
		     "m.conf:1: log_mode must be an octal file mode, 0000 to 0777 (e.g. 0640) (got '0644x')");
	expect_error("log_mode = 1777\n",
		     "m.conf:1: log_mode must be an octal file mode, 0000 to 0777 (e.g. 0640) (got '1777')");
	expect_error("self_protect = off\n", "m.conf:1: self_protect must be yes or no (got 'off')");
	expect_error("log = relative.json\n", "m.conf:1: log must be stdout or an absolute path (got 'relative.json')");
}

static void test_missing_file(void **state)
{
	struct mg_config c;
	char err[256];

	(void)state;
	mg_config_defaults(&c);
	assert_int_equal(mg_config_load(&c, "/nonexistent/mg.conf", 0, err, sizeof(err)), 0);
	assert_int_equal(mg_config_load(&c, "/nonexistent/mg.conf", 1, err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/mg.conf: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
