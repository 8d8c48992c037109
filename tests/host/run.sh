#!/bin/sh
# Host test: what minerguard does on a kernel that refuses BPF LSM
# programs (this host, CI): refuse cleanly with exit 3 and a one-line
# message naming lsm=, and reject bad command lines with one line.
#
# Usage: tests/host/run.sh BINARY
set -u

bin=${1:?usage: $0 BINARY}
if [ ! -x "$bin" ]; then
	echo "FAIL host: $bin is not an executable"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

pass() { echo "PASS host: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL host: $1: $2"; failed=$((failed + 1)); }

# Runs BINARY ARGS with a timeout; sets rc, err (stderr), err_lines.
invoke() {
	timeout 30 "$bin" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# One line for our own PASS/FAIL output, whatever the binary printed.
	err=$(tr '\n' '|' <"$tmp/err" | sed 's/|$//')
	err_lines=$(wc -l <"$tmp/err")
	# A message without a trailing newline still counts as one line.
	[ -s "$tmp/err" ] && [ "$err_lines" -eq 0 ] && err_lines=1
}

# CHECK WANT_RC: rc must be WANT_RC ("nonzero" for any failure) and
# stderr exactly one non-empty line.
expect_one_line() {
	check=$1 want=$2
	if [ "$rc" -eq 124 ]; then
		fail "$check" "still running after 30s"
		return
	fi
	case "$want" in
	nonzero) [ "$rc" -ne 0 ] || { fail "$check" "exit 0"; return; } ;;
	*) [ "$rc" -eq "$want" ] || { fail "$check" "exit $rc, want $want (stderr: $err)"; return; } ;;
	esac
	if [ "$err_lines" -ne 1 ] || [ -z "$err" ]; then
		fail "$check" "stderr has $err_lines lines, want 1: $err"
		return
	fi
	pass "$check"
}

pins=/sys/fs/bpf/minerguard
pins_before=no
[ -e "$pins" ] && pins_before=yes

if [ "$(id -u)" -eq 0 ]; then
	invoke run --log "$tmp/events.json"
	expect_one_line "run refused: exit 3 (MG_EXIT_NO_BPF_LSM), one line" 3
	case "$err" in
	*lsm=*) pass "run refusal names lsm=" ;;
	*) fail "run refusal names lsm=" "message: $err" ;;
	esac
	if [ "$pins_before" = no ] && [ -e "$pins" ]; then
		fail "refused run leaves no pins" "$pins exists"
		rm -rf "$pins"
	else
		pass "refused run leaves no pins"
	fi
else
	# kcheck tests privileges first, so an unprivileged run stops there.
	invoke run --log "$tmp/events.json"
	expect_one_line "unprivileged run refused: exit 4 (MG_EXIT_PRIVILEGE), one line" 4
	echo "NOTE host: not root; the exit-3 (BPF LSM refused) check needs root"
fi

invoke --bogus-flag
expect_one_line "unknown top-level flag: exit 2, one line" 2
for cmd in run check match status; do
	invoke "$cmd" --bogus-flag
	expect_one_line "unknown flag for $cmd: exit 2, one line" 2
done

missing=/nonexistent/minerguard-missing-policy.lua
invoke check --policy "$missing"
expect_one_line "check with missing policy: non-zero, one line" nonzero
invoke match --policy "$missing" /tmp/x
expect_one_line "match with missing policy: non-zero, one line" nonzero
invoke run --policy "$missing" --log "$tmp/events.json"
expect_one_line "run with missing policy: non-zero, one line" nonzero

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
