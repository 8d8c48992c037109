# Kernel enforcement with the VM test policy (tests/vm/policies/vm_test.lua):
# Audit mode (--mode audit): every access the VM test policy would refuse
# succeeds, and is logged once as an audit decision with would_block; the
# creation under a miner name succeeds too. Then `mode enforce` at runtime.
# mg-timeout: 180

. /mg/policies/kernel_lib.sh
for f in $T/mg-xmrig $T/bin/MgMinerd-1 $T/x.MGCOIN $T/pool/worker.bin $T/mining/w $T/ok; do
	mkexe "$f"
done
mkdir -p $T/new

start_daemon --mode audit --policy "$POLICY" || exit 1
if "$MG_BIN" status --json 2>&1 | grep -q '"mode":"audit"'; then
	pass "status: running in audit mode"
else
	fail "status: running in audit mode" "$("$MG_BIN" status --json 2>&1 | cut -c1-200)"
fi

for spec in "$T/mg-xmrig t_name" "$T/bin/MgMinerd-1 t_prefix" "$T/x.MGCOIN t_suffix" \
	"$T/pool/worker.bin t_path" "$T/mining/w t_dir"; do
	set -- $spec
	decide ok open "$1" "$2" audit open
	decide ok exec "$1" "$2" audit open
done
n=$(grep -F '"would_block":true' "$MG_LOG" | grep -cF '"verdict":"audit"')
[ "$n" -ge 10 ] && pass "audit decisions carry would_block ($n)" ||
	fail "audit decisions carry would_block" "only $n of 10"
decide ok open $T/ok
no_event $T/ok

decide ok create $T/new/mg-xmrig
[ -e $T/new/mg-xmrig ] && pass "audit mode: the file was created" ||
	fail "audit mode: the file was created" "missing"
expect_event "create logged as audit" \
	'"name":"mg-xmrig".*"minerguard":\{"hook":"create","mode":"audit","verdict":"audit","would_block":true'

"$MG_BIN" mode enforce >/dev/null 2>&1 && pass "minerguard mode enforce" ||
	fail "minerguard mode enforce" "exit $?"
decide EPERM open $T/mining/w t_dir block open
stop_daemon && pass "daemon stops on SIGTERM"
# The pinned programs keep enforcing, and their mode can still be switched.
"$MG_BIN" mode audit >/dev/null 2>&1 && pass "mode audit on the pinned programs, no daemon" ||
	fail "mode audit on the pinned programs, no daemon" "exit $?"
decide ok open $T/mining/w
"$MG_BIN" unload >/dev/null 2>&1 && pass "unload" || fail "unload" "exit $?"
"$MG_BIN" mode audit >/dev/null 2>&1
rc=$?
[ "$rc" -eq 8 ] && pass "mode without a running instance -> 8" ||
	fail "mode without a running instance -> 8" "exit $rc"
