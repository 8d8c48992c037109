# The shipped policy (policies/, as installed) on this boot's backend
# (lsm on Debian's command line, fmodret on the Ubuntu-like one): open,
# exec, create and executable mmap of a file named like a miner are refused
# in enforce mode; the refusal survives SIGKILL of the daemon and a reload;
# in audit mode the same accesses succeed and are logged, with the rule,
# the hook and the backend that decided.
# mg-timeout: 240

D=/tmp/sp
mkdir -p $D/new
printf '#!/bin/sh\nexit 0\n' >$D/xmrig
printf '#!/bin/sh\nexit 0\n' >$D/innocent
chmod 0755 $D/xmrig $D/innocent
# An fd opened before the daemon starts: the mmap hook alone judges it.
exec 7<$D/xmrig

# shipped WANT OP PATH [ARGS]: mg-probe result, "ok" or "EPERM".
shipped() {
	_w=$1
	shift
	_out=$("$MG_PROBE" "$@" 2>/tmp/sp.err)
	case "$_w:$_out" in
	ok:ok | EPERM:"errno=1 EPERM") pass "$* -> $_w" ;;
	*) fail "$* -> $_w" "got '$_out' $(tail -n 1 /tmp/sp.err)" ;;
	esac
}
# logged CHECK HOOK VERDICT: a decision of rule xmrig at HOOK with VERDICT,
# by this boot's backend.
logged() {
	if wait_event "\"hook\":\"$2\".*\"verdict\":\"$3\"" 10 &&
		grep -F '"rule":{"name":"xmrig"' "$MG_LOG" | grep -F "\"hook\":\"$2\"" |
		grep -F "\"verdict\":\"$3\"" | grep -qF "\"backend\":\"$MG_EXPECT_BACKEND\""; then
		pass "$1"
	else
		fail "$1" "no xmrig/$2/$3/$MG_EXPECT_BACKEND line: $(grep -F xmrig "$MG_LOG" | tail -n 1 | cut -c1-400)"
	fi
}

start_daemon --mode enforce --policy "$MG_POLICY_DIR" || exit 1
"$MG_BIN" status --json 2>/dev/null | grep -qF "\"backend\":\"$MG_EXPECT_BACKEND\"" &&
	pass "shipped policy runs on backend $MG_EXPECT_BACKEND" ||
	fail "shipped policy runs on backend $MG_EXPECT_BACKEND" "$("$MG_BIN" status --json 2>&1 | cut -c1-300)"

shipped EPERM open $D/xmrig
logged "open of xmrig logged (block, open)" open block
# (an exec of a file the rule refuses to open is refused at the exec's open)
shipped EPERM exec $D/xmrig
shipped EPERM mmapx-fd 7
logged "mmap of an inherited xmrig fd logged (block, mmap)" mmap block
shipped EPERM create $D/new/xmrig
[ -e $D/new/xmrig ] && fail "refused create leaves no file" "$D/new/xmrig exists" ||
	pass "refused create leaves no file"
shipped ok open $D/innocent
shipped ok exec $D/innocent

# SIGKILL: the pinned programs keep refusing with no daemon at all.
kill -KILL "$MG_DAEMON_PID"
wait "$MG_DAEMON_PID" 2>/dev/null
MG_DAEMON_PID=
shipped EPERM open $D/xmrig
shipped EPERM exec $D/xmrig
start_daemon --mode enforce --policy "$MG_POLICY_DIR" || exit 1
grep -q "adopting the programs and maps" "$MG_DAEMON_ERR" && pass "restart after SIGKILL adopts the pins" ||
	fail "restart after SIGKILL adopts the pins" "$(head -n 2 "$MG_DAEMON_ERR" | tr '\n' '|')"

# Reload: the new generation refuses as the old one did.
if "$MG_BIN" reload >/tmp/sp-reload.out 2>&1; then
	pass "reload of the shipped policy"
else
	fail "reload of the shipped policy" "$(cat /tmp/sp-reload.out)"
fi
shipped EPERM open $D/xmrig
shipped EPERM exec $D/xmrig
shipped EPERM mmapx-fd 7

# Audit mode: allowed, and logged as audit by the same rule and backend.
"$MG_BIN" mode audit >/tmp/sp-mode.out 2>&1 && pass "mode audit" || fail "mode audit" "$(cat /tmp/sp-mode.out)"
shipped ok open $D/xmrig
logged "audited open of xmrig logged (audit, open)" open audit
shipped ok exec $D/xmrig
shipped ok mmapx-fd 7
logged "audited mmap logged (audit, mmap)" mmap audit

exec 7<&-
"$MG_BIN" unload >/dev/null 2>&1
MG_DAEMON_PID=
shipped ok open $D/xmrig
