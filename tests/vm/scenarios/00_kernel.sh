# Kernel sanity: the VM kernel can host minerguard at all. If these fail,
# every other scenario's result is meaningless.
# mg-timeout: 30

# Two boots (tests/vm/run.sh): Debian's default has bpf in the active LSM
# list; the Ubuntu-like one (lsm= without bpf) must not, or the fmodret
# backend would go untested.
if grep -q 'lsm=' /proc/cmdline && ! grep -qE 'lsm=[^ ]*bpf' /proc/cmdline; then
	if grep -qw bpf /sys/kernel/security/lsm; then
		fail "bpf not in active LSM list (Ubuntu-like boot)" "lsm=$(cat /sys/kernel/security/lsm)"
	else
		pass "bpf not in active LSM list (Ubuntu-like boot)"
	fi
elif grep -qw bpf /sys/kernel/security/lsm; then
	pass "bpf in active LSM list"
else
	fail "bpf in active LSM list" "lsm=$(cat /sys/kernel/security/lsm)"
fi

# Lockdown "confidentiality" would forbid the kernel-memory reads the
# programs need; Debian enables lockdown only under Secure Boot.
lockdown=$(cat /sys/kernel/security/lockdown 2>/dev/null)
case "$lockdown" in
*"[none]"*) pass "lockdown is none" ;;
*) fail "lockdown is none" "lockdown: ${lockdown:-unreadable}" ;;
esac

if [ -s /sys/kernel/btf/vmlinux ]; then
	pass "/sys/kernel/btf/vmlinux present"
else
	fail "/sys/kernel/btf/vmlinux present" "missing or empty"
fi

if grep -q '^bpf /sys/fs/bpf bpf ' /proc/mounts; then
	pass "bpffs mounted on /sys/fs/bpf"
else
	fail "bpffs mounted on /sys/fs/bpf" "not in /proc/mounts"
fi

expect_access ok open /etc/passwd
expect_access ENOENT open /etc/does-not-exist

# The probe itself must tell an exec failure from success.
printf '#!/bin/sh\nexit 0\n' >/tmp/mg-true
chmod 0755 /tmp/mg-true
expect_access ok exec /tmp/mg-true
expect_access EACCES exec /etc/passwd
