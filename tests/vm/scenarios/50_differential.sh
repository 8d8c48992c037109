# Kernel vs `minerguard match`: the same 12,000 generated paths (hits and
# near misses of every signature kind, exceptions, odd names) are decided by
# the BPF programs (errno of open()) and by `match`; every verdict must agree.
# mg-timeout: 400
P=/mg/policies/diff
N=12000
busybox awk -v n=$N -v seed=1127 -f /mg/gen_paths.awk >/tmp/paths.txt
[ "$(wc -l </tmp/paths.txt)" -eq $N ] || fail "generate" "expected $N paths"
"$MG_PROBE" mkfiles /tmp/paths.txt 2>/tmp/mkfiles.err ||
	fail "create files" "$(head -n 3 /tmp/mkfiles.err)"

"$MG_BIN" match --policy $P --exe "$MG_PROBE" --hook open --json </tmp/paths.txt \
	>/tmp/match.json 2>/tmp/match.err || fail "match" "$(cat /tmp/match.err)"
start_daemon --mode enforce --policy $P || exit 1
"$MG_PROBE" open-list /tmp/paths.txt >/tmp/kernel.txt
stop_daemon

# expected verdict per line from match, observed from the kernel
awk -F '\t' 'NR == FNR { want[FNR] = ($0 ~ /"match":true/ && $0 ~ /"action":"block"/) ? "EPERM" : "ok"; next }
	{ n++; if ($1 == "EPERM") blocked++; if ($1 != want[FNR]) { bad++; if (bad <= 5) print "mismatch: kernel " $1 ", match " want[FNR] ": " $2 > "/tmp/mismatch.txt" } }
	END { printf "%d %d %d\n", n, blocked, bad }' /tmp/match.json /tmp/kernel.txt >/tmp/diff.txt
read total blocked bad </tmp/diff.txt
echo "differential: $total paths, $blocked refused by the kernel, $bad disagreements"
[ "$total" -eq $N ] && pass "kernel decided all $N paths" || fail "kernel decided all $N paths" "got $total"
[ "$blocked" -ge 1000 ] && [ "$blocked" -le $((N - 1000)) ] &&
	pass "both verdicts well represented ($blocked refused)" ||
	fail "both verdicts well represented" "$blocked refused of $total"
[ "$bad" -eq 0 ] && pass "kernel and match agree on every path" ||
	fail "kernel and match agree on every path" "$bad disagreements: $(cat /tmp/mismatch.txt)"
