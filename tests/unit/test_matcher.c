/* The userspace decision procedure: kinds, precedence, exceptions, hooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "matcher.h"

struct world {
	struct mg_policy p;
	struct mg_image *img;
};

/* Rules are added in name order, as the policy loader sorts them. */
static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct mg_rule_def *r;
	char err[256];

	r = fx_rule(&w->p, "audit-dir", MG_ACTION_AUDIT, MG_RHOOK_OPEN | MG_RHOOK_EXEC);
	fx_add(r, MG_LIST_DIRS, "/srv/watch");
	r = fx_rule(&w->p, "audit-name", MG_ACTION_AUDIT, MG_RHOOK_OPEN);
	fx_add(r, MG_LIST_NAMES, "nanominer");
	r = fx_rule(&w->p, "exec-only", MG_ACTION_BLOCK, MG_RHOOK_EXEC);
	fx_add(r, MG_LIST_NAMES, "t-rex");
	r = fx_rule(&w->p, "xmrig", MG_ACTION_BLOCK, MG_RHOOK_OPEN | MG_RHOOK_EXEC);
	fx_add(r, MG_LIST_NAMES, "xmrig");
	fx_add(r, MG_LIST_PREFIXES, "xmrig-");
	fx_add(r, MG_LIST_SUFFIXES, ".xmrig.json");
	fx_add(r, MG_LIST_PATHS, "/usr/local/bin/kdevtmpfsi");
	fx_add(r, MG_LIST_DIRS, "/opt/miner");
	fx_add(r, MG_LIST_EXC_PATHS, "/srv/watch/xmrig");
	fx_add(r, MG_LIST_EXC_DIRS, "/var/lib/samples");
	fx_add(r, MG_LIST_EXC_EXES, "/usr/bin/clamscan");
	if (mg_image_build(&w->p, &w->img, err, sizeof(err)))
		return -1;
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	mg_image_free(w->img);
	fx_free(&w->p);
	free(w);
	return 0;
}

static struct mg_match m_(void **state, const char *path, const char *exe, enum mg_hook h)
{
	struct world *w = *state;
	struct mg_match m;

	mg_match_path(w->img, path, exe, h, &m);
	return m;
}

#define assert_match(state, path, exe, hook, rule_name, kind_)                 \
	do {                                                                   \
		struct mg_match mm = m_(state, path, exe, hook);               \
		assert_true(mm.matched);                                       \
		assert_string_equal(mm.def->name, rule_name);                  \
		assert_int_equal(mm.kind, kind_);                              \
	} while (0)
#define assert_nomatch(state, path, exe, hook) assert_false(m_(state, path, exe, hook).matched)

static void test_each_kind(void **state)
{
	assert_match(state, "/tmp/xmrig", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_NAME);
	assert_match(state, "/tmp/xmrig-6.21", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_PREFIX);
	assert_match(state, "/home/u/.xmrig.json", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_SUFFIX);
	assert_match(state, "/home/u/a.xmrig.json", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_SUFFIX);
	assert_match(state, "/usr/local/bin/kdevtmpfsi", NULL, MG_HOOK_EXEC, "xmrig", MG_KIND_PATH);
	assert_match(state, "/opt/miner/bin/run", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_DIR);
}

static void test_case_folding_names_not_paths(void **state)
{
	assert_match(state, "/tmp/XMRig", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_NAME);
	assert_match(state, "/tmp/XMRIG-cuda", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_PREFIX);
	assert_match(state, "/tmp/A.XMRIG.JSON", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_SUFFIX);
	assert_nomatch(state, "/usr/local/bin/KDEVTMPFSI2", NULL, MG_HOOK_EXEC);
	assert_nomatch(state, "/OPT/miner/x", NULL, MG_HOOK_OPEN);
}

static void test_near_misses(void **state)
{
	assert_nomatch(state, "/tmp/xmrigger", NULL, MG_HOOK_OPEN);
	assert_nomatch(state, "/tmp/my-xmrig", NULL, MG_HOOK_OPEN);
	assert_nomatch(state, "/tmp/xmrig.json", NULL, MG_HOOK_OPEN);
	assert_nomatch(state, "/opt/miners/x", NULL, MG_HOOK_OPEN); /* dir boundary */
	assert_nomatch(state, "/opt/miner", NULL, MG_HOOK_OPEN);    /* the dir itself */
	assert_nomatch(state, "/xmrig/readme", NULL, MG_HOOK_OPEN); /* names are basenames */
}

static void test_hooks(void **state)
{
	assert_match(state, "/tmp/t-rex", NULL, MG_HOOK_EXEC, "exec-only", MG_KIND_NAME);
	assert_nomatch(state, "/tmp/t-rex", NULL, MG_HOOK_OPEN);
	/* exec rules cover executable mappings (mmap, mprotect) */
	assert_match(state, "/tmp/t-rex", NULL, MG_HOOK_MMAP, "exec-only", MG_KIND_NAME);
	assert_match(state, "/tmp/t-rex", NULL, MG_HOOK_MPROTECT, "exec-only", MG_KIND_NAME);
	/* open rules cover link/rename/symlink names */
	assert_nomatch(state, "/tmp/t-rex", NULL, MG_HOOK_LINK);
	/* ... but the file itself stays known on mv and refuses ln */
	assert_match(state, "/tmp/t-rex", NULL, MG_HOOK_LINK_SOURCE, "exec-only", MG_KIND_NAME);
	assert_match(state, "/tmp/xmrig", NULL, MG_HOOK_LINK, "xmrig", MG_KIND_NAME);
	/* open rules cover creation, but creation has no path to check */
	assert_match(state, "/tmp/xmrig", NULL, MG_HOOK_CREATE, "xmrig", MG_KIND_NAME);
	assert_nomatch(state, "/opt/miner/new", NULL, MG_HOOK_CREATE);
}

static void test_exceptions(void **state)
{
	assert_nomatch(state, "/var/lib/samples/xmrig", NULL, MG_HOOK_OPEN);
	assert_nomatch(state, "/var/lib/samples/deep/er/xmrig", NULL, MG_HOOK_OPEN);
	assert_match(state, "/var/lib/samplesX/xmrig", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_NAME);
	assert_nomatch(state, "/tmp/xmrig", "/usr/bin/clamscan", MG_HOOK_OPEN);
	assert_match(state, "/tmp/xmrig", "/usr/bin/cat", MG_HOOK_OPEN, "xmrig", MG_KIND_NAME);
	/* executable exceptions still apply at creation; path ones cannot */
	assert_nomatch(state, "/tmp/xmrig", "/usr/bin/clamscan", MG_HOOK_CREATE);
	assert_match(state, "/var/lib/samples/xmrig", NULL, MG_HOOK_CREATE, "xmrig", MG_KIND_NAME);
	/* hooks that may not sleep resolve neither path nor executable */
	assert_match(state, "/tmp/xmrig", "/usr/bin/clamscan", MG_HOOK_LINK, "xmrig", MG_KIND_NAME);
	assert_match(state, "/var/lib/samples/xmrig", NULL, MG_HOOK_LINK, "xmrig", MG_KIND_NAME);
}

static void test_exception_is_per_rule_and_block_wins(void **state)
{
	/* excepted for xmrig by exact path; the audit-dir rule still sees it */
	assert_match(state, "/srv/watch/xmrig", NULL, MG_HOOK_OPEN, "audit-dir", MG_KIND_DIR);
	/* a block rule beats an audit rule matched earlier in kind order */
	assert_match(state, "/srv/watch/xmrig-2", NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_PREFIX);
	assert_match(state, "/srv/watch/nanominer", NULL, MG_HOOK_OPEN, "audit-name", MG_KIND_NAME);
}

static void test_overlong_paths(void **state)
{
	static char path[MG_PATH_MAX + 64];
	size_t n = 0;

	while (n < MG_PATH_MAX) {
		memcpy(path + n, "/aaaaaaa", 8);
		n += 8;
	}
	strcpy(path + n, "/xmrig");
	/* the kernel could not resolve the path: names still match */
	assert_match(state, path, NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_NAME);
	memcpy(path, "/opt/miner/", 11);
	assert_match(state, path, NULL, MG_HOOK_OPEN, "xmrig", MG_KIND_NAME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_each_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_folding_names_not_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_near_misses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hooks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exception_is_per_rule_and_block_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlong_paths, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
