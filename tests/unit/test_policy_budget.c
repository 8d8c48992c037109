/* Budgets of the C functions the instruction hook cannot see into
 * (src/policy/policy_budget.c): each refusal names the policy's file and
 * line and comes quickly. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "policy.h"

#define FX "tests/unit/policies/budget/"
#define LUA_DIR "lua"
/* far below what the refused calls would take (minutes, or all memory) */
#define MAX_SECONDS 2.0

struct budget_case {
	const char *path;
	const char *expect;
};

static const struct budget_case cases[] = {
	{ FX "rep_empty.lua",
	  FX "rep_empty.lua:2: string.rep: instruction limit exceeded (200000000 instructions)" },
	{ FX "rep_big.lua",
	  FX "rep_big.lua:3: string.rep: memory limit exceeded (268435456 bytes)" },
	{ FX "rep_sep.lua",
	  FX "rep_sep.lua:3: string.rep: memory limit exceeded (268435456 bytes)" },
	{ FX "rep_in_pcall.lua",
	  FX "rep_in_pcall.lua:2: string.rep: instruction limit exceeded (200000000 instructions)" },
	{ FX "format_width.lua", FX "format_width.lua:2: string.format: width over 99" },
	{ FX "concat_index.lua",
	  FX "concat_index.lua:3: table.concat: instruction limit exceeded (200000000 instructions)" },
	{ FX "move_range.lua",
	  FX "move_range.lua:2: table.move: instruction limit exceeded (200000000 instructions)" },
	{ FX "insert_len.lua",
	  FX "insert_len.lua:3: table.insert: tables with a __len metamethod are not supported in policies" },
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_refused(void **state)
{
	const struct budget_case *c = *state;
	struct mg_policy *p = NULL;
	char err[2048];
	double t0 = now_s();

	assert_int_equal(mg_policy_load(&c->path, 1, LUA_DIR, NULL, &p, err, sizeof(err)), -1);
	assert_true(now_s() - t0 < MAX_SECONDS);
	assert_null(p);
	assert_string_equal(err, c->expect);
}

static void test_ordinary_uses_allowed(void **state)
{
	const char *path = FX "ok.lua";
	struct mg_policy *p = NULL;
	char err[2048];

	(void)state;
	if (mg_policy_load(&path, 1, LUA_DIR, NULL, &p, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(p->nrules, 1);
	assert_string_equal(p->rules[0].lists[MG_LIST_NAMES].v[0], "miner-01x-x");
	mg_policy_free(p);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 1];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tests[i] = (struct CMUnitTest){ .name = cases[i].path, .test_func = test_refused,
						.initial_state = (void *)&cases[i] };
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_ordinary_uses_allowed);
	return _cmocka_run_group_tests("policy_budget", tests, i, NULL, NULL);
}
