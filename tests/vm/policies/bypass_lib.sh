# Helpers of the bypass scenarios (tests/vm/scenarios/2x_bypass_*.sh),
# sourced from /mg/policies/ (the initramfs copies tests/vm/policies/).
#
#   bp_run CHECK WANT PROBE-ARGS...   runs mg-probe; WANT ok | EPERM | ENOENT ...
#                                     (ok also accepts "ok status=N"); sets BP_PID
#   bp_logged CHECK STRING...         some decision line holds every STRING
#   bp_not_logged CHECK STRING...     no decision line holds every STRING
#   bp_mkexe PATH                     a tiny shell script
BP_POLICY=/mg/policies/bypass.lua

bp_run() {
	_c=$1 _w=$2
	shift 2
	"$MG_PROBE" "$@" >/tmp/bp.out 2>/tmp/bp.err &
	BP_PID=$!
	wait "$BP_PID"
	_o=$(cat /tmp/bp.out)
	if [ "$_w" = ok ]; then
		case "$_o" in ok | ok\ *) pass "$_c -> ok"; return 0 ;; esac
	else
		case "$_o" in "errno="*" $_w") pass "$_c -> $_w"; return 0 ;; esac
	fi
	fail "$_c -> $_w" "got '$_o' $(tail -n 1 /tmp/bp.err)"
}

# _bp_has PATTERN...: a log line holds every PATTERN (fixed strings), where
# "@pid:N" stands for a process object of pid N anywhere in the line (the
# process, its parent or an ancestor: an exec's decision is the forked
# child's, and whether the parent object carries more than its pid depends
# on whether it still ran when the daemon read /proc).
_bp_has() {
	cp "$MG_LOG" /tmp/bp.m 2>/dev/null || return 1
	for _s in "$@"; do
		case "$_s" in
		@pid:*) grep -E -- "[{]\"pid\":${_s#@pid:}[,}]" /tmp/bp.m >/tmp/bp.m2 ;;
		*) grep -F -- "$_s" /tmp/bp.m >/tmp/bp.m2 ;;
		esac
		mv /tmp/bp.m2 /tmp/bp.m
	done
	[ -s /tmp/bp.m ]
}

bp_logged() {
	_c=$1
	shift
	_n=0
	while [ "$_n" -lt 50 ]; do
		_bp_has "$@" && { pass "logged: $_c"; return 0; }
		sleep 0.1
		_n=$((_n + 1))
	done
	fail "logged: $_c" "no line with all of [$*]; last line: $(tail -n 1 "$MG_LOG" | cut -c1-2000)"
}

bp_not_logged() {
	_c=$1
	shift
	sleep 0.3
	if _bp_has "$@"; then
		fail "not logged: $_c" "$(head -n 1 /tmp/bp.m | cut -c1-400)"
	else
		pass "not logged: $_c"
	fi
}

bp_mkexe() {
	mkdir -p "$(dirname "$1")"
	printf '#!/bin/sh\nexit 0\n' >"$1"
	chmod 0755 "$1"
}

# How a decision at hook mmap names its file: the path where the hook may
# resolve one (lsm: mmap_file sleeps), the name where it may not (fmodret:
# bpf_d_path is refused at security_mmap_file).
bp_mmap_file() {
	if [ "$MG_EXPECT_BACKEND" = lsm ]; then
		echo "\"path\":\"$1\""
	else
		echo "\"name\":\"${1##*/}\""
	fi
}
