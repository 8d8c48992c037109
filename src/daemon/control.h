/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The daemon's end of the control channel (src/util/control_proto.h).
 * Who asks is read from the socket (SO_PEERCRED), never from the request:
 * only root in the initial user and pid namespaces is served, and the
 * daemon logs every request, served or not, with the caller.
 */
#ifndef MG_CONTROL_H
#define MG_CONTROL_H

#include <stddef.h>
#include <sys/types.h>

#include "control_proto.h"

enum mg_control_cmd { MG_CTL_NONE, MG_CTL_MODE_ENFORCE, MG_CTL_MODE_AUDIT, MG_CTL_RELOAD, MG_CTL_UNLOAD };

struct mg_control_req {
	int conn;                  /* reply on it with mg_control_reply, which closes it */
	enum mg_control_cmd cmd;   /* MG_CTL_NONE: not understood */
	char text[MG_CONTROL_MSG_MAX]; /* the request as sent (printable, for the log) */
	pid_t pid;                 /* the caller, as the kernel saw it */
	uid_t uid;
	char exe[256];             /* its executable, best effort */
	const char *refused;       /* NULL, or why the caller may not ask */
};

/* Listening socket at path (an old socket file is replaced), or -errno. */
int mg_control_listen(const char *path);

/* One pending request, if any (non-blocking): 1 with *req filled, 0 when
 * none, -errno on a failure of the listening socket. proc_root is "/proc"
 * except in tests. */
int mg_control_next(int lfd, const char *proc_root, struct mg_control_req *req);

/* "ok|refused|error <detail>" to the caller; closes the connection. */
void mg_control_reply(struct mg_control_req *req, const char *status, const char *detail);

/* Whether pid is in the same user and pid namespaces as pid 1 (from
 * proc_root): the only callers the daemon serves. */
int mg_control_initial_ns(const char *proc_root, pid_t pid);

#endif
