# Operations: settings from --config (flags override), decision records in
# ECS (fields checked one by one), folding of repeated decisions, the
# rate limit (log only: every access is still refused), per-rule counters
# in `status --json`, the Prometheus file, a config error naming its line.
# mg-timeout: 700

POLICY=/mg/policies/vm_test.lua
T=/tmp/mgt
C=/tmp/mg-ops.conf
PROM=/tmp/prom/minerguard.prom
mkdir -p $T /tmp/prom
printf '#!/bin/sh\nexit 0\n' >$T/mg-xmrig
chmod 0755 $T/mg-xmrig
: >$T/mg-ethminer

has() { # CHECK FIXED-STRING LINE
	case "$3" in *"$2"*) pass "$1" ;; *) fail "$1" "no $2 in: $(echo "$3" | cut -c1-600)" ;; esac
}

# ---- a config error names file and line, before anything is loaded -----
printf 'mode = audit\nrate_limit = fast\n' >/tmp/bad.conf
"$MG_BIN" run --config /tmp/bad.conf >/tmp/bad.out 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q '^minerguard run: /tmp/bad.conf:2: rate_limit' /tmp/bad.out &&
	pass "config error: exit 2 naming /tmp/bad.conf:2" || fail "config error names the line" "rc=$rc $(cat /tmp/bad.out)"
"$MG_BIN" run --config /tmp/missing.conf >/tmp/bad.out 2>&1
rc=$?
[ "$rc" -eq 2 ] && pass "--config of a missing file: exit 2" || fail "--config of a missing file" "rc=$rc"

# ---- folding ------------------------------------------------------------
cat >$C <<CONF
# test settings
mode = audit
policy = $POLICY
dedup_window_ms = 1500
metrics_file = $PROM
metrics_interval = 1
CONF
# --mode on the command line overrides the file's audit
start_daemon --config $C --mode enforce || exit 1
"$MG_BIN" status --json | grep -q '"mode":"enforce"' && pass "flag overrides config mode" ||
	fail "flag overrides config mode" "$("$MG_BIN" status --json | cut -c1-200)"
out=$("$MG_PROBE" loop-open $T/mg-xmrig 10 2>/dev/null)
[ "$out" = "ok=0 fail=10" ] && pass "10 opens refused" || fail "10 opens refused" "$out"
expect_event "folded summary of 9 repeats" '"path":"/tmp/mgt/mg-xmrig".*"folded":9' 10
n=$(grep -F '"path":"/tmp/mgt/mg-xmrig"' "$MG_LOG" | grep -c '"kind":"alert"')
[ "$n" -eq 2 ] && pass "10 identical decisions -> 2 lines" || fail "10 identical decisions -> 2 lines" "$n lines"
line=$(grep -F '"folded":9' "$MG_LOG" | head -n 1)
has "folded line has event.start" '"start":"' "$line"

# ---- ECS fields of one decision ----------------------------------------
"$MG_PROBE" exec $T/mg-xmrig arg1 arg2 >/dev/null 2>&1
wait_event '"path":"/tmp/mgt/mg-xmrig".*"hook":"open"' 5
# a process that stays alive, so its command line is still in /proc
tail -f $T/mg-ethminer >/dev/null 2>&1 &
tailpid=$!
wait_event '"path":"/tmp/mgt/mg-ethminer"' 10
kill $tailpid
line=$(grep -F '"path":"/tmp/mgt/mg-ethminer"' "$MG_LOG" | head -n 1)
for f in '"@timestamp":"20' '"event":{"kind":"alert","category":["file","malware"]' \
	'"type":["access","allowed"]' '"action":"audited"' '"outcome":"success"' \
	'"rule":{"name":"t_audit","id":"t_audit","category":' \
	'"file":{"path":"/tmp/mgt/mg-ethminer","name":"mg-ethminer","directory":"/tmp/mgt"' \
	'"process":{"pid":' '"name":"tail","executable":"/bin/busybox"' '"args":["tail","-f","/tmp/mgt/mg-ethminer"]' \
	'"parent":{"pid":' '"user":{"id":0}' '"host":{"name":"mg-vm"}' \
	'"minerguard":{"hook":"open","mode":"enforce","verdict":"audit"' '"signature":{"kind":"name","value":"mg-ethminer"}' \
	'"best_effort":["process.args","process.parent.executable","minerguard.ancestry"' \
	'"ancestry":[{"pid":'; do
	has "ECS field $f" "$f" "$line"
done

# ---- per-rule counters and the Prometheus file --------------------------
sleep 2
"$MG_BIN" status --json >/tmp/st.json 2>&1
grep -q '{"name":"t_name","audited":0,"blocked":1[0-9]}' /tmp/st.json &&
	pass "status --json: t_name blocked counted" || fail "status --json per-rule counts" "$(grep -o '"rules":\[[^]]*' /tmp/st.json | cut -c1-400)"
grep -q '{"name":"t_audit","audited":1,"blocked":0}' /tmp/st.json &&
	pass "status --json: t_audit audited 1" || fail "status --json t_audit" "$(grep -o '"rules":\[[^]]*' /tmp/st.json | cut -c1-400)"
grep -q '"uptime_s":[0-9]' /tmp/st.json && grep -q '"sha256":"[0-9a-f]\{64\}"' /tmp/st.json &&
	grep -q '"events_dropped":0' /tmp/st.json && pass "status --json: uptime, policy hash, drops" ||
	fail "status --json: uptime, policy hash, drops" "$(cut -c1-400 /tmp/st.json)"
[ -f $PROM ] && grep -q '^minerguard_rule_decisions_total{rule="t_name",verdict="block"} 1[0-9]$' $PROM &&
	pass "metrics file has per-rule counters" || fail "metrics file" "$(head -c 600 $PROM 2>&1)"
grep -q '^minerguard_hook_decisions_total{hook="open",result="block"} [1-9]' $PROM &&
	pass "metrics file has kernel counters" || fail "metrics file kernel counters" "$(grep hook_decisions $PROM | head -n 3)"
ls /tmp/prom | grep -q tmp && fail "metrics written atomically" "$(ls /tmp/prom)" || pass "metrics: no temporary left"
stop_daemon
"$MG_BIN" unload >/dev/null 2>&1

# ---- rate limit: the log is limited, enforcement is not -------------------
printf 'policy = %s\ndedup_window_ms = 0\nrate_limit = 5\n' "$POLICY" >$C
start_daemon --config $C || exit 1
out=$("$MG_PROBE" loop-open $T/mg-xmrig 200 2>/dev/null)
[ "$out" = "ok=0 fail=200" ] && pass "rate limit: all 200 opens refused" || fail "rate limit: all refused" "$out"
expect_event "events-suppressed record" '"action":"events-suppressed".*"count":[1-9]' 10
sleep 1.5
n=$(grep -F '"path":"/tmp/mgt/mg-xmrig"' "$MG_LOG" | grep -c '"kind":"alert"')
[ "$n" -ge 1 ] && [ "$n" -le 15 ] && pass "rate limit: $n of 200 lines logged" || fail "rate limit lines" "$n lines"
s=$("$MG_BIN" status --json | sed -n 's/.*"events_suppressed":\([0-9]*\).*/\1/p')
[ "$((s + n))" -eq 200 ] && pass "suppressed + logged = 200 ($s + $n)" || fail "suppressed + logged = 200" "$s + $n"
stop_daemon
"$MG_BIN" unload >/dev/null 2>&1
