#!/bin/sh
# `make bench` / `make bench-quick`: boots Debian's kernel once in qemu (TCG,
# never KVM) with a bench initramfs, runs tests/bench/vm-bench.sh there and
# turns the console into a markdown table (stdout) and $BUILD/bench.json.
#
# Env: BUILD         build directory (default build)
#      BENCH_QUICK=1 smoke mode: 1 round of 0.3 s samples, 20,000 generated
#                    signatures, a 400-file walk tree; same table, same
#                    completeness check
#      BENCH_ROUNDS, BENCH_SECS, BENCH_SIGS, BENCH_TREE   override the mode's
#                    figures (rounds, seconds per sample, generated
#                    signatures, files in the walk tree)
#      BENCH_CONFIGS comma-separated subset of
#                    none,mg-shipped,mg-shipped-nocache,mg-shipped-fmodret,mg-names,mg-generated,mg-audit,fapolicyd
#      BENCH_TIMEOUT whole-VM timeout in seconds
#      BENCH_QEMU_ARGS extra qemu arguments (e.g. "-icount shift=0,sleep=off")
#      BENCH_APPEND  extra kernel command line (e.g. "loglevel=5" to see the
#                    kernel's warnings, backtraces included, on the console)
# Exit: non-zero when the table cannot be produced (a configuration or a
# workload without figures, a failed check, a VM that did not finish);
# never because of a timing figure.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
build=${BUILD:-build}
bdir=$build/bench
root=$bdir/root
t_begin=$(date +%s)

if [ -n "${BENCH_QUICK:-}" ] && [ "${BENCH_QUICK}" != 0 ]; then
	# One round: the smoke run in `make test` only proves that every
	# configuration and workload still produces figures.
	mode=quick rounds=${BENCH_ROUNDS:-1} secs=${BENCH_SECS:-0.3} sigs=${BENCH_SIGS:-20000}
	tree=${BENCH_TREE:-400}
	vm_timeout=${BENCH_TIMEOUT:-420}
else
	mode=full rounds=${BENCH_ROUNDS:-5} secs=${BENCH_SECS:-2} sigs=${BENCH_SIGS:-1000000}
	tree=${BENCH_TREE:-2000}
	vm_timeout=${BENCH_TIMEOUT:-2400}
fi
configs=${BENCH_CONFIGS:-none,mg-shipped,mg-shipped-nocache,mg-shipped-fmodret,mg-names,mg-generated,mg-audit,fapolicyd}

for f in "$build/minerguard" "$build/mg-probe" "$build/mg-bench"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f missing (run make bench)" >&2
		exit 1
	fi
done

# ---- files the bench adds to the VM test initramfs ------------------------
rm -rf "$root"
mkdir -p "$root/mg/bench" "$root/etc/fapolicyd/trust.d" "$root/usr/share/fapolicyd" \
	"$root/usr/share/misc"

. tests/vm/copy_with_libs.sh
copy_with_libs "$root" "$build/mg-bench" /usr/bin/mg-bench
bpftool=$(command -v bpftool || echo /usr/sbin/bpftool)
if [ ! -x "$bpftool" ]; then
	echo "bench: bpftool missing (make deps installs Debian's bpftool)" >&2
	exit 1
fi
copy_with_libs "$root" "$bpftool" /usr/sbin/bpftool

# fapolicyd: Debian's package, our config, rules generated from the shipped
# policy by tests/bench/fapolicyd/gen-rules.lua.
fapolicyd_why=
if [ -x /usr/sbin/fapolicyd ]; then
	copy_with_libs "$root" /usr/sbin/fapolicyd /usr/sbin/fapolicyd
	cp tests/bench/fapolicyd/fapolicyd.conf "$root/etc/fapolicyd/fapolicyd.conf"
	: >"$root/etc/fapolicyd/fapolicyd.trust"
	for m in /usr/share/fapolicyd/fapolicyd-magic.mgc /usr/share/misc/magic.mgc; do
		[ -e "$m" ] && cp -L "$m" "$root$m"
	done
	rules=$root/etc/fapolicyd/compiled.rules
	lua5.4 tests/bench/fapolicyd/gen-rules.lua policies/*.lua >"$rules"
	cat tests/bench/fapolicyd/rules.tail >>"$rules"
else
	fapolicyd_why="/usr/sbin/fapolicyd not installed on the host (make deps installs it)"
	echo "bench: $fapolicyd_why" >&2
fi

# The walk tree: evenly spaced real file paths of this Debian system (dpkg's
# file lists minus every path that is a directory of another), $tree of them.
cat /var/lib/dpkg/info/*.list | LC_ALL=C sort -u | awk '
	{ p[NR] = $0; s = $0; while (sub(/\/[^\/]*$/, "", s) && s != "") dir[s] = 1 }
	END { for (i = 1; i <= NR; i++) if (p[i] ~ /^\/./ && !(p[i] in dir)) print p[i] }' \
	>"$bdir/all-files.txt"
awk -v want="$tree" 'NR == FNR { n++; next }
	FNR == 1 { step = int(n / want); if (step < 1) step = 1 }
	(FNR - 1) % step == 0 && k < want { print; k++ }' \
	"$bdir/all-files.txt" "$bdir/all-files.txt" >"$root/mg/bench/tree.txt"
rm -f "$bdir/all-files.txt"

./tests/bench/gen_policy.sh "$sigs" "$root/mg/bench/generated.lua"
echo "$sigs" >"$root/mg/bench/generated-count"
echo benchname0000005 >"$root/mg/bench/generated-name" # i = 5 is a name in gen_policy.sh
cp tests/bench/audit.lua "$root/mg/bench/audit.lua"
lua5.4 tests/bench/gen-names-only.lua policies/*.lua >"$root/mg/bench/names-only.lua"

# ---- initramfs and boot ------------------------------------------------------
vmlinuz=$(./scripts/fetch-kernel.sh)
MG_MODULES_DIR=${vmlinuz%/boot/*}/lib/modules/${vmlinuz##*/vmlinuz-}
export MG_MODULES_DIR
initrd=$bdir/initramfs.cpio.gz
MG_VM_EXTRA="$root/.:/ tests/bench/vm-bench.sh:/mg/scenarios/90_bench.sh" \
	./tests/vm/build-initramfs.sh "$initrd" >/dev/null

# Single-threaded TCG and a soft lockup that ends the boot: see tests/vm/run.sh.
accel=${BENCH_ACCEL:-tcg,thread=single}
append="console=ttyS0 quiet loglevel=5 panic=-1 softlockup_panic=1 softlockup_all_cpu_backtrace=1"
append="$append mg.only=90_bench mg.timeout=$vm_timeout"
append="$append mgb.rounds=$rounds mgb.secs=$secs mgb.configs=$configs"
[ -n "${BENCH_APPEND:-}" ] && append="$append $BENCH_APPEND"

# The record of what ran, next to the results.
{
	echo "# minerguard bench configuration ($mode mode), written by tests/bench/run.sh"
	echo "kernel command line: $append"
	echo "qemu: -accel $accel -cpu max -m 2048 -smp 2 ${BENCH_QEMU_ARGS:-}"
	echo "none:         no daemon"
	echo "mg-shipped:   minerguard run --mode enforce --log /tmp/mgb-events.json   (policies/ as /usr/share/minerguard/policies)"
	echo "mg-shipped-nocache: minerguard run --verdict-cache off --mode enforce --log /tmp/mgb-events.json   (every access decided in full: the cost of a file not seen before)"
	echo "mg-shipped-fmodret: minerguard run --backend fmodret --mode enforce --log /tmp/mgb-events.json   (same policy, fmod_ret backend, same boot)"
	echo "mg-names:     minerguard run --mode enforce --policy names-only.lua --log /tmp/mgb-events.json   (shipped names, prefixes, suffixes only: tests/bench/gen-names-only.lua)"
	echo "mg-generated: minerguard run --mode enforce --policy generated.lua --log /tmp/mgb-events.json   ($sigs signatures, tests/bench/gen_policy.sh)"
	echo "mg-audit:     minerguard run --mode audit --policy audit.lua --log /tmp/mgb-events.json   (tests/bench/audit.lua)"
	echo "fapolicyd:    fapolicyd --debug-deny   (tests/bench/fapolicyd/fapolicyd.conf, rules below)"
	echo "workloads:    mg-bench open /bench/data/mgb-target.dat | exec /bench/bin/true | mmap /bench/lib/libmgb.so | walk /bench/tree  ($secs s each; /bench is a tmpfs)"
	echo "kernel.bpf_stats_enabled = 1 in every configuration"
	echo
	echo "== /etc/fapolicyd/fapolicyd.conf"
	grep -v '^#' tests/bench/fapolicyd/fapolicyd.conf
	echo "== /etc/fapolicyd/compiled.rules (set shortened)"
	[ -f "$root/etc/fapolicyd/compiled.rules" ] && cut -c1-300 "$root/etc/fapolicyd/compiled.rules"
	echo "== audit.lua"
	cat tests/bench/audit.lua
} >"$bdir/configuration.txt"
echo "bench: $mode mode, $rounds rounds x $secs s per sample, configurations $configs;" \
	"booting $(basename "$vmlinuz") (TCG, 2 vCPUs, 2 GiB)" >&2
log=$bdir/console.log
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
qemu_rc=0
timeout "$vm_timeout" qemu-system-x86_64 -accel "$accel" -cpu max -m 2048 -smp 2 \
	-nographic -no-reboot -nic none \
	-kernel "$vmlinuz" -initrd "$initrd" -append "$append" ${BENCH_QEMU_ARGS:-} \
	</dev/null >"$log" 2>&1 || qemu_rc=$?
t1=$(date +%s)
tr -d '\r' <"$log" >"$bdir/console.txt"
echo "bench: VM ran $((t1 - t0)) s (qemu exit $qemu_rc), console $bdir/console.txt" >&2

{
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "command=make bench${BENCH_QUICK:+ BENCH_QUICK=1}"
	echo "mode=$mode"
	echo "host_cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "host_cores=$(nproc)"
	echo "host_load=$load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after (1/5/15 min)"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "fapolicyd_version=$(dpkg-query -W -f='${Version}' fapolicyd 2>/dev/null || echo none)"
	echo "fapolicyd_unavailable=$fapolicyd_why"
	echo "minerguard_version=$("$build/minerguard" version 2>/dev/null | head -n 1)"
} >"$bdir/host.txt"

rc=0
awk -v json="$build/bench.json" -v hostinfo="$bdir/host.txt" -v want_configs="$configs" \
	-v want_rounds="$rounds" -f tests/bench/report.awk "$bdir/console.txt" || rc=$?

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$bdir/console.txt" | tail -n 1 || true)
if [ -z "$summary" ]; then
	echo "bench: the VM did not finish (qemu exit $qemu_rc); console tail:" >&2
	tail -n 30 "$bdir/console.txt" >&2
	rc=1
elif [ "${summary#*passed, }" != "0 failed, ${summary##*failed, }" ]; then
	echo "bench: checks failed in the VM:" >&2
	grep '^FAIL ' "$bdir/console.txt" >&2 || true
	rc=1
fi
echo "bench: total $(($(date +%s) - t_begin)) s; JSON in $build/bench.json," \
	"configuration in $bdir/configuration.txt" >&2
exit "$rc"
