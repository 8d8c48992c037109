# Executable mappings (issue 5.1): mmap_file with PROT_EXEC and
# file_mprotect adding PROT_EXEC catch a miner file mapped through an fd
# opened before minerguard started, or received over a unix socket; exec
# rules cover mappings (ld.so /path/miner of an exec-only rule); dlopen
# through /proc/self/fd is caught at file_open.
# mg-timeout: 180
. /mg/policies/bypass_lib.sh
B=/tmp/bp
mkdir -p $B
for f in mg-lib.so innocent.so; do cp /bin/busybox $B/$f; done
# dynamic ELF files (ld.so cannot run the static busybox)
for f in mg-execonly mg-xmrig ok-elf; do cp "$MG_PROBE" $B/$f; done

# fds opened before the daemon starts: the open already happened.
exec 3<$B/mg-lib.so
exec 4<$B/innocent.so
exec 5<$B/mg-execonly
start_daemon --mode enforce --policy "$BP_POLICY" || exit 1

bp_run "mmap PROT_EXEC of an inherited fd of mg-lib.so" EPERM mmapx-fd 3
bp_logged "mmap of mg-lib.so blocked at hook mmap" \
	"$(bp_mmap_file $B/mg-lib.so)" '"name":"b_name"' '"hook":"mmap"' '"verdict":"block"' "@pid:$BP_PID"
bp_run "mprotect +PROT_EXEC of an inherited fd of mg-lib.so" EPERM mprotectx-fd 3
bp_logged "mprotect of mg-lib.so blocked at hook mprotect" \
	'"name":"mg-lib.so"' '"name":"b_name"' '"hook":"mprotect"' '"verdict":"block"' "@pid:$BP_PID"
bp_run "fd of mg-lib.so passed over a unix socket, mapped PROT_EXEC" EPERM passfd-mmapx 3
bp_logged "mmap after SCM_RIGHTS blocked" \
	"$(bp_mmap_file $B/mg-lib.so)" '"hook":"mmap"' '"verdict":"block"'
bp_run "mmap PROT_EXEC of an innocent inherited fd" ok mmapx-fd 4
bp_run "mprotect +PROT_EXEC of an innocent inherited fd" ok mprotectx-fd 4
bp_not_logged "innocent.so" "innocent.so"

# An exec-only rule: reading is allowed, mapping it executable is not.
bp_run "open of exec-only mg-execonly" ok open $B/mg-execonly
bp_run "mmap PROT_EXEC of exec-only mg-execonly" EPERM mmapx $B/mg-execonly
bp_logged "exec-only rule at hook mmap" \
	"$(bp_mmap_file $B/mg-execonly)" '"name":"b_exec_only"' '"hook":"mmap"' '"verdict":"block"' "@pid:$BP_PID"
bp_run "mmap PROT_EXEC of the inherited fd of mg-execonly" EPERM mmapx-fd 5

# ld.so runs a program without execve of it: it opens and maps the file.
LDSO=/lib64/ld-linux-x86-64.so.2
ldso() {
	_c=$1
	shift
	_want=$1
	shift
	if "$LDSO" "$@" open / >/dev/null 2>/tmp/bp-ld.err; then
		fail "$_c" "ran"
	elif grep -q "$_want" /tmp/bp-ld.err; then
		pass "$_c"
	else
		fail "$_c" "$(head -c 300 /tmp/bp-ld.err)"
	fi
}
if [ -x $LDSO ]; then
	"$LDSO" $B/ok-elf open / >/dev/null && pass "ld.so $B/ok-elf runs (control)" ||
		fail "ld.so $B/ok-elf runs (control)" "exit $?"
	ldso "ld.so $B/mg-xmrig fails with EPERM (open rule: refused at open)" \
		"Operation not permitted" $B/mg-xmrig
	bp_logged "ld.so opening mg-xmrig blocked at open" \
		"\"path\":\"$B/mg-xmrig\"" '"name":"b_name"' '"hook":"open"' '"verdict":"block"' \
		'"name":"ld-linux-x86-64"'
	# ld.so names no errno here; the mmapx checks above prove it is EPERM
	ldso "ld.so $B/mg-execonly fails (exec-only rule: mapping refused)" \
		"failed to map segment" $B/mg-execonly
	bp_logged "ld.so mapping mg-execonly blocked at mmap" \
		"$(bp_mmap_file $B/mg-execonly)" '"name":"b_exec_only"' '"hook":"mmap"' '"verdict":"block"' \
		'"name":"ld-linux-x86-64"'
else
	fail "ld.so present" "$LDSO missing from the initramfs"
fi

# dlopen-like re-open of an inherited fd through /proc/self/fd/N.
bp_run "open /proc/self/fd/3 (mg-lib.so)" EPERM open /proc/self/fd/3
bp_logged "re-open through /proc/self/fd reports the real path" \
	"\"path\":\"$B/mg-lib.so\"" '"hook":"open"' '"verdict":"block"' "@pid:$BP_PID"

stop_daemon
