# Hostile paths (issue 5.5): 255-byte names, paths of 4,000+ bytes and 200+
# levels reached with relative openat (bpf_d_path fails: the name rule still
# blocks, the decision says path_unresolved and the path error counter
# rises), non-ASCII bytes, trailing spaces, mixed case, `..` components.
# mg-timeout: 240
. /mg/policies/bypass_lib.sh
B=/tmp/bp
mkdir -p $B/sub $B/deep
long_prefix="MgMiner-$(printf '%0247d' 0 | tr 0 x)"           # 8 + 247 = 255 bytes
long_suffix="$(printf '%0248d' 0 | tr 0 y).mgcoin"           # 248 + 7 = 255 bytes
long_plain="$(printf '%0255d' 0 | tr 0 z)"
for f in "$long_prefix" "$long_suffix" "$long_plain" mg-mïner MG-MÏNER Mg-Mïner "mg spaced " \
	"mg spaced" "mg-xmrig " Mg-XmRiG mg-xmrig; do
	echo data >"$B/$f"
done
[ ${#long_prefix} -eq 255 ] && [ ${#long_suffix} -eq 255 ] && pass "255-byte names made" ||
	fail "255-byte names made" "${#long_prefix} ${#long_suffix}"
# 210 levels x 21 bytes: over 4,400 bytes, more than PATH_MAX.
(cd $B/deep && "$MG_PROBE" deep mk 210 MgMiner-deep && "$MG_PROBE" deep mk 210 innocent) >/dev/null ||
	fail "deep tree made" "$(cd $B/deep && "$MG_PROBE" deep mk 210 innocent)"

# Issue 12, finding 4: a path of about 4,000 bytes, every component full of
# control bytes, an ANSI escape and invalid UTF-8, ending in a miner name.
# Escaped, its line is far longer than the path: it must still be logged.
ctl=$(printf '\001\002\033[2J\377\376ctl-xxx')   # 15 bytes
ctl_path=$B/ctl
mkdir -p "$ctl_path"
(cd "$ctl_path" && for i in $(seq 250); do mkdir "$ctl" && cd "$ctl" || exit 1; done && echo data >mg-xmrig) ||
	fail "control-byte tree made" "mkdir failed"
for i in $(seq 250); do ctl_path="$ctl_path/$ctl"; done
ctl_path="$ctl_path/mg-xmrig"

start_daemon --mode enforce --policy "$BP_POLICY" || exit 1

bp_run "open a miner at the end of a ${#ctl_path}-byte path of control bytes" EPERM open "$ctl_path"
bp_logged "control-byte path logged, bytes escaped and named" '"name":"b_name"' '"verdict":"block"' \
	'\u0001\u0002\u001b[2J\\xff\\xfectl-xxx/' '"escaped":["file.path"' "@pid:$BP_PID"
"$MG_BIN" status --json 2>/dev/null | grep -q '"events_format_failed":0' &&
	pass "no decision lost to formatting" ||
	fail "no decision lost to formatting" "$("$MG_BIN" status --json 2>&1 | grep -o '"events_format_failed":[0-9]*')"

bp_run "open a 255-byte name with a miner prefix" EPERM open "$B/$long_prefix"
bp_logged "255-byte prefix name logged" "\"path\":\"$B/$long_prefix\"" '"name":"b_prefix"' "@pid:$BP_PID"
bp_run "open a 255-byte name with a miner suffix" EPERM open "$B/$long_suffix"
bp_logged "255-byte suffix name logged" '"name":"b_hostile"' '"kind":"suffix"' "@pid:$BP_PID"
bp_run "open a 255-byte innocent name" ok open "$B/$long_plain"

cd $B/deep
bp_run "openat of MgMiner-deep 210 levels down (path > 4096 bytes)" EPERM deep open 210 MgMiner-deep
bp_logged "deep open: blocked by name, path_unresolved, ENAMETOOLONG" \
	'"file":{"name":"MgMiner-deep"' '"name":"b_prefix"' '"verdict":"block"' '"path_unresolved"' \
	'"path_error":-36' "@pid:$BP_PID"
bp_run "openat of an innocent file 210 levels down" ok deep open 210 innocent
bp_run "create mg-xmrig 210 levels down" EPERM deep create 210 mg-xmrig
bp_logged "deep create blocked" '"file":{"name":"mg-xmrig"' '"hook":"create"' "@pid:$BP_PID"
cd /
if "$MG_BIN" status --json 2>/dev/null | grep -qE '"path_err(ors)?":[1-9]'; then
	pass "status counts unresolved paths"
else
	fail "status counts unresolved paths" "$("$MG_BIN" status --json 2>&1 | cut -c1-300)"
fi

bp_run "open mg-mïner (UTF-8 name)" EPERM open "$B/mg-mïner"
bp_logged "UTF-8 name logged" "\"path\":\"$B/mg-mïner\"" '"name":"b_hostile"' "@pid:$BP_PID"
bp_run "open Mg-Mïner (ASCII letters folded)" EPERM open "$B/Mg-Mïner"
# Only ASCII is case-folded: Ï (U+00CF) is another byte sequence than ï.
bp_run "open MG-MÏNER (non-ASCII capital is a different name)" ok open "$B/MG-MÏNER"
bp_run "open 'mg spaced ' (trailing space is part of the name)" EPERM open "$B/mg spaced "
bp_run "open 'mg spaced' (without it: another name)" ok open "$B/mg spaced"
bp_run "open 'mg-xmrig ' (exact names are exact)" ok open "$B/mg-xmrig "
bp_run "open Mg-XmRiG (mixed case)" EPERM open "$B/Mg-XmRiG"
bp_run "open sub/../mg-xmrig" EPERM open "$B/sub/../mg-xmrig"
bp_logged "'..' resolved: the event has the canonical path" "\"path\":\"$B/mg-xmrig\"" \
	'"name":"b_name"' "@pid:$BP_PID"
cd $B/sub
bp_run "open ../mg-xmrig relative to a subdirectory" EPERM open ../mg-xmrig
bp_run "open ./../sub/../Mg-XmRiG" EPERM open ./../sub/../Mg-XmRiG
cd /
stop_daemon
