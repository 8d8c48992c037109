/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * mg-probe: performs exactly one kind of file access and reports the
 * kernel's answer, so VM scenarios can assert what the LSM decided.
 *
 * Output (stdout, one line): "ok" or "errno=N NAME"; exit 0 on success,
 * 1 on failure, 2 on bad usage. Programs started by exec/execveat write
 * to our stderr so stdout stays a single line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vcfuzz.h"

extern char **environ;

static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

static int report(int err)
{
	if (err == 0) {
		printf("ok\n");
		return 0;
	}
	printf("errno=%d %s\n", err, errno_name(err));
	return 1;
}

static int do_open(const char *path, int flags, mode_t mode)
{
	int fd = open(path, flags, mode);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int do_mmapx(const char *path)
{
	struct stat st;
	size_t len;
	void *addr;
	int fd, err = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) < 0) {
		err = errno;
		goto cleanup;
	}
	len = st.st_size > 0 ? (size_t)st.st_size : 4096;
	addr = mmap(NULL, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (addr == MAP_FAILED) {
		err = errno;
		goto cleanup;
	}
	munmap(addr, len);
cleanup:
	close(fd);
	return err;
}

/* Maps read-only, then asks for PROT_EXEC: the file_mprotect path. */
static int do_mprotectx(const char *path)
{
	void *addr;
	int fd, err = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	addr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (addr == MAP_FAILED) {
		err = errno;
		goto cleanup;
	}
	if (mprotect(addr, 4096, PROT_READ | PROT_EXEC) < 0)
		err = errno;
	munmap(addr, 4096);
cleanup:
	close(fd);
	return err;
}

/*
 * Forks and execs; the child sends execve's errno through a close-on-exec
 * pipe, so an empty read means the exec happened. *status gets the
 * child's wait status when it did. Returns 0 or the errno.
 */
static int do_exec(const char *path, char **argv, int at_empty_path, int *status)
{
	int pipefd[2], err = 0, path_fd = -1;
	ssize_t got;
	pid_t pid;

	if (at_empty_path) {
		path_fd = open(path, O_PATH | O_CLOEXEC);
		if (path_fd < 0)
			return errno;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		err = errno;
		goto cleanup;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		goto cleanup;
	}
	if (pid == 0) {
		int child_err;

		close(pipefd[0]);
		dup2(STDERR_FILENO, STDOUT_FILENO);
		if (at_empty_path)
			syscall(SYS_execveat, path_fd, "", argv, environ, AT_EMPTY_PATH);
		else
			execve(path, argv, environ);
		child_err = errno;
		if (write(pipefd[1], &child_err, sizeof(child_err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	do
		got = read(pipefd[0], &err, sizeof(err));
	while (got < 0 && errno == EINTR);
	close(pipefd[0]);
	if (got != (ssize_t)sizeof(err))
		err = 0;
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
cleanup:
	if (path_fd >= 0)
		close(path_fd);
	return err;
}

static int report_exec(int err, int status)
{
	if (err)
		return report(err);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		printf("ok status=%d\n", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("ok signal=%d\n", WTERMSIG(status));
	else
		printf("ok\n");
	return 0;
}

static int loop(const char *path, long n, int exec)
{
	char *argv[] = { (char *)path, NULL };
	long ok = 0, fail = 0;
	int err = 0, last_err = 0, status;

	for (long i = 0; i < n; i++) {
		err = exec ? do_exec(path, argv, 0, &status) : do_open(path, O_RDONLY, 0);
		if (err) {
			fail++;
			last_err = err;
		} else {
			ok++;
		}
	}
	printf("ok=%ld fail=%ld\n", ok, fail);
	if (fail)
		fprintf(stderr, "mg-probe: last error errno=%d %s\n", last_err,
			errno_name(last_err));
	return fail ? 1 : 0;
}

/* mkdir -p of the parents of path. */
static int make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*p = '/';
			return errno;
		}
		*p = '/';
	}
	return 0;
}

/* For each line of the list file: create the file (mkfiles), or open it and
 * print "<ok|ERRNO-NAME>\t<path>" (open-list), for differential tests. */
static int for_each_line(const char *list, int create)
{
	FILE *f = fopen(list, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long bad = 0;

	if (!f) {
		perror(list);
		return 2;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		int err;

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (create) {
			err = make_parents(line);
			if (!err)
				err = do_open(line, O_CREAT | O_WRONLY, 0755);
			if (err) {
				fprintf(stderr, "mg-probe: %s: %s\n", line, errno_name(err));
				bad++;
			}
			continue;
		}
		err = do_open(line, O_RDONLY, 0);
		printf("%s\t%s\n", err ? errno_name(err) : "ok", line);
	}
	free(line);
	fclose(f);
	return bad ? 1 : 0;
}


/* ---- doors other than open(PATH) (helper BYPASS) ----------------------- */

/* PROT_EXEC mapping (mmapx) or PROT_EXEC added later (mprotectx) of an fd
 * this process did not open: inherited, or received over a socket. */
static int do_fd_exec_map(int fd, int via_mprotect)
{
	void *addr;
	int err = 0;

	addr = mmap(NULL, 4096, via_mprotect ? PROT_READ : PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (addr == MAP_FAILED)
		return errno;
	if (via_mprotect && mprotect(addr, 4096, PROT_READ | PROT_EXEC) < 0)
		err = errno;
	munmap(addr, 4096);
	return err;
}

/* Sends fd over a unix socket pair to a child, which maps it PROT_EXEC. */
static int do_passfd_mmapx(int fd)
{
	int sv[2], err = 0, child_err = 0;
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	pid_t pid;
	int status;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return errno;
	pid = fork();
	if (pid < 0) {
		err = errno;
		goto cleanup;
	}
	if (pid == 0) {
		int got;

		close(sv[0]);
		if (recvmsg(sv[1], &msg, 0) < 0)
			_exit(120);
		cm = CMSG_FIRSTHDR(&msg);
		if (!cm || cm->cmsg_type != SCM_RIGHTS)
			_exit(121);
		memcpy(&got, CMSG_DATA(cm), sizeof(got));
		child_err = do_fd_exec_map(got, 0);
		_exit(child_err > 100 ? 100 : child_err);
	}
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	if (sendmsg(sv[0], &msg, 0) < 0)
		err = errno;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!err)
		err = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
cleanup:
	close(sv[0]);
	close(sv[1]);
	return err;
}

/* memfd_create(name), filled from src, then fexecve (execveat AT_EMPTY_PATH). */
static int do_memfd_exec(const char *name, const char *src, char **argv, int *status)
{
	char buf[65536], fdpath[64];
	ssize_t n;
	int in, fd, err;

	fd = (int)syscall(SYS_memfd_create, name, 0);
	if (fd < 0)
		return errno;
	in = open(src, O_RDONLY);
	if (in < 0) {
		err = errno;
		close(fd);
		return err;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	close(in);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	/* execveat(fd, "") through do_exec's path: re-open by /proc link */
	err = do_exec(fdpath, argv, 1, status);
	close(fd);
	return err;
}

/* A chain of `levels` directories of 20 bytes each, walked with relative
 * openat so no single system call sees a long path; then the file `name`
 * at the bottom is opened (open), created (create) or made (mk). */
static int do_deep(const char *what, long levels, const char *name)
{
	static const char comp[] = "dddddddddddddddddddd"; /* 20 bytes */
	int dir = open(".", O_RDONLY | O_DIRECTORY), next, err = 0, fd;

	if (dir < 0)
		return errno;
	for (long i = 0; i < levels; i++) {
		if (mkdirat(dir, comp, 0755) < 0 && errno != EEXIST) {
			err = errno;
			goto cleanup;
		}
		next = openat(dir, comp, O_RDONLY | O_DIRECTORY);
		if (next < 0) {
			err = errno;
			goto cleanup;
		}
		close(dir);
		dir = next;
	}
	if (!strcmp(what, "open"))
		fd = openat(dir, name, O_RDONLY);
	else if (!strcmp(what, "create"))
		fd = openat(dir, name, O_CREAT | O_EXCL | O_WRONLY, 0755);
	else
		fd = openat(dir, name, O_CREAT | O_WRONLY, 0755);
	if (fd < 0)
		err = errno;
	else
		close(fd);
cleanup:
	close(dir);
	return err;
}

static int bypass_cmd(int argc, char **argv, int *handled)
{
	const char *cmd = argv[1];
	int status = 0;

	*handled = 1;
	if (!strcmp(cmd, "mmapx-fd") && argc == 3)
		return report(do_fd_exec_map(atoi(argv[2]), 0));
	if (!strcmp(cmd, "mprotectx-fd") && argc == 3)
		return report(do_fd_exec_map(atoi(argv[2]), 1));
	if (!strcmp(cmd, "passfd-mmapx") && argc == 3)
		return report(do_passfd_mmapx(atoi(argv[2])));
	if (!strcmp(cmd, "rename") && argc == 4)
		return report(rename(argv[2], argv[3]) ? errno : 0);
	if (!strcmp(cmd, "link") && argc == 4)
		return report(link(argv[2], argv[3]) ? errno : 0);
	if (!strcmp(cmd, "symlink") && argc == 4)
		return report(symlink(argv[2], argv[3]) ? errno : 0);
	if (!strcmp(cmd, "memfd-exec") && argc >= 5)
		return report_exec(do_memfd_exec(argv[2], argv[3], argv + 4, &status), status);
	if (!strcmp(cmd, "deep") && argc == 5)
		return report(do_deep(argv[2], atol(argv[3]), argv[4]));
	if (!strcmp(cmd, "vcfuzz") && argc == 5)
		return vcfuzz_main(argv[2], strtoull(argv[3], NULL, 10), atol(argv[4]));
	*handled = 0;
	return 2;
}

static int usage(void)
{
	fprintf(stderr, "usage: mg-probe open|write|create|mmapx|mprotectx PATH | "
			"exec|execveat PATH [ARGS...] | loop-open|loop-exec PATH N | "
			"mkfiles|open-list LISTFILE | mmapx-fd|mprotectx-fd|passfd-mmapx FD | "
			"rename|link|symlink A B | memfd-exec NAME SRC ARGV0 [ARGS...] | "
			"deep open|create|mk LEVELS NAME | vcfuzz ROOT SEED N\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd, *path;
	int status = 0;

	if (argc < 3)
		return usage();
	cmd = argv[1];
	path = argv[2];
	{
		int handled, rc = bypass_cmd(argc, argv, &handled);

		if (handled)
			return rc;
	}

	if (!strcmp(cmd, "open") && argc == 3)
		return report(do_open(path, O_RDONLY, 0));
	if (!strcmp(cmd, "write") && argc == 3)
		return report(do_open(path, O_WRONLY, 0));
	if (!strcmp(cmd, "create") && argc == 3)
		return report(do_open(path, O_CREAT | O_EXCL | O_WRONLY, 0755));
	if ((!strcmp(cmd, "mkfiles") || !strcmp(cmd, "open-list")) && argc == 3)
		return for_each_line(path, !strcmp(cmd, "mkfiles"));
	if (!strcmp(cmd, "mmapx") && argc == 3)
		return report(do_mmapx(path));
	if (!strcmp(cmd, "mprotectx") && argc == 3)
		return report(do_mprotectx(path));
	if (!strcmp(cmd, "exec") || !strcmp(cmd, "execveat")) {
		/* argv[2..] becomes the program's argv: argv[0] is PATH. */
		int err = do_exec(path, argv + 2, !strcmp(cmd, "execveat"), &status);

		return report_exec(err, status);
	}
	if ((!strcmp(cmd, "loop-open") || !strcmp(cmd, "loop-exec")) && argc == 4) {
		char *end;
		long n = strtol(argv[3], &end, 10);

		if (*end || n < 1)
			return usage();
		return loop(path, n, !strcmp(cmd, "loop-exec"));
	}
	return usage();
}
