/* Unit tests of the DSL's options { ... } (lua/minerguard.lua,
 * src/policy/policy_rules.c) and how src/policy/image.c compiles them into the meta the
 * kernel reads. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"
#include "policy.h"

struct fx {
	char dir[64];
	char err[1024];
	struct mg_policy *p;
	struct mg_image *img;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/mg-opt-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	mg_image_free(f->img);
	mg_policy_free(f->p);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void write_file(struct fx *f, const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Loads f->dir; returns mg_policy_load's result, the error in f->err. */
static int load(struct fx *f)
{
	const char *paths[] = { f->dir };

	return mg_policy_load(paths, 1, "lua", NULL, &f->p, f->err, sizeof(f->err));
}

static const struct mg_rule_def *rule_named(const struct mg_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].name, name))
			return &p->rules[i];
	return NULL;
}

#define RULE "rule { name = \"x\", action = \"block\", names = { \"xmrig\" } }\n"

static void test_default_is_match(void **state)
{
	struct fx *f = *state;

	write_file(f, "a.lua", RULE);
	assert_int_equal(load(f), 0);
	assert_int_equal(f->p->options.memfd_exec, MG_OPT_MEMFD_MATCH);
	assert_int_equal(f->p->options.tmpfs_exec, MG_OPT_TMPFS_ALLOW);
	assert_int_equal(f->p->nrules, 1);
	assert_int_equal(mg_image_build(f->p, &f->img, f->err, sizeof(f->err)), 0);
	assert_true(f->img->meta.flags & MG_META_MEMFD_NAMES);
	assert_int_equal(f->img->meta.memfd_rule, 0);
	assert_int_equal(f->img->meta.tmpfs_rule, 0);
}

static void test_deny_adds_rules(void **state)
{
	struct fx *f = *state;
	const struct mg_rule_def *m, *t;

	write_file(f, "a.lua", "options { memfd_exec = \"deny\", tmpfs_exec = \"audit\" }\n" RULE);
	assert_int_equal(load(f), 0);
	assert_int_equal(f->p->options.memfd_exec, MG_OPT_MEMFD_DENY);
	assert_int_equal(f->p->options.tmpfs_exec, MG_OPT_TMPFS_AUDIT);
	m = rule_named(f->p, MG_OPTION_RULE_MEMFD);
	t = rule_named(f->p, MG_OPTION_RULE_TMPFS);
	assert_non_null(m);
	assert_non_null(t);
	assert_int_equal(m->action, MG_ACTION_BLOCK);
	assert_int_equal(t->action, MG_ACTION_AUDIT);
	assert_int_equal(m->hooks, MG_RHOOK_EXEC);
	assert_int_equal(m->line, 1);
	assert_int_equal(mg_image_build(f->p, &f->img, f->err, sizeof(f->err)), 0);
	assert_true(f->img->meta.flags & MG_META_MEMFD_NAMES);
	assert_string_equal(f->p->rules[f->img->meta.memfd_rule - 1].name, MG_OPTION_RULE_MEMFD);
	assert_string_equal(f->p->rules[f->img->meta.tmpfs_rule - 1].name, MG_OPTION_RULE_TMPFS);
	assert_int_equal(f->img->rules[f->img->meta.memfd_rule].action, MG_ACTION_BLOCK);
}

static void expect_error(struct fx *f, const char *b_text, const char *want_fmt);

/* digest_unknown is only a rule: the kernel's answer when a digest fails. */
static void test_digest_unknown_rule(void **state)
{
	struct fx *f = *state;
	const struct mg_rule_def *d;

	write_file(f, "a.lua", "options { digest_unknown = \"deny\" }\n" RULE);
	assert_int_equal(load(f), 0);
	d = rule_named(f->p, MG_OPTION_RULE_DIGEST);
	assert_non_null(d);
	assert_int_equal(d->action, MG_ACTION_BLOCK);
	assert_int_equal(mg_image_build(f->p, &f->img, f->err, sizeof(f->err)), 0);
	assert_string_equal(f->p->rules[f->img->meta.digest_unknown_rule - 1].name,
			    MG_OPTION_RULE_DIGEST);
	/* the fileless options are untouched */
	assert_int_equal(f->p->options.memfd_exec, MG_OPT_MEMFD_MATCH);
	assert_int_equal(f->img->meta.memfd_rule, 0);
}

static void test_digest_unknown_allow_is_refused(void **state)
{
	expect_error(*state, "options { digest_unknown = \"allow\" }\n",
		     "%s/b.lua:1: options: unknown digest_unknown \"allow\" (allowed: deny, audit)");
}

static void test_allow_turns_names_off(void **state)
{
	struct fx *f = *state;

	write_file(f, "a.lua", "options { memfd_exec = \"allow\" }\n" RULE);
	assert_int_equal(load(f), 0);
	assert_int_equal(mg_image_build(f->p, &f->img, f->err, sizeof(f->err)), 0);
	assert_false(f->img->meta.flags & MG_META_MEMFD_NAMES);
}

static void test_same_value_twice_is_fine(void **state)
{
	struct fx *f = *state;

	write_file(f, "a.lua", "options { memfd_exec = \"deny\" }\n" RULE);
	write_file(f, "b.lua", "options { memfd_exec = \"deny\" }\n");
	assert_int_equal(load(f), 0);
	assert_int_equal(f->p->nrules, 2);
}

static void expect_error(struct fx *f, const char *b_text, const char *want_fmt)
{
	char want[512];

	write_file(f, "a.lua", RULE);
	write_file(f, "b.lua", b_text);
	assert_int_not_equal(load(f), 0);
	assert_null(f->p);
	snprintf(want, sizeof(want), want_fmt, f->dir, f->dir);
	assert_string_equal(f->err, want);
}

static void test_conflict(void **state)
{
	struct fx *f = *state;

	write_file(f, "0.lua", "options { memfd_exec = \"deny\" }\n");
	expect_error(f, "\n\noptions { memfd_exec = \"allow\" }\n",
		     "%s/b.lua:3: options: memfd_exec = \"allow\" conflicts with memfd_exec = \"deny\" at %s/0.lua:1");
}

static void test_bad_value(void **state)
{
	expect_error(*state, "options { tmpfs_exec = \"match\" }\n",
		     "%s/b.lua:1: options: unknown tmpfs_exec \"match\" (allowed: allow, deny, audit)");
}

static void test_bad_key(void **state)
{
	expect_error(*state, "options { memfd = \"deny\" }\n",
		     "%s/b.lua:1: options: unknown key \"memfd\"");
}

static void test_bad_type(void **state)
{
	expect_error(*state, "options(\"deny\")\n",
		     "%s/b.lua:1: options: expects a table, as in options { memfd_exec = \"match\" }; got string");
}

static void test_reserved_rule_name(void **state)
{
	expect_error(*state,
		     "rule { name = \"option.memfd_exec\", action = \"block\", names = { \"a\" } }\n",
		     "%s/b.lua:1: rule: name \"option.memfd_exec\": names starting with \"option.\" are reserved for options { }");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_default_is_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deny_adds_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allow_turns_names_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_value_twice_is_fine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserved_rule_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digest_unknown_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digest_unknown_allow_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
