/* Repository-relative paths: inside, outside, `..` tricks, lexical only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workspace.h"

static void expect_norm(const char *in, const char *base, const char *want)
{
	char *got = mg_ws_normalize(in, base);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void expect_rel(const char *root, const char *path, const char *want)
{
	char *got = mg_ws_relative(root, path, "/cwd");

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_normalize(void **state)
{
	(void)state;
	expect_norm("/a/b/../c", NULL, "/a/c");
	expect_norm("/a/./b//c/", NULL, "/a/b/c");
	expect_norm("/../../x", NULL, "/x");     /* ".." at the root stays there */
	expect_norm("/a/..", NULL, "/");
	expect_norm("/", NULL, "/");
	expect_norm("dist/x", "/w/repo", "/w/repo/dist/x");
	expect_norm("../x", "/w/repo", "/w/x");
	expect_norm("x", NULL, NULL);            /* relative without a base */
	expect_norm("/a/...", NULL, "/a/...");   /* "..." is a name */
}

static void test_relative(void **state)
{
	(void)state;
	expect_rel("/w/repo", "/w/repo/dist/xmrig", "dist/xmrig");
	expect_rel("/w/repo/", "/w/repo//dist/./xmrig", "dist/xmrig");
	expect_rel("/w/repo", "/w/repo", NULL);              /* the root itself */
	expect_rel("/w/repo", "/w/repo-evil/xmrig", NULL);   /* a sibling sharing the prefix */
	expect_rel("/w/repo", "/w/repox", NULL);
	expect_rel("/w/repo", "/w/repo/../other/xmrig", NULL); /* climbs out */
	expect_rel("/w/repo", "/w/repo/a/../../repo/b", "b");  /* climbs out and back in */
	expect_rel("/w/repo", "/tmp/xmrig", NULL);
	expect_rel("/w/repo/../repo", "/w/repo/x", "x");
	expect_rel("/", "/tmp/xmrig", "tmp/xmrig");
	/* relative paths (scan output) are taken from the current directory */
	expect_rel("/cwd", "dist/xmrig", "dist/xmrig");
	expect_rel("/cwd", "../xmrig", NULL);
}

/* Lexical: a symlink inside the workspace pointing outside does not move
 * the path (the kernel reports resolved paths; reports must not depend on
 * the file system after the job). */
static void test_no_symlink_following(void **state)
{
	char dir[] = "/tmp/mg-ws-XXXXXX", link[64], path[96], *rel;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/out", dir);
	assert_int_equal(symlink("/etc", link), 0);
	snprintf(path, sizeof(path), "%s/out/../passwd", dir);
	rel = mg_ws_relative(dir, path, NULL);
	assert_non_null(rel);
	assert_string_equal(rel, "passwd"); /* not /etc/../passwd */
	free(rel);
	unlink(link);
	rmdir(dir);
}

static void test_root_from_environment(void **state)
{
	char *r;

	(void)state;
	setenv("GITHUB_WORKSPACE", "/home/runner/work/r/r/", 1);
	setenv("CI_PROJECT_DIR", "/builds/g/p", 1);
	r = mg_ws_root(NULL);
	assert_string_equal(r, "/home/runner/work/r/r");
	free(r);
	r = mg_ws_root("/opt/ws");           /* the option wins */
	assert_string_equal(r, "/opt/ws");
	free(r);
	unsetenv("GITHUB_WORKSPACE");
	r = mg_ws_root(NULL);
	assert_string_equal(r, "/builds/g/p");
	free(r);
	unsetenv("CI_PROJECT_DIR");
	assert_int_equal(chdir("/tmp"), 0);
	r = mg_ws_root(NULL);
	assert_string_equal(r, "/tmp");
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_no_symlink_following),
		cmocka_unit_test(test_root_from_environment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
