# CI-pipeline mode on a kernel that hosts minerguard: `ci start` returns
# once the daemon it detached enforces; a miner executed in the "job" is
# refused, a file of an auditing rule is reported; `ci stop` unloads
# (nothing stays attached), writes the summary, annotations, SARIF and
# code quality for the workspace files, and fails by --fail-on. The
# summary says which step did it: the step's GITHUB_ACTION and the
# process's ancestry.
# mg-timeout: 300

. /mg/policies/kernel_lib.sh
C=/tmp/mgci
W=$C/ws
S=$C/minerguard   # $RUNNER_TEMP/minerguard
mkdir -p $W/dist $C
mkexe $W/dist/mg-xmrig
mkexe $T/mg-ethminer
export GITHUB_ACTIONS=true GITHUB_WORKSPACE=$W RUNNER_TEMP=$C GITHUB_STEP_SUMMARY=$C/step-summary
echo "earlier step" >$GITHUB_STEP_SUMMARY

# step_shell STEP OP PATH: mg-probe OP PATH from a "step" the way the runner
# starts one, a shell whose environment names it (GITHUB_ACTION). The shell
# waits until the access is logged, so it (and its environment) is still
# there when the daemon reads /proc. Sets PROBE_PID, PROBE_OUT, STEP_SH.
step_shell() {
	GITHUB_ACTION=$1 GITHUB_JOB=build sh -c '
		echo $$ >/tmp/mg-step.sh
		"$0" "$1" "$2" >/tmp/mg-p.out 2>/tmp/mg-p.err &
		echo $! >/tmp/mg-step.probe
		wait $!
		n=0
		while [ $n -lt 100 ] && ! grep -qF "\"path\":\"$2\"" "$3"; do
			sleep 0.1
			n=$((n + 1))
		done
		exit 0' "$MG_PROBE" "$2" "$3" "$MG_LOG"
	STEP_SH=$(cat /tmp/mg-step.sh)
	PROBE_PID=$(cat /tmp/mg-step.probe)
	PROBE_OUT=$(cat /tmp/mg-p.out)
}

(cd $W && "$MG_BIN" ci start --mode enforce --policy "$POLICY") >$C/start.out 2>$C/start.err
rc=$?
[ "$rc" -eq 0 ] && pass "ci start: exit 0" || fail "ci start: exit 0" "exit $rc: $(tail -n 1 $C/start.err)"
grep -qx "status=monitoring" $S/state && pass "ci start: state monitoring" ||
	fail "ci start: state monitoring" "$(cat $S/state | tr '\n' ' ')"
pid=$(sed -n 's/^pid=//p' $S/state)
"$MG_BIN" status --json 2>/dev/null | grep -q "\"daemon_alive\":true,\"daemon\":{\"pid\":$pid," &&
	pass "ci start: status names the detached daemon ($pid) as alive" ||
	fail "ci start: status names the detached daemon" "$("$MG_BIN" status --json 2>&1 | cut -c1-200)"
[ "$(readlink /proc/$pid/fd/0)" = /dev/null ] && pass "daemon stdin is /dev/null" ||
	fail "daemon stdin is /dev/null" "$(readlink /proc/$pid/fd/0)"

# the "job": the blocked exec from this shell, the audited open from step
# __run_7 (the job's 7th run step)
MG_LOG=$S/decisions.jsonl
decide EPERM exec $W/dist/mg-xmrig t_name block open
step_shell __run_7 open $T/mg-ethminer
step_probe=$PROBE_PID step_sh=$STEP_SH
[ "$PROBE_OUT" = ok ] && pass "step __run_7: open $T/mg-ethminer -> ok" ||
	fail "step __run_7: open $T/mg-ethminer -> ok" "got '$PROBE_OUT' $(tail -n 1 /tmp/mg-p.err)"
if wait_has_event $T/mg-ethminer t_audit audit open "$step_probe"; then
	pass "step __run_7: open logged: rule t_audit, audit, pid $step_probe"
else
	fail "step __run_7: open logged: rule t_audit, audit, pid $step_probe" \
		"$(grep -F "\"path\":\"$T/mg-ethminer\"" "$MG_LOG" | tail -n 1 | cut -c1-600)"
fi
line=$(grep -F "\"path\":\"$T/mg-ethminer\"" "$MG_LOG" | head -n 1)
case "$line" in
*'"ci":{"step":"__run_7","job":"build"}'*) pass "event: minerguard.ci names step __run_7, job build" ;;
*) fail "event: minerguard.ci names step __run_7, job build" "$(printf '%s' "$line" | cut -c1-900)" ;;
esac
case "$line" in
*"\"ancestry\":[{\"pid\":$step_sh,\"name\":\"sh\"}"*)
	pass "event: minerguard.ancestry starts at the step's shell ($step_sh)" ;;
*) fail "event: minerguard.ancestry starts at the step's shell ($step_sh)" "$(printf '%s' "$line" | cut -c1-900)" ;;
esac

(cd $W && "$MG_BIN" ci stop --sarif $C/out.sarif --codequality $C/cq.json --outputs $C/outputs) \
	>$C/stop.out 2>$C/stop.err
rc=$?
[ "$rc" -eq 9 ] && pass "ci stop: --fail-on block fails (exit 9)" ||
	fail "ci stop: --fail-on block fails (exit 9)" "exit $rc: $(tail -n 1 $C/stop.err)"
"$MG_BIN" status >/dev/null 2>&1
rc=$?
[ "$rc" -eq 8 ] && pass "ci stop: nothing attached afterwards (status 8)" ||
	fail "ci stop: nothing attached afterwards (status 8)" "status exit $rc"
[ -z "$(ls /sys/fs/bpf/minerguard 2>/dev/null)" ] && pass "ci stop: no pins left" ||
	fail "ci stop: no pins left" "$(ls /sys/fs/bpf/minerguard | tr '\n' ' ')"
kill -0 "$pid" 2>/dev/null && fail "ci stop: daemon gone" "pid $pid alive" || pass "ci stop: daemon gone"
grep -q '^::error file=dist/mg-xmrig,line=1,title=minerguard%3A blocked t_name::' $C/stop.out &&
	pass "annotation: blocked workspace file, relative" ||
	fail "annotation: blocked workspace file, relative" "$(head -n 3 $C/stop.out)"
grep -q "^::warning title=minerguard%3A audited t_audit::$T/mg-ethminer" $C/stop.out &&
	pass "annotation: audited file outside the workspace, no file=" ||
	fail "annotation: audited file outside the workspace" "$(head -n 3 $C/stop.out)"
head -n 1 $GITHUB_STEP_SUMMARY | grep -qx "earlier step" &&
	grep -q '^### minerguard: .* blocked, .* audited' $GITHUB_STEP_SUMMARY &&
	pass "summary appended to GITHUB_STEP_SUMMARY" ||
	fail "summary appended to GITHUB_STEP_SUMMARY" "$(head -n 3 $GITHUB_STEP_SUMMARY)"
grep -q 'Mode: \*\*enforce\*\* · backend: .* · policy version 1, sha256 ' $GITHUB_STEP_SUMMARY &&
	pass "summary header: mode, backend, policy" ||
	fail "summary header: mode, backend, policy" "$(sed -n 3p $GITHUB_STEP_SUMMARY)"
grep -q "| blocked | t\\\\_name | $W/dist/mg-xmrig | " $GITHUB_STEP_SUMMARY &&
	pass "summary row for the blocked exec" || fail "summary row for the blocked exec" "$(grep '^|' $GITHUB_STEP_SUMMARY | head -n 4)"
# which step did it: the step cell (Markdown-escaped: \_\_run\_7) and the
# ancestry from the probe up through the step's shell
row=$(grep -F "| $T/mg-ethminer | " $GITHUB_STEP_SUMMARY | head -n 1)
case "$row" in
*'| \_\_run\_7 (job build) |'*) pass "summary names the step: __run_7 (job build)" ;;
*) fail "summary names the step: __run_7 (job build)" "$row" ;;
esac
case "$row" in
*"| mg-probe($step_probe) ← sh($step_sh) ← "*)
	pass "summary shows the ancestry: mg-probe($step_probe) ← sh($step_sh) ← ..." ;;
*) fail "summary shows the ancestry: mg-probe($step_probe) ← sh($step_sh) ← ..." "$row" ;;
esac
grep -q "^::warning title=minerguard%3A audited t_audit::.* in step __run_7 of job build" $C/stop.out &&
	pass "annotation names the step" || fail "annotation names the step" "$(grep '^::warning' $C/stop.out | head -n 2)"
grep -q '"uri":"dist/mg-xmrig"' $C/out.sarif && ! grep -q mg-ethminer $C/out.sarif &&
	pass "SARIF: the workspace file only, relative" || fail "SARIF: the workspace file only" "$(cut -c1-300 $C/out.sarif)"
grep -q '"path":"dist/mg-xmrig"' $C/cq.json && pass "code quality: the workspace file" ||
	fail "code quality: the workspace file" "$(cut -c1-300 $C/cq.json)"

# audit mode, fail-on never: the same miner runs, the job passes
(cd $W && "$MG_BIN" ci start --mode audit --policy "$POLICY") >$C/start.out 2>$C/start.err ||
	fail "ci start --mode audit" "$(tail -n 1 $C/start.err)"
decide ok exec $W/dist/mg-xmrig t_name audit open
(cd $W && "$MG_BIN" ci stop --fail-on never --summary $C/s2.md) >$C/stop.out 2>$C/stop.err
rc=$?
[ "$rc" -eq 0 ] && pass "audit mode, --fail-on never: exit 0" ||
	fail "audit mode, --fail-on never: exit 0" "exit $rc: $(tail -n 1 $C/stop.err)"
grep -q "| audited (would block) | t\\\\_name | $W/dist/mg-xmrig | " $C/s2.md &&
	pass "audit mode: the decision would have blocked" || fail "audit mode: would block" "$(grep '^|' $C/s2.md | head -n 3)"
"$MG_BIN" status >/dev/null 2>&1
[ $? -eq 8 ] && pass "audit mode: nothing attached afterwards" || fail "audit mode: nothing attached afterwards" "still attached"

# The summary names the backend that enforced on this boot.
grep -q "backend: \*\*$MG_EXPECT_BACKEND" $GITHUB_STEP_SUMMARY &&
	pass "summary names backend $MG_EXPECT_BACKEND" ||
	fail "summary names backend $MG_EXPECT_BACKEND" "$(grep -m1 'backend' $GITHUB_STEP_SUMMARY)"

# An audit job that executes a file of an auditing rule fails at
# --fail-on audit, with the file in the summary and 1-10 annotations.
(cd $W && "$MG_BIN" ci start --mode audit --policy "$POLICY") >$C/start.out 2>$C/start.err ||
	fail "ci start --mode audit (2)" "$(tail -n 1 $C/start.err)"
decide ok exec $T/mg-ethminer t_audit audit open
(cd $W && "$MG_BIN" ci stop --fail-on audit --summary $C/s3.md) >$C/stop3.out 2>$C/stop3.err
rc=$?
[ "$rc" -eq 9 ] && pass "audit job, --fail-on audit: exit 9" ||
	fail "audit job, --fail-on audit: exit 9" "exit $rc: $(tail -n 1 $C/stop3.err)"
grep -q "mg-ethminer" $C/s3.md && pass "audit job: the file is in the summary" ||
	fail "audit job: the file is in the summary" "$(grep '^|' $C/s3.md | head -n 3)"
n=$(grep -c '^::warning' $C/stop3.out)
[ "$n" -ge 1 ] && [ "$n" -le 10 ] && pass "audit job: $n warning annotation(s)" ||
	fail "audit job: 1-10 warning annotations" "$n: $(head -c 300 $C/stop3.out)"

# A clean job passes with a short summary.
(cd $W && "$MG_BIN" ci start --mode enforce --policy "$POLICY") >$C/start.out 2>$C/start.err ||
	fail "ci start (clean job)" "$(tail -n 1 $C/start.err)"
probe open /etc/passwd
(cd $W && "$MG_BIN" ci stop --fail-on any --summary $C/s4.md) >$C/stop4.out 2>$C/stop4.err
rc=$?
[ "$rc" -eq 0 ] && pass "clean job, --fail-on any: exit 0" ||
	fail "clean job, --fail-on any: exit 0" "exit $rc: $(tail -n 1 $C/stop4.err)"
grep -qi "no miner activity" $C/s4.md && pass "clean job: summary says no miner activity" ||
	fail "clean job: summary says no miner activity" "$(head -n 5 $C/s4.md)"
"$MG_BIN" status >/dev/null 2>&1
[ $? -eq 8 ] && pass "clean job: nothing attached afterwards" || fail "clean job: nothing attached afterwards" "still attached"
