# Kernel enforcement with the VM test policy (tests/vm/policies/vm_test.lua):
# every signature kind refuses open() and execve() with EPERM and logs one
# JSON decision naming the process, the path and the rule; case folding;
# non-matching files untouched; each exception kind; the exec-only hook;
# creation under a miner name leaves nothing behind; `mode` switches the
# running instance; status shows it; SIGTERM keeps enforcing, `unload`
# ends it.
# mg-timeout: 240

. /mg/policies/kernel_lib.sh

# Files exist before the daemon starts (creating them would be refused).
for f in $T/mg-anyns $T/MG-XMRIG $T/mg-xmrig $T/Mg-XmRiG $T/bin/MGMINERD-7 $T/a.mgCOIN \
	$T/pool/worker.bin $T/mining/sub/w $T/mining/README $T/mg-ethminer \
	$T/mg-execonly $T/exc/path/mg-xmrig $T/exc/dir/sub/mg-xmrig $T/exc/dirx/mg-xmrig \
	$T/ok $T/mg-xmrig.txt $T/xmg-xmrig $T/pool/WORKER.bin $T/MINING/w; do
	mkexe "$f"
done
mkdir -p $T/bin $T/new
cp "$MG_PROBE" $T/bin/trusted-probe

start_daemon --mode enforce --policy "$POLICY" || exit 1

if "$MG_BIN" status >/tmp/mg-status.txt 2>&1 && grep -q 'mode enforce' /tmp/mg-status.txt; then
	pass "status: running in enforce mode"
else
	fail "status: running in enforce mode" "$(head -n 3 /tmp/mg-status.txt)"
fi

# One rule per signature kind: open and exec refused and logged.
decide EPERM open $T/mg-xmrig t_name block open
decide EPERM exec $T/mg-xmrig t_name block open
decide EPERM open $T/bin/MGMINERD-7 t_prefix block open
decide EPERM exec $T/bin/MGMINERD-7 t_prefix block open
decide EPERM open $T/a.mgCOIN t_suffix block open
decide EPERM exec $T/a.mgCOIN t_suffix block open
decide EPERM open $T/pool/worker.bin t_path block open
decide EPERM exec $T/pool/worker.bin t_path block open
decide EPERM open $T/mining/sub/w t_dir block open
decide EPERM exec $T/mining/sub/w t_dir block open

# ASCII case folding of name kinds (the policy writes "MG-XmRiG").
decide EPERM open $T/MG-XMRIG t_name block open
decide EPERM open $T/Mg-XmRiG t_name block open
# Paths and directories are case-sensitive.
decide ok open $T/pool/WORKER.bin
decide ok open $T/MINING/w

# Non-matching files are untouched and not logged.
decide ok open $T/ok
decide ok exec $T/ok
decide ok open $T/mg-xmrig.txt
decide ok open $T/xmg-xmrig
no_event $T/ok
no_event $T/mg-xmrig.txt

# Audit rule: allowed, logged as audit.
decide ok open $T/mg-ethminer t_audit audit open

# Exec-only rule: open allowed, execve refused at bprm_check_security.
decide ok open $T/mg-execonly
decide EPERM exec $T/mg-execonly t_exec_only block exec

# Exceptions of each kind.
decide ok open $T/exc/path/mg-xmrig
decide ok open $T/exc/dir/sub/mg-xmrig
decide EPERM open $T/exc/dirx/mg-xmrig t_name block open
decide ok open $T/mining/README
probe open $T/mg-xmrig $T/bin/trusted-probe
if [ "$PROBE_OUT" = ok ]; then
	pass "open $T/mg-xmrig by excepted executable -> ok"
else
	fail "open $T/mg-xmrig by excepted executable -> ok" "got '$PROBE_OUT'"
fi
no_event $T/exc/path/mg-xmrig
no_event $T/exc/dir/sub/mg-xmrig

# Executable exceptions are by identity (device and inode of the file the
# path named): a copy elsewhere is not the excepted binary; an upgrade that
# puts a new file at the path is followed within a second, and logged.
mkdir -p $T/bin2
cp $T/bin/trusted-probe $T/bin2/copy-probe
probe open $T/mg-xmrig $T/bin2/copy-probe
[ "$PROBE_OUT" = "errno=1 EPERM" ] && pass "a copy of the excepted executable is not excepted" ||
	fail "a copy of the excepted executable is not excepted" "got '$PROBE_OUT'"
cp "$MG_PROBE" $T/bin/trusted-probe.new && mv $T/bin/trusted-probe.new $T/bin/trusted-probe
expect_event "the exception follows an upgraded binary (new inode)" \
	'trusted-probe is now a new file.*"action":"exception-refreshed"' 5
probe open $T/mg-xmrig $T/bin/trusted-probe
[ "$PROBE_OUT" = ok ] && pass "the upgraded excepted executable opens it" ||
	fail "the upgraded excepted executable opens it" "got '$PROBE_OUT'"

# Exceptions cannot be faked from a user namespace (issue 12, finding 3):
# uid 65534 in `unshare -Urm` mounts its own tmpfs over the excepted
# executable's directory, and binds a refused file over an excepted path. Outside the
# initial mount and user namespaces exceptions count as unchecked: refused.
grep -q '^nobody:' /etc/passwd 2>/dev/null ||
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
as_nobody() { su -s /bin/sh nobody -c "$1"; }
if as_nobody "unshare -Urm true" 2>/tmp/mg-userns.err; then
	as_nobody "unshare -Urm sh -c '
		mount -t tmpfs tmpfs $T/bin && cp $MG_PROBE $T/bin/trusted-probe &&
		exec $T/bin/trusted-probe open $T/mg-xmrig'" >/tmp/mg-userns.out 2>&1
	if [ "$(cat /tmp/mg-userns.out)" = "errno=1 EPERM" ]; then
		pass "unshare -Urm as uid 65534: a fake excepted executable is refused"
	else
		fail "unshare -Urm as uid 65534: a fake excepted executable is refused" "got '$(cat /tmp/mg-userns.out)'"
	fi
	expect_event "the refusal says exceptions were not honoured outside the initial namespaces" \
		"\"path\":\"$T/mg-xmrig\".*exceptions_foreign_namespace"
	as_nobody "unshare -Urm sh -c '
		mount --bind $T/mg-xmrig $T/exc/path/mg-xmrig &&
		exec $MG_PROBE open $T/exc/path/mg-xmrig'" >/tmp/mg-userns.out 2>&1
	if [ "$(cat /tmp/mg-userns.out)" = "errno=1 EPERM" ]; then
		pass "unshare -Urm as uid 65534: a refused file bound over an excepted path is refused"
	else
		fail "unshare -Urm as uid 65534: a refused file bound over an excepted path is refused" "got '$(cat /tmp/mg-userns.out)'"
	fi
	# the real excepted binary (same inode) from a user namespace: only a
	# rule that says any_namespace excepts it
	as_nobody "unshare -Urm $T/bin/trusted-probe open $T/mg-xmrig" >/tmp/mg-userns.out 2>&1
	[ "$(cat /tmp/mg-userns.out)" = "errno=1 EPERM" ] &&
		pass "unshare -Urm: the real excepted binary is refused by a rule without any_namespace" ||
		fail "unshare -Urm: the real excepted binary is refused by a rule without any_namespace" \
			"got '$(cat /tmp/mg-userns.out)'"
	as_nobody "unshare -Urm $T/bin/trusted-probe open $T/mg-anyns" >/tmp/mg-userns.out 2>&1
	[ "$(cat /tmp/mg-userns.out)" = ok ] &&
		pass "unshare -Urm: except.any_namespace = true excepts the real binary there" ||
		fail "unshare -Urm: except.any_namespace = true excepts the real binary there" \
			"got '$(cat /tmp/mg-userns.out)'"
	probe open $T/mg-anyns
	[ "$PROBE_OUT" = "errno=1 EPERM" ] && pass "mg-anyns refused to others" ||
		fail "mg-anyns refused to others" "got '$PROBE_OUT'"
	# the real excepted executable, in the initial namespaces, still is
	probe open $T/mg-xmrig $T/bin/trusted-probe
	[ "$PROBE_OUT" = ok ] && pass "the real excepted executable still opens it" ||
		fail "the real excepted executable still opens it" "got '$PROBE_OUT'"
else
	fail "unprivileged user namespaces in the VM" "$(cat /tmp/mg-userns.err)"
fi

# Creation under a miner name: refused at inode_create, nothing left behind.
decide EPERM create $T/new/mg-xmrig
if [ -e $T/new/mg-xmrig ]; then
	fail "no file left behind by a refused create" "$(ls -la $T/new/mg-xmrig)"
else
	pass "no file left behind by a refused create"
fi
expect_event "create logged with hook create and rule t_name" \
	'"name":"mg-xmrig".*"minerguard":\{"hook":"create".*"verdict":"block"'
decide ok create $T/new/harmless

# Runtime mode switch.
if "$MG_BIN" mode audit >/dev/null 2>&1 && "$MG_BIN" status --json | grep -q '"mode":"audit"'; then
	pass "minerguard mode audit"
else
	fail "minerguard mode audit" "status: $("$MG_BIN" status --json 2>&1 | cut -c1-200)"
fi
decide ok open $T/Mg-XmRiG t_name audit open
if grep -F "\"path\":\"$T/Mg-XmRiG\"" "$MG_LOG" | grep -F '"verdict":"audit"' | grep -qF '"would_block":true'; then
	pass "audit-mode decision says would_block"
else
	fail "audit-mode decision says would_block" "$(grep -F "$T/Mg-XmRiG" "$MG_LOG" | tail -n 1 | cut -c1-400)"
fi
"$MG_BIN" mode enforce >/dev/null 2>&1
decide EPERM open $T/Mg-XmRiG t_name block open

# Counters reach status.
if "$MG_BIN" status --json >/tmp/mg-status.json 2>&1 &&
	grep -qE '"open":\{"seen":[1-9][0-9]*,"audit":[1-9][0-9]*,"block":[1-9][0-9]*' /tmp/mg-status.json; then
	pass "status --json counts open decisions"
else
	fail "status --json counts open decisions" "$(cut -c1-400 /tmp/mg-status.json)"
fi

stop_daemon && pass "daemon stops on SIGTERM"
# Enforcement outlives the daemon: only `unload` removes it.
if [ -e /sys/fs/bpf/minerguard/mg_state ]; then
	pass "pins kept after SIGTERM"
else
	fail "pins kept after SIGTERM" "$(ls /sys/fs/bpf/minerguard 2>&1)"
fi
decide EPERM open $T/mg-xmrig
"$MG_BIN" status >/tmp/mg-status.txt 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q 'exited: enforcing without logging' /tmp/mg-status.txt &&
	pass "status after SIGTERM: enforcing without a daemon" ||
	fail "status after SIGTERM: enforcing without a daemon" "exit $rc: $(head -n 2 /tmp/mg-status.txt)"
"$MG_BIN" unload >/tmp/mg-unload.txt 2>&1 && pass "minerguard unload" ||
	fail "minerguard unload" "$(cat /tmp/mg-unload.txt)"
if [ -e /sys/fs/bpf/minerguard ]; then
	fail "pins removed by unload" "$(ls /sys/fs/bpf/minerguard)"
else
	pass "pins removed by unload"
fi
"$MG_BIN" status >/dev/null 2>&1
rc=$?
[ "$rc" -eq 8 ] && pass "status after unload -> 8 (not running)" ||
	fail "status after unload -> 8 (not running)" "exit $rc"
decide ok open $T/mg-xmrig
