# `make bench` inside the VM: installed as /mg/scenarios/90_bench.sh of the
# bench initramfs (tests/bench/run.sh) and run by /init like a scenario.
# Runs every workload in every configuration, configurations interleaved
# round by round (A B C D E, B C D E A, ...) so drift cancels, and prints
# machine-readable "BENCH ..." lines that tests/bench/report.awk turns into
# the table. Checks (PASS/FAIL) only prove that each configuration really
# ran and enforced; timing figures never fail.
#
# Kernel command line: mgb.rounds=N mgb.secs=S (per sample) mgb.configs=a,b
# mg-timeout: 2400

B=/mg/bench
rounds=5 secs=2 configs="none mg-shipped mg-shipped-nocache mg-shipped-digest mg-shipped-fmodret mg-names mg-generated mg-audit fapolicyd"
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	mgb.rounds=*) rounds=${arg#*=} ;;
	mgb.secs=*) secs=${arg#*=} ;;
	mgb.configs=*) configs=$(echo "${arg#*=}" | tr ',' ' ') ;;
	esac
done
workloads="open exec mmap walk"
out() { echo "BENCH $*"; }
now_ms() { echo $(($(mg-bench now) / 1000000)); }

# ---- the workload files, on a tmpfs (fapolicyd watches tmpfs mounts) -----
mkdir -p /bench
mount -t tmpfs -o size=512m tmpfs /bench
mkdir -p /bench/data /bench/bin /bench/lib
echo "bench data" >/bench/data/mgb-target.dat
# busybox runs its `true` applet when called as .../true.
cp /bin/busybox /bench/bin/true
cp /lib/x86_64-linux-gnu/libc.so.6 /bench/lib/libmgb.so
tree_line=$(mg-bench mktree /bench/tree $B/tree.txt) || fail "tree" "mg-bench mktree failed"
# Files the enforcing configurations must refuse (created before any daemon).
echo x >/tmp/xmrig
echo x >"/tmp/$(cat $B/generated-name)"
# digests.lua lists this script's digest (run.sh)
cp $B/digest-miner.sh /tmp/digest-miner.sh
chmod 0755 /tmp/digest-miner.sh
echo 1 >/proc/sys/kernel/bpf_stats_enabled

target_of() {
	case "$1" in
	open) echo /bench/data/mgb-target.dat ;;
	exec) echo /bench/bin/true ;;
	mmap) echo /bench/lib/libmgb.so ;;
	walk) echo /bench/tree ;;
	esac
}

out "meta kernel=$(uname -r) rounds=$rounds secs=$secs cpus=$(grep -c ^processor /proc/cpuinfo)" \
	"mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo) tree_files=${tree_line#*files=}" \
	"tree_dirs=$(find /bench/tree -type d | wc -l) generated_sigs=$(cat $B/generated-count)" \
	"configs=$(echo $configs | tr ' ' ,) bpftool=$(bpftool version 2>/dev/null | head -n 1 | tr ' ' _)"

# ---- BPF program statistics (kernel.bpf_stats_enabled) --------------------
# "id name run_time_ns run_cnt" per program, from bpftool's text output.
prog_stats() {
	bpftool prog show 2>/dev/null | awk '
		/^[0-9]+: / {
			id = $1; sub(":", "", id); name = "?"; ns = 0; cnt = 0
			for (i = 2; i < NF; i++) {
				if ($i == "name") name = $(i + 1)
				if ($i == "run_time_ns") ns = $(i + 1)
				if ($i == "run_cnt") cnt = $(i + 1)
			}
			print id, name, ns, cnt
		}'
}
# Prints one BENCH bpf line per program that ran between two snapshots.
prog_delta() { # CONFIG ROUND WORKLOAD BEFORE AFTER
	awk -v c="$1" -v r="$2" -v w="$3" '
		NR == FNR { ns[$1] = $3; cnt[$1] = $4; next }
		{ d = $4 - cnt[$1]; if (d > 0)
			printf "BENCH bpf config=%s round=%s workload=%s prog=%s runs=%d run_time_ns=%d\n",
				c, r, w, $2, d, $3 - ns[$1] }' "$4" "$5"
}
# Memory of every BPF map (inner maps of map-in-map included).
map_memory() { # CONFIG ROUND
	bpftool map show 2>/dev/null | awk -v c="$1" -v r="$2" '
		/^[0-9]+: / { n++ }
		{ for (i = 1; i < NF; i++) if ($i == "memlock") { v = $(i + 1); sub("B", "", v); sum += v } }
		END { printf "BENCH maps config=%s round=%s count=%d memlock_bytes=%d\n", c, r, n, sum }'
}

# ---- configurations -------------------------------------------------------
DPID= DERR=/tmp/mgb-daemon.err EVLOG=/tmp/mgb-events.json

# start_daemon CONFIG ROUND READY-TEXT CMD...: apply time = run start to the
# daemon's own "ready" line (minerguard prints it after attach+pin+status).
start_bench_daemon() {
	_c=$1 _r=$2 _ready=$3
	shift 3
	: >"$DERR"
	_t0=$(mg-bench now)
	"$@" </dev/null >"$DERR" 2>&1 &
	DPID=$!
	if ! _t1=$(mg-bench wait-line "$DERR" "$_ready" 900 "$DPID" 2>/tmp/mgb-wait.err); then
		fail "$_c round $_r: daemon ready" "$(tail -n 1 /tmp/mgb-wait.err); daemon said: $(tail -n 3 "$DERR")"
		out "error config=$_c round=$_r what=start $(tail -n 1 "$DERR" | tr ' ' _)"
		kill -KILL "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
		DPID=
		return 1
	fi
	out "apply config=$_c round=$_r ms=$(((_t1 - _t0) / 1000000))"
	out "rss config=$_c round=$_r vmrss_kb=$(awk '/^VmRSS/ { print $2 }' /proc/$DPID/status)" \
		"vmhwm_kb=$(awk '/^VmHWM/ { print $2 }' /proc/$DPID/status)"
}

stop_bench_daemon() { # CONFIG ROUND
	[ -n "$DPID" ] || return 0
	kill -TERM "$DPID" 2>/dev/null
	_i=0
	while [ "$_i" -lt 300 ] && ! grep -q '^State:.*Z' "/proc/$DPID/status" 2>/dev/null &&
		kill -0 "$DPID" 2>/dev/null; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ "$_i" -ge 300 ] && kill -KILL "$DPID" 2>/dev/null
	wait "$DPID"
	_rc=$?
	DPID=
	[ "$_rc" -eq 0 ] || fail "$1 round $2: daemon exit" "status $_rc: $(tail -n 1 "$DERR")"
}

# expect_refused CONFIG ROUND PATH [OP]: the configuration really enforces:
# the file is refused (open by default; exec for a digest rule, which
# judges executions).
expect_refused() {
	_op=${4:-open}
	_got=$(mg-probe "$_op" "$3" 2>&1)
	if [ "$_got" = "errno=1 EPERM" ]; then
		[ "$2" = 1 ] && pass "$1 refuses $_op $3"
		return 0
	fi
	fail "$1 refuses $_op $3" "got '$_got'; daemon said: $(tail -n 5 "$DERR" | tr '\n' '|')"
	return 1
}

# Enforcement outlives the minerguard daemon until `minerguard unload`: no
# configuration may start while programs of another are still attached.
# Programs of either backend (lsm, or fmod_ret/fentry: type tracing).
lsm_progs() { bpftool prog show 2>/dev/null | awk '/^[0-9]+: (lsm|tracing) / { n++ } END { print n + 0 }'; }
expect_no_programs() { # CONFIG ROUND
	_n=$(lsm_progs)
	[ "$_n" -eq 0 ] && return 0
	fail "$1 round $2: starts without BPF LSM programs" "$_n still attached; unloading"
	minerguard unload >/dev/null 2>&1
	[ "$(lsm_progs)" -eq 0 ]
}

setup() { # CONFIG ROUND
	expect_no_programs "$1" "$2" || return 1
	case "$1" in
	none) return 0 ;;
	mg-shipped)
		start_bench_daemon "$1" "$2" "minerguard: enforce mode" \
			minerguard run --no-self-protect --mode enforce --log "$EVLOG" &&
			expect_refused "$1" "$2" /tmp/xmrig ;;
	mg-shipped-nocache)
		start_bench_daemon "$1" "$2" "minerguard: enforce mode" \
			minerguard run --no-self-protect --verdict-cache off --mode enforce --log "$EVLOG" &&
			expect_refused "$1" "$2" /tmp/xmrig ;;
	mg-shipped-digest)
		start_bench_daemon "$1" "$2" "minerguard: enforce mode" \
			minerguard run --no-self-protect --mode enforce --policy /usr/share/minerguard/policies \
			--policy $B/digests.lua --log "$EVLOG" &&
			expect_refused "$1" "$2" /tmp/digest-miner.sh exec ;;
	mg-shipped-fmodret)
		start_bench_daemon "$1" "$2" "minerguard: enforce mode, backend fmodret" \
			minerguard run --no-self-protect --backend fmodret --mode enforce --log "$EVLOG" &&
			expect_refused "$1" "$2" /tmp/xmrig ;;
	mg-names)
		start_bench_daemon "$1" "$2" "minerguard: enforce mode" \
			minerguard run --no-self-protect --mode enforce --policy $B/names-only.lua --log "$EVLOG" &&
			expect_refused "$1" "$2" /tmp/xmrig ;;
	mg-generated)
		start_bench_daemon "$1" "$2" "minerguard: enforce mode" \
			minerguard run --no-self-protect --mode enforce --policy $B/generated.lua --log "$EVLOG" &&
			expect_refused "$1" "$2" "/tmp/$(cat $B/generated-name)" ;;
	mg-audit)
		start_bench_daemon "$1" "$2" "minerguard: audit mode" \
			minerguard run --no-self-protect --mode audit --policy $B/audit.lua --log "$EVLOG" ;;
	fapolicyd)
		mkdir -p /var/lib/fapolicyd /run/fapolicyd /var/log
		rm -rf /var/lib/fapolicyd/*
		start_bench_daemon "$1" "$2" "Starting to listen for events" \
			fapolicyd --debug-deny &&
			expect_refused "$1" "$2" /tmp/xmrig ;;
	*) fail "config $1" "unknown configuration"; return 1 ;;
	esac
}

teardown() { # CONFIG ROUND
	case "$1" in
	none) return 0 ;;
	mg-*)
		minerguard status --json >/tmp/mgb-status.json 2>/dev/null &&
			out "status config=$1 round=$2 $(cat /tmp/mgb-status.json)"
		map_memory "$1" "$2"
		stop_bench_daemon "$1" "$2"
		# Enforcement may outlive the daemon (pinned): `unload` ends it.
		if [ "$(lsm_progs)" -ne 0 ] && ! minerguard unload >/tmp/mgb-unload.err 2>&1; then
			fail "$1 round $2: minerguard unload" "$(tail -n 1 /tmp/mgb-unload.err)"
		fi
		# Every decision of the round has its line once the daemon exited.
		out "events config=$1 round=$2 logged=$(wc -l <"$EVLOG")"
		: >"$EVLOG" ;;
	fapolicyd)
		stop_bench_daemon "$1" "$2"
		out "events config=$1 round=$2 denied_lines=$(grep -c 'dec=deny' "$DERR")" ;;
	esac
}

# Kernel decisions so far (audit+block over all hooks) and dropped events,
# from `minerguard status --json`: "matched dropped".
mg_matches() {
	minerguard status --json 2>/dev/null | awk '
		{ s = $0; m = 0
		  while (match(s, /"(audit|block)":[0-9]+/)) {
			v = substr(s, RSTART, RLENGTH); sub(/.*:/, "", v); m += v
			s = substr(s, RSTART + RLENGTH) }
		  d = 0
		  if (match($0, /"events_dropped":[0-9]+/)) {
			d = substr($0, RSTART, RLENGTH); sub(/.*:/, "", d) }
		  print m, d }'
}

run_workloads() { # CONFIG ROUND
	for w in $workloads; do
		case "$1" in mg-*) before=$(mg_matches) ;; esac
		prog_stats >/tmp/mgb-before
		if line=$(mg-bench "$w" "$(target_of "$w")" "$secs" 2>/tmp/mgb.err); then
			out "result config=$1 round=$2 workload=$w ${line#MGB op=$w }"
		else
			fail "$1 round $2: workload $w" "$(tail -n 1 /tmp/mgb.err)"
			out "error config=$1 round=$2 workload=$w $(tail -n 1 /tmp/mgb.err | tr ' ' _)"
		fi
		prog_stats >/tmp/mgb-after
		prog_delta "$1" "$2" "$w" /tmp/mgb-before /tmp/mgb-after
		case "$1" in mg-*)
			out "matches config=$1 round=$2 workload=$w $(echo "$before $(mg_matches)" |
				awk '{ print "matched=" $3 - $1, "dropped=" $4 - $2 }')" ;;
		esac
	done
}

# Warm caches (page cache of the tree, dentries) before anything counts.
for w in $workloads; do
	mg-bench "$w" "$(target_of "$w")" 0.2 >/dev/null
done

t_start=$(now_ms)
broken=
# Round r starts at configuration r (A B C, B C A, C A B, ...): no
# configuration always follows the same one.
r=1
while [ "$r" -le "$rounds" ]; do
	order=$(echo $configs | awk -v r="$r" '
		{ for (i = 0; i < NF; i++) printf "%s ", $((i + r - 1) % NF + 1) }')
	for c in $order; do
		t0=$(now_ms)
		# A configuration that could not start once is not retried: its
		# FAIL line says why, and the remaining rounds stay short.
		case " $broken " in
		*" $c "*) out "error config=$c round=$r what=skipped,_failed_to_start_before"; continue ;;
		esac
		if setup "$c" "$r"; then
			run_workloads "$c" "$r"
		else
			broken="$broken $c"
		fi
		teardown "$c" "$r"
		out "time config=$c round=$r ms=$(($(now_ms) - t0))"
	done
	r=$((r + 1))
done
out "done ms=$(($(now_ms) - t_start))"
# Completeness of the table is judged on the host (tests/bench/report.awk).
pass "bench ran $rounds round(s) of: $configs"
