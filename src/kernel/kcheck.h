/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Can this kernel run minerguard? Checked before anything is attached. */
#ifndef MG_KCHECK_H
#define MG_KCHECK_H

#include <stddef.h>

/* Checks privileges, kernel version (>= 5.11), BTF and that "bpf" is in the
 * active LSM list (mounting securityfs if needed). Returns MG_EXIT_OK or an
 * MG_EXIT_* code with a one-line message naming the fix in msg. */
int mg_kcheck(char *msg, size_t len);

/* Maps an error from loading/attaching the BPF programs (negative errno)
 * to an MG_EXIT_* code and a message; EPERM with every check above passed
 * means the kernel refuses BPF LSM programs (lockdown, a sandbox); EACCES
 * is the verifier rejecting a program. */
int mg_kcheck_load_error(int err, char *msg, size_t len);

#endif
