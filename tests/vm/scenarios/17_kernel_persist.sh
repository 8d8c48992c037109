# Enforcement outlives the daemon. Loops that open and execute a blocked
# file (and open an allowed one) run across: SIGKILL of the daemon and a
# restart that adopts the pins; SIGTERM and a restart; the replacement of
# pins from an incompatible build (MG_STATE_ABI changed with bpftool). Not
# one blocked access may succeed, not one allowed access may fail.
# Decisions made while no daemon read the ring buffer are counted and
# logged after the restart. `unload` restores access.
# mg-timeout: 900

POLICY=/mg/policies/vm_test.lua
T=/tmp/mgt
PIN=/sys/fs/bpf/minerguard
mkdir -p $T
printf '#!/bin/sh\nexit 0\n' >$T/mg-xmrig
printf '#!/bin/sh\nexit 0\n' >$T/ok
chmod 0755 $T/mg-xmrig $T/ok

loop_totals() { # NAME -> "ok=N fail=N batches=N"
	awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); t[kv[1]] += kv[2] } n++ }
		END { printf "ok=%d fail=%d batches=%d\n", t["ok"], t["fail"], n }' /tmp/loop-$1
}
# expect_loops WHAT: blocked loops never succeeded, allowed one never failed
expect_loops() {
	for l in bopen bexec; do
		loop_stop $l
		set -- $(loop_totals $l | tr '=' ' ')
		if [ "$2" -eq 0 ] && [ "$4" -gt 0 ]; then
			pass "$WHAT: blocked $l loop: 0 of $4 succeeded"
		else
			fail "$WHAT: blocked $l loop: 0 succeeded" "ok=$2 fail=$4"
		fi
	done
	loop_stop aopen
	set -- $(loop_totals aopen | tr '=' ' ')
	if [ "$4" -eq 0 ] && [ "$2" -gt 0 ]; then
		pass "$WHAT: allowed open loop: all $2 succeeded"
	else
		fail "$WHAT: allowed open loop: all succeeded" "ok=$2 fail=$4"
	fi
}
loops() {
	loop_start bopen loop-open $T/mg-xmrig
	loop_start bexec loop-exec $T/mg-xmrig
	loop_start aopen loop-open $T/ok
	sleep 1
}

# ---- SIGKILL and restart ------------------------------------------------
start_daemon --mode enforce --policy "$POLICY" || exit 1
loops
kill -KILL "$MG_DAEMON_PID"
wait "$MG_DAEMON_PID" 2>/dev/null
MG_DAEMON_PID=
sleep 1
# decisions made while nobody reads the ring buffer
mark=$("$MG_PROBE" loop-open $T/mg-xmrig 5 2>/dev/null)
[ "$mark" = "ok=0 fail=5" ] && pass "no daemon: blocked file refused" ||
	fail "no daemon: blocked file refused" "got $mark"
start_daemon --mode enforce --policy "$POLICY" || exit 1
sleep 1
WHAT="SIGKILL + restart" expect_loops
grep -q "adopting the programs and maps" "$MG_DAEMON_ERR" && pass "restart adopts the pins" ||
	fail "restart adopts the pins" "$(head -n 3 "$MG_DAEMON_ERR" | tr '\n' '|')"
"$MG_BIN" status --json 2>/dev/null | grep -q '"adopted":true' && pass "status says adopted" ||
	fail "status says adopted" "$("$MG_BIN" status --json 2>&1 | cut -c1-300)"
# what the buffer held while no daemon ran is logged now, with rule names
# (same policy), attributed to the processes that made the accesses
n=$(grep -F '"path":"/tmp/mgt/mg-xmrig"' "$MG_LOG" | grep -c '"rule":{"name":"t_name"')
[ "$n" -ge 1 ] && pass "decisions of the daemonless time logged after restart ($n lines)" ||
	fail "decisions of the daemonless time logged after restart" "$(head -c 400 "$MG_LOG")"
grep -q '"message":"minerguard started[^"]*adopting.*"action":"started"' "$MG_LOG" && pass "lifecycle: started (adopting) logged" ||
	fail "lifecycle: started (adopting) logged" "$(grep '"kind":"event"' "$MG_LOG" | head -n 2)"
# no link was lost or duplicated: one pin per program
links=$(ls $PIN | grep -c '^link_')
[ "$links" -ge 3 ] && [ -z "$(ls -a $PIN | grep '^new__')" ] &&
	pass "pins: $links links, no temporaries" || fail "pins after adoption" "$(ls -a $PIN | tr '\n' ' ')"

# ---- SIGTERM and restart ------------------------------------------------
loops
stop_daemon && pass "daemon stops on SIGTERM with exit 0"
sleep 0.5
# without self-protection: the next part fakes an incompatible build with
# bpftool (29_tamper proves the guard)
start_daemon --mode enforce --policy "$POLICY" --no-self-protect || exit 1
sleep 1
WHAT="SIGTERM + restart" expect_loops

# ---- pins of an incompatible build ---------------------------------------
if command -v bpftool >/dev/null 2>&1; then
	loops
	stop_daemon
	# state index 2 is MG_STATE_ABI: pretend another build made the maps
	bpftool map update pinned $PIN/mg_state key 2 0 0 0 value 99 0 0 0 2>/tmp/bt.err &&
		pass "ABI of the pinned maps changed to 99" || fail "change pinned ABI" "$(cat /tmp/bt.err)"
	start_daemon --mode enforce --policy "$POLICY" --no-self-protect || exit 1
	sleep 1
	WHAT="incompatible pins replaced" expect_loops
	grep -q "incompatible build (pinned maps come from ABI 99" "$MG_DAEMON_ERR" &&
		pass "incompatible pins reported" ||
		fail "incompatible pins reported" "$(head -n 3 "$MG_DAEMON_ERR" | tr '\n' '|')"
	abi=$(bpftool map lookup pinned $PIN/mg_state key 2 0 0 0 2>/dev/null | grep -o '"value": [0-9]*' | grep -o '[0-9]*$')
	[ -n "$abi" ] && [ "$abi" != 99 ] && pass "new maps pinned (ABI $abi)" ||
		fail "new maps pinned" "ABI $abi: $(bpftool map lookup pinned $PIN/mg_state key 2 0 0 0 2>&1 | tr '\n' ' ')"
	# only our programs remain attached: one set of LSM links
	nprog=$(bpftool link show 2>/dev/null | grep -cE '^[0-9]+: tracing')
	[ "$nprog" -eq "$(ls $PIN | grep -c '^link_')" ] && pass "old links released ($nprog attached)" ||
		fail "old links released" "$nprog links attached: $(bpftool link show 2>&1 | head -n 12 | tr '\n' ' ')"
else
	fail "bpftool in the VM" "not found: cannot fake an incompatible build"
fi

# ---- unload -------------------------------------------------------------
"$MG_BIN" unload >/tmp/unload.out 2>&1 && pass "unload with a live daemon" ||
	fail "unload with a live daemon" "$(cat /tmp/unload.out)"
MG_DAEMON_PID=
[ -e $PIN ] && fail "unload removes the pins" "$(ls $PIN)" || pass "unload removes the pins"
expect_access ok open $T/mg-xmrig
expect_access ok exec $T/mg-xmrig
"$MG_BIN" status >/dev/null 2>&1
rc=$?
[ "$rc" -eq 8 ] && pass "status after unload -> 8" || fail "status after unload -> 8" "exit $rc"
