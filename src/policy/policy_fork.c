// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Policy compilation in a child process with a wall-clock limit, so that
 * Lua the budgets cannot see into (a pathological pattern in string.find,
 * a bug in the sandbox) can neither hang the daemon nor touch its memory.
 * The child compiles, sends the result (policy_wire.c) or the error over a
 * pipe and exits; the parent waits until the deadline, then kills it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "policy.h"
#include "policy_internal.h"
#include "policy_seccomp.h"
#include "policy_wire.h"

/* The child's whole answer may not exceed this (1M signatures: ~60 MB). */
#define MG_WIRE_MAX (1ull << 30)

enum { REPLY_POLICY = 'P', REPLY_ERROR = 'E' };

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static void send_reply(int fd, char kind, const void *p, size_t n)
{
	if (write_all(fd, &kind, 1) == 0)
		write_all(fd, p, n);
}

/* In the child: no handlers of the daemon's, dies with the daemon. */
static void child_setup(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	mg_compile_seccomp();
}

static void child_compile(int fd, const char *const *paths, size_t npaths, const char *lua_dir,
			  const struct mg_policy_limits *limits)
{
	struct mg_policy *pol = NULL;
	unsigned char *buf;
	size_t len;
	char err[8192];

	child_setup();
	if (mg_policy_load(paths, npaths, lua_dir, limits, &pol, err, sizeof(err))) {
		send_reply(fd, REPLY_ERROR, err, strlen(err));
		return;
	}
	if (mg_policy_encode(pol, &buf, &len)) {
		snprintf(err, sizeof(err), "policy: out of memory sending the compiled policy");
		send_reply(fd, REPLY_ERROR, err, strlen(err));
		return;
	}
	send_reply(fd, REPLY_POLICY, buf, len);
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Reads the whole reply until EOF or the deadline. 0, -ETIMEDOUT, or
 * another -errno. */
static const volatile int *cancel_flag;

void mg_policy_set_cancel_flag(const volatile int *flag)
{
	cancel_flag = flag;
}

static int read_reply(int fd, long long deadline, unsigned char **buf, size_t *len)
{
	size_t cap = 0;

	*buf = NULL;
	*len = 0;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n < 0 && errno == EINTR && cancel_flag && *cancel_flag)
			return -ECANCELED;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		if (cap - *len < 65536) {
			unsigned char *b;

			if (cap >= MG_WIRE_MAX)
				return -EFBIG;
			cap = cap ? cap * 2 : 1 << 20;
			b = realloc(*buf, cap);
			if (!b)
				return -ENOMEM;
			*buf = b;
		}
		n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		*len += (size_t)n;
	}
}

/* Reaps the child (killing it first when it overran); its wait status. */
static int reap(pid_t pid, int kill_first)
{
	int status = 0;

	if (kill_first)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* Turns the child's reply into *out or a one-line err. */
static int take_reply(const unsigned char *buf, size_t len, int status, struct mg_policy **out,
		      char *err, size_t errlen)
{
	if (len && buf[0] == REPLY_ERROR) {
		mg_policy_errf(err, errlen, "%.*s", (int)(len - 1 < 8191 ? len - 1 : 8191),
			       (const char *)buf + 1);
		return -1;
	}
	if (len && buf[0] == REPLY_POLICY && !mg_policy_decode(buf + 1, len - 1, out))
		return 0;
	if (WIFSIGNALED(status))
		mg_policy_errf(err, errlen, "policy: the compiler process was killed by signal %d "
					    "(%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		mg_policy_errf(err, errlen, "policy: the compiler process sent no valid result");
	return -1;
}

int mg_policy_load_isolated(const char *const *paths, size_t npaths, const char *lua_dir,
			    const struct mg_policy_limits *limits, unsigned timeout_ms,
			    struct mg_policy **out, char *err, size_t errlen)
{
	long long deadline = now_ms() + timeout_ms;
	unsigned char *buf = NULL;
	size_t len = 0;
	int fds[2], rc, status;
	pid_t pid;

	*out = NULL;
	if (pipe2(fds, O_CLOEXEC)) {
		mg_policy_errf(err, errlen, "policy: pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		mg_policy_errf(err, errlen, "policy: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child_compile(fds[1], paths, npaths, lua_dir, limits);
		_exit(0); /* no atexit, no stdio flush: the daemon's buffers are its own */
	}
	close(fds[1]);
	rc = read_reply(fds[0], deadline, &buf, &len);
	close(fds[0]);
	status = reap(pid, rc != 0);
	if (rc == -ETIMEDOUT)
		mg_policy_errf(err, errlen, "policy: compiling did not finish within %u.%03u s "
					    "(stopped; nothing was applied)",
			       timeout_ms / 1000, timeout_ms % 1000);
	else if (rc == -ECANCELED)
		mg_policy_errf(err, errlen, "policy: compiling cancelled: the daemon is stopping "
					    "(nothing was applied)");
	else if (rc)
		mg_policy_errf(err, errlen, "policy: reading the compiler's result: %s",
			       strerror(-rc));
	else
		rc = take_reply(buf, len, status, out, err, errlen);
	free(buf);
	return rc ? -1 : 0;
}
