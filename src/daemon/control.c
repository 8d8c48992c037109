// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The daemon's end of the control channel (see control.h). */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

int mg_control_listen(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd, rc;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	memcpy(a.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* only our lock holder gets here: a leftover file is a dead daemon's */
	unlink(path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || chmod(path, 0600) || listen(fd, 8)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

static int ns_ino(const char *proc_root, pid_t pid, const char *ns, ino_t *out)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%d/ns/%s", proc_root, (int)pid, ns);
	if (stat(path, &st))
		return -1;
	*out = st.st_ino;
	return 0;
}

int mg_control_initial_ns(const char *proc_root, pid_t pid)
{
	static const char *const kinds[] = { "user", "pid" };
	ino_t a, b;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (ns_ino(proc_root, pid, kinds[i], &a) || ns_ino(proc_root, 1, kinds[i], &b) || a != b)
			return 0;
	return 1;
}

static enum mg_control_cmd parse(const char *t)
{
	if (!strcmp(t, "mode enforce"))
		return MG_CTL_MODE_ENFORCE;
	if (!strcmp(t, "mode audit"))
		return MG_CTL_MODE_AUDIT;
	if (!strcmp(t, "reload"))
		return MG_CTL_RELOAD;
	if (!strcmp(t, "unload"))
		return MG_CTL_UNLOAD;
	return MG_CTL_NONE;
}

int mg_control_next(int lfd, const char *proc_root, struct mg_control_req *req)
{
	struct timeval tv = { .tv_sec = 1 };
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	char path[64];
	ssize_t n;
	int c;

	memset(req, 0, sizeof(*req));
	req->conn = -1;
	c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
				       errno == ECONNABORTED
			       ? 0
			       : -errno;
	req->conn = c;
	/* a caller that connects and says nothing costs a second, no more */
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &clen)) {
		req->refused = "the caller's credentials cannot be read";
		return 1;
	}
	req->pid = cred.pid;
	req->uid = cred.uid;
	snprintf(path, sizeof(path), "%s/%d/exe", proc_root, (int)cred.pid);
	n = readlink(path, req->exe, sizeof(req->exe) - 1);
	req->exe[n > 0 ? n : 0] = '\0';
	n = recv(c, req->text, sizeof(req->text) - 1, 0);
	req->text[n > 0 ? n : 0] = '\0';
	for (char *p = req->text; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	req->cmd = parse(req->text);
	if (cred.uid != 0)
		req->refused = "Operation not permitted: the caller is not root";
	else if (!mg_control_initial_ns(proc_root, cred.pid))
		req->refused = "Operation not permitted: the caller is outside the initial user or pid "
			       "namespace (a container)";
	else if (req->cmd == MG_CTL_NONE)
		req->refused = "unknown request";
	return 1;
}

void mg_control_reply(struct mg_control_req *req, const char *status, const char *detail)
{
	char msg[MG_CONTROL_MSG_MAX];
	int n;

	if (req->conn < 0)
		return;
	n = snprintf(msg, sizeof(msg), "%s %s", status, detail ? detail : "");
	if (n > 0)
		send(req->conn, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1, MSG_NOSIGNAL);
	close(req->conn);
	req->conn = -1;
}
