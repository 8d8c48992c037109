# Tamper watchdog (issue 12): host root with bpftool points the generation
# at the empty slot, or deletes the active slot of an outer map. Either
# would make every hook allow. Within about a second the daemon logs a
# `tamper` event, puts its policy back and counts it; the miner stays
# refused.
# mg-timeout: 180

. /mg/policies/kernel_lib.sh
PIN=/sys/fs/bpf/minerguard
mkexe $T/mg-xmrig

if ! command -v bpftool >/dev/null 2>&1; then
	fail "bpftool in the VM" "not found"
	exit 1
fi
start_daemon --mode enforce --policy "$POLICY" || exit 1
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
"$MG_BIN" unload >/dev/null 2>&1
MG_DAEMON_PID=
