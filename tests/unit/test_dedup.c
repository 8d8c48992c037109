/* Folding repeated decisions in the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"

struct sink {
	int calls;
	uint64_t folded;
	char last_path[64];
};

static void emit(void *ctx, const struct mg_event *last, uint64_t folded, uint64_t first_ms)
{
	struct sink *s = ctx;

	(void)first_ms;
	s->calls++;
	s->folded += folded;
	memcpy(s->last_path, last->path, sizeof(s->last_path) - 1);
}

static struct mg_event *ev_new(const char *path, unsigned rule)
{
	struct mg_event *ev = calloc(1, sizeof(*ev));

	strcpy(ev->path, path);
	strcpy(ev->exe, "/bin/sh");
	ev->rule = rule;
	return ev;
}

static void test_fold_within_window(void **state)
{
	struct mg_dedup *d = mg_dedup_new(1000, 16);
	struct mg_event *a = ev_new("/tmp/xmrig", 1), *b = ev_new("/tmp/minerd", 1);
	struct sink s = { 0 };

	(void)state;
	assert_true(mg_dedup_admit(d, a, 0));    /* first: logged */
	assert_false(mg_dedup_admit(d, a, 10));  /* repeats: folded */
	assert_false(mg_dedup_admit(d, a, 999));
	assert_true(mg_dedup_admit(d, b, 20));   /* other path: logged */
	mg_dedup_flush(d, 500, false, emit, &s); /* window not over */
	assert_int_equal(s.calls, 0);
	mg_dedup_flush(d, 1000, false, emit, &s);
	assert_int_equal(s.calls, 1); /* only a had repeats */
	assert_int_equal(s.folded, 2);
	assert_string_equal(s.last_path, "/tmp/xmrig");
	assert_true(mg_dedup_admit(d, a, 1001)); /* a new window logs again */
	mg_dedup_free(d);
	free(a);
	free(b);
}

static void test_disabled_logs_everything(void **state)
{
	struct mg_dedup *d = mg_dedup_new(0, 16);
	struct mg_event *a = ev_new("/tmp/xmrig", 1);

	(void)state;
	for (int i = 0; i < 5; i++)
		assert_true(mg_dedup_admit(d, a, (uint64_t)i));
	mg_dedup_free(d);
	free(a);
}

static void test_full_table_never_drops(void **state)
{
	struct mg_dedup *d = mg_dedup_new(1000, 4);
	struct sink s = { 0 };
	char p[32];
	int logged = 0;

	(void)state;
	for (int i = 0; i < 50; i++) {
		struct mg_event *e;

		snprintf(p, sizeof(p), "/tmp/f%d", i % 10);
		e = ev_new(p, 1);
		logged += mg_dedup_admit(d, e, 5);
		free(e);
	}
	mg_dedup_flush(d, 0, true, emit, &s);
	/* every decision is either logged or counted in a summary */
	assert_int_equal((uint64_t)logged + s.folded, 50);
	mg_dedup_free(d);
}

static void test_keys_differ_by_rule_and_exe(void **state)
{
	struct mg_event *a = ev_new("/tmp/xmrig", 1), *b = ev_new("/tmp/xmrig", 2);

	(void)state;
	assert_int_not_equal(mg_dedup_key(a), mg_dedup_key(b));
	b->rule = 1;
	assert_int_equal(mg_dedup_key(a), mg_dedup_key(b));
	strcpy(b->exe, "/bin/cat");
	assert_int_not_equal(mg_dedup_key(a), mg_dedup_key(b));
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_within_window),
		cmocka_unit_test(test_disabled_logs_everything),
		cmocka_unit_test(test_full_table_never_drops),
		cmocka_unit_test(test_keys_differ_by_rule_and_exe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
