# Kernel vs `minerguard match`: the same 12,000 generated paths (hits and
# near misses of every signature kind, exceptions, odd names) are decided by
# the BPF programs (errno of open()) and by `match`; every verdict must agree.
# mg-timeout: 480
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

# `minerguard scan` over the same tree judges names and paths as the kernel
# does: the files it reports are exactly those the kernel refused. Two
# rules are left out of the comparison because their answer is not the
# file's alone: an executable exception (the kernel excepts mg-probe; a
# scan has no executable) and an exec-only rule (the kernel was asked to
# open; a scan reports what any hook would refuse).
"$MG_BIN" scan --policy $P --json /tmp/d >/tmp/scan.json 2>/tmp/scan.err
rc=$?
[ "$rc" -eq 9 ] && pass "scan reports findings in the tree (exit 9)" ||
	fail "scan reports findings in the tree (exit 9)" "exit $rc: $(tail -n 2 /tmp/scan.err)"
grep -v '"rule":"diff-exe-excepted"' /tmp/scan.json | grep -v '"rule":"diff-exec-only"' |
	sed -n 's/^{"path":"\([^"]*\)".*/\1/p' | sort -u >/tmp/scan.paths
awk -F '\t' '$1 == "EPERM" { print $2 }' /tmp/kernel.txt | sort -u >/tmp/kernel.paths
only_scan=$(comm -23 /tmp/scan.paths /tmp/kernel.paths | wc -l)
only_kernel=$(comm -13 /tmp/scan.paths /tmp/kernel.paths | wc -l)
echo "scan vs kernel: $(wc -l </tmp/scan.paths) reported by scan, $(wc -l </tmp/kernel.paths) refused by the kernel"
[ "$only_scan" -eq 0 ] && [ "$only_kernel" -eq 0 ] && [ -s /tmp/kernel.paths ] &&
	pass "scan and the kernel agree on every file ($(wc -l </tmp/kernel.paths) refused)" ||
	fail "scan and the kernel agree on every file" \
		"$only_scan only in scan, $only_kernel only refused by the kernel: $(comm -3 /tmp/scan.paths /tmp/kernel.paths | head -n 3 | tr '\n' '|')"
