# Interpreters and applets (issue 5.6): whatever program reads or maps the
# miner file is refused at file_open. `sh miner.sh`, `. miner.sh`, busybox
# applets (cat, cp, dd, sha256sum, grep), a script whose #! interpreter is
# a miner. python3 is not in the VM: the C program case is mg-probe itself
# and ld.so (20_bypass_exec_map).
# mg-timeout: 180
. /mg/policies/bypass_lib.sh
B=/tmp/bp
mkdir -p $B/out
printf 'echo mined\n' >$B/mg-miner.sh
printf 'echo fine\n' >$B/ok.sh
bp_mkexe $B/mg-xmrig
printf '#!/tmp/bp/mg-xmrig\n' >$B/innocent-script
chmod 0755 $B/innocent-script

start_daemon --mode enforce --policy "$BP_POLICY" || exit 1

# applet CHECK CMD...: must fail with "Operation not permitted"
applet() {
	_c=$1
	shift
	if "$@" >/dev/null 2>/tmp/bp-app.err; then
		fail "$_c -> EPERM" "succeeded"
	elif grep -q "Operation not permitted" /tmp/bp-app.err; then
		pass "$_c -> EPERM"
	else
		fail "$_c -> EPERM" "$(head -c 200 /tmp/bp-app.err)"
	fi
}
applet "sh $B/mg-miner.sh" sh $B/mg-miner.sh
bp_logged "sh reading the script blocked at open" "\"path\":\"$B/mg-miner.sh\"" '"name":"b_name"' \
	'"hook":"open"' '"verdict":"block"' '"name":"sh"'
applet "sh -c '. $B/mg-miner.sh'" sh -c ". $B/mg-miner.sh"
[ "$(sh $B/ok.sh)" = fine ] && pass "sh ok.sh runs (control)" || fail "sh ok.sh runs (control)" "no"
applet "cat $B/mg-xmrig" cat $B/mg-xmrig
bp_logged "cat blocked" "\"path\":\"$B/mg-xmrig\"" '"name":"cat"' '"verdict":"block"'
applet "cp $B/mg-xmrig $B/out/x" cp $B/mg-xmrig $B/out/x
applet "dd if=$B/mg-xmrig" dd if=$B/mg-xmrig of=/dev/null
bp_logged "dd blocked" "\"path\":\"$B/mg-xmrig\"" '"name":"dd"' '"verdict":"block"'
applet "sha256sum $B/mg-xmrig" sha256sum $B/mg-xmrig
applet "grep x $B/mg-xmrig" grep x $B/mg-xmrig
applet "cp $B/ok.sh $B/out/mg-xmrig (copy TO a miner name)" cp $B/ok.sh $B/out/mg-xmrig
bp_logged "copy to a miner name blocked at create" '"file":{"name":"mg-xmrig"' '"hook":"create"' \
	'"name":"cp"'
# The kernel opens a #! interpreter itself.
bp_run "exec of a script whose interpreter is mg-xmrig" EPERM exec $B/innocent-script
bp_logged "#! interpreter blocked" "\"path\":\"$B/mg-xmrig\"" '"name":"b_name"' '"verdict":"block"' \
	"@pid:$BP_PID"
stop_daemon
