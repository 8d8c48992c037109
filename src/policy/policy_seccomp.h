/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A seccomp filter for the policy compile child (policy_fork.c). */
#ifndef MG_POLICY_SECCOMP_H
#define MG_POLICY_SECCOMP_H

/* Refuses (EPERM) what compiling Lua never needs and an escape would want:
 * running programs, sockets, bpf, ptrace and reading other processes'
 * memory, signals to others, mounts and namespaces, modules, kexec,
 * keyrings, io_uring, perf and fanotify. Other architectures' system calls
 * kill the process. 0, or -1 where the kernel refuses the filter (the
 * wall-clock limit still holds). */
int mg_compile_seccomp(void);

#endif
