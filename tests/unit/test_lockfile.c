/* The single-instance lock (src/daemon/lockfile.c) and how `run`,
 * `reload` and `status` find the daemon through it (status_file.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lockfile.h"
#include "paths.h"
#include "status_file.h"

struct fx {
	char dir[64];
	char lock[PATH_MAX];
	pid_t child;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/mg-lock-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	setenv("MINERGUARD_RUN_DIR", f->dir, 1);
	mg_run_path(f->lock, sizeof(f->lock), MG_LOCK_NAME);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX];

	if (f->child > 0) {
		kill(f->child, SIGKILL);
		waitpid(f->child, NULL, 0);
	}
	unlink(f->lock);
	unlink(mg_run_path(path, sizeof(path), MG_STATUS_NAME));
	rmdir(f->dir);
	unsetenv("MINERGUARD_RUN_DIR");
	free(f);
	return 0;
}

/* A child that takes the lock (like a daemon), says so on a pipe, then
 * waits to be killed; the child's comm is "minerguard-x". */
static pid_t spawn_holder(const char *lock)
{
	int p[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[256];
		pid_t holder;

		close(p[0]);
		prctl(PR_SET_NAME, "minerguard-x");
		if (lock && mg_lock_acquire(lock, &holder, err, sizeof(err)) < 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static void test_held_lock_names_holder(void **state)
{
	struct fx *f = *state;
	char err[512];
	pid_t pid, holder;

	f->child = spawn_holder(f->lock);
	assert_int_equal(mg_lock_holder(f->lock, &pid), 1);
	assert_int_equal(pid, f->child);
	assert_int_equal(mg_status_running_pid(), f->child);
	/* a second `run` refuses, naming the holder */
	assert_int_equal(mg_lock_acquire(f->lock, &holder, err, sizeof(err)), -1);
	assert_int_equal(holder, f->child);
	assert_non_null(strstr(err, "another instance"));

	/* the holder dies: the lock is free at once, its pid stays in the file */
	kill(f->child, SIGKILL);
	waitpid(f->child, NULL, 0);
	f->child = 0;
	assert_int_equal(mg_lock_holder(f->lock, &pid), 0);
	assert_int_equal(mg_status_running_pid(), 0);
	{
		int fd = mg_lock_acquire(f->lock, &holder, err, sizeof(err));

		assert_true(fd >= 0);
		/* we are the holder now, and never "another instance" to ourselves */
		assert_int_equal(mg_status_running_pid(), 0);
		close(fd);
	}
}

/* The old check trusted a pid in the status file whose process name
 * started with "minerguard": a stale pid reused by such a process blocked
 * `run` and got reload's SIGHUP. */
static void test_stale_pid_not_trusted(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX], doc[64];
	FILE *out;

	f->child = spawn_holder(NULL); /* alive, named minerguard-x, no lock */
	snprintf(doc, sizeof(doc), "{\"pid\":%d}\n", (int)f->child);
	out = fopen(mg_run_path(path, sizeof(path), MG_STATUS_NAME), "w");
	assert_non_null(out);
	fputs(doc, out);
	fclose(out);
	out = fopen(f->lock, "w"); /* even a lock file naming it, unlocked */
	assert_non_null(out);
	fprintf(out, "%d\n", (int)f->child);
	fclose(out);
	assert_int_equal(mg_status_running_pid(), 0);
}

static void test_no_lock_file(void **state)
{
	pid_t pid;

	(void)state;
	assert_int_equal(mg_status_running_pid(), 0);
	assert_int_equal(mg_lock_holder("/nonexistent/minerguard.lock", &pid), 0);
}

static void test_planted_symlink_refused(void **state)
{
	struct fx *f = *state;
	char err[512];
	pid_t holder;

	assert_int_equal(symlink("/etc/passwd", f->lock), 0);
	assert_int_equal(mg_lock_acquire(f->lock, &holder, err, sizeof(err)), -1);
	assert_non_null(strstr(err, strerror(ELOOP)));
}

static void test_shared_directory_refused(void **state)
{
	struct fx *f = *state;
	char err[512];
	pid_t holder;

	assert_int_equal(chmod(f->dir, 0777), 0);
	assert_int_equal(mg_lock_acquire(f->lock, &holder, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable by group or others"));
	assert_int_equal(chmod(f->dir, 0700), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_held_lock_names_holder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_pid_not_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_lock_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planted_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_directory_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
