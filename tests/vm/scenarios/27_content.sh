# Content identity (issue 10), shipped policy: a miner binary and its
# config, under names no name rule knows, are refused by what they are:
# files that existed before the daemon started (start-up scan of the scan
# roots) and files written while it runs (close-after-write), under any
# later name. `scan` finds the same files, also inside a tarball.
# mg-timeout: 240

. /mg/policies/kernel_lib.sh
D=/tmp/ct
mkdir -p $D/pre $D/post /var/tmp/mv /var/lib/mg-stage
if [ ! -x /mg/xmrig-like ]; then
	fail "fixture /mg/xmrig-like" "missing from the initramfs (make build/mg-xmrig-like)"
	exit 1
fi
cp /mg/xmrig-like $D/pre/kworker-helper
cp /mg/xmrig-config.json $D/pre/config.json
printf '#!/bin/sh\nexit 0\n' >$D/pre/innocent.sh
chmod 0755 $D/pre/innocent.sh
cp /bin/busybox $D/pre/true   # an innocent ELF: busybox runs as its applet "true"
# An XMRig build already running under a disguised name when the daemon
# starts: the shipped rule says on_match = "kill".
cp /mg/xmrig-like $D/pre/kthreadd-x
$D/pre/kthreadd-x --wait &
RUNNING=$!
sleep 0.3

start_daemon --mode enforce --policy "$MG_POLICY_DIR" || exit 1

# Before start: the start-up scan marked them. (A name the name rules know,
# kdevtmpfsi say, is refused before its bytes matter.)
expect_event "start-up scan marked the renamed miner" \
	'kworker-helper matches content signature of rule xmrig-binary-content.*"action":"content-scan"' 30
expect_event "the running miner was killed (on_match = kill)" \
	"killed pid $RUNNING \\(kthreadd-x\\) running $D/pre/kthreadd-x: rule xmrig-binary-content.*\"action\":\"content-scan\"" 30
wait $RUNNING 2>/dev/null
st=$?
[ "$st" -eq 137 ] && pass "the running miner ended by SIGKILL (status $st)" ||
	fail "the running miner ended by SIGKILL" "wait status $st"
probe exec $D/pre/kworker-helper
[ "$PROBE_OUT" = "errno=1 EPERM" ] && pass "exec of a renamed XMRig build (kworker-helper) -> EPERM" ||
	fail "exec of a renamed XMRig build (kworker-helper) -> EPERM" "got '$PROBE_OUT'"
expect_event "decision names the content signature" \
	'"xmrig-binary-content".*"path":"/tmp/ct/pre/kworker-helper".*"inode_mark":true.*"kind":"content"'
probe open $D/pre/config.json
[ "$PROBE_OUT" = "errno=1 EPERM" ] && pass "open of an XMRig config named config.json -> EPERM" ||
	fail "open of an XMRig config named config.json -> EPERM" "got '$PROBE_OUT'"
expect_event "config decision names xmrig-config-content" \
	'"xmrig-config-content".*"path":"/tmp/ct/pre/config.json"'
probe exec $D/pre/innocent.sh
[ "$PROBE_OUT" = "ok" ] && pass "an innocent script still runs" || fail "an innocent script still runs" "got '$PROBE_OUT'"
probe exec $D/pre/true
[ "$PROBE_OUT" = "ok" ] && pass "an innocent ELF still runs" || fail "an innocent ELF still runs" "got '$PROBE_OUT'"

# Written while the daemon runs: marked within a second of the close.
cp /mg/xmrig-like $D/post/a1b2c3
sleep 1
probe exec $D/post/a1b2c3
[ "$PROBE_OUT" = "errno=1 EPERM" ] && pass "a miner written after start is refused 1 s after its close" ||
	fail "a miner written after start is refused 1 s after its close" "got '$PROBE_OUT'"
# Written outside the scan roots on the same file system, then renamed
# into one: no close-after-write happens there; the move is what is seen.
S=/var/lib/mg-stage
cp /mg/xmrig-like $S/netupd
sleep 1
probe open $S/netupd
[ "$PROBE_OUT" = "ok" ] && pass "a miner outside the scan roots is not scanned" ||
	fail "a miner outside the scan roots is not scanned" "got '$PROBE_OUT'"
i1=$(stat -c %i $S/netupd)
mv $S/netupd /var/tmp/mv/netupd
i2=$(stat -c %i /var/tmp/mv/netupd)
if [ "$i1" != "$i2" ]; then
	skip "a miner renamed into a scan root" "/var/lib and /var/tmp are on different file systems here"
else
	sleep 1
	probe exec /var/tmp/mv/netupd
	[ "$PROBE_OUT" = "errno=1 EPERM" ] &&
		pass "a miner renamed into a scan root is refused 1 s after the move (FAN_MOVED_TO)" ||
		fail "a miner renamed into a scan root is refused 1 s after the move" \
			"got '$PROBE_OUT'; $(grep -hi 'move' "$MG_DAEMON_ERR" "$MG_LOG" | tail -n 2)"
fi
# mv cannot launder it: the mark is on the inode.
if mv $D/post/a1b2c3 $D/post/zz 2>/dev/null; then
	probe exec $D/post/zz
	[ "$PROBE_OUT" = "errno=1 EPERM" ] && pass "renamed again, still refused (inode mark)" ||
		fail "renamed again, still refused (inode mark)" "got '$PROBE_OUT'"
else
	fail "renamed again, still refused (inode mark)" "mv itself failed"
fi
stop_daemon
"$MG_BIN" unload >/dev/null 2>&1

# `scan` judges the same tree the same way, and looks inside tarballs.
mkdir -p $D/img/layer
cp /mg/xmrig-like $D/img/layer/sysupdate
(cd $D/img && tar czf $D/layer.tgz layer) 2>/dev/null
"$MG_BIN" scan --json $D/pre $D/layer.tgz >/tmp/ct-scan.json 2>/tmp/ct-scan.err
rc=$?
[ "$rc" -eq 9 ] && pass "scan: exit 9 on findings" || fail "scan: exit 9 on findings" "exit $rc: $(tail -n 1 /tmp/ct-scan.err)"
grep -q '"path":"/tmp/ct/pre/kworker-helper".*xmrig-binary-content' /tmp/ct-scan.json &&
	pass "scan finds the renamed miner the kernel refused" ||
	fail "scan finds the renamed miner the kernel refused" "$(head -c 400 /tmp/ct-scan.json)"
grep -q '"path":"/tmp/ct/pre/config.json"' /tmp/ct-scan.json &&
	pass "scan finds the config the kernel refused" || fail "scan finds the config" "$(head -c 400 /tmp/ct-scan.json)"
grep -q 'innocent.sh\|/pre/true' /tmp/ct-scan.json &&
	fail "scan: nothing on the innocent files" "$(grep 'innocent\|plain' /tmp/ct-scan.json | head -c 300)" ||
	pass "scan: nothing on the innocent files"
if [ -s $D/layer.tgz ]; then
	grep -q '"path":"/tmp/ct/layer.tgz!layer/sysupdate"' /tmp/ct-scan.json &&
		pass "scan finds the miner inside a .tgz layer" ||
		fail "scan finds the miner inside a .tgz layer" "$(grep -o '"path":"[^"]*"' /tmp/ct-scan.json | tr '\n' ' ')"
else
	skip "scan inside a .tgz layer" "busybox tar cannot write gzip here"
fi
grep -q '^FAIL 27_content' "$MG_RESULTS" && { echo "--- daemon stderr"; head -n 20 "$MG_DAEMON_ERR"; }
true
