// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The daemon's end of the control channel: who asks, what, and refusals. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "control.h"

static void put(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

	assert_true(fd >= 0);
	close(fd);
}

/* A fake /proc: pid 1's user and pid namespaces, pid `same` sharing them
 * (hard links: same inode), pid 43 in a pid namespace of its own. */
static void fake_proc(char *root, int same)
{
	char p[256], q[256];
	const int pids[] = { 1, same, 43 };

	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%d", root, pids[i]);
		assert_int_equal(mkdir(p, 0700), 0);
		snprintf(p, sizeof(p), "%s/%d/ns", root, pids[i]);
		assert_int_equal(mkdir(p, 0700), 0);
	}
	snprintf(p, sizeof(p), "%s/1/ns/user", root);
	put(p);
	snprintf(p, sizeof(p), "%s/1/ns/pid", root);
	put(p);
	for (int i = 1; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/1/ns/user", root);
		snprintf(q, sizeof(q), "%s/%d/ns/user", root, pids[i]);
		assert_int_equal(link(p, q), 0);
	}
	snprintf(p, sizeof(p), "%s/1/ns/pid", root);
	snprintf(q, sizeof(q), "%s/%d/ns/pid", root, same);
	assert_int_equal(link(p, q), 0);
	snprintf(q, sizeof(q), "%s/43/ns/pid", root);
	put(q);
}

static void test_initial_namespaces(void **state)
{
	char root[] = "/tmp/mg-ctl-proc-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(root));
	fake_proc(root, 42);
	assert_true(mg_control_initial_ns(root, 42));
	assert_false(mg_control_initial_ns(root, 43)); /* a container's pid namespace */
	assert_false(mg_control_initial_ns(root, 44)); /* gone: never trusted */
}

static int client(const char *path, const char *msg)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memcpy(a.sun_path, path, strlen(path) + 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_true(send(fd, msg, strlen(msg), 0) > 0);
	return fd;
}

/* A request over a real socket: the caller's pid and uid come from the
 * kernel, its text is parsed, the reply reaches it and the socket is 0600. */
static void test_round_trip(void **state)
{
	char dir[] = "/tmp/mg-ctl-XXXXXX", root[] = "/tmp/mg-ctl-proc-XXXXXX", path[256];
	char reply[MG_CONTROL_MSG_MAX];
	struct mg_control_req req;
	struct stat st;
	ssize_t n;
	int lfd, c;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* this process in the initial namespaces of a fake /proc (the real
	 * one's pid 1 may not be readable in a sandbox) */
	assert_non_null(mkdtemp(root));
	fake_proc(root, getpid());
	snprintf(path, sizeof(path), "%s/%s", dir, MG_CONTROL_NAME);
	lfd = mg_control_listen(path);
	assert_true(lfd >= 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(mg_control_next(lfd, root, &req), 0); /* nothing pending */

	c = client(path, "mode audit");
	assert_int_equal(mg_control_next(lfd, root, &req), 1);
	assert_int_equal(req.cmd, MG_CTL_MODE_AUDIT);
	assert_int_equal(req.pid, getpid());
	assert_int_equal(req.uid, getuid());
	assert_string_equal(req.text, "mode audit");
	if (getuid() == 0)
		assert_null(req.refused);
	else
		assert_non_null(strstr(req.refused, "not root"));
	mg_control_reply(&req, "ok", "mode audit");
	n = recv(c, reply, sizeof(reply) - 1, 0);
	assert_true(n > 0);
	reply[n] = '\0';
	assert_string_equal(reply, "ok mode audit");
	close(c);

	/* unknown requests are refused, control bytes never reach the log */
	c = client(path, "mode\nsilent");
	assert_int_equal(mg_control_next(lfd, root, &req), 1);
	assert_int_equal(req.cmd, MG_CTL_NONE);
	assert_string_equal(req.text, "mode?silent");
	assert_non_null(req.refused);
	mg_control_reply(&req, "refused", req.refused);
	close(c);
	close(lfd);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial_namespaces),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
