# Renames and links (issue 5.3): renaming a file TO a miner name, creating a
# hard link or symlink NAMED like a miner, and a hard link TO a miner file
# are refused (hook "link"); a file seen under a miner name stays known
# (inode mark) after it is renamed away, and under every hard link.
# mg-timeout: 180
. /mg/policies/bypass_lib.sh
B=/tmp/bp
mkdir -p $B/r $B/l $B/away $B/pre $B/aud
echo data >$B/r/plain
echo data >$B/mg-xmrig
bp_mkexe $B/away/mg-xmrig
echo data >$B/pre/mg-xmrig
ln $B/pre/mg-xmrig $B/pre/alias   # a second name made before minerguard ran
echo data >$B/aud/plain
mkdir -p $B/xo
bp_mkexe $B/xo/mg-execonly
bp_mkexe $B/xo/ln-src/mg-execonly

start_daemon --mode enforce --policy "$BP_POLICY" || exit 1

bp_run "rename plain -> mg-xmrig" EPERM rename $B/r/plain $B/r/mg-xmrig
bp_logged "rename to a miner name blocked at hook link" \
	'"file":{"name":"mg-xmrig"' '"name":"b_name"' '"hook":"link"' '"verdict":"block"' "@pid:$BP_PID"
[ -e $B/r/plain ] && [ ! -e $B/r/mg-xmrig ] && pass "refused rename left the file as it was" ||
	fail "refused rename left the file as it was" "$(ls $B/r)"
bp_run "rename plain -> MGMINER-x (prefix, mixed case)" EPERM rename $B/r/plain $B/r/MGMINER-x
bp_logged "rename to a prefix name blocked" '"file":{"name":"MGMINER-x"' '"name":"b_prefix"' '"hook":"link"'
bp_run "hard link NAMED mg-xmrig" EPERM link $B/r/plain $B/l/mg-xmrig
bp_logged "link named like a miner blocked" '"file":{"name":"mg-xmrig"' '"hook":"link"' "@pid:$BP_PID"
bp_run "symlink NAMED mg-xmrig" EPERM symlink /bin/busybox $B/l/mg-xmrig
bp_logged "symlink named like a miner blocked" '"file":{"name":"mg-xmrig"' '"hook":"link"' "@pid:$BP_PID"
bp_run "hard link TO the miner file mg-xmrig" EPERM link $B/mg-xmrig $B/l/innocent
bp_logged "link to a miner file blocked" '"file":{"name":"mg-xmrig"' '"name":"b_name"' '"hook":"link_source"' \
	'"verdict":"block"' "@pid:$BP_PID"
[ ! -e $B/l/mg-xmrig ] && [ ! -e $B/l/innocent ] && pass "no link or symlink left behind" ||
	fail "no link or symlink left behind" "$(ls $B/l)"
bp_run "rename plain -> harmless (control)" ok rename $B/r/plain $B/r/harmless
bp_run "symlink named harmless (control)" ok symlink $B/mg-xmrig $B/l/harmless-link

# A symlink with an innocent name is judged on the file it resolves to.
bp_run "open through an innocent symlink to mg-xmrig" EPERM open $B/l/harmless-link
bp_logged "symlink open reports the target" "\"path\":\"$B/mg-xmrig\"" '"hook":"open"' "@pid:$BP_PID"

# Renamed away: allowed, but the file stays known.
bp_run "rename mg-xmrig away to harmless" ok rename $B/away/mg-xmrig $B/away/harmless
bp_run "open the renamed file" EPERM open $B/away/harmless
bp_logged "renamed miner blocked by its inode mark" \
	"\"path\":\"$B/away/harmless\"" '"name":"b_name"' '"hook":"open"' '"verdict":"block"' \
	'"value":"mg-xmrig"' "@pid:$BP_PID"
bp_run "exec the renamed file" EPERM exec $B/away/harmless

# A hard link made before minerguard ran is a name it never saw: allowed
# until the file is seen under its miner name, then known under both.
bp_run "open pre-existing hard link alias (never seen as a miner)" ok open $B/pre/alias
bp_run "open pre/mg-xmrig (marks the inode)" EPERM open $B/pre/mg-xmrig
bp_run "open the alias again" EPERM open $B/pre/alias
bp_logged "alias blocked by the mark of its inode" \
	"\"path\":\"$B/pre/alias\"" '"name":"b_name"' '"value":"mg-xmrig"' "@pid:$BP_PID"

# Exec-only rules (issue 12, finding 1): `mv t-rex x; ./x` and `ln t-rex x`
# must not escape a rule that only guards exec. Renaming TO an exec-only
# name stays allowed (such names are innocent as data).
bp_run "rename exec-only mg-execonly away to x" ok rename $B/xo/mg-execonly $B/xo/x
bp_run "exec the renamed exec-only miner" EPERM exec $B/xo/x
bp_logged "renamed exec-only miner blocked by its mark" \
	"\"path\":\"$B/xo/x\"" '"name":"b_exec_only"' '"hook":"exec"' '"value":"mg-execonly"'
bp_run "hard link TO an exec-only miner" EPERM link $B/xo/ln-src/mg-execonly $B/xo/y
[ ! -e $B/xo/y ] && pass "refused exec-only hard link left nothing" ||
	fail "refused exec-only hard link left nothing" "$(ls $B/xo)"
bp_logged "hard link to an exec-only miner logged at link_source" \
	'"file":{"name":"mg-execonly"' '"name":"b_exec_only"' '"hook":"link_source"' '"verdict":"block"'
echo data >$B/xo/data
bp_run "rename TO an exec-only name stays allowed" ok rename $B/xo/data $B/xo/mg-execonly

# Audit mode: the rename happens and is reported as would-block.
"$MG_BIN" mode audit >/dev/null
bp_run "audit mode: rename plain -> mg-xmrig" ok rename $B/aud/plain $B/aud/mg-xmrig
bp_logged "audit-mode rename logged as would_block" '"file":{"name":"mg-xmrig"' '"hook":"link"' \
	'"verdict":"audit"' '"would_block":true' "@pid:$BP_PID"
"$MG_BIN" mode enforce >/dev/null
stop_daemon
