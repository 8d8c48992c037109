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
for cmd in run check match scan status; do
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

# scan: exit 2 for a bad command line, 1 naming a missing file, 0 clean,
# 9 with findings.
invoke scan
expect_one_line "scan without PATH: exit 2, one line" 2
invoke scan --max-size lots /tmp
expect_one_line "scan --max-size lots: exit 2, one line" 2
mkdir -p "$tmp/scan/clean" "$tmp/scan/dirty"
echo hello >"$tmp/scan/clean/a.txt"
invoke scan "$tmp/scan/clean/missing"
case "$rc:$err" in
1:*"$tmp/scan/clean/missing: No such file"*) pass "scan of a missing file: exit 1 naming it" ;;
*) fail "scan of a missing file: exit 1 naming it" "exit $rc: $err" ;;
esac
invoke scan "$tmp/scan/clean"
[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && pass "scan of a clean tree: exit 0, no output" ||
	fail "scan of a clean tree: exit 0, no output" "exit $rc: $(head -c 200 "$tmp/out")"
cp /bin/true "$tmp/scan/dirty/xmrig"
mkfifo "$tmp/scan/dirty/fifo"
ln -s /etc/passwd "$tmp/scan/dirty/link"
invoke scan --json "$tmp/scan/dirty"
if [ "$rc" -eq 9 ] && grep -q '"rule":"xmrig".*"signature":{"kind":"name","name":"xmrig"}.*"sha256":"[0-9a-f]\{64\}"' "$tmp/out" &&
	[ "$(wc -l <"$tmp/out")" -eq 1 ]; then
	pass "scan --json finds a miner by name: exit 9, one JSON line (FIFO and symlink skipped)"
else
	fail "scan --json finds a miner by name" "exit $rc: $(head -c 300 "$tmp/out") $err"
fi

# ---- operations (helper OPS) ---------------------------------------------
# A config error stops `run` before anything is loaded, naming file:line.
printf 'mode = enforce\nrate_limit = lots\n' >"$tmp/bad.conf"
invoke run --config "$tmp/bad.conf"
expect_one_line "run --config with a bad value: exit 2, one line" 2
case "$err" in
*"$tmp/bad.conf:2: rate_limit"*) pass "config error names file:line" ;;
*) fail "config error names file:line" "message: $err" ;;
esac
invoke run --config "$tmp/missing.conf"
expect_one_line "run --config of a missing file: exit 2, one line" 2
invoke reload extra
expect_one_line "reload with an argument: exit 2, one line" 2

# Man pages render without warnings.
repo=$(cd "$(dirname "$0")/../.." && pwd)
for page in "$repo/man/minerguard.8" "$repo/man/minerguard-policy.5"; do
	if ! command -v man >/dev/null 2>&1; then
		fail "man page ${page##*/}" "man not installed (make deps)"
		continue
	fi
	w=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	if [ -z "$w" ]; then
		pass "man --warnings -l ${page##*/}: no warnings"
	else
		fail "man --warnings -l ${page##*/}" "$(echo "$w" | head -n 3 | tr '\n' '|')"
	fi
done

# `make install` into a DESTDIR, then `systemd-analyze verify` of the
# installed unit must print nothing. --root makes verify look for the
# ExecStart binary inside the DESTDIR; the root also gets this host's own
# units (sysinit.target etc., which the unit depends on by default) and
# MANPATH points `man:` Documentation lookups at the installed pages.
dest=$tmp/dest
if make -s -C "$repo" BUILD="$(dirname "$bin")" DESTDIR="$dest" install >"$tmp/install.out" 2>&1; then
	missing=
	for f in usr/sbin/minerguard etc/minerguard/minerguard.conf etc/minerguard/policies \
		usr/share/minerguard/lua/minerguard.lua lib/systemd/system/minerguard.service \
		usr/share/man/man8/minerguard.8 usr/share/man/man5/minerguard-policy.5; do
		[ -e "$dest/$f" ] || missing="$missing $f"
	done
	[ -z "$missing" ] && pass "make install DESTDIR: every file in place" ||
		fail "make install DESTDIR" "missing:$missing"
	# the installed default config parses: `run` gets past it to the kernel
	# check (exit 3 or 4 here), a config error would be exit 2
	invoke run --config "$dest/etc/minerguard/minerguard.conf" --log "$tmp/events.json"
	case "$rc" in
	3 | 4) pass "installed default config is accepted (run stops at the kernel check: $rc)" ;;
	*) fail "installed default config is accepted" "exit $rc: $err" ;;
	esac
	invoke check --policy "$dest/etc/minerguard/policies" --lua-dir "$dest/usr/share/minerguard/lua"
	[ "$rc" -eq 0 ] && pass "installed policies check with the installed Lua library" ||
		fail "installed policies check" "exit $rc: $err"
	if command -v systemd-analyze >/dev/null 2>&1; then
		root=$tmp/root
		cp -a "$dest" "$root"
		mkdir -p "$root/usr/lib/systemd/system"
		for u in /lib/systemd/system/* /usr/lib/systemd/system/*; do
			[ -e "$u" ] || continue
			[ -e "$root/lib/systemd/system/${u##*/}" ] || [ -e "$root/usr/lib/systemd/system/${u##*/}" ] ||
				cp -a "$u" "$root/usr/lib/systemd/system/" 2>/dev/null
		done
		out=$(MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" \
			"$root/lib/systemd/system/minerguard.service" 2>&1)
		vrc=$?
		if [ "$vrc" -eq 0 ] && [ -z "$out" ]; then
			pass "systemd-analyze verify of the installed unit is clean"
		else
			fail "systemd-analyze verify of the installed unit" "exit $vrc: $(echo "$out" | head -n 4 | tr '\n' '|')"
		fi
	else
		fail "systemd-analyze verify" "systemd-analyze not installed (make deps)"
	fi
else
	fail "make install DESTDIR" "$(tail -n 3 "$tmp/install.out" | tr '\n' '|')"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
