/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * mg-probe vcfuzz ROOT SEED N: random file system churn for the verdict
 * cache's differential scenario (tests/vm/scenarios/31_verdict_cache.sh).
 *
 * Under ROOT, directories named from a small pool (some of them directory
 * signatures of the scenario's policy) hold files named from another pool.
 * N random operations open and map them (the decisions the cache answers)
 * between the things that must void a cached answer: renames of files and
 * directories, hard links, unlink and re-create, bind mounts and unmounts,
 * chroot, a private mount namespace, dentry cache drops and policy reloads
 * ($VC_RELOAD, a shell command, alternating argument a/b). The kernel runs
 * with verdict_cache = verify, so every cache hit is also decided in full;
 * the scenario then requires that no hit was contradicted.
 *
 * Prints "ops=N opens=X ok=Y eperm=Z other=W".
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vcfuzz.h"

static const char *const dirs[] = { "d0", "d1", "d2", "d3", "blk", "kit-xmr" };
static const char *const files[] = { "f0", "f1", "f2", "f3", "f4", "f5" };
#define NDIRS (sizeof(dirs) / sizeof(dirs[0]))
#define NFILES (sizeof(files) / sizeof(files[0]))

struct fuzz {
	const char *root;
	unsigned long long rng;
	long opens, ok, eperm, other;
	int reloads;
};

static unsigned pick(struct fuzz *f, unsigned n)
{
	f->rng ^= f->rng << 13;
	f->rng ^= f->rng >> 7;
	f->rng ^= f->rng << 17;
	return (unsigned)(f->rng % n);
}

static void rand_path(struct fuzz *f, char *buf, size_t len, const char *root)
{
	snprintf(buf, len, "%s/%s/%s", root, dirs[pick(f, NDIRS)], files[pick(f, NFILES)]);
}

static void rand_dir(struct fuzz *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", f->root, dirs[pick(f, NDIRS)]);
}

static void count(struct fuzz *f, int err)
{
	f->opens++;
	if (!err)
		f->ok++;
	else if (err == EPERM)
		f->eperm++;
	else
		f->other++;
}

static int open_once(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int map_exec(const char *path)
{
	int fd = open(path, O_RDONLY), err = 0;
	void *p;

	if (fd < 0)
		return errno;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		err = errno;
	else
		munmap(p, 4096);
	close(fd);
	return err;
}

static void make_file(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0755);

	if (fd >= 0) {
		if (write(fd, "#!/bin/sh\nexit 0\n", 17) < 0)
			perror("vcfuzz: write");
		close(fd);
	}
}

/* A child that opens random paths from another root or mount namespace;
 * its decisions are checked in the kernel, its answers are not needed. */
static void child_opens(struct fuzz *f, int how)
{
	char a[512], b[512], p[512];
	pid_t pid = fork();

	if (pid < 0)
		return;
	if (pid) {
		waitpid(pid, NULL, 0);
		return;
	}
	if (how == 0) {
		if (chroot(f->root) || chdir("/"))
			_exit(1);
		for (int i = 0; i < 12; i++) {
			rand_path(f, p, sizeof(p), "");
			open_once(p);
			open_once(p);
		}
		_exit(0);
	}
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		_exit(1);
	rand_dir(f, a, sizeof(a));
	rand_dir(f, b, sizeof(b));
	mount(a, b, NULL, MS_BIND, NULL);
	for (int i = 0; i < 12; i++) {
		rand_path(f, p, sizeof(p), f->root);
		open_once(p);
		open_once(p);
	}
	_exit(0);
}

static void reload(struct fuzz *f)
{
	const char *cmd = getenv("VC_RELOAD");
	char buf[1024];

	if (!cmd)
		return;
	snprintf(buf, sizeof(buf), "%s %s", cmd, (f->reloads++ & 1) ? "a" : "b");
	if (system(buf) != 0)
		fprintf(stderr, "vcfuzz: '%s' failed\n", buf);
}

static void drop_dentries(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "2", 1) < 0)
			perror("vcfuzz: drop_caches");
		close(fd);
	}
}

static void one_op(struct fuzz *f)
{
	char a[512], b[512];
	unsigned op = pick(f, 100);

	if (op < 35) {
		rand_path(f, a, sizeof(a), f->root);
		count(f, open_once(a));
	} else if (op < 45) {
		rand_path(f, a, sizeof(a), f->root);
		for (int i = 0; i < 5; i++)
			count(f, open_once(a));
	} else if (op < 53) {
		rand_path(f, a, sizeof(a), f->root);
		count(f, map_exec(a));
	} else if (op < 58) {
		rand_dir(f, a, sizeof(a));
		rand_dir(f, b, sizeof(b));
		rename(a, b);
	} else if (op < 63) {
		rand_path(f, a, sizeof(a), f->root);
		rand_path(f, b, sizeof(b), f->root);
		rename(a, b);
	} else if (op < 67) {
		rand_path(f, a, sizeof(a), f->root);
		rand_path(f, b, sizeof(b), f->root);
		link(a, b);
	} else if (op < 75) {
		/* marks stay with an inode: new inodes keep both verdicts coming */
		rand_path(f, a, sizeof(a), f->root);
		unlink(a);
	} else if (op < 85) {
		rand_dir(f, a, sizeof(a));
		mkdir(a, 0755);
		rand_path(f, a, sizeof(a), f->root);
		make_file(a);
	} else if (op < 88) {
		rand_dir(f, a, sizeof(a));
		rand_dir(f, b, sizeof(b));
		mount(a, b, NULL, MS_BIND, NULL);
	} else if (op < 91) {
		rand_dir(f, a, sizeof(a));
		umount2(a, MNT_DETACH);
	} else if (op < 95) {
		child_opens(f, 0);
	} else if (op < 97) {
		child_opens(f, 1);
	} else if (op < 98) {
		drop_dentries();
	} else {
		reload(f);
	}
}

int vcfuzz_main(const char *root, unsigned long long seed, long n)
{
	struct fuzz f = { .root = root, .rng = seed ? seed : 1 };
	char p[512];

	for (size_t d = 0; d < 4; d++) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[d]);
		mkdir(p, 0755);
		for (size_t i = 0; i < NFILES; i++) {
			snprintf(p, sizeof(p), "%s/%s/%s", root, dirs[d], files[i]);
			make_file(p);
		}
	}
	for (long i = 0; i < n; i++)
		one_op(&f);
	/* leave no mount behind (they stack) */
	for (int any = 1, k = 0; any && k < 100000; k++) {
		any = 0;
		for (size_t d = 0; d < NDIRS; d++) {
			snprintf(p, sizeof(p), "%s/%s", root, dirs[d]);
			any |= umount2(p, MNT_DETACH) == 0;
		}
	}
	printf("ops=%ld opens=%ld ok=%ld eperm=%ld other=%ld\n", n, f.opens, f.ok, f.eperm,
	       f.other);
	return 0;
}
