# Containers (issue 5.7): on an overlayfs mount built the way container
# runtimes build one (lower + upper + work), a miner file that stays in the
# lower layer and one copied up to the upper layer are both refused; so is
# creating one. Events carry the path as the process sees it, in the host
# and inside a chroot into the merged tree.
# mg-timeout: 360
. /mg/policies/bypass_lib.sh
O=/tmp/bp/ovl
if ! load_module overlay; then
	fail "load overlay.ko" "$(find /lib/modules -name 'overlay.ko*' | head -n 1)"
	exit 1
fi
mkdir -p $O/lower/cu $O/lower/bin $O/upper $O/work $O/merged
bp_mkexe $O/lower/mg-xmrig
bp_mkexe $O/lower/cu/mg-xmrig
bp_mkexe $O/lower/ok
cp /bin/busybox $O/lower/bin/busybox
mount -t overlay overlay -o lowerdir=$O/lower,upperdir=$O/upper,workdir=$O/work $O/merged ||
	{ fail "mount overlay" "mount failed"; exit 1; }
echo "# changed" >>$O/merged/cu/mg-xmrig # copy-up, before minerguard runs
[ -f $O/upper/cu/mg-xmrig ] && [ ! -e $O/upper/mg-xmrig ] && pass "one file copied up, one in lower" ||
	fail "one file copied up, one in lower" "$(ls -R $O/upper)"

start_daemon --mode enforce --policy "$BP_POLICY" || exit 1

bp_run "open lower-layer miner through the overlay" EPERM open $O/merged/mg-xmrig
bp_logged "lower-layer miner: overlay path" "\"path\":\"$O/merged/mg-xmrig\"" '"name":"b_name"' \
	'"hook":"open"' '"verdict":"block"' "@pid:$BP_PID"
bp_run "exec lower-layer miner through the overlay" EPERM exec $O/merged/mg-xmrig
bp_run "open copied-up miner through the overlay" EPERM open $O/merged/cu/mg-xmrig
bp_logged "copied-up miner: overlay path" "\"path\":\"$O/merged/cu/mg-xmrig\"" '"name":"b_name"' \
	'"verdict":"block"' "@pid:$BP_PID"
bp_run "exec copied-up miner through the overlay" EPERM exec $O/merged/cu/mg-xmrig
bp_run "open an innocent overlay file (control)" ok open $O/merged/ok
bp_run "create mg-xmrig in an overlay dir" EPERM create $O/merged/bin/mg-xmrig
[ ! -e $O/upper/bin/mg-xmrig ] && pass "nothing created in the upper layer" ||
	fail "nothing created in the upper layer" "$(ls $O/upper/bin)"
# A container's view: chroot into the merged tree.
if chroot $O/merged /bin/busybox cat /mg-xmrig >/dev/null 2>/tmp/bp-ovl.err; then
	fail "cat /mg-xmrig inside the container root -> EPERM" "read it"
elif grep -q "Operation not permitted" /tmp/bp-ovl.err; then
	pass "cat /mg-xmrig inside the container root -> EPERM"
else
	fail "cat /mg-xmrig inside the container root -> EPERM" "$(cat /tmp/bp-ovl.err)"
fi
bp_logged "container view: the path as the container sees it" '"path":"/mg-xmrig"' \
	'"name":"b_name"' '"verdict":"block"'
stop_daemon
umount $O/merged
