/* Compiling in a child (src/policy/policy_fork.c, policy_wire.c,
 * policy_seccomp.c): the same result as in-process, a wall-clock limit
 * that stops what no budget sees, and a decoder that trusts nothing. Run
 * from the repository root. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "policy.h"
#include "policy_seccomp.h"
#include "policy_wire.h"

#define FX "tests/unit/policies/"
#define LUA_DIR "lua"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void encode(const struct mg_policy *p, unsigned char **buf, size_t *len)
{
	assert_int_equal(mg_policy_encode(p, buf, len), 0);
}

/* Byte for byte the policy the caller would have compiled itself. */
static void test_same_policy(void **state)
{
	const char *path = FX "good";
	struct mg_policy *here = NULL, *there = NULL;
	unsigned char *a, *b;
	size_t alen, blen;
	char err[2048];

	(void)state;
	if (mg_policy_load(&path, 1, LUA_DIR, NULL, &here, err, sizeof(err)))
		fail_msg("%s", err);
	if (mg_policy_load_isolated(&path, 1, LUA_DIR, NULL, 10000, &there, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(here->nrules > 1);
	encode(here, &a, &alen);
	encode(there, &b, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_string_equal(here->sha256, there->sha256);
	free(a);
	free(b);
	mg_policy_free(here);
	mg_policy_free(there);
}

/* The shipped policy, content signatures included: a daemon compiling in
 * the child must get every content rule (a lost one would scan nothing). */
static void test_same_policy_with_content(void **state)
{
	const char *path = "policies";
	struct mg_policy *here = NULL, *there = NULL;
	unsigned char *a, *b;
	size_t alen, blen, ncontent = 0;
	char err[2048];

	(void)state;
	if (mg_policy_load(&path, 1, LUA_DIR, NULL, &here, err, sizeof(err)))
		fail_msg("%s", err);
	if (mg_policy_load_isolated(&path, 1, LUA_DIR, NULL, 10000, &there, err, sizeof(err)))
		fail_msg("%s", err);
	for (size_t i = 0; i < there->nrules; i++)
		if (there->rules[i].content) {
			assert_true(there->rules[i].content->nstrings >= there->rules[i].content->min);
			ncontent++;
		}
	assert_true(ncontent >= 5);
	encode(here, &a, &alen);
	encode(there, &b, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
	mg_policy_free(here);
	mg_policy_free(there);
}

static void test_same_error(void **state)
{
	const char *path = FX "bad/syntax.lua";
	struct mg_policy *p = (struct mg_policy *)(uintptr_t)1;
	char here[2048], there[2048];

	(void)state;
	assert_int_equal(mg_policy_load(&path, 1, LUA_DIR, NULL, &p, here, sizeof(here)), -1);
	assert_int_equal(mg_policy_load_isolated(&path, 1, LUA_DIR, NULL, 10000, &p, there,
						 sizeof(there)), -1);
	assert_null(p);
	assert_string_equal(there, here);
}

/* In-process this would run for ages: the budgets cannot see inside
 * string.find. */
static void test_wall_clock_limit(void **state)
{
	const char *path = FX "slow/pattern.lua";
	struct mg_policy *p = NULL;
	char err[2048];
	double t0 = now_s();

	(void)state;
	assert_int_equal(mg_policy_load_isolated(&path, 1, LUA_DIR, NULL, 300, &p, err, sizeof(err)),
			 -1);
	assert_true(now_s() - t0 < 3.0);
	assert_null(p);
	assert_string_equal(err, "policy: compiling did not finish within 0.300 s (stopped; "
				 "nothing was applied)");
	/* the child was reaped, not left behind */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static volatile int stop_flag;

static void on_alarm(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* A daemon told to stop while a slow policy compiles stops at once: the
 * signal interrupts the wait, the flag cancels it, the child is killed. */
static void test_cancelled_by_stop(void **state)
{
	const char *path = FX "slow/pattern.lua";
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct mg_policy *p = NULL;
	char err[2048];
	double t0 = now_s();

	(void)state;
	stop_flag = 0;
	sigaction(SIGALRM, &sa, &old); /* no SA_RESTART: the wait sees EINTR */
	mg_policy_set_cancel_flag(&stop_flag);
	alarm(1);
	assert_int_equal(mg_policy_load_isolated(&path, 1, LUA_DIR, NULL, 60000, &p, err, sizeof(err)),
			 -1);
	mg_policy_set_cancel_flag(NULL);
	sigaction(SIGALRM, &old, NULL);
	assert_true(now_s() - t0 < 10.0);
	assert_null(p);
	assert_string_equal(err, "policy: compiling cancelled: the daemon is stopping (nothing was "
				 "applied)");
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* Every truncation and a corrupted magic or range are refused cleanly
 * (under ASan too). */
static void test_decoder_refuses_garbage(void **state)
{
	const char *path = FX "good";
	struct mg_policy *p = NULL, *q;
	unsigned char *buf;
	size_t len;
	char err[2048];

	(void)state;
	if (mg_policy_load(&path, 1, LUA_DIR, NULL, &p, err, sizeof(err)))
		fail_msg("%s", err);
	encode(p, &buf, &len);
	assert_int_equal(mg_policy_decode(buf, len, &q), 0);
	mg_policy_free(q);
	for (size_t cut = 0; cut < len; cut++) {
		assert_int_equal(mg_policy_decode(buf, cut, &q), -1);
		assert_null(q);
	}
	buf[0] ^= 1;
	assert_int_equal(mg_policy_decode(buf, len, &q), -1);
	buf[0] ^= 1;
	/* a huge rule count must not allocate: it cannot fit what is left */
	memset(buf + 4, 0xff, 8);
	assert_int_equal(mg_policy_decode(buf, len, &q), -1);
	free(buf);
	mg_policy_free(p);
}

/* What the filter refuses, in a child of the test. */
static void test_seccomp_denies(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "/bin/true", NULL };

		if (mg_compile_seccomp())
			_exit(10);
		if (socket(AF_UNIX, SOCK_STREAM, 0) >= 0 || errno != EPERM)
			_exit(11);
		execv("/bin/true", argv);
		if (errno != EPERM)
			_exit(12);
		if (kill(getppid(), 0) == 0 || errno != EPERM)
			_exit(13);
		_exit(getpid() > 0 ? 0 : 14);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_policy),
		cmocka_unit_test(test_same_error),
		cmocka_unit_test(test_wall_clock_limit),
		cmocka_unit_test(test_cancelled_by_stop),
		cmocka_unit_test(test_decoder_refuses_garbage),
		cmocka_unit_test(test_same_policy_with_content),
		cmocka_unit_test(test_seccomp_denies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
