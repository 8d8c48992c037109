/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * mg-bench: the workloads of `make bench`, run inside the VM. Each loop
 * runs for a wall-clock budget (not a fixed count) so the whole benchmark
 * stays bounded on any host, and prints one line:
 *   MGB op=<op> ops=<n> ns=<total> ns_per_op=<total/n>
 *
 *   mg-bench open FILE SECS       open(O_RDONLY)+close of one allowed file
 *   mg-bench exec PROG SECS       fork()+execve(PROG)+waitpid()
 *   mg-bench mmap LIB SECS        mmap(PROT_READ|PROT_EXEC)+munmap of an open
 *                                 shared library (the mmap_file hook alone)
 *   mg-bench walk DIR SECS        whole passes of a stat-free walk (readdir
 *                                 d_type) that opens every regular file;
 *                                 an op is one file opened
 *   mg-bench mktree ROOT LIST     creates ROOT/<path> for every line of LIST
 *   mg-bench now                  CLOCK_MONOTONIC in ns
 *   mg-bench wait-line FILE TEXT SECS [PID]   polls FILE every 5 ms until it
 *                                 holds TEXT; prints CLOCK_MONOTONIC ns at
 *                                 that moment. Exit 1 on timeout, 3 as soon
 *                                 as PID (the daemon being waited for) has
 *                                 exited or is a zombie.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Loops check the clock only every BATCH ops so clock reads stay noise. */
#define BATCH 16

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int die(const char *what, const char *arg)
{
	fprintf(stderr, "mg-bench: %s %s: %s\n", what, arg, strerror(errno));
	return 1;
}

static uint64_t budget_ns(const char *secs)
{
	double s = strtod(secs, NULL);

	return s > 0 ? (uint64_t)(s * 1e9) : 1000000000ull;
}

static int report(const char *op, uint64_t ops, uint64_t ns)
{
	if (ops == 0) {
		fprintf(stderr, "mg-bench: %s: no operation completed\n", op);
		return 1;
	}
	printf("MGB op=%s ops=%llu ns=%llu ns_per_op=%llu\n", op, (unsigned long long)ops,
	       (unsigned long long)ns, (unsigned long long)(ns / ops));
	return 0;
}

static int bench_open(const char *path, uint64_t budget)
{
	uint64_t ops = 0, t0 = now_ns(), t;
	int i, fd;

	do {
		for (i = 0; i < BATCH; i++) {
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return die("open", path);
			close(fd);
		}
		ops += BATCH;
		t = now_ns();
	} while (t - t0 < budget);
	return report("open", ops, t - t0);
}

static int bench_exec(const char *prog, uint64_t budget)
{
	char *argv[] = { (char *)prog, NULL };
	uint64_t ops = 0, t0 = now_ns(), t;
	int status;
	pid_t pid;

	do {
		pid = fork();
		if (pid < 0)
			return die("fork for", prog);
		if (pid == 0) {
			execve(prog, argv, environ);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0)
			return die("waitpid for", prog);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "mg-bench: %s exited with status %d\n", prog, status);
			return 1;
		}
		ops++;
		t = now_ns();
	} while (t - t0 < budget);
	return report("exec", ops, t - t0);
}

static int bench_mmap(const char *lib, uint64_t budget)
{
	uint64_t ops = 0, t0, t;
	struct stat st;
	size_t len;
	void *addr;
	int i, fd;

	fd = open(lib, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return die("open", lib);
	if (fstat(fd, &st) < 0)
		return die("fstat", lib);
	len = st.st_size > 0 ? (size_t)st.st_size : 4096;
	t0 = now_ns();
	do {
		for (i = 0; i < BATCH; i++) {
			addr = mmap(NULL, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
			if (addr == MAP_FAILED)
				return die("mmap PROT_EXEC", lib);
			munmap(addr, len);
		}
		ops += BATCH;
		t = now_ns();
	} while (t - t0 < budget);
	close(fd);
	return report("mmap", ops, t - t0);
}

/* One pass below dirfd; returns files opened or -1. */
static long walk_dir(int fd_dir, const char *name)
{
	struct dirent *de;
	long files = 0, sub;
	DIR *dir;
	int fd;

	dir = fdopendir(fd_dir);
	if (!dir) {
		die("fdopendir", name);
		close(fd_dir);
		return -1;
	}
	while ((de = readdir(dir))) {
		if (de->d_type == DT_DIR) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			fd = openat(dirfd(dir), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0)
				goto fail;
			sub = walk_dir(fd, de->d_name);
			if (sub < 0) {
				closedir(dir);
				return -1;
			}
			files += sub;
		} else if (de->d_type == DT_REG) {
			fd = openat(dirfd(dir), de->d_name, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				goto fail;
			close(fd);
			files++;
		}
	}
	closedir(dir);
	return files;
fail:
	die("openat", de->d_name);
	closedir(dir);
	return -1;
}

static int bench_walk(const char *root, uint64_t budget)
{
	uint64_t ops = 0, t0 = now_ns(), t;
	long files;
	int fd;

	do {
		fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return die("open", root);
		files = walk_dir(fd, root);
		if (files <= 0) {
			if (files == 0)
				fprintf(stderr, "mg-bench: no regular file under %s\n", root);
			return 1;
		}
		ops += (uint64_t)files;
		t = now_ns();
	} while (t - t0 < budget);
	return report("walk", ops, t - t0);
}

/* mkdir -p of every parent of path (path is modified and restored). */
static int make_parents(char *path)
{
	char *slash;

	for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*slash = '/';
			return -1;
		}
		*slash = '/';
	}
	return 0;
}

static int make_tree(const char *root, const char *list)
{
	char line[4096], path[8192];
	long made = 0;
	size_t n;
	FILE *in;
	int fd;

	in = fopen(list, "re");
	if (!in)
		return die("open", list);
	while (fgets(line, sizeof(line), in)) {
		n = strcspn(line, "\n");
		line[n] = '\0';
		if (n == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, line[0] == '/' ? line + 1 : line);
		if (make_parents(path) < 0) {
			fclose(in);
			return die("mkdir for", path);
		}
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			/* A list entry that is also a directory of another entry. */
			if (errno == EISDIR)
				continue;
			fclose(in);
			return die("create", path);
		}
		if (write(fd, line, n) < 0) {
			close(fd);
			fclose(in);
			return die("write", path);
		}
		close(fd);
		made++;
	}
	fclose(in);
	printf("MGB mktree files=%ld\n", made);
	return made > 0 ? 0 : 1;
}

static int file_has(const char *file, const char *text)
{
	static char buf[1 << 16];
	size_t n;
	FILE *in = fopen(file, "re");

	if (!in)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

/* A zombie still has /proc/PID; its state letter (after "comm) ") says Z. */
static int process_gone(const char *pid)
{
	char path[64], buf[512], *close_paren;
	size_t n;
	FILE *in;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	in = fopen(path, "re");
	if (!in)
		return 1;
	n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	return !close_paren || close_paren[1] != ' ' || close_paren[2] == 'Z' ||
	       close_paren[2] == 'X';
}

static int wait_line(const char *file, const char *text, uint64_t budget, const char *pid)
{
	uint64_t t0 = now_ns(), t;
	struct timespec pause = { 0, 5000000 };

	for (;;) {
		t = now_ns();
		if (file_has(file, text)) {
			printf("%llu\n", (unsigned long long)t);
			return 0;
		}
		if (pid && process_gone(pid)) {
			fprintf(stderr, "mg-bench: process %s exited before '%s' appeared in %s\n",
				pid, text, file);
			return 3;
		}
		if (t - t0 >= budget)
			break;
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, "mg-bench: '%s' not in %s after %.1f s\n", text, file, budget / 1e9);
	return 1;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc == 4 && !strcmp(cmd, "open"))
		return bench_open(argv[2], budget_ns(argv[3]));
	if (argc == 4 && !strcmp(cmd, "exec"))
		return bench_exec(argv[2], budget_ns(argv[3]));
	if (argc == 4 && !strcmp(cmd, "mmap"))
		return bench_mmap(argv[2], budget_ns(argv[3]));
	if (argc == 4 && !strcmp(cmd, "walk"))
		return bench_walk(argv[2], budget_ns(argv[3]));
	if (argc == 4 && !strcmp(cmd, "mktree"))
		return make_tree(argv[2], argv[3]);
	if (argc == 2 && !strcmp(cmd, "now"))
		return printf("%llu\n", (unsigned long long)now_ns()) < 0;
	if ((argc == 5 || argc == 6) && !strcmp(cmd, "wait-line"))
		return wait_line(argv[2], argv[3], budget_ns(argv[4]), argc == 6 ? argv[5] : NULL);
	fprintf(stderr, "usage: mg-bench open|exec|mmap|walk TARGET SECS | mktree ROOT LIST | now | "
			"wait-line FILE TEXT SECS [PID]\n");
	return 2;
}
