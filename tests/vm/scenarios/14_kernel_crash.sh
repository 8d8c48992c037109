# A daemon killed with SIGKILL leaves its pinned links: enforcement goes on,
# `status` says the logging process is gone, and a new daemon adopts the
# pins and brings them to its own policy; its clean exit keeps enforcing,
# `unload` removes everything.
# mg-timeout: 400

POLICY=/mg/policies/vm_test.lua
T=/tmp/mgt
mkdir -p $T
: >$T/mg-xmrig
: >$T/mg-v9

access() { # WANT PATH CHECK
	_got=$("$MG_PROBE" open "$2")
	case "$1:$_got" in ok:ok | EPERM:errno=1\ EPERM) pass "$3: open $2 -> $1" ;;
	*) fail "$3: open $2 -> $1" "got $_got" ;; esac
}

start_daemon --mode enforce --policy "$POLICY" || exit 1
access EPERM $T/mg-xmrig "running"
kill -KILL "$MG_DAEMON_PID"
wait "$MG_DAEMON_PID" 2>/dev/null
MG_DAEMON_PID=
access EPERM $T/mg-xmrig "after SIGKILL (pinned links)"
if "$MG_BIN" status 2>&1 | grep -q 'exited: enforcing without logging'; then
	pass "status says the daemon is gone"
else
	fail "status says the daemon is gone" "$("$MG_BIN" status 2>&1 | head -n 2 | tr '\n' ' ')"
fi
"$MG_BIN" status --json 2>/dev/null | grep -q '"daemon_alive":false' &&
	pass "status --json daemon_alive false" || fail "status --json daemon_alive false" "not in output"

mkdir -p /tmp/mg-p2
printf 'rule { name = "r9", action = "block", hooks = { "open" }, names = { "mg-v9" } }\n' >/tmp/mg-p2/p.lua
start_daemon --mode enforce --policy /tmp/mg-p2 || exit 1
# `status` already answered from the stale pins: wait for our daemon's own.
n=0
until "$MG_BIN" status --json 2>/dev/null | grep -q "\"daemon_alive\":true,.*\"pid\":$MG_DAEMON_PID,"; do
	n=$((n + 1))
	[ "$n" -lt 300 ] || { fail "new daemon takes over" "status: $("$MG_BIN" status 2>&1 | head -n 2)"; break; }
	sleep 0.2
done
grep -q "adopting the programs and maps pinned by an earlier instance" "$MG_DAEMON_ERR" && pass "new daemon reports the takeover" ||
	fail "new daemon reports the takeover" "$(head -n 2 "$MG_DAEMON_ERR")"
access EPERM $T/mg-v9 "new daemon"
access ok $T/mg-xmrig "new daemon replaced the stale programs"
stop_daemon && pass "new daemon stops"
access EPERM $T/mg-v9 "after clean exit (still pinned)"
"$MG_BIN" unload >/dev/null 2>&1 && pass "unload" || fail "unload" "non-zero exit"
[ -e /sys/fs/bpf/minerguard ] && fail "pins removed" "$(ls /sys/fs/bpf/minerguard)" || pass "pins removed"
access ok $T/mg-v9 "after unload"
