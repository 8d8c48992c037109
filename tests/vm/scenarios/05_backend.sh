# Backend selection (issue 11): `auto` picks lsm where bpf is an active LSM
# and fmodret where it is not, each proven by the live self-test; forcing
# lsm where it cannot run fails with one clear line, never a silent start;
# status and events name the backend; the self-test keeps running.
# mg-timeout: 240

. /mg/policies/kernel_lib.sh

mkdir -p $T
mkexe $T/mg-xmrig
want=$MG_EXPECT_BACKEND

start_daemon --mode enforce --policy "$POLICY" || exit 1
if "$MG_BIN" status --json 2>/dev/null | grep -q "\"backend\":\"$want\""; then
	pass "auto chose $want (lsm list: $(cat /sys/kernel/security/lsm))"
else
	fail "auto chose $want" "$("$MG_BIN" status --json 2>&1 | head -c 200)"
fi
if "$MG_BIN" status 2>/dev/null | grep -q "backend $want"; then
	pass "status names backend $want"
else
	fail "status names backend $want" "$("$MG_BIN" status 2>&1 | head -n 1)"
fi
ctr=$("$MG_BIN" status --json | sed -n 's/.*"selftest_refusals":\([0-9]*\).*/\1/p')
if [ "${ctr:-0}" -ge 1 ]; then
	pass "self-test refused its probe ($ctr so far)"
else
	fail "self-test refused its probe" "selftest_refusals=${ctr:-none}"
fi
probe open $T/mg-xmrig
if [ "$PROBE_OUT" = "errno=1 EPERM" ]; then
	pass "open of a miner name refused through $want"
else
	fail "open of a miner name refused through $want" "got '$PROBE_OUT'"
fi
expect_event "decision carries minerguard.backend $want" "\"hook\":\"open\".*\"backend\":\"$want\""
expect_event "start event names backend $want" "\"action\":\"started\".*\"backend\":\"$want\""

# The self-test keeps running while the daemon does (every 2 s).
sleep 5
ctr2=$("$MG_BIN" status --json | sed -n 's/.*"selftest_refusals":\([0-9]*\).*/\1/p')
if [ "${ctr2:-0}" -gt "${ctr:-0}" ]; then
	pass "periodic self-test runs ($ctr -> $ctr2 refusals)"
else
	fail "periodic self-test runs" "selftest_refusals $ctr -> ${ctr2:-none}"
fi
stop_daemon
"$MG_BIN" unload >/dev/null 2>&1

# Forcing a backend.
if [ "$want" = fmodret ]; then
	"$MG_BIN" run --backend lsm --policy "$POLICY" --log /tmp/forced.json \
		</dev/null >/tmp/forced.out 2>/tmp/forced.err &
	fpid=$!
	_i=0
	while kill -0 "$fpid" 2>/dev/null && [ "$_i" -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if kill -0 "$fpid" 2>/dev/null; then
		kill -KILL "$fpid"
		fail "--backend lsm without bpf in lsm= refuses to start" "still running after 30s"
	else
		wait "$fpid"
		rc=$?
		if [ "$rc" -eq 3 ] && [ "$(wc -l </tmp/forced.err)" -eq 1 ] &&
			grep -q "lsm=" /tmp/forced.err && grep -q "backend auto" /tmp/forced.err; then
			pass "--backend lsm without bpf in lsm=: exit 3, one line naming lsm= and auto"
		else
			fail "--backend lsm without bpf in lsm= refuses to start" "exit $rc: $(cat /tmp/forced.err)"
		fi
	fi
	[ -e /sys/fs/bpf/minerguard ] && fail "refused start leaves no pins" "pins exist" ||
		pass "refused start leaves no pins"
else
	# Where BPF LSM is active, fmodret can be forced and enforces too.
	start_daemon --backend fmodret --mode enforce --policy "$POLICY" || exit 1
	if "$MG_BIN" status --json | grep -q '"backend":"fmodret"'; then
		pass "--backend fmodret on a BPF LSM kernel: status says fmodret"
	else
		fail "--backend fmodret on a BPF LSM kernel" "$("$MG_BIN" status --json | head -c 200)"
	fi
	probe open $T/mg-xmrig
	[ "$PROBE_OUT" = "errno=1 EPERM" ] && pass "forced fmodret refuses a miner open" ||
		fail "forced fmodret refuses a miner open" "got '$PROBE_OUT'"
	stop_daemon
	# Switching backends replaces the pins of the other one.
	start_daemon --backend lsm --mode enforce --policy "$POLICY" || exit 1
	if grep -q "backend fmodret, this one is lsm" "$MG_DAEMON_ERR" &&
		"$MG_BIN" status --json | grep -q '"backend":"lsm"'; then
		pass "lsm after fmodret replaces the fmodret pins"
	else
		fail "lsm after fmodret replaces the fmodret pins" "$(head -n 2 "$MG_DAEMON_ERR")"
	fi
	stop_daemon
	"$MG_BIN" unload >/dev/null 2>&1
fi
