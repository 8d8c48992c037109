/* How a failed program load is explained: a refused BPF LSM (EPERM) is an
 * environment problem with its own exit code; a verifier rejection
 * (EACCES) is not, and must not send the user to check lsm=. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "exitcodes.h"
#include "kcheck.h"

static void test_eperm_is_a_refused_lsm(void **state)
{
	char msg[512];

	(void)state;
	assert_int_equal(mg_kcheck_load_error(-EPERM, msg, sizeof(msg)), MG_EXIT_NO_BPF_LSM);
	assert_non_null(strstr(msg, "lsm="));
}

static void test_eacces_is_the_verifier(void **state)
{
	char msg[512];

	(void)state;
	assert_int_equal(mg_kcheck_load_error(-EACCES, msg, sizeof(msg)), MG_EXIT_ERROR);
	assert_non_null(strstr(msg, "verifier"));
	assert_non_null(strstr(msg, "MINERGUARD_DEBUG=1"));
	assert_null(strstr(msg, "lsm="));
}

static void test_other_errors_are_named(void **state)
{
	char msg[512];

	(void)state;
	assert_int_equal(mg_kcheck_load_error(-ENOMEM, msg, sizeof(msg)), MG_EXIT_ERROR);
	assert_non_null(strstr(msg, strerror(ENOMEM)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eperm_is_a_refused_lsm),
		cmocka_unit_test(test_eacces_is_the_verifier),
		cmocka_unit_test(test_other_errors_are_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
