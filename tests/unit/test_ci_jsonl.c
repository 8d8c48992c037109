/* The JSON reader of the CI report: values, escapes, paths, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "jsonl.h"

static struct mg_jv *parse(const char *s)
{
	char err[128];

	return mg_jv_parse(s, strlen(s), err, sizeof(err));
}

static void test_values_and_paths(void **state)
{
	struct mg_jv *v = parse(" {\"a\":{\"b\":[1,2],\"c\":-12,\"d\":1.5e3,\"e\":true,"
				"\"f\":null,\"g\":\"x\"},\"@timestamp\":\"t\"} ");
	long long n;

	(void)state;
	assert_non_null(v);
	assert_int_equal(mg_jv_int(v, "a.c", &n), 0);
	assert_int_equal(n, -12);
	assert_int_equal(mg_jv_get(v, "a.d")->type, MG_J_NUM);
	assert_true(mg_jv_get(v, "a.d")->num == 1500.0);
	assert_int_equal(mg_jv_int(v, "a.d", &n), -1); /* not an integer */
	assert_true(mg_jv_true(v, "a.e"));
	assert_int_equal(mg_jv_get(v, "a.f")->type, MG_J_NULL);
	assert_string_equal(mg_jv_str(v, "a.g"), "x");
	assert_string_equal(mg_jv_str(v, "@timestamp"), "t");
	assert_null(mg_jv_str(v, "a.c"));    /* a number is not a string */
	assert_null(mg_jv_get(v, "a.b.c"));  /* an array has no members */
	assert_null(mg_jv_get(v, "a.x"));
	assert_int_equal(mg_jv_get(v, "a.b")->child->next->ival, 2);
	mg_jv_free(v);
}

static void test_string_escapes(void **state)
{
	struct mg_jv *v = parse("[\"q\\\"b\\\\s\\/n\\n\\t\\u00e9\\ud83d\\ude00\\ud800x\\u0000z\"]");

	(void)state;
	assert_non_null(v);
	/* é, a surrogate pair as one 4-byte character, a lone surrogate as U+FFFD, NUL kept */
	assert_int_equal(v->child->slen, 21);
	assert_memory_equal(v->child->s, "q\"b\\s/n\n\t\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx\0z", 21);
	mg_jv_free(v);
}

static void test_refuses_bad_documents(void **state)
{
	static const char *const bad[] = {
		"", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "\"unterminated",
		"\"ctl\x01\"", "\"\\x\"", "\"\\u12\"", "01", "1.", "-", "tru", "nul",
		"{\"a\":1} x", "[1 2]", "{\"a\":1}{\"b\":2}",
	};
	char deep[200];
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_null(mg_jv_parse(bad[i], strlen(bad[i]), err, sizeof(err)));
		assert_true(err[0] != '\0');
	}
	/* nesting beyond the bound is refused, not recursed into */
	memset(deep, '[', sizeof(deep));
	assert_null(mg_jv_parse(deep, sizeof(deep), err, sizeof(err)));
	assert_non_null(strstr(err, "deep"));
}

static void test_large_integers(void **state)
{
	struct mg_jv *v = parse("{\"big\":18446744073709551615,\"max\":9223372036854775807}");
	long long n;

	(void)state;
	assert_non_null(v);
	/* a u64 beyond long long is a number but not an integer we can hold */
	assert_int_equal(mg_jv_int(v, "big", &n), -1);
	assert_int_equal(mg_jv_int(v, "max", &n), 0);
	assert_true(n == 9223372036854775807LL);
	mg_jv_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_paths),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_refuses_bad_documents),
		cmocka_unit_test(test_large_integers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
