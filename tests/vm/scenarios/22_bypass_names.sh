# Other names of one miner file (issue 5.2): a bind mount of a miner file
# onto an innocent path (the dentry name stays the miner's), /proc/self/fd/N
# re-open, execveat(fd, "", AT_EMPTY_PATH), access from inside a chroot and
# from another mount namespace. Events carry the path as the process sees it.
# mg-timeout: 180
. /mg/policies/bypass_lib.sh
B=/tmp/bp
mkdir -p $B/bin $B/root/bin $B/root/x $B/ns
bp_mkexe $B/mg-xmrig
bp_mkexe $B/innocent
bp_mkexe $B/root/x/mg-xmrig
cp /bin/busybox $B/root/bin/busybox
# the innocent path becomes the miner file
mount --bind $B/mg-xmrig $B/innocent
exec 3<$B/mg-xmrig

start_daemon --mode enforce --policy "$BP_POLICY" || exit 1

bp_run "open a bind mount of mg-xmrig at an innocent path" EPERM open $B/innocent
bp_logged "bind mount: rule b_name, path as the process sees it" \
	"\"path\":\"$B/innocent\"" '"name":"b_name"' '"hook":"open"' '"verdict":"block"' \
	'"value":"mg-xmrig"' "@pid:$BP_PID"
bp_run "exec the bind mount" EPERM exec $B/innocent
bp_run "open /proc/self/fd/3 (inherited fd of mg-xmrig)" EPERM open /proc/self/fd/3
bp_logged "/proc/self/fd re-open reports the real path" \
	"\"path\":\"$B/mg-xmrig\"" '"hook":"open"' "@pid:$BP_PID"
bp_run "execveat(fd, \"\", AT_EMPTY_PATH) of mg-xmrig" EPERM execveat $B/mg-xmrig
bp_logged "execveat blocked" "\"path\":\"$B/mg-xmrig\"" '"name":"b_name"' '"verdict":"block"'
bp_run "execveat of an innocent file (control)" ok execveat /bin/true

# chroot: the path differs (/x/mg-xmrig inside), the name does not.
if chroot $B/root /bin/busybox cat /x/mg-xmrig >/dev/null 2>/tmp/bp-chroot.err; then
	fail "cat /x/mg-xmrig inside a chroot -> EPERM" "read it"
elif grep -q "Operation not permitted" /tmp/bp-chroot.err; then
	pass "cat /x/mg-xmrig inside a chroot -> EPERM"
else
	fail "cat /x/mg-xmrig inside a chroot -> EPERM" "$(cat /tmp/bp-chroot.err)"
fi
bp_logged "chroot: the event has the path as seen inside the chroot" \
	'"path":"/x/mg-xmrig"' '"name":"b_name"' '"hook":"open"' '"verdict":"block"'

# Another mount namespace, where the file sits at another path.
if unshare -m sh -c "mount --bind $B/root/x $B/ns && cat $B/ns/mg-xmrig" >/dev/null 2>/tmp/bp-ns.err; then
	fail "cat through a private mount namespace -> EPERM" "read it"
elif grep -q "Operation not permitted" /tmp/bp-ns.err; then
	pass "cat through a private mount namespace -> EPERM"
else
	fail "cat through a private mount namespace -> EPERM" "$(cat /tmp/bp-ns.err)"
fi
bp_logged "mount namespace: path as seen there" "\"path\":\"$B/ns/mg-xmrig\"" '"name":"b_name"' \
	'"verdict":"block"'
umount $B/innocent
stop_daemon
