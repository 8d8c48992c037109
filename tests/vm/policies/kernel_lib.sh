# Helpers shared by 10_kernel_enforce.sh and 11_kernel_audit.sh (sourced).
POLICY=/mg/policies/vm_test.lua
T=/tmp/mgt

# ---- helpers --------------------------------------------------------------
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
