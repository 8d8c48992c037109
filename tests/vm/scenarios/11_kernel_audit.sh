# Kernel enforcement with the VM test policy (tests/vm/policies/vm_test.lua):
# Audit mode (--mode audit): every access the VM test policy would refuse
# succeeds, and is logged once as an audit decision with would_block; the
# creation under a miner name succeeds too. Then `mode enforce` at runtime.
# mg-timeout: 180

POLICY=/mg/policies/vm_test.lua
T=/tmp/mgt

# ---- helpers (same in 10_kernel_enforce.sh) ------------------------------
# probe OP PATH [PROBE]: runs mg-probe in the background so its pid is known.
probe() {
	"${3:-$MG_PROBE}" "$1" "$2" >/tmp/mg-p.out 2>/tmp/mg-p.err &
	PROBE_PID=$!
	wait "$PROBE_PID"
	PROBE_OUT=$(cat /tmp/mg-p.out)
}
# A decision line for PATH by RULE with VERDICT at HOOK, from pid (open) or
# parent pid (exec: the probe forks the child that calls execve) PID.
has_event() {
	grep -F "\"path\":\"$1\"" "$MG_LOG" 2>/dev/null | grep -F "\"rule\":{\"name\":\"$2\"" |
		grep -F "\"verdict\":\"$3\"" | grep -F "\"hook\":\"$4\"" | grep -qE "\"pid\":$5[,}]"
}
wait_has_event() {
	_n=0
	while [ "$_n" -lt 50 ]; do
		has_event "$@" && return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	return 1
}
# decide WANT OP PATH [RULE VERDICT HOOK]: access result, then the event.
decide() {
	_want=$1 _op=$2 _path=$3
	probe "$_op" "$_path"
	if [ "$_want" = ok ]; then
		_exp=ok
	else
		_exp="errno=1 EPERM"
	fi
	if [ "$PROBE_OUT" = "$_exp" ]; then
		pass "$_op $_path -> $_want"
	else
		fail "$_op $_path -> $_want" "got '$PROBE_OUT' $(tail -n 1 /tmp/mg-p.err)"
	fi
	[ -n "${4:-}" ] || return 0
	if wait_has_event "$_path" "$4" "$5" "$6" "$PROBE_PID"; then
		pass "$_op $_path logged: rule $4, $5 at $6, pid $PROBE_PID"
	else
		fail "$_op $_path logged: rule $4, $5 at $6, pid $PROBE_PID" \
			"no such line; log has: $(grep -F "\"path\":\"$_path\"" "$MG_LOG" | tail -n 1 | cut -c1-600)"
	fi
}
no_event() {
	if grep -qF "\"path\":\"$1\"" "$MG_LOG"; then
		fail "no decision logged for $1" "$(grep -F "\"path\":\"$1\"" "$MG_LOG" | head -n 1 | cut -c1-300)"
	else
		pass "no decision logged for $1"
	fi
}
mkexe() {
	mkdir -p "$(dirname "$1")"
	printf '#!/bin/sh\nexit 0\n' >"$1"
	chmod 0755 "$1"
}
# ------------------------------------------------------------------------

[ -f "$POLICY" ] || { fail "test policy present" "$POLICY not in the initramfs"; exit 1; }
for f in $T/mg-xmrig $T/bin/MgMinerd-1 $T/x.MGCOIN $T/pool/worker.bin $T/mining/w $T/ok; do
	mkexe "$f"
done
mkdir -p $T/new

start_daemon --mode audit --policy "$POLICY" || exit 1
if "$MG_BIN" status --json 2>&1 | grep -q '"mode":"audit"'; then
	pass "status: running in audit mode"
else
	fail "status: running in audit mode" "$("$MG_BIN" status --json 2>&1 | cut -c1-200)"
fi

for spec in "$T/mg-xmrig t_name" "$T/bin/MgMinerd-1 t_prefix" "$T/x.MGCOIN t_suffix" \
	"$T/pool/worker.bin t_path" "$T/mining/w t_dir"; do
	set -- $spec
	decide ok open "$1" "$2" audit open
	decide ok exec "$1" "$2" audit open
done
n=$(grep -F '"would_block":true' "$MG_LOG" | grep -cF '"verdict":"audit"')
[ "$n" -ge 10 ] && pass "audit decisions carry would_block ($n)" ||
	fail "audit decisions carry would_block" "only $n of 10"
decide ok open $T/ok
no_event $T/ok

decide ok create $T/new/mg-xmrig
[ -e $T/new/mg-xmrig ] && pass "audit mode: the file was created" ||
	fail "audit mode: the file was created" "missing"
expect_event "create logged as audit" \
	'"name":"mg-xmrig".*"minerguard":\{"hook":"create","mode":"audit","verdict":"audit","would_block":true'

"$MG_BIN" mode enforce >/dev/null 2>&1 && pass "minerguard mode enforce" ||
	fail "minerguard mode enforce" "exit $?"
decide EPERM open $T/mining/w t_dir block open
stop_daemon && pass "daemon stops on SIGTERM"
# The pinned programs keep enforcing, and their mode can still be switched.
"$MG_BIN" mode audit >/dev/null 2>&1 && pass "mode audit on the pinned programs, no daemon" ||
	fail "mode audit on the pinned programs, no daemon" "exit $?"
decide ok open $T/mining/w
"$MG_BIN" unload >/dev/null 2>&1 && pass "unload" || fail "unload" "exit $?"
"$MG_BIN" mode audit >/dev/null 2>&1
rc=$?
[ "$rc" -eq 8 ] && pass "mode without a running instance -> 8" ||
	fail "mode without a running instance -> 8" "exit $rc"
