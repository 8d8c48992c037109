# Helpers for VM scenarios (busybox ash). /init sources this before each
# scenario, so scenarios just call the functions. Every check prints one
# line, "PASS <scenario>: <check>" or "FAIL <scenario>: <check>: <why>",
# and is appended to $MG_RESULTS, which /init counts.
#
#   pass CHECK
#   fail CHECK WHY
#   skip CHECK WHY            a door this backend cannot close: "SKIP ..." line,
#                             counted apart in the summary
#   MG_EXPECT_BACKEND         lsm where bpf is an active LSM, else fmodret
#   expect_access EXPECTED OP PATH [ARGS...]   EXPECTED: ok | EPERM | ENOENT ...
#   start_daemon ARGS...      minerguard run ARGS --log $MG_LOG, waits until
#                             status names this daemon's pid as alive
#   stop_daemon               SIGTERM, waits, FAIL if it does not exit 0;
#                             returns 1 (no FAIL line) if none is running.
#                             Enforcement stays pinned: `unload` removes it
#   wait_event PATTERN [SECS] returns 0 once a log line matches grep -E PATTERN
#   expect_event CHECK PATTERN [SECS]   wait_event + pass/fail
#   event_count PATTERN       prints how many log lines match
#   load_module NAME          modprobe (or insmod) a module of the VM kernel

[ -n "${MG_LIB_LOADED:-}" ] && return 0
MG_LIB_LOADED=1

: "${MG_SCENARIO:=${0##*/}}"
: "${MG_RESULTS:=/run/mg-results}"
: "${MG_BIN:=/usr/bin/minerguard}"
: "${MG_PROBE:=/usr/bin/mg-probe}"
: "${MG_POLICY_DIR:=/usr/share/minerguard/policies}"
: "${MG_LUA_DIR:=/usr/share/minerguard/lua}"
: "${MG_LOG:=/tmp/mg-events.json}"
: "${MG_DAEMON_ERR:=/tmp/mg-daemon.err}"
: "${MG_START_TIMEOUT:=150}"
MG_DAEMON_PID=

# What `run --backend auto` must choose on this boot.
if grep -qw bpf /sys/kernel/security/lsm 2>/dev/null; then
	MG_EXPECT_BACKEND=lsm
else
	MG_EXPECT_BACKEND=fmodret
fi

# One line, whatever the caller passed.
_mg_line() { printf '%s' "$*" | tr '\n\r' '  '; }

pass() {
	_l="PASS $MG_SCENARIO: $(_mg_line "$1")"
	echo "$_l"
	echo "$_l" >>"$MG_RESULTS"
}

fail() {
	_l="FAIL $MG_SCENARIO: $(_mg_line "$1"): $(_mg_line "${2:-failed}")"
	echo "$_l"
	echo "$_l" >>"$MG_RESULTS"
	return 1
}

# Seconds since boot with centiseconds, for timeouts without `date +%N`.
skip() {
	_l="SKIP $MG_SCENARIO: $(_mg_line "$1"): $(_mg_line "${2:-skipped}")"
	echo "$_l"
	echo "$_l" >>"$MG_RESULTS"
}

_mg_now_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

expect_access() {
	_want=$1 _op=$2 _path=$3
	shift 3
	_check="$_op $_path -> $_want"
	_got=$("$MG_PROBE" "$_op" "$_path" "$@" 2>/tmp/mg-probe.err)
	_rc=$?
	case "$_op" in
	loop-*)
		# "ok=X fail=Y"; the last errno is on stderr.
		if [ "$_want" = ok ]; then
			[ "$_rc" -eq 0 ] && { pass "$_check"; return 0; }
		else
			case "$_got" in ok=0\ *) grep -q " $_want\$" /tmp/mg-probe.err && {
				pass "$_check"; return 0; } ;;
			esac
		fi
		fail "$_check" "got $_got $(tail -n 1 /tmp/mg-probe.err)"
		return 1 ;;
	esac
	set -- $_got
	if [ "$_want" = ok ]; then
		[ "$_rc" -eq 0 ] && [ "${1:-}" = ok ] && { pass "$_check"; return 0; }
	else
		[ "$_rc" -eq 1 ] && [ "${2:-}" = "$_want" ] && { pass "$_check"; return 0; }
	fi
	[ -n "$_got" ] || _got="nothing (rc=$_rc): $(tail -n 1 /tmp/mg-probe.err)"
	fail "$_check" "got $_got"
}

start_daemon() {
	if [ ! -x "$MG_BIN" ]; then
		fail "start_daemon" "$MG_BIN not in the initramfs"
		return 1
	fi
	: >"$MG_LOG"
	"$MG_BIN" run "$@" --log "$MG_LOG" </dev/null >"$MG_DAEMON_ERR" 2>&1 &
	MG_DAEMON_PID=$!
	_deadline=$(( $(_mg_now_cs) + MG_START_TIMEOUT * 100 ))
	while [ "$(_mg_now_cs)" -lt "$_deadline" ]; do
		if ! kill -0 "$MG_DAEMON_PID" 2>/dev/null; then
			wait "$MG_DAEMON_PID"
			_rc=$?
			MG_DAEMON_PID=
			fail "start_daemon${*:+ $*}" "exited with $_rc: $(tail -n 1 "$MG_DAEMON_ERR")"
			return 1
		fi
		# Pins outlive a daemon: wait for this one's own status, not for
		# programs an earlier instance left attached.
		"$MG_BIN" status --json 2>/dev/null |
			grep -q "\"daemon_alive\":true,\"daemon\":{\"pid\":$MG_DAEMON_PID," && return 0
		sleep 0.2
	done
	fail "start_daemon${*:+ $*}" "status not ready after ${MG_START_TIMEOUT}s: $(tail -n 1 "$MG_DAEMON_ERR")"
	kill -KILL "$MG_DAEMON_PID" 2>/dev/null
	wait "$MG_DAEMON_PID" 2>/dev/null
	MG_DAEMON_PID=
	return 1
}

stop_daemon() {
	# Nothing started (start_daemon already reported why): not a success.
	[ -n "$MG_DAEMON_PID" ] || return 1
	kill -TERM "$MG_DAEMON_PID" 2>/dev/null
	_i=0
	while kill -0 "$MG_DAEMON_PID" 2>/dev/null && [ "$_i" -lt 100 ]; do
		# A zombie still answers kill -0; stop when it is one.
		grep -q '^State:.*Z' "/proc/$MG_DAEMON_PID/status" 2>/dev/null && break
		sleep 0.1
		_i=$((_i + 1))
	done
	if [ "$_i" -ge 100 ]; then
		kill -KILL "$MG_DAEMON_PID" 2>/dev/null
		wait "$MG_DAEMON_PID" 2>/dev/null
		MG_DAEMON_PID=
		fail "stop_daemon" "no exit 10s after SIGTERM"
		return 1
	fi
	wait "$MG_DAEMON_PID"
	_rc=$?
	MG_DAEMON_PID=
	[ "$_rc" -eq 0 ] && return 0
	fail "stop_daemon" "exit status $_rc after SIGTERM: $(tail -n 1 "$MG_DAEMON_ERR")"
}

# loop_start NAME OP PATH: mg-probe OP PATH in batches of 20 until
# loop_stop NAME; the "ok=X fail=Y" lines go to /tmp/loop-NAME.
loop_start() {
	rm -f /tmp/stop-$1
	: >/tmp/loop-$1
	(while [ ! -e /tmp/stop-$1 ]; do "$MG_PROBE" "$2" "$3" 20 >>/tmp/loop-$1 2>/dev/null; done) &
	eval "LOOP_$1=$!"
}
loop_stop() {
	touch /tmp/stop-$1
	eval "wait \$LOOP_$1"
}

wait_event() {
	_deadline=$(( $(_mg_now_cs) + ${2:-10} * 100 ))
	while :; do
		grep -Eq -- "$1" "$MG_LOG" 2>/dev/null && return 0
		[ "$(_mg_now_cs)" -lt "$_deadline" ] || return 1
		sleep 0.1
	done
}

expect_event() {
	if wait_event "$2" "${3:-10}"; then
		pass "$1"
	else
		fail "$1" "no event matching /$2/ in ${3:-10}s ($(wc -l <"$MG_LOG" 2>/dev/null || echo 0) lines logged)"
	fi
}

event_count() {
	if [ -f "$MG_LOG" ]; then grep -Ec -- "$1" "$MG_LOG"; else echo 0; fi
}

load_module() {
	modprobe "$1" 2>/dev/null && return 0
	_ko=$(find /lib/modules -name "$1.ko" | head -n 1)
	[ -n "$_ko" ] && insmod "$_ko"
}
