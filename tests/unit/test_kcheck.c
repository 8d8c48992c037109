/* How a failed program load is explained: a refused BPF LSM (EPERM) is an
 * environment problem with its own exit code; a verifier rejection
 * (EACCES) is not, and must not send the user to check lsm=. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "exitcodes.h"
#include "backend.h"
#include "kcheck.h"

static void test_eperm_is_a_refused_lsm(void **state)
{
	char msg[512];

	(void)state;
	assert_int_equal(mg_kcheck_load_error(-EPERM, MG_BACKEND_LSM, msg, sizeof(msg)), MG_EXIT_NO_BPF_LSM);
	assert_non_null(strstr(msg, "lsm="));
}

static void test_eacces_is_the_verifier(void **state)
{
	char msg[512];

	(void)state;
	assert_int_equal(mg_kcheck_load_error(-EACCES, MG_BACKEND_LSM, msg, sizeof(msg)), MG_EXIT_ERROR);
	assert_non_null(strstr(msg, "verifier"));
	assert_non_null(strstr(msg, "MINERGUARD_DEBUG=1"));
	assert_null(strstr(msg, "lsm="));
}

static void test_other_errors_are_named(void **state)
{
	char msg[512];

	(void)state;
	assert_int_equal(mg_kcheck_load_error(-ENOMEM, MG_BACKEND_FMODRET, msg, sizeof(msg)), MG_EXIT_ERROR);
	assert_non_null(strstr(msg, strerror(ENOMEM)));
}

static void test_fmodret_eperm_names_trampolines(void **state)
{
	char msg[512];

	(void)state;
	assert_int_equal(mg_kcheck_load_error(-EPERM, MG_BACKEND_FMODRET, msg, sizeof(msg)),
			 MG_EXIT_NO_BPF_LSM);
	assert_non_null(strstr(msg, "fmod_ret"));
	assert_non_null(strstr(msg, "trampolines"));
}

/* No trampolines (the kernel's ENOTSUPP, 524) or a security_* function
 * missing from BTF (ESRCH): exit 3 naming both fixes, not a bare error. */
static void test_fmodret_unsupported_is_exit_3(void **state)
{
	static const int errs[] = { 524, EOPNOTSUPP, ESRCH };
	char msg[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		assert_int_equal(mg_kcheck_load_error(-errs[i], MG_BACKEND_FMODRET, msg, sizeof(msg)),
				 MG_EXIT_NO_BPF_LSM);
		assert_non_null(strstr(msg, "trampolines"));
		assert_non_null(strstr(msg, "lsm="));
	}
	/* the lsm backend keeps naming the error itself */
	assert_int_equal(mg_kcheck_load_error(-ESRCH, MG_BACKEND_LSM, msg, sizeof(msg)), MG_EXIT_ERROR);
}

/* bpf_loop (5.17) is the floor of both backends; 5.11 was accepted before. */
static void test_version_floor_is_bpf_loop(void **state)
{
	(void)state;
	assert_false(mg_kcheck_version_ok(5, 11));
	assert_false(mg_kcheck_version_ok(5, 16));
	assert_true(mg_kcheck_version_ok(5, 17));
	assert_true(mg_kcheck_version_ok(6, 1));
	assert_false(mg_kcheck_version_ok(4, 19));
}

static void test_lsm_list_fixture(void **state)
{
	char path[] = "/tmp/mg-lsm-XXXXXX", list[256], msg[512];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "lockdown,capability,landlock,yama,apparmor\n", 43), 43);
	close(fd);
	setenv("MG_TEST_LSM_FILE", path, 1);
	assert_int_equal(mg_kcheck_lsm_active(list, sizeof(list)), 0);
	mg_kcheck_lsm_fix(list, msg, sizeof(msg));
	assert_non_null(strstr(msg, "lsm=lockdown,capability,landlock,yama,apparmor,bpf"));
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "lockdown,capability,bpf\n", 24), 24);
	close(fd);
	assert_int_equal(mg_kcheck_lsm_active(list, sizeof(list)), 1);
	unlink(path);
	unsetenv("MG_TEST_LSM_FILE");
}

/* auto tries lsm only where it can run, and always has fmodret behind it. */
static void test_backend_plan(void **state)
{
	int plan[2];

	(void)state;
	assert_int_equal(mg_backend_plan(MG_BACKEND_AUTO, 1, plan), 2);
	assert_int_equal(plan[0], MG_BACKEND_LSM);
	assert_int_equal(plan[1], MG_BACKEND_FMODRET);
	assert_int_equal(mg_backend_plan(MG_BACKEND_AUTO, 0, plan), 1);
	assert_int_equal(plan[0], MG_BACKEND_FMODRET);
	assert_int_equal(mg_backend_plan(MG_BACKEND_LSM, 0, plan), 0);
	assert_int_equal(mg_backend_plan(MG_BACKEND_FMODRET, 1, plan), 1);
	assert_int_equal(plan[0], MG_BACKEND_FMODRET);
	assert_int_equal(mg_backend_parse("fmodret"), MG_BACKEND_FMODRET);
	assert_int_equal(mg_backend_parse("LSM"), -1);
	assert_string_equal(mg_backend_name(MG_BACKEND_LSM), "lsm");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eperm_is_a_refused_lsm),
		cmocka_unit_test(test_eacces_is_the_verifier),
		cmocka_unit_test(test_other_errors_are_named),
		cmocka_unit_test(test_fmodret_eperm_names_trampolines),
		cmocka_unit_test(test_fmodret_unsupported_is_exit_3),
		cmocka_unit_test(test_version_floor_is_bpf_loop),
		cmocka_unit_test(test_lsm_list_fixture),
		cmocka_unit_test(test_backend_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
