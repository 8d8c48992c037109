// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* on_match = "kill": which processes run the marked file (a fake /proc). */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "reaper.h"

static int seen[4];
static int nseen, nkilled;

static void record(void *ctx, pid_t pid, const char *comm, int killed)
{
	(void)ctx;
	assert_string_equal(comm, "miner");
	if (nseen < 4)
		seen[nseen] = (int)pid;
	nseen++;
	nkilled += killed;
}

static void proc_entry(const char *root, int pid, const char *exe_target)
{
	char p[300];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%d", root, pid);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/%d/exe", root, pid);
	assert_int_equal(symlink(exe_target, p), 0);
	snprintf(p, sizeof(p), "%s/%d/comm", root, pid);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("miner\n", f);
	fclose(f);
}

static void test_finds_processes_of_the_file(void **state)
{
	char root[] = "/tmp/mg-reap-XXXXXX", miner[300], other[300], p[300];
	struct stat st;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(miner, sizeof(miner), "%s/kworker", root);
	snprintf(other, sizeof(other), "%s/innocent", root);
	fd = open(miner, O_CREAT | O_WRONLY, 0700);
	close(fd);
	fd = open(other, O_CREAT | O_WRONLY, 0700);
	close(fd);
	proc_entry(root, 101, miner);
	proc_entry(root, 102, other);
	proc_entry(root, 103, miner);
	proc_entry(root, (int)getpid(), miner); /* ourselves: never */
	snprintf(p, sizeof(p), "%s/self", root);
	assert_int_equal(mkdir(p, 0700), 0); /* not a pid: skipped */
	assert_int_equal(stat(miner, &st), 0);

	nseen = nkilled = 0;
	/* report only (audit mode): nothing is signalled */
	assert_int_equal(mg_reap_exe(root, st.st_dev, st.st_ino, 0, record, NULL), 2);
	assert_int_equal(nseen, 2);
	assert_int_equal(nkilled, 0);
	assert_true((seen[0] == 101 && seen[1] == 103) || (seen[0] == 103 && seen[1] == 101));
	/* a proc root that is not there finds nothing */
	assert_int_equal(mg_reap_exe("/nonexistent-proc", st.st_dev, st.st_ino, 0, record, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_processes_of_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
