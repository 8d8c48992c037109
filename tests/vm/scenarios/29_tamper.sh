# Tamper resistance (issue 12).
# Part 1, self-protection in the kernel (the default): host root with
# bpftool, `rm`/`mv` of the pins, and root in a new pid+mount namespace
# running bpftool or even the minerguard binary are refused with EPERM,
# each attempt is logged as a `tamper` event naming the process, and
# enforcement never changes. The administrator path (the installed binary,
# root, initial namespaces) still works.
# Part 2, the watchdog, with self-protection off (--no-self-protect): host
# root with bpftool points the generation at the empty slot, or deletes the
# active slot of an outer map. Either would make every hook allow. Within
# about a second the daemon logs a `tamper` event, puts its policy back and
# counts it; the miner stays refused.
# mg-timeout: 240

. /mg/policies/kernel_lib.sh
PIN=/sys/fs/bpf/minerguard
mkexe $T/mg-xmrig

if ! command -v bpftool >/dev/null 2>&1; then
	fail "bpftool in the VM" "not found"
	exit 1
fi

# refused CHECK CMD...: CMD fails with "Operation not permitted"
refused() {
	_c=$1
	shift
	if "$@" >/tmp/tp.out 2>&1; then
		fail "$_c: refused" "it succeeded: $(head -c 300 /tmp/tp.out)"
	elif grep -qi "not permitted\|EPERM" /tmp/tp.out; then
		pass "$_c: refused (EPERM)"
	else
		fail "$_c: refused with EPERM" "$(head -c 300 /tmp/tp.out)"
	fi
}

# ---- part 1: self-protection ---------------------------------------------
start_daemon --mode enforce --policy "$POLICY" || exit 1
grep -q 'self-protection on' "$MG_LOG" && pass "started with self-protection on" ||
	fail "started with self-protection on" "$(grep '"action":"started"' "$MG_LOG" | cut -c1-300)"
refused "host root: bpftool map update of the mode" \
	bpftool map update pinned $PIN/mg_state key 0 0 0 0 value 1 0 0 0
expect_event "tamper event names bpftool and the map" \
	'refused an fd for minerguard map id [0-9]+ to pid [0-9]+ \(bpftool.*"action":"tamper"'
refused "host root: bpftool map dump of the signatures" bpftool map dump pinned $PIN/mg_sigs_outer
# every pinned map, not just those two
nmaps=0 nrefused=0
for p in $PIN/*; do
	case "${p##*/}" in link_*) continue ;; esac
	nmaps=$((nmaps + 1))
	if ! bpftool map dump pinned "$p" >/tmp/tp.out 2>&1 && grep -qi "not permitted" /tmp/tp.out; then
		nrefused=$((nrefused + 1))
	fi
done
[ "$nmaps" -ge 5 ] && [ "$nrefused" -eq "$nmaps" ] &&
	pass "host root: every pinned map refused ($nrefused of $nmaps)" ||
	fail "host root: every pinned map refused" "$nrefused of $nmaps: $(ls $PIN | tr '\n' ' ')"
refused "host root: rm of a pin" rm -f $PIN/mg_state
[ -e $PIN/mg_state ] && pass "the pin is still there" || fail "the pin is still there" "gone"
expect_event "tamper event for the unlink" 'unlink of minerguard pin mg_state to pid.*"action":"tamper"'
refused "host root: mv of a pin" mv $PIN/mg_state $PIN/x
# the daemon's own fds name our program and link ids
prog_id=$(cat /proc/$MG_DAEMON_PID/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' | head -n 1)
link_id=$(cat /proc/$MG_DAEMON_PID/fdinfo/* 2>/dev/null | sed -n 's/^link_id:[[:space:]]*//p' | head -n 1)
if [ -n "$prog_id" ] && [ -n "$link_id" ]; then
	refused "host root: an fd for our program by id (what freplace needs)" bpftool prog dump xlated id "$prog_id"
	refused "host root: an fd for our link by id" bpftool link show id "$link_id"
	lpin=$(ls $PIN | grep '^link_' | head -n 1)
	refused "host root: bpftool link detach of the pinned $lpin" bpftool link detach pinned "$PIN/$lpin"
else
	fail "our program and link ids from the daemon's fdinfo" "prog '$prog_id' link '$link_id'"
fi
# root in a container-like pid+mount namespace, with the host's bpffs
refused "pid+mount namespace: bpftool map update" \
	unshare -p -m -f bpftool map update pinned $PIN/mg_state key 0 0 0 0 value 1 0 0 0
refused "pid+mount namespace: minerguard mode audit" unshare -p -m -f "$MG_BIN" mode audit
expect_event "the control channel logs the refused request and who asked" \
	"control request 'mode audit' from pid [0-9]+ \\(uid 0, [^)]*minerguard\\) refused: Operation not permitted: the caller is outside the initial.*\"action\":\"control-refused\""
# (unload there cannot even see the daemon's pid; the pins are what counts)
if unshare -p -m -f "$MG_BIN" unload >/tmp/tp.out 2>&1; then
	fail "pid+mount namespace: minerguard unload refused" "it succeeded"
elif [ -e $PIN/mg_state ] && kill -0 "$MG_DAEMON_PID" 2>/dev/null; then
	pass "pid+mount namespace: minerguard unload fails; pins and daemon stay"
else
	fail "pid+mount namespace: minerguard unload: pins and daemon stay" "$(cat /tmp/tp.out; ls $PIN 2>&1)"
fi
refused "pid+mount namespace: rm -rf of the pins" unshare -p -m -f rm -rf $PIN
"$MG_BIN" status --json 2>/dev/null | grep -q '"mode":"enforce"' && pass "mode still enforce" ||
	fail "mode still enforce" "$("$MG_BIN" status --json 2>&1 | cut -c1-200)"
decide EPERM open $T/mg-xmrig
n=$(grep -c '"action":"tamper"' "$MG_LOG")
[ "$n" -ge 8 ] && pass "every attempt logged ($n tamper events)" || fail "every attempt logged" "$n tamper events"
"$MG_BIN" status --json 2>/dev/null | grep -qE '"tamper_refused":[1-9]' && pass "kernel counter tamper_refused" ||
	fail "kernel counter tamper_refused" "$("$MG_BIN" status --json 2>&1 | grep -o '"tamper_refused":[0-9]*')"
# the administrator path: the installed binary as root in the initial namespaces
"$MG_BIN" mode audit >/tmp/tp.out 2>&1 && "$MG_BIN" mode enforce >>/tmp/tp.out 2>&1 &&
	pass "administrator: minerguard mode works" || fail "administrator: minerguard mode" "$(cat /tmp/tp.out)"
expect_event "the daemon logs the administrator's request with who asked" \
	"control request 'mode audit' from pid [0-9]+ \\(uid 0, /usr/bin/minerguard\\): mode audit.*\"action\":\"control\""
"$MG_BIN" unload >/tmp/tp.out 2>&1 && [ ! -e $PIN ] && pass "administrator: unload removes the pins" ||
	fail "administrator: unload" "$(cat /tmp/tp.out) $(ls $PIN 2>&1)"
MG_DAEMON_PID=

# ---- part 2: the watchdog (self-protection off) --------------------------
start_daemon --mode enforce --policy "$POLICY" --no-self-protect || exit 1
decide EPERM open $T/mg-xmrig

state_u32() { # IDX -> value of mg_state[IDX]
	bpftool map lookup pinned $PIN/mg_state key "$1" 0 0 0 2>/dev/null |
		grep -o '"value": [0-9]*' | grep -o '[0-9]*$'
}
tamper_events() { grep -c '"action":"tamper"' "$MG_LOG"; }

# ---- the generation flipped to the idle (empty or stale) slot -----------
gen=$(state_u32 1)
other=$((1 - ${gen:-0}))
before=$(tamper_events)
bpftool map update pinned $PIN/mg_state key 1 0 0 0 value $other 0 0 0 2>/tmp/bt.err &&
	pass "bpftool flipped the generation $gen -> $other" || fail "bpftool flip" "$(cat /tmp/bt.err)"
n=0
while [ "$(tamper_events)" -le "$before" ] && [ $n -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
[ "$(tamper_events)" -gt "$before" ] && pass "tamper event within $((n * 100)) ms" ||
	fail "tamper event after the generation flip" "none in 3 s; log: $(tail -n 2 "$MG_LOG" | cut -c1-300)"
expect_event "the tamper event names the generation" 'generation was set to.*"action":"tamper"'
[ "$(state_u32 1)" = "$gen" ] && pass "generation restored to $gen" ||
	fail "generation restored" "mg_state[1] is $(state_u32 1)"
decide EPERM open $T/mg-xmrig

# ---- the active slot of the signature map deleted ------------------------
before=$(tamper_events)
bpftool map delete pinned $PIN/mg_sigs_outer key "$gen" 0 0 0 2>/tmp/bt.err &&
	pass "bpftool deleted mg_sigs_outer[$gen]" || fail "bpftool delete slot" "$(cat /tmp/bt.err)"
n=0
while [ "$(tamper_events)" -le "$before" ] && [ $n -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
[ "$(tamper_events)" -gt "$before" ] && pass "tamper event for the deleted slot within $((n * 100)) ms" ||
	fail "tamper event after the slot deletion" "none in 3 s"
expect_event "the tamper event names the slot" 'mg_sigs_outer\[.*"action":"tamper"'
sleep 0.3
decide EPERM open $T/mg-xmrig

if "$MG_BIN" status --json >/tmp/mg-status.json 2>&1 &&
	grep -qE '"tamper_detected":[1-9]' /tmp/mg-status.json; then
	pass "status counts tamper_detected"
else
	fail "status counts tamper_detected" "$(grep -o '"tamper_detected":[0-9]*' /tmp/mg-status.json)"
fi
# ---- every pin removed, then the daemon killed -----------------------------
# The daemon pins its links again within a second, so the kill that follows
# does not end enforcement.
rm -f $PIN/link_* && pass "rm of every link pin (self-protection off)" || fail "rm of the link pins" "rm failed"
expect_event "tamper event: pins removed and pinned again" 'pinned again.*"action":"tamper"' 5
n=0
while [ "$(ls $PIN | grep -c '^link_')" -lt 3 ] && [ $n -lt 20 ]; do sleep 0.1; n=$((n + 1)); done
[ "$(ls $PIN | grep -c '^link_')" -ge 3 ] && pass "link pins are back ($(ls $PIN | grep -c '^link_'))" ||
	fail "link pins are back" "$(ls $PIN | tr '\n' ' ')"
kill -KILL "$MG_DAEMON_PID"
wait "$MG_DAEMON_PID" 2>/dev/null
sleep 0.5
decide EPERM open $T/mg-xmrig
"$MG_BIN" unload >/dev/null 2>&1
MG_DAEMON_PID=
