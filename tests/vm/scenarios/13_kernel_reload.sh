# Policy reload (SIGHUP): the new policy is built in the idle generation and
# switched to at once; a broken policy leaves the running one in force;
# repeated reloads keep deciding by the latest policy.
# mg-timeout: 180

T=/tmp/mgt
P=/tmp/mg-reload-policy

write_policy() { # RULE NAME
	cat >$P/p.lua <<LUA
rule { name = "$1", category = "test", action = "block", hooks = { "open" }, names = { "$2" } }
LUA
}
generation() { "$MG_BIN" status --json 2>/dev/null | sed -n 's/.*"generation":\([0-9]*\).*/\1/p'; }
access() { # WANT PATH
	_got=$("$MG_PROBE" open "$2")
	case "$1:$_got" in ok:ok | EPERM:errno=1\ EPERM) pass "$3: open $2 -> $1" ;;
	*) fail "$3: open $2 -> $1" "got $_got" ;; esac
}
# hup: signal, then wait until the status file names a new policy load.
hup() {
	_gen=$(generation)
	_failed=$(grep -c "reload failed" "$MG_DAEMON_ERR")
	kill -HUP "$MG_DAEMON_PID"
	_n=0
	while [ "$_n" -lt 100 ]; do
		[ "$(generation)" != "$_gen" ] && return 0
		[ "$(grep -c "reload failed" "$MG_DAEMON_ERR")" != "$_failed" ] && return 1
		sleep 0.1
		_n=$((_n + 1))
	done
	return 1
}

mkdir -p $T $P
for f in mg-old mg-new mg-v1 mg-v2 mg-v3 mg-v4 mg-v5; do : >$T/$f; done
write_policy r_old mg-old
start_daemon --mode enforce --policy $P || exit 1
g0=$(generation)
access EPERM $T/mg-old "first policy"
access ok $T/mg-new "first policy"

write_policy r_new mg-new
if hup; then pass "SIGHUP switches generation ($g0 -> $(generation))"; else
	fail "SIGHUP switches generation" "still $(generation): $(tail -n 1 "$MG_DAEMON_ERR")"; fi
access ok $T/mg-old "after reload"
access EPERM $T/mg-new "after reload"
expect_event "decision names the new rule and generation" \
	"\"rule\":\\{\"name\":\"r_new\".*\"path\":\"$T/mg-new\".*\"generation\":$(generation)"
grep -q "minerguard: reloaded: 1 rules" "$MG_DAEMON_ERR" && pass "reload reported on stderr" ||
	fail "reload reported on stderr" "$(tail -n 1 "$MG_DAEMON_ERR")"

g1=$(generation)
echo 'rule { name = ' >$P/p.lua
if hup; then fail "broken policy is refused" "generation changed"; else
	pass "broken policy is refused"; fi
[ "$(generation)" = "$g1" ] && pass "generation unchanged after a failed reload" ||
	fail "generation unchanged after a failed reload" "$g1 -> $(generation)"
access EPERM $T/mg-new "after failed reload"

# Several reloads in a row: slots are reused, old maps released.
for v in 1 2 3 4 5; do
	write_policy "r_v$v" "mg-v$v"
	hup || fail "reload $v" "$(tail -n 1 "$MG_DAEMON_ERR")"
done
access EPERM $T/mg-v5 "after 5 reloads"
access ok $T/mg-v4 "after 5 reloads"
access ok $T/mg-new "after 5 reloads"
stop_daemon && pass "daemon stops on SIGTERM after reloads"
