/* Container ids from cgroup paths, and reading a fake /proc. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_container_ids),
		cmocka_unit_test(test_fake_proc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
