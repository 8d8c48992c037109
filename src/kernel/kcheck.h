/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Can this kernel run minerguard? Checked before anything is attached. */
#ifndef MG_KCHECK_H
#define MG_KCHECK_H

#include <stddef.h>

/* The oldest kernel either backend runs on: bpf_loop (5.17). */
#define MG_KERNEL_MIN_MAJOR 5
#define MG_KERNEL_MIN_MINOR 17

/* Checks privileges, kernel version, BTF. Returns MG_EXIT_OK or an
 * MG_EXIT_* code with a one-line message naming the fix in msg. Which
 * backend can enforce is decided by trying it (backend.h, selftest.h). */
int mg_kcheck(char *msg, size_t len);
/* 1 when major.minor is recent enough. */
int mg_kcheck_version_ok(int major, int minor);

/* 1 when "bpf" is in the active LSM list (mounting securityfs if needed),
 * 0 when not; list gets the list (or why it is unreadable, then < 0). */
int mg_kcheck_lsm_active(char *list, size_t len);
/* The fix for a kernel whose active LSM list (list) lacks bpf. */
void mg_kcheck_lsm_fix(const char *list, char *msg, size_t len);

/* Maps an error from loading/attaching the programs of backend (enum
 * mg_backend; negative errno) to an MG_EXIT_* code and a message; EPERM
 * with every check above passed means the kernel refuses that program
 * type (lockdown, a sandbox); EACCES is the verifier rejecting a program. */
int mg_kcheck_load_error(int err, int backend, char *msg, size_t len);

#endif
