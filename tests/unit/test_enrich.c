/* Container ids from cgroup paths, stat lines, environments, and reading a
 * fake /proc: arguments, parent, container, ancestry and CI step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enrich.h"

/* a literal with its embedded NULs, without the final one */
#define LIT(s) s, sizeof(s) - 1

#define ID "3f2a9c0d4e5b6a7980112233445566778899aabbccddeeff0011223344556677"

static void expect_id(const char *text, const char *want)
{
	char out[65];

	if (want) {
		assert_int_equal(mg_container_id(text, out, sizeof(out)), 0);
		assert_string_equal(out, want);
	} else {
		assert_int_equal(mg_container_id(text, out, sizeof(out)), -1);
		assert_string_equal(out, "");
	}
}

static void test_container_ids(void **state)
{
	(void)state;
	expect_id("0::/system.slice/docker-" ID ".scope\n", ID);
	expect_id("0::/kubepods.slice/kubepods-burstable.slice/cri-containerd-" ID ".scope\n", ID);
	expect_id("0::/machine.slice/libpod-" ID ".scope/container\n", ID);
	expect_id("12:memory:/docker/" ID "\n", ID);
	expect_id("0::/kubepods/besteffort/pod1234/" ID "\n", ID);
	expect_id("0::/user.slice/user-1000.slice/session-2.scope\n", NULL);
	expect_id("0::/init.scope\n", NULL);
	/* 63 or 65 hex digits are not an id */
	expect_id("0::/docker/" "3f2a9c0d4e5b6a7980112233445566778899aabbccddeeff001122334455667" "\n", NULL);
	expect_id("0::/docker/" ID "8\n", NULL);
}

static void test_fake_proc(void **state)
{
	char root[] = "/tmp/mg-enrich-XXXXXX", p[512];
	struct mg_enrich e;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(p, sizeof(p), "%s/100", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/1", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/100/cmdline", root);
	f = fopen(p, "w");
	fwrite("./xmrig\0-o\0pool:3333\0", 1, 21, f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/100/cgroup", root);
	f = fopen(p, "w");
	fputs("0::/system.slice/docker-" ID ".scope\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/1/exe", root);
	assert_int_equal(symlink("/usr/bin/bash", p), 0);

	mg_enrich_read(root, 100, 1, &e);
	assert_int_equal(e.nargs, 3);
	assert_string_equal(e.args[0], "./xmrig");
	assert_string_equal(e.args[2], "pool:3333");
	assert_string_equal(e.parent_exe, "/usr/bin/bash");
	assert_string_equal(e.container_id, ID);

	/* a process that is gone: everything empty, no failure */
	mg_enrich_read(root, 999, 998, &e);
	assert_int_equal(e.nargs, 0);
	assert_string_equal(e.parent_exe, "");
	assert_string_equal(e.container_id, "");

	snprintf(p, sizeof(p), "rm -rf %s", root);
	assert_int_equal(system(p), 0);
}

static void test_stat_parse(void **state)
{
	char name[64];
	pid_t ppid = -1;

	(void)state;
	assert_int_equal(mg_stat_parse(LIT("120 (sh) S 50 120 120 0 -1 4194560\n"), name,
				       sizeof(name), &ppid), 0);
	assert_string_equal(name, "sh");
	assert_int_equal(ppid, 50);
	/* the comm ends at the last ')': it may hold ") S 1 (" itself */
	assert_int_equal(mg_stat_parse(LIT("7 (a) S 1 (b c) R 6 7 7 0\n"), name, sizeof(name),
				       &ppid), 0);
	assert_string_equal(name, "a) S 1 (b c");
	assert_int_equal(ppid, 6);
	assert_int_equal(mg_stat_parse(LIT("1 (systemd) S 0 1 1 0\n"), name, sizeof(name), &ppid), 0);
	assert_int_equal(ppid, 0);
	/* cut to the buffer */
	assert_int_equal(mg_stat_parse(LIT("9 (Runner.Worker) S 8 9\n"), name, 7, &ppid), 0);
	assert_string_equal(name, "Runner");
	/* not stat lines */
	assert_int_equal(mg_stat_parse(LIT("9 sh S 8 9\n"), name, sizeof(name), &ppid), -1);
	assert_int_equal(mg_stat_parse(LIT("9 (sh)"), name, sizeof(name), &ppid), -1);
	assert_int_equal(mg_stat_parse(LIT("9 (sh) S x 9\n"), name, sizeof(name), &ppid), -1);
	assert_int_equal(mg_stat_parse(LIT("9 )sh( S 8 9\n"), name, sizeof(name), &ppid), -1);
}

static void test_ci_env_parse(void **state)
{
	char big[600];
	struct mg_ci_env e;

	(void)state;
	mg_ci_env_parse(LIT("PATH=/bin\0GITHUB_JOB=build\0GITHUB_TOKEN=ghs_x\0"
			     "GITHUB_ACTION=__run_2\0GITHUB_WORKFLOW=CI: test\0"), &e);
	assert_string_equal(e.step, "__run_2");
	assert_string_equal(e.job, "build");
	assert_string_equal(e.workflow, "CI: test");
	/* GitLab: the job name; the last entry may lack its NUL */
	mg_ci_env_parse(LIT("CI_JOB_TOKEN=glcbt-x\0CI_JOB_NAME=test:unit"), &e);
	assert_string_equal(e.step, "");
	assert_string_equal(e.job, "test:unit");
	assert_true(mg_ci_env_any(&e));
	/* GitHub's job wins in either order; the first of duplicates wins */
	mg_ci_env_parse(LIT("CI_JOB_NAME=gl\0GITHUB_JOB=gh\0GITHUB_ACTION=a\0GITHUB_ACTION=b\0"), &e);
	assert_string_equal(e.job, "gh");
	assert_string_equal(e.step, "a");
	mg_ci_env_parse(LIT("GITHUB_JOB=gh\0CI_JOB_NAME=gl\0"), &e);
	assert_string_equal(e.job, "gh");
	/* names are whole names, values end at NUL, '=' inside values kept */
	mg_ci_env_parse(LIT("XGITHUB_ACTION=no\0GITHUB_ACTIONS=true\0GITHUB_ACTION\0"
			     "GITHUB_WORKFLOW=a=b\0"), &e);
	assert_string_equal(e.step, "");
	assert_string_equal(e.workflow, "a=b");
	/* an empty value is no value */
	mg_ci_env_parse(LIT("GITHUB_ACTION=\0"), &e);
	assert_false(mg_ci_env_any(&e));
	/* a long value is cut before a character it would split (é = c3 a9) */
	memcpy(big, "GITHUB_ACTION=", 14);
	memset(big + 14, 'x', sizeof(big) - 14);
	big[14 + MG_CI_ENV_VALUE_BYTES - 2] = '\xc3';
	big[14 + MG_CI_ENV_VALUE_BYTES - 1] = '\xa9';
	mg_ci_env_parse(big, sizeof(big), &e);
	assert_int_equal(strlen(e.step), MG_CI_ENV_VALUE_BYTES - 2);
	assert_int_equal(e.step[MG_CI_ENV_VALUE_BYTES - 3], 'x');
}

static void put(const char *root, const char *name, const void *data, size_t len)
{
	char p[512], *slash;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, name);
	slash = strrchr(p, '/');
	*slash = '\0';
	mkdir(p, 0755);
	*slash = '/';
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* No byte of the process's other variables may end up in the record. */
static void assert_absent(const struct mg_enrich *e, const char *secret)
{
	assert_null(memmem(e, sizeof(*e), secret, strlen(secret)));
}

static void test_fake_proc_ancestry_and_step(void **state)
{
	char root[] = "/tmp/mg-enrich-XXXXXX", p[600], big[9000];
	struct mg_enrich e;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(root));
	/* mg-probe(300) <- "a) b (c"(200) <- Runner.Worker(150) <- systemd(1) */
	put(root, "300/stat", LIT("300 (mg-probe) R 200 300 120 0 -1\n"));
	put(root, "300/environ", LIT("HOME=/root\0GITHUB_TOKEN=ghs_s3cr3t\0PATH=/bin\0"));
	put(root, "200/stat", LIT("200 (a) b (c) S 150 200 120 0 -1\n"));
	put(root, "200/environ", LIT("AWS_SECRET_ACCESS_KEY=hunter2\0GITHUB_ACTION=__run_7\0"
				     "GITHUB_JOB=build\0GITHUB_WORKFLOW=CI\0NPM_TOKEN=npm_zzz\0"));
	put(root, "150/stat", LIT("150 (Runner.Worker) S 1 150 150 0 -1\n"));
	put(root, "150/environ", LIT("GITHUB_ACTION=wrong\0"));
	put(root, "1/stat", LIT("1 (systemd) S 0 1 1 0 -1\n"));

	mg_enrich_read(root, 300, 200, &e);
	assert_int_equal(e.nancestors, 3);
	assert_int_equal(e.ancestors[0].pid, 200);
	assert_string_equal(e.ancestors[0].name, "a) b (c");
	assert_int_equal(e.ancestors[1].pid, 150);
	assert_string_equal(e.ancestors[1].name, "Runner.Worker");
	assert_int_equal(e.ancestors[2].pid, 1);
	assert_string_equal(e.ancestors[2].name, "systemd");
	/* the nearest environment with the variables: the parent's, not
	 * the runner's, and only those variables */
	assert_string_equal(e.ci.step, "__run_7");
	assert_string_equal(e.ci.job, "build");
	assert_string_equal(e.ci.workflow, "CI");
	assert_absent(&e, "hunter2");
	assert_absent(&e, "ghs_s3cr3t");
	assert_absent(&e, "npm_zzz");
	assert_absent(&e, "AWS_SECRET");

	/* the process's own environment wins */
	put(root, "300/environ", LIT("GITHUB_ACTION=__run_3\0"));
	mg_enrich_read(root, 300, 200, &e);
	assert_string_equal(e.ci.step, "__run_3");
	assert_string_equal(e.ci.job, "");

	/* a process gone, its parent still there: the parent's step */
	mg_enrich_read(root, 999, 200, &e);
	assert_int_equal(e.nancestors, 3);
	assert_string_equal(e.ci.step, "__run_7");

	/* a parent gone: no ancestry, and no step to look up above it */
	mg_enrich_read(root, 999, 250, &e);
	assert_int_equal(e.nancestors, 0);
	assert_false(mg_ci_env_any(&e.ci));

	/* a chain broken further up stops there */
	put(root, "400/stat", LIT("400 (make) S 450 400 400 0 -1\n"));
	mg_enrich_read(root, 999, 400, &e);
	assert_int_equal(e.nancestors, 1);
	assert_string_equal(e.ancestors[0].name, "make");

	/* a cycle (pid reuse, or a fake /proc) ends at MG_ANCESTRY_MAX */
	put(root, "500/stat", LIT("500 (loop) S 501 0 0 0 -1\n"));
	put(root, "501/stat", LIT("501 (pool) S 500 0 0 0 -1\n"));
	mg_enrich_read(root, 999, 500, &e);
	assert_int_equal(e.nancestors, MG_ANCESTRY_MAX);

	/* a variable across the 4 KiB reads of a long environment */
	memset(big, 'y', sizeof(big));
	memcpy(big, "X=", 2);
	n = 4090;
	big[n++] = '\0';
	memcpy(big + n, "GITHUB_ACTION=__run_9\0Z=1", 25);
	n += 25;
	put(root, "600/environ", big, n);
	mg_enrich_read(root, 600, 0, &e);
	assert_string_equal(e.ci.step, "__run_9");

	snprintf(p, sizeof(p), "rm -rf %s", root);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_container_ids),
		cmocka_unit_test(test_fake_proc),
		cmocka_unit_test(test_stat_parse),
		cmocka_unit_test(test_ci_env_parse),
		cmocka_unit_test(test_fake_proc_ancestry_and_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
