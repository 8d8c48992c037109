#!/bin/sh
# `make test-vm`: boots Debian's kernel in qemu (TCG, never KVM) with the
# test initramfs and turns the console into a test result.
#
# Env: BUILD          build directory (default build)
#      MG_VM_ONLY     run only scenarios matching (kernel cmdline mg.only=)
#      MG_VM_APPEND   extra kernel command line
#      MG_VM_TIMEOUT  whole-VM timeout in seconds (default 3000)
#      MG_VM_LABEL    names this boot's console log (default: default)
#      MG_VM_ACCEL    qemu -accel value (default tcg,thread=single; see below)
# Exit: 0 only if the summary line appeared, >0 checks ran and none failed.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
build=${BUILD:-build}
vmdir=$build/vm
mkdir -p "$vmdir"
label=${MG_VM_LABEL:-default}
log=$vmdir/console-$label.log
initrd=$vmdir/initramfs.cpio.gz

# `make test-vm` builds the probe first; a direct run builds it here.
[ -x "$build/mg-probe" ] || make -s BUILD="$build" "$build/mg-probe"

vmlinuz=$(./scripts/fetch-kernel.sh)
# <cache>/<pkg>/boot/vmlinuz-<ver> -> <cache>/<pkg>/lib/modules/<ver>
MG_MODULES_DIR=${vmlinuz%/boot/*}/lib/modules/${vmlinuz##*/vmlinuz-}
export MG_MODULES_DIR
./tests/vm/build-initramfs.sh "$initrd" >/dev/null

# A kernel soft lockup panics (panic=-1: the VM ends at once, no reboot),
# with every CPU's backtrace on the console, instead of hanging until the
# timeout.
append="console=ttyS0 quiet loglevel=5 panic=-1 softlockup_panic=1 softlockup_all_cpu_backtrace=1"
[ -n "${MG_VM_ONLY:-}" ] && append="$append mg.only=$MG_VM_ONLY"
[ -n "${MG_VM_APPEND:-}" ] && append="$append $MG_VM_APPEND"

# Single-threaded TCG: under multi-threaded TCG (qemu 7.2, Debian 12) a vCPU
# can keep executing a stale translation of kernel text that another vCPU
# patched through text_poke (BPF trampoline attach/detach): it loops on an
# int3 that is no longer in memory (bpf_lsm_file_open+0 -> exc_int3 ->
# kprobe_int3_handler "int3 gone, retry" -> the same stale int3), a soft
# lockup on real kernels that real CPUs cannot have. One thread for both
# vCPUs keeps SMP semantics (two CPUs, preemption between them) and
# translation coherent. docs/testing.md has the backtrace.
echo "vm[$label]: booting $(basename "$vmlinuz") ($append)"
t0=$(date +%s)
qemu_rc=0
timeout "${MG_VM_TIMEOUT:-3000}" qemu-system-x86_64 -accel "${MG_VM_ACCEL:-tcg,thread=single}" -cpu max -m 1024 -smp 2 \
	-nographic -no-reboot -nic none \
	-kernel "$vmlinuz" -initrd "$initrd" -append "$append" \
	</dev/null >"$log" 2>&1 || qemu_rc=$?
t1=$(date +%s)

# The serial console ends lines with CRLF.
clean=$vmdir/console-$label.txt
tr -d '\r' <"$log" >"$clean"
grep -E '^(PASS|FAIL|SKIP) ' "$clean" || true
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$clean" | tail -n 1 || true)
echo "vm: boot+run $((t1 - t0))s, qemu exit $qemu_rc, console log $log"

if [ -z "$summary" ]; then
	[ "$qemu_rc" -eq 124 ] && echo "vm: qemu killed after ${MG_VM_TIMEOUT:-3000}s" >&2
	echo "vm: no summary line (boot failure or timeout); console tail:" >&2
	tail -n 40 "$clean" >&2
	if grep -q 'soft lockup' "$clean"; then
		echo "vm: kernel soft lockup; the first report:" >&2
		sed -n '/soft lockup/,$p' "$clean" | head -n 80 >&2
	fi
	exit 1
fi
echo "vm[$label]: $summary"
passed=${summary%% passed*}
failed=${summary#*passed, }
failed=${failed%% failed*}
if [ "$failed" -ne 0 ]; then
	echo "vm: $failed check(s) failed" >&2
	exit 1
fi
if [ "$passed" -eq 0 ]; then
	echo "vm: no checks ran (MG_VM_ONLY=${MG_VM_ONLY:-} matched nothing?)" >&2
	exit 1
fi
