/* The log file (src/daemon/logfile.c): private by default whatever the
 * umask, never through a symlink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logfile.h"

struct fx {
	char dir[64];
	char log[PATH_MAX];
	char victim[PATH_MAX];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/mg-log-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->log, sizeof(f->log), "%s/events.json", f->dir);
	snprintf(f->victim, sizeof(f->victim), "%s/victim", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	unlink(f->log);
	unlink(f->victim);
	rmdir(f->dir);
	free(f);
	return 0;
}

static unsigned mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

/* fopen("a") used to create it 0644 under the usual umask 022. */
static void test_created_private(void **state)
{
	struct fx *f = *state;
	mode_t old = umask(022);
	char err[512];
	FILE *out = mg_log_open(f->log, MG_LOG_MODE_DEFAULT, err, sizeof(err));

	umask(old);
	assert_non_null(out);
	fputs("{}\n", out);
	fclose(out);
	assert_int_equal(mode_of(f->log), 0600);
}

/* log_mode is set exactly, even bits the umask would remove. */
static void test_configured_mode(void **state)
{
	struct fx *f = *state;
	mode_t old = umask(077);
	char err[512];
	FILE *out = mg_log_open(f->log, 0640, err, sizeof(err));

	umask(old);
	assert_non_null(out);
	fclose(out);
	assert_int_equal(mode_of(f->log), 0640);
}

/* An existing file is appended to and keeps its mode (logrotate's). */
static void test_existing_appended(void **state)
{
	struct fx *f = *state;
	char err[512], got[16] = { 0 };
	FILE *out = fopen(f->log, "w");

	assert_non_null(out);
	fputs("a\n", out);
	fclose(out);
	assert_int_equal(chmod(f->log, 0640), 0);
	out = mg_log_open(f->log, 0600, err, sizeof(err));
	assert_non_null(out);
	fputs("b\n", out);
	fclose(out);
	assert_int_equal(mode_of(f->log), 0640);
	out = fopen(f->log, "r");
	assert_int_equal(fread(got, 1, sizeof(got) - 1, out), 4);
	fclose(out);
	assert_string_equal(got, "a\nb\n");
}

static void test_symlink_refused(void **state)
{
	struct fx *f = *state;
	char err[512];
	FILE *out = fopen(f->victim, "w");

	assert_non_null(out);
	fclose(out);
	assert_int_equal(chmod(f->victim, 0600), 0);
	assert_int_equal(symlink(f->victim, f->log), 0);
	assert_null(mg_log_open(f->log, 0600, err, sizeof(err)));
	assert_non_null(strstr(err, strerror(ELOOP)));
	assert_int_equal(mode_of(f->victim), 0600);
}

static void test_directory_refused(void **state)
{
	struct fx *f = *state;
	char err[512];

	assert_null(mg_log_open(f->dir, 0600, err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_created_private, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configured_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_existing_appended, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
