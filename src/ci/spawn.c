// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Child processes of `ci start`/`ci stop`, see spawn.h. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ERR_KEEP (64 * 1024)

const char *mg_ci_self(void)
{
	static char self[4096];
	const char *env = getenv("MINERGUARD_BIN");
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return "minerguard";
	self[n] = '\0';
	return self;
}

static char **make_argv(const char *const *args)
{
	size_t n = 0;
	char **v;

	while (args[n])
		n++;
	v = calloc(n + 2, sizeof(*v));
	if (!v)
		return NULL;
	v[0] = (char *)mg_ci_self();
	for (size_t i = 0; i < n; i++)
		v[i + 1] = (char *)args[i];
	return v;
}

static int wait_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Appends what fd has to *buf (up to cap bytes kept); 0 at EOF. */
static ssize_t drain(int fd, char **buf, size_t *len, size_t cap)
{
	char chunk[8192];
	ssize_t n = read(fd, chunk, sizeof(chunk));
	size_t keep;
	char *nb;

	if (n < 0 && errno == EINTR)
		return 1; /* not the end: poll again */
	if (n <= 0)
		return n;
	keep = *len + (size_t)n > cap ? (cap > *len ? cap - *len : 0) : (size_t)n;
	if (!keep)
		return n;
	nb = realloc(*buf, *len + keep + 1);
	if (!nb)
		return n;
	memcpy(nb + *len, chunk, keep);
	*len += keep;
	nb[*len] = '\0';
	*buf = nb;
	return n;
}

static void child_exec(char **argv, int out_fd, int out_pipe, int err_pipe)
{
	int null = open("/dev/null", O_RDONLY);

	if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd >= 0 ? out_fd : out_pipe, 1) < 0 ||
	    dup2(err_pipe, 2) < 0)
		_exit(127);
	execv(argv[0], argv);
	fprintf(stderr, "minerguard ci: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int mg_ci_exec(const char *const *args, const char *out_path, int timeout_s,
	       struct mg_ci_proc *p)
{
	char **argv = make_argv(args);
	int op[2] = { -1, -1 }, ep[2] = { -1, -1 }, out_fd = -1, st = 0, open_fds;
	size_t errlen = 0;
	long long deadline = now_ms() + timeout_s * 1000LL;
	pid_t pid;

	memset(p, 0, sizeof(*p));
	p->status = -1;
	if (!argv)
		return -1;
	if (out_path && (out_fd = open(out_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				       0600)) < 0)
		goto fail;
	if ((!out_path && pipe2(op, O_CLOEXEC)) || pipe2(ep, O_CLOEXEC))
		goto fail;
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0)
		child_exec(argv, out_fd, op[1], ep[1]);
	close(ep[1]);
	ep[1] = -1;
	if (op[1] >= 0) {
		close(op[1]);
		op[1] = -1;
	}
	open_fds = 1 + (op[0] >= 0);
	while (open_fds > 0) {
		struct pollfd pf[2] = { { ep[0], POLLIN, 0 }, { op[0], POLLIN, 0 } };
		long long left = deadline - now_ms();

		if (left <= 0 || poll(pf, 2, (int)left) == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			p->status = 124;
			goto done;
		}
		if (pf[0].revents && drain(ep[0], &p->err, &errlen, ERR_KEEP) <= 0) {
			close(ep[0]);
			ep[0] = -1;
			open_fds--;
		}
		if (pf[1].revents && drain(op[0], &p->out, &p->outlen, (size_t)-1 / 2) <= 0) {
			close(op[0]);
			op[0] = -1;
			open_fds--;
		}
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	p->status = wait_status(st);
done:
	if (!p->out)
		p->out = strdup("");
	if (!p->err)
		p->err = strdup("");
	for (int i = 0; i < 2; i++) {
		if (op[i] >= 0)
			close(op[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	if (out_fd >= 0)
		close(out_fd);
	free(argv);
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (op[i] >= 0)
			close(op[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	if (out_fd >= 0)
		close(out_fd);
	free(argv);
	return -1;
}

void mg_ci_proc_free(struct mg_ci_proc *p)
{
	free(p->out);
	free(p->err);
	memset(p, 0, sizeof(*p));
}

char *mg_ci_last_line(const char *text)
{
	const char *end, *start;

	if (!text)
		return NULL;
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	if (end == text)
		return NULL;
	for (start = end; start > text && start[-1] != '\n'; start--)
		;
	return strndup(start, (size_t)(end - start));
}

/* Writes "status=N\n" to path atomically: the reader sees all or nothing. */
static void record_exit(const char *path, int status)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f, "status=%d\n", status);
	if (fclose(f) == 0)
		rename(tmp, path);
}

/* The supervisor: runs the command, waits, records how it ended. */
static void supervise(char **argv, const char *err_path, const char *exit_path, int report)
{
	int null = open("/dev/null", O_RDWR), errfd, st = 0;
	pid_t pid;

	errfd = open(err_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (null < 0 || errfd < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	close(null);
	close(errfd);
	/* Nothing of the caller's may stay open in the daemon: a CI runner
	 * reading `ci start`'s output through a pipe waits for its last
	 * writer to close it. */
	for (int fd = 3; fd < 1024; fd++)
		if (fd != report)
			close(fd);
	/* the CI job's signals (a cancelled step's SIGINT/SIGHUP) must not stop
	 * the supervisor before it records the daemon's end */
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	pid = fork();
	if (pid < 0) {
		record_exit(exit_path, 127);
		_exit(127);
	}
	if (pid == 0) {
		signal(SIGHUP, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		execv(argv[0], argv);
		fprintf(stderr, "minerguard ci: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (write(report, &pid, sizeof(pid)) != (ssize_t)sizeof(pid))
		kill(pid, SIGTERM);
	close(report);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	record_exit(exit_path, wait_status(st));
	_exit(0);
}

int mg_ci_spawn_detached(const char *const *args, const char *err_path, const char *exit_path,
			 pid_t *pid, char *err, size_t errlen)
{
	char **argv = make_argv(args);
	int pp[2], st = 0;
	pid_t first;
	ssize_t n;

	if (!argv || pipe2(pp, O_CLOEXEC)) {
		snprintf(err, errlen, "cannot start %s: %s", mg_ci_self(), strerror(errno));
		free(argv);
		return -1;
	}
	unlink(exit_path);
	first = fork();
	if (first < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		free(argv);
		close(pp[0]);
		close(pp[1]);
		return -1;
	}
	if (first == 0) {
		/* new session, then fork again: the supervisor is no session
		 * leader and can never take a controlling terminal */
		close(pp[0]);
		if (setsid() < 0 || chdir("/"))
			_exit(1);
		switch (fork()) {
		case -1:
			_exit(1);
		case 0:
			supervise(argv, err_path, exit_path, pp[1]);
			_exit(1);
		default:
			_exit(0);
		}
	}
	close(pp[1]);
	while (waitpid(first, &st, 0) < 0 && errno == EINTR)
		;
	n = read(pp[0], pid, sizeof(*pid));
	close(pp[0]);
	free(argv);
	if (n != (ssize_t)sizeof(*pid)) {
		snprintf(err, errlen, "cannot start %s in the background", mg_ci_self());
		return -1;
	}
	return 0;
}

int mg_ci_exit_status(const char *exit_path, int *status)
{
	FILE *f = fopen(exit_path, "re");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "status=%d", status) == 1;
	fclose(f);
	return ok ? 0 : -1;
}
