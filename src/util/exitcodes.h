/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Exit codes of minerguard(8); documented in README.md and the man page. */
#ifndef MG_EXITCODES_H
#define MG_EXITCODES_H

enum mg_exit {
	MG_EXIT_OK = 0,
	MG_EXIT_ERROR = 1,       /* runtime failure, or `check` expectations failed */
	MG_EXIT_USAGE = 2,       /* bad command line */
	MG_EXIT_NO_BPF_LSM = 3,  /* BPF LSM not active, or the kernel refuses LSM programs */
	MG_EXIT_PRIVILEGE = 4,   /* not enough privileges (CAP_BPF, CAP_SYS_ADMIN, CAP_PERFMON) */
	MG_EXIT_NO_BTF = 5,      /* /sys/kernel/btf/vmlinux missing */
	MG_EXIT_OLD_KERNEL = 6,  /* kernel older than 5.11 */
	MG_EXIT_POLICY = 7,      /* policy failed to load or validate */
	MG_EXIT_NOT_RUNNING = 8, /* status/mode: no attached instance */
	MG_EXIT_FINDINGS = 9,    /* scan: something was found */
};

#endif
