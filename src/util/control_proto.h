/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The control channel between `minerguard mode|reload|unload` and the
 * running daemon: one request and one reply per connection, each a single
 * SOCK_SEQPACKET message of text, on MG_CONTROL_NAME in the run directory
 * (root only, 0600). Requests: "mode enforce", "mode audit", "reload",
 * "unload". Replies: "ok <detail>" or "refused <why>" or "error <why>".
 */
#ifndef MG_CONTROL_PROTO_H
#define MG_CONTROL_PROTO_H

#define MG_CONTROL_NAME "control.sock"
#define MG_CONTROL_MSG_MAX 512

#endif
