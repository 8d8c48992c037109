/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* systemd's readiness protocol, without linking libsystemd. */
#ifndef MG_NOTIFY_H
#define MG_NOTIFY_H

/* Sends `state` (e.g. "READY=1") to $NOTIFY_SOCKET. Returns 0 when sent or
 * when not started by systemd (no socket), -errno on failure. */
int mg_sd_notify(const char *state);

#endif
