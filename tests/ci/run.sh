#!/bin/sh
# `minerguard ci start` / `ci stop` end to end on any host: the
# kernel-facing subcommands (run, status, unload, scan) are played by
# tests/ci/fake-minerguard through MINERGUARD_BIN; the decision log it
# replays is written by the daemon's formatter (mg-ci-events).
#
# Usage: tests/ci/run.sh MINERGUARD MG-CI-EVENTS
set -u

bin=$(realpath "${1:?usage: $0 MINERGUARD MG-CI-EVENTS}")
gen=$(realpath "${2:?usage: $0 MINERGUARD MG-CI-EVENTS}")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'cleanup' EXIT
passed=0 failed=0

pass() { echo "PASS ci: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL ci: $1${2:+: $2}"; failed=$((failed + 1)); }
check() { # NAME COMMAND...: pass when the command succeeds
	n=$1
	shift
	if "$@"; then pass "$n"; else fail "$n"; fi
}

cleanup() {
	# a stand-in daemon left by a failed check
	for p in "$tmp"/*/fake/pid; do
		[ -e "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	rm -rf "$tmp"
}

# A fresh scenario: workspace, stand-in state, CI state dir.
setup() {
	s=$tmp/$1
	ws=$s/ws
	mkdir -p "$ws/dist" "$s/fake"
	state=$s/state
	export FAKE_DIR=$s/fake MINERGUARD_BIN=$here/fake-minerguard MG_REAL=$bin
	export GITHUB_ACTIONS=true
	unset FAKE_RUN FAKE_SCAN GITHUB_STEP_SUMMARY RUNNER_TEMP
	"$gen" "$ws" "${2:-audit}" >"$FAKE_DIR/events"
}

mg() { # runs the real binary; sets rc, out, err
	(cd "$ws" && "$bin" "$@") >"$s/out" 2>"$s/err"
	rc=$?
	out=$(cat "$s/out")
	err=$(cat "$s/err")
}

one_line() { [ "$(wc -l <"$s/err")" -eq 1 ] && [ -n "$err" ]; }
# exit status WANT ("nonzero": any failure) and exactly one stderr line
fails_one_line() {
	case "$1" in
	nonzero) [ "$rc" -ne 0 ] ;;
	*) [ "$rc" -eq "$1" ] ;;
	esac && one_line
}

# ---- 1. enforcing, audit mode; a blocking rule matched inside the workspace
setup monitored audit
mg ci start --state "$state" --policy ../pol.lua --scan dist/
check "start: exit 0 (stderr: $err)" [ "$rc" -eq 0 ]
check "start: run got the mode, an absolute log and an absolute policy" \
	grep -qx "run --mode audit --log $state/decisions.jsonl --policy $s/pol.lua" "$FAKE_DIR/calls"
check "start: state says monitoring with the backend from status" \
	grep -qx "status=monitoring" "$state/state"
check "start: backend recorded" grep -qx "backend=fmodret" "$state/state"
check "start: policy version recorded" grep -qx "policy_version=1" "$state/state"
check "start: scan ran on dist/" grep -qx "scan --json dist/" "$FAKE_DIR/calls"
pid=$(cat "$FAKE_DIR/pid")
check "start: daemon detached into its own session" \
	[ "$(awk '{print $6}' "/proc/$pid/stat")" != "$(awk '{print $6}' /proc/$$/stat)" ]
check "start: daemon stdin is /dev/null" [ "$(readlink "/proc/$pid/fd/0")" = /dev/null ]
check "start: daemon is not our child (double fork)" \
	[ "$(awk '{print $4}' "/proc/$pid/stat")" != $$ ]

mg ci start --state "$state"
check "second start on a monitored state refused, one line" fails_one_line nonzero
# a runner reads `ci start` through pipes: the daemon must hold none of them
check "start through pipes returns (the daemon keeps no caller fd)" \
	sh -c "ls -l /proc/$pid/fd | grep -q pipe: && exit 1; exit 0"

mg ci stop --state "$state" --workspace "$ws" --summary "$s/summary.md" \
	--sarif "$s/out.sarif" --codequality "$s/cq.json" --outputs "$s/outputs"
check "stop: exit 9 under --fail-on block (a would-block decision), got $rc" [ "$rc" -eq 9 ]
check "stop: unload called" grep -qx "unload" "$FAKE_DIR/calls"
check "stop: daemon gone" sh -c "! kill -0 $pid 2>/dev/null"
check "stop: nothing attached checked with status afterwards" \
	sh -c "tail -1 '$FAKE_DIR/calls' | grep -qx status"
check "stop: error annotation with the repository-relative file" \
	grep -q '^::error file=dist/xmrig,line=1,title=minerguard%3A audited xmrig::' "$s/out"
check "stop: warning annotation without file for a path outside the workspace" \
	grep -q '^::warning title=minerguard%3A audited miner-conf::/tmp/pools.txt' "$s/out"
check "stop: scan finding annotated" \
	grep -q '^::error file=dist/xmrig,line=1,title=minerguard%3A found xmrig::' "$s/out"
check "stop: summary header names mode, backend and policy version" \
	grep -q 'Mode: \*\*audit\*\* · backend: \*\*fmodret\*\* · policy version 1' "$s/summary.md"
check "stop: summary row folds the two decisions" \
	grep -q '| audited (would block) | xmrig | .*/dist/xmrig | 2 |' "$s/summary.md"
check "stop: summary notes the scan" grep -q 'scan of dist/: miner files found' "$s/summary.md"
check "stop: SARIF has the workspace file, relative" grep -q '"uri":"dist/xmrig"' "$s/out.sarif"
check "stop: SARIF leaves out paths outside the workspace" \
	sh -c "! grep -q pools.txt '$s/out.sarif'"
check "stop: code quality has the file" grep -q '"path":"dist/xmrig"' "$s/cq.json"
check "stop: outputs" grep -qx "findings=3" "$s/outputs"
check "stop: state says stopped" grep -qx "status=stopped" "$state/state"

# stopping again reports again, unloads nothing, and --fail-on decides
n_unload=$(grep -cx unload "$FAKE_DIR/calls")
mg ci stop --state "$state" --fail-on never --summary "$s/summary2.md"
check "stop again, --fail-on never: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "stop again: no second unload" [ "$(grep -cx unload "$FAKE_DIR/calls")" -eq "$n_unload" ]
mg ci stop --state "$state" --fail-on audit --summary "$s/summary3.md"
check "--fail-on audit: the audit rule fails the job (got $rc)" [ "$rc" -eq 9 ]

# a new job in the same state directory starts with an empty report
: >"$FAKE_DIR/events"
mg ci start --state "$state"
mg ci stop --state "$state" --summary "$s/summary4.md"
check "reused state dir: exit 0, nothing of the earlier job (got $rc)" [ "$rc" -eq 0 ]
check "reused state dir: no miner activity" grep -q '^### minerguard: no miner activity' "$s/summary4.md"
check "reused state dir: no earlier scan notes" sh -c "! grep -q 'scan of dist/' '$s/summary4.md'"

# ---- 2. GITHUB_STEP_SUMMARY is appended to, RUNNER_TEMP holds the state
setup env enforce
export RUNNER_TEMP=$s/runner-temp GITHUB_STEP_SUMMARY=$s/step-summary
mkdir -p "$RUNNER_TEMP"
echo "earlier step" >"$GITHUB_STEP_SUMMARY"
# (fd 5 is the pipe too, as a runner may pass extra fds; timeout ends the
# pipeline's shell; a pipe held by the daemon would keep
# cat, and so the pipeline, from ending: 124)
timeout 30 sh -c "cd '$ws' && '$bin' ci start --mode enforce 2>&1 5>&1 | cat >'$s/out'"
rc=$?
check "start read through a pipe ends (got $rc)" [ "$rc" -eq 0 ]
check "start through a pipe: its line came through" grep -q '^minerguard ci: .* mode, backend fmodret' "$s/out"
check "RUNNER_TEMP: state under \$RUNNER_TEMP/minerguard" [ -f "$RUNNER_TEMP/minerguard/state" ]
mg ci stop --workspace "$ws"
check "blocked in enforce mode: exit 9" [ "$rc" -eq 9 ]
check "GITHUB_STEP_SUMMARY appended" sh -c "head -1 '$GITHUB_STEP_SUMMARY' | grep -qx 'earlier step'"
check "summary counts blocks" grep -q '### minerguard: 2 blocked, 1 audited' "$GITHUB_STEP_SUMMARY"
unset RUNNER_TEMP GITHUB_STEP_SUMMARY

# ---- 3. a kernel that cannot host minerguard: warning, exit 0, not monitored
for code in 3 5 6; do
	setup "nohost$code"
	export FAKE_RUN=exit:$code
	mg ci start --state "$state"
	check "run exits $code: start exits 0" [ "$rc" -eq 0 ]
	check "run exits $code: ::warning:: on stdout" grep -q '^::warning title=minerguard::minerguard: not monitored: ' "$s/out"
	check "run exits $code: state not-monitored" grep -qx "status=not-monitored" "$state/state"
	mg ci stop --state "$state" --summary "$s/summary.md"
	check "run exits $code: stop exits 0" [ "$rc" -eq 0 ]
	check "run exits $code: summary says not monitored" grep -q '^### minerguard: not monitored' "$s/summary.md"
	check "run exits $code: stop does not unload" sh -c "! grep -qx unload '$FAKE_DIR/calls'"
done
# outside GitHub the warning is a stderr line
setup nohost-plain
export FAKE_RUN=exit:3 GITHUB_ACTIONS=
mg ci start --state "$state"
check "not GitHub: warning on stderr, one line" one_line
check "not GitHub: no workflow command" [ -z "$out" ]

# ---- 4. other failures of run: its exit status and one line
setup policy
export FAKE_RUN=exit:7
mg ci start --state "$state"
check "run exits 7 (bad policy): start exits 7 with one line (got $rc)" fails_one_line 7
check "failed state" grep -qx "status=failed" "$state/state"
mg ci stop --state "$state" --summary "$s/summary.md"
check "stop after a failed start: exit 0" [ "$rc" -eq 0 ]
check "stop after a failed start: the summary says start failed" \
	grep -q '^`minerguard ci start` failed: minerguard run: ' "$s/summary.md"
check "stop after a failed start: no unload" sh -c "! grep -qx unload '$FAKE_DIR/calls'"

# ---- 5. never ready: bounded wait, then unload
setup hang
export FAKE_RUN=hang
mg ci start --state "$state" --timeout 2
check "never ready: start fails after --timeout with one line" fails_one_line nonzero
check "never ready: message names the timeout" grep -q 'not enforcing after 2 s' "$s/err"
check "never ready: unload called" grep -qx unload "$FAKE_DIR/calls"

# ---- 6. attached but the self-test failed: not monitored, unloaded
setup selftest
export FAKE_RUN=selftest-fail
mg ci start --state "$state"
check "self-test failed: exit 0" [ "$rc" -eq 0 ]
check "self-test failed: not monitored" grep -qx "status=not-monitored" "$state/state"
check "self-test failed: unloaded" grep -qx unload "$FAKE_DIR/calls"

# ---- 7. a build without `scan`: noted, start goes on
setup noscan
export FAKE_SCAN=none
mg ci start --state "$state" --scan dist/
check "no scan command: start exits 0" [ "$rc" -eq 0 ]
mg ci stop --state "$state" --summary "$s/summary.md" --fail-on never
check "no scan command: the summary says so" grep -q 'scan of dist/ skipped: this minerguard has no scan command' "$s/summary.md"

# ---- 8. stop without start, bad options
setup nostate
mg ci stop --state "$s/nothing"
check "stop without state: exit 1, one line" fails_one_line 1
mg ci stop --state "$state" --fail-on sometimes
check "bad --fail-on: exit 2, one line" fails_one_line 2
mg ci start --mode loud
check "bad --mode: exit 2, one line" fails_one_line 2
mkdir -p "$s/shared" && chmod 0777 "$s/shared"
mg ci start --state "$s/shared"
check "world-writable state dir refused" fails_one_line 1

echo "ci: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
