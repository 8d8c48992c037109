# Logging never decides: with the daemon stopped (SIGSTOP) the ring buffer
# fills up; every access is still refused, the lost decisions are counted
# in events_dropped, and logging resumes after SIGCONT.
# mg-timeout: 300

POLICY=/mg/policies/vm_test.lua
T=/tmp/mgt
mkdir -p $T
: >$T/mg-xmrig
# > 8 MiB / one record: records are as long as their paths (~160 bytes
# here, 8 MiB hold ~52,000 of them)
N=60000

# one line per decision (no folding of repeats) so lines can be counted
printf 'dedup_window_ms = 0\n' >/tmp/mg-nofold.conf
start_daemon --config /tmp/mg-nofold.conf --mode enforce --policy "$POLICY" || exit 1
kill -STOP "$MG_DAEMON_PID"
out=$("$MG_PROBE" loop-open $T/mg-xmrig $N 2>/dev/null)
[ "$out" = "ok=0 fail=$N" ] && pass "all $N opens refused while nobody reads events" ||
	fail "all $N opens refused while nobody reads events" "got $out"
dropped=$("$MG_BIN" status --json 2>/dev/null | sed -n 's/.*"events_dropped":\([0-9]*\).*/\1/p')
if [ -n "$dropped" ] && [ "$dropped" -gt 0 ] && [ "$dropped" -lt "$N" ]; then
	pass "events_dropped counts the lost decisions ($dropped of $N)"
else
	fail "events_dropped counts the lost decisions" "events_dropped=$dropped"
fi
blocked=$("$MG_BIN" status --json 2>/dev/null | sed -n 's/.*"open":{"seen":[0-9]*,"audit":[0-9]*,"block":\([0-9]*\).*/\1/p')
[ "${blocked:-0}" -ge "$N" ] && pass "block counter counts all $N ($blocked)" ||
	fail "block counter counts all $N" "block=$blocked"
kill -CONT "$MG_DAEMON_PID"
# what the buffer held is logged, then new decisions again
wait_event '"path":"/tmp/mgt/mg-xmrig"' 20 && pass "buffered decisions logged after SIGCONT" ||
	fail "buffered decisions logged after SIGCONT" "log empty"
expect_access EPERM open $T/mg-xmrig
# the daemon works through ~50,000 records: wait until the count settles
logged=-1
for _i in $(seq 120); do
	_now=$(grep -F '"path":"/tmp/mgt/mg-xmrig"' "$MG_LOG" | grep -c '"kind":"alert"')
	[ "$_now" -eq "$logged" ] && break
	logged=$_now
	sleep 2
done
[ $((logged + dropped)) -eq $((N + 1)) ] && pass "logged + dropped = decisions ($logged + $dropped)" ||
	fail "logged + dropped = decisions" "$logged + $dropped != $((N + 1))"
expect_event "events-dropped record logged" '"action":"events-dropped".*"count":[1-9]'
stop_daemon
