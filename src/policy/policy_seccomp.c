// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A deny list rather than an allow list: what glibc, Lua and the
 * sanitizers call underneath varies; what an escape would need does not. */
#include "policy_seccomp.h"

#include <errno.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#if defined(__x86_64__)
#define MG_AUDIT_ARCH AUDIT_ARCH_X86_64
#define MG_X32_BIT 0x40000000u /* x32 calls share the native arch value */
#elif defined(__aarch64__)
#define MG_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef MG_AUDIT_ARCH
static const unsigned denied[] = {
	SYS_execve, SYS_execveat, SYS_socket, SYS_socketpair, SYS_connect, SYS_bind,
	SYS_listen, SYS_accept, SYS_accept4, SYS_bpf, SYS_ptrace, SYS_process_vm_readv,
	SYS_process_vm_writev, SYS_kill, SYS_tkill, SYS_tgkill, SYS_pidfd_send_signal,
	SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_unshare, SYS_setns,
	SYS_init_module, SYS_finit_module, SYS_delete_module, SYS_kexec_load,
	SYS_perf_event_open, SYS_fanotify_init, SYS_keyctl, SYS_add_key, SYS_request_key,
	SYS_io_uring_setup, SYS_reboot,
};

#define NDENIED (sizeof(denied) / sizeof(denied[0]))
#define DENY (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))

int mg_compile_seccomp(void)
{
	struct sock_filter f[8 + 2 * NDENIED];
	struct sock_fprog prog = { .filter = f };
	unsigned short n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MG_AUDIT_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
#ifdef MG_X32_BIT
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, MG_X32_BIT, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY);
#endif
	for (size_t i = 0; i < NDENIED; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, denied[i], 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = n;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) ? -1 : 0;
}
#else
int mg_compile_seccomp(void)
{
	errno = ENOSYS;
	return -1;
}
#endif
