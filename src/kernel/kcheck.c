// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Refuse early, with the fix in the message, on kernels that can't enforce. */
#include "kcheck.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "exitcodes.h"
#include "minerguard_abi.h"

#define LSM_FILE "/sys/kernel/security/lsm"
#define BTF_FILE "/sys/kernel/btf/vmlinux"
#define MG_ENOTSUPP_KERNEL 524 /* include/linux/errno.h, not exported to userspace */

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int has_cap(const struct __user_cap_data_struct d[2], int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

static int check_privileges(char *msg, size_t len)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };

	if (syscall(SYS_capget, &h, d)) {
		snprintf(msg, len, "cannot read capabilities: %s", strerror(errno));
		return MG_EXIT_PRIVILEGE;
	}
	if (has_cap(d, CAP_SYS_ADMIN) ||
	    (has_cap(d, CAP_BPF) && has_cap(d, CAP_PERFMON) && has_cap(d, CAP_MAC_ADMIN)))
		return MG_EXIT_OK;
	snprintf(msg, len,
		 "insufficient privileges: run as root, or with CAP_BPF, CAP_PERFMON "
		 "and CAP_MAC_ADMIN (or CAP_SYS_ADMIN)");
	return MG_EXIT_PRIVILEGE;
}

int mg_kcheck_version_ok(int major, int minor)
{
	return major > MG_KERNEL_MIN_MAJOR ||
	       (major == MG_KERNEL_MIN_MAJOR && minor >= MG_KERNEL_MIN_MINOR);
}

static int check_version(char *msg, size_t len)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return MG_EXIT_OK; /* can't tell: let the loader decide */
	if (mg_kcheck_version_ok(major, minor))
		return MG_EXIT_OK;
	snprintf(msg, len,
		 "kernel %s is too old: minerguard needs Linux %d.%d or newer (bpf_loop, used by "
		 "both backends; fmod_ret needs 5.7, sleepable BPF LSM 5.11)",
		 u.release, MG_KERNEL_MIN_MAJOR, MG_KERNEL_MIN_MINOR);
	return MG_EXIT_OLD_KERNEL;
}

/* True when the comma-separated list names "bpf". */
static int list_has_bpf(const char *list)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",\n");

		if (n == 3 && !strncmp(p, "bpf", 3))
			return 1;
		p += n;
		p += strspn(p, ",\n");
	}
	return 0;
}

static int read_lsm_list(const char *file, char *buf, size_t len)
{
	FILE *f = fopen(file, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int mg_kcheck_lsm_active(char *list, size_t len)
{
	/* Tests point this at a fixture to exercise the message on any host. */
	const char *file = getenv("MG_TEST_LSM_FILE");
	int err;

	if (!file)
		file = LSM_FILE;
	err = read_lsm_list(file, list, len);
	if (err == -ENOENT && !strcmp(file, LSM_FILE)) {
		mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
		err = read_lsm_list(file, list, len);
	}
	if (err) {
		snprintf(list, len, "unreadable: %s", strerror(-err));
		return err;
	}
	return list_has_bpf(list);
}

void mg_kcheck_lsm_fix(const char *list, char *msg, size_t len)
{
	snprintf(msg, len,
		 "BPF LSM is not active (active LSMs: %s): add bpf to the lsm= kernel "
		 "parameter, e.g. lsm=%s%sbpf, and reboot",
		 list[0] ? list : "none", list, list[0] ? "," : "");
}

int mg_kcheck(char *msg, size_t len)
{
	int rc;

	if ((rc = check_privileges(msg, len)) != MG_EXIT_OK)
		return rc;
	if ((rc = check_version(msg, len)) != MG_EXIT_OK)
		return rc;
	if (access(BTF_FILE, R_OK)) {
		snprintf(msg, len,
			 "kernel BTF is missing (%s): minerguard needs a kernel built "
			 "with CONFIG_DEBUG_INFO_BTF=y", BTF_FILE);
		return MG_EXIT_NO_BTF;
	}
	return MG_EXIT_OK;
}

int mg_kcheck_load_error(int err, int backend, char *msg, size_t len)
{
	if (err < 0)
		err = -err;
	/* The verifier says EACCES when it rejects a program; a kernel that
	 * refuses the program type or its attachment as such says EPERM. */
	if (err == EACCES) {
		snprintf(msg, len,
			 "the kernel's BPF verifier rejected a program (%s): this build does "
			 "not fit this kernel; MINERGUARD_DEBUG=1 prints the verifier's log",
			 strerror(err));
		return MG_EXIT_ERROR;
	}
	/* 524 is the kernel's ENOTSUPP: no BPF trampoline on this architecture
	 * or build; ESRCH: the security_* function is not in the kernel's BTF
	 * (inlined or renamed). Both mean this kernel cannot host fmod_ret. */
	if (backend == MG_BACKEND_FMODRET &&
	    (err == MG_ENOTSUPP_KERNEL || err == EOPNOTSUPP || err == ESRCH)) {
		snprintf(msg, len,
			 "the kernel cannot attach fmod_ret programs to security_* (%s): they need a "
			 "kernel >= 5.17 with BTF and BPF trampolines "
			 "(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS); or activate BPF LSM instead: add "
			 "bpf to lsm= and reboot",
			 err == MG_ENOTSUPP_KERNEL ? "operation not supported by the kernel"
						   : strerror(err));
		return MG_EXIT_NO_BPF_LSM;
	}
	if (err == EPERM && backend == MG_BACKEND_FMODRET) {
		snprintf(msg, len,
			 "the kernel refused fmod_ret programs on security_* (%s): they need BPF "
			 "trampolines (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) and no lockdown or "
			 "sandbox forbidding them", strerror(err));
		return MG_EXIT_NO_BPF_LSM;
	}
	if (err == EPERM) {
		snprintf(msg, len,
			 "the kernel refused BPF LSM programs (%s) although bpf is in the "
			 "active LSM list: lockdown or a sandboxed kernel forbids them; "
			 "check lockdown= and that bpf is in lsm=", strerror(err));
		return MG_EXIT_NO_BPF_LSM;
	}
	snprintf(msg, len, "loading the BPF programs failed: %s", strerror(err));
	return MG_EXIT_ERROR;
}
