# Hot reload under load: while loops open and execute a blocked file and an
# allowed one, 100 reloads (`minerguard reload`, alternating two policies
# that both block it) happen; not one blocked access may succeed, not one
# allowed access may fail. A broken policy is rejected with file:line, the
# command exits 7 and the old policy stays; a reload that removes a rule
# makes its file reachable. Lifecycle records (reloaded, reload-rejected,
# mode-changed) are logged as JSON; SIGUSR1 reopens a rotated log.
# mg-timeout: 500

T=/tmp/mgt
P=/tmp/mg-storm
mkdir -p $T $P
for f in mg-blocked allowed mg-removed mg-x1 mg-x2; do
	printf '#!/bin/sh\nexit 0\n' >$T/$f
	chmod 0755 $T/$f
done

write_policy() { # VARIANT [without-removable]
	{
		echo 'rule { name = "r_keep", action = "block", hooks = { "open", "exec" }, names = { "mg-blocked" } }'
		[ "${2:-}" = without-removable ] ||
			echo 'rule { name = "r_removable", action = "block", hooks = { "open" }, names = { "mg-removed" } }'
		echo "rule { name = \"r_var$1\", action = \"block\", hooks = { \"open\" }, names = { \"mg-x$1\" } }"
	} >$P/p.lua.tmp
	mv $P/p.lua.tmp $P/p.lua
}

loop_totals() {
	awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); t[kv[1]] += kv[2] } }
		END { printf "%d %d\n", t["ok"], t["fail"] }' /tmp/loop-$1
}
version() { "$MG_BIN" status --json 2>/dev/null | sed -n 's/.*"policy":{"version":\([0-9]*\).*/\1/p'; }

write_policy 1
start_daemon --mode enforce --policy $P || exit 1
expect_access EPERM open $T/mg-blocked
expect_access ok open $T/allowed

loop_start bopen loop-open $T/mg-blocked
loop_start bexec loop-exec $T/mg-blocked
loop_start aopen loop-open $T/allowed
loop_start aexec loop-exec $T/allowed
sleep 1
bad=0 i=1
while [ "$i" -le 100 ]; do
	write_policy $((i % 2 + 1))
	"$MG_BIN" reload >/tmp/reload.out 2>&1 || { bad=$((bad + 1)); cat /tmp/reload.out; }
	i=$((i + 1))
done
[ "$bad" -eq 0 ] && pass "100 reloads under load, all ok" || fail "100 reloads under load" "$bad failed"
for l in bopen bexec aopen aexec; do
	loop_stop $l
	set -- $(loop_totals $l)
	case $l in
	b*) [ "$1" -eq 0 ] && [ "$2" -gt 0 ] && pass "reload storm: blocked $l: 0 of $2 succeeded" ||
		fail "reload storm: blocked $l never succeeds" "ok=$1 fail=$2" ;;
	a*) [ "$2" -eq 0 ] && [ "$1" -gt 0 ] && pass "reload storm: allowed $l: all $1 succeeded" ||
		fail "reload storm: allowed $l never refused" "ok=$1 fail=$2" ;;
	esac
done
v=$(version)
[ "$v" = 101 ] && pass "policy version 101 after 100 reloads" || fail "policy version 101" "version $v"
grep -q 'minerguard reload: ok: policy version 101' /tmp/reload.out && pass "reload prints the result" ||
	fail "reload prints the result" "$(cat /tmp/reload.out)"
n=$(grep -c '"action":"reloaded"' "$MG_LOG")
[ "$n" -eq 100 ] && pass "100 reloaded records logged" || fail "100 reloaded records logged" "$n"

# A broken policy: rejected, named by file:line, the old one stays.
echo 'rule { name = ' >$P/p.lua
"$MG_BIN" reload >/tmp/reload.out 2>&1
rc=$?
[ "$rc" -eq 7 ] && pass "bad reload: exit 7" || fail "bad reload: exit 7" "exit $rc: $(cat /tmp/reload.out)"
grep -q "rejected.*$P/p.lua:[0-9]" /tmp/reload.out && pass "bad reload names file:line" ||
	fail "bad reload names file:line" "$(cat /tmp/reload.out)"
[ "$(version)" = 101 ] && pass "bad reload keeps policy version 101" || fail "bad reload keeps version" "$(version)"
expect_access EPERM open $T/mg-blocked
expect_access EPERM open $T/mg-removed
expect_event "reload-rejected record with file:line" \
	"\"action\":\"reload-rejected\",\"outcome\":\"failure\"\\},\"error\":\\{\"message\":\"$P/p.lua:[0-9]"

# Removing a rule makes its file reachable.
write_policy 1 without-removable
"$MG_BIN" reload >/tmp/reload.out 2>&1 && pass "reload without r_removable" ||
	fail "reload without r_removable" "$(cat /tmp/reload.out)"
expect_access ok open $T/mg-removed
expect_access EPERM open $T/mg-blocked

# SIGHUP does the same as `reload`.
write_policy 2
kill -HUP "$MG_DAEMON_PID"
n=0
until [ "$(version)" = 103 ] || [ "$n" -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
[ "$(version)" = 103 ] && pass "SIGHUP reloads" || fail "SIGHUP reloads" "version $(version)"
expect_access EPERM open $T/mg-x2

# mode changes are logged
"$MG_BIN" mode audit >/dev/null 2>&1
expect_event "mode-changed record" '"action":"mode-changed".*"mode":"audit"'
"$MG_BIN" mode enforce >/dev/null 2>&1
expect_event "mode-changed back to enforce" '"action":"mode-changed".*"mode":"enforce"'

# logrotate: move the log away, SIGUSR1, the next line lands in a new file
mv "$MG_LOG" "$MG_LOG.1"
kill -USR1 "$MG_DAEMON_PID"
sleep 0.5
"$MG_PROBE" open $T/mg-x2 >/dev/null 2>&1
expect_event "SIGUSR1 reopens the log" '"path":"/tmp/mgt/mg-x2"'

stop_daemon && pass "daemon stops"
grep -q '"action":"stopped"' "$MG_LOG" && pass "stopped record logged" || fail "stopped record logged" "none"
"$MG_BIN" unload >/dev/null 2>&1
