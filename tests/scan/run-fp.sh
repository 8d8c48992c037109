#!/bin/bash
# Content rules without false positives, and with true positives: scans this
# machine's /usr /etc /opt /var/lib and the files of Debian's monero and
# librandomx0 packages (RandomX code that is not a miner) with the shipped
# policy and requires 0 findings; then scans fixtures built here (an ELF
# with XMRig's strings, a config, an installer, hidden in a tar.gz under an
# innocent name) and requires each to be found. Usage: tests/scan/run-fp.sh BINARY
# Environment: MG_SCAN_FP_ROOTS overrides the system directories scanned.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi
BIN=$(realpath -m "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/build/scan-fp
ROOTS=${MG_SCAN_FP_ROOTS:-/usr /etc /opt /var/lib}
passed=0
failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}
scan() { "$BIN" scan --policy "$ROOT/policies" --lua-dir "$ROOT/lua" --json "$@"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p "$OUT"

# --- 1. Debian's RandomX packages, unpacked (never installed) ---------------
fetch_debs() {
	local dl=$OUT/debs
	if [ -f "$dl/.unpacked" ]; then return 0; fi
	rm -rf "$dl" && mkdir -p "$dl/root"
	chmod 0777 "$dl" # apt drops to user _apt for the download
	if ! (cd "$dl" && apt-get download -q monero librandomx0 >&2); then
		# Empty package lists (fresh container): fetch them once and retry.
		if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
		$SUDO apt-get update -q >&2
		(cd "$dl" && apt-get download -q monero librandomx0 >&2)
	fi
	for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$dl/root"; done
	touch "$dl/.unpacked"
}
if fetch_debs; then
	pass "downloaded and unpacked $(ls "$OUT"/debs/*.deb | xargs -n1 basename | tr '\n' ' ')"
else
	fail "could not download monero and librandomx0"
fi
# The RandomX salt really is in them: the test below is not vacuous.
if grep -rqa 'RandomX' "$OUT/debs/root"; then
	pass "monero/librandomx0 carry RandomX constants"
else
	fail "no RandomX string in monero/librandomx0: wrong packages?"
fi

# --- 2. zero findings on innocent files --------------------------------------
t0=$(now)
rc=0
# shellcheck disable=SC2086 # ROOTS is a list
scan $ROOTS "$OUT/debs/root" >"$OUT/fp.json" 2>"$OUT/fp.err" || rc=$?
secs=$(elapsed "$t0")
summary=$(grep '^minerguard scan: .* files (' "$OUT/fp.err" | tail -n 1 || true)
echo "fp scan: $summary"
errors=$(grep -v '^minerguard scan: [0-9]* files' "$OUT/fp.err" | head -n 5 || true)
if [ -n "$errors" ]; then echo "fp scan errors (first 5):"; echo "$errors"; fi
if [ "$rc" -eq 9 ]; then
	fail "findings on innocent files ($secs s): $(wc -l <"$OUT/fp.json"), first ones:"
	head -n 20 "$OUT/fp.json"
elif [ -s "$OUT/fp.json" ]; then
	fail "exit $rc but output: $(head -n 3 "$OUT/fp.json")"
else
	pass "0 findings over $ROOTS and monero/librandomx0 in $secs s (exit $rc)"
fi

# --- 3. positive control ------------------------------------------------------
pos=$OUT/positive
rm -rf "$pos" && mkdir -p "$pos/pack/.cache" "$pos/tree"
gcc -O2 -o "$pos/tree/kworker-helper" "$ROOT/tests/scan/fixtures/xmrig_like.c"
cp "$ROOT/policies/fixtures/xmrig-config.json" "$pos/tree/settings.json"
cp "$ROOT/policies/fixtures/setup_miner.sh" "$pos/tree/init.sh"
cp "$ROOT/policies/fixtures/miner.service" "$pos/tree/update-helper.service"
cp "$ROOT/policies/fixtures/miner.cron" "$pos/tree/root.cron"
# The same three inside a tarball under an innocent name, plus a member
# whose name alone gives it away.
cp "$pos/tree/kworker-helper" "$pos/pack/.cache/syslogd"
cp "$pos/tree/settings.json" "$pos/pack/.cache/cfg.json"
cp "$pos/tree/init.sh" "$pos/pack/.cache/update.sh"
cp /bin/true "$pos/pack/kdevtmpfsi"
tar -C "$pos/pack" -czf "$pos/tree/libsystem-cache.dat" .
rc=0
scan "$pos/tree" >"$OUT/positive.json" 2>"$OUT/positive.err" || rc=$?
if [ "$rc" -eq 9 ]; then pass "positive control: exit 9"; else fail "positive control: exit $rc"; fi
expect_finding() { # path-suffix rule
	if grep -F "\"path\":\"$pos/tree/$1\"" "$OUT/positive.json" | grep -qF "\"rule\":\"$2\""; then
		pass "found $1 by $2"
	else
		fail "not found: $1 by $2"
	fi
}
expect_finding kworker-helper xmrig-binary-content
expect_finding settings.json xmrig-config-content
expect_finding init.sh miner-installer-script-content
expect_finding update-helper.service miner-autostart-content
expect_finding root.cron miner-autostart-content
expect_finding 'libsystem-cache.dat!.cache/syslogd' xmrig-binary-content
expect_finding 'libsystem-cache.dat!.cache/cfg.json' xmrig-config-content
expect_finding 'libsystem-cache.dat!.cache/update.sh' miner-installer-script-content
expect_finding 'libsystem-cache.dat!kdevtmpfsi' kinsing
if grep -q '"sha256":"[0-9a-f]\{64\}"' "$OUT/positive.json"; then
	pass "findings carry the file's sha256"
else
	fail "findings without sha256"
fi
finish
