# Fileless execution (issue 5.4): by default (options memfd_exec = "match")
# a memfd named like a miner ("memfd:NAME") is refused; with
# options { memfd_exec = "deny" } every exec of a memfd is, and with
# tmpfs_exec = "deny" every exec from a tmpfs mount (/dev/shm, a tmpfs
# /tmp) but not from the initramfs (rootfs).
# mg-timeout: 400
. /mg/policies/bypass_lib.sh
B=/tmp/bp
mkdir -p $B
mountpoint -q /dev/shm || mount -t tmpfs tmpfs /dev/shm
cp /bin/busybox /dev/shm/tool
cp /bin/busybox $B/tool

start_daemon --mode enforce --policy "$BP_POLICY" || exit 1
bp_run "fexecve of a memfd named mg-xmrig" EPERM memfd-exec mg-xmrig /bin/busybox true
bp_logged "memfd name judged as the name it was given" '"memfd:mg-xmrig' '"name":"b_name"' \
	'"verdict":"block"' '"value":"mg-xmrig"' "@pid:$BP_PID"
bp_run "fexecve of a memfd named MG-XmRiG" EPERM memfd-exec MG-XmRiG /bin/busybox true
bp_run "fexecve of a memfd named MgMiner-7 (prefix)" EPERM memfd-exec MgMiner-7 /bin/busybox true
bp_run "fexecve of an innocent memfd (default options)" ok memfd-exec innocent /bin/busybox true
bp_run "exec from /dev/shm (default options)" ok exec /dev/shm/tool true
stop_daemon

start_daemon --mode enforce --policy "$BP_POLICY" --policy /mg/policies/bypass_fileless.lua || exit 1
bp_run "memfd_exec=deny: fexecve of an innocent memfd" EPERM memfd-exec innocent /bin/busybox true
bp_logged "memfd exec refused by option.memfd_exec" '"memfd:innocent' '"name":"option.memfd_exec"' \
	'"kind":"memfd"' '"hook":"exec"' '"verdict":"block"' "@pid:$BP_PID"
# memfd_create("") names the file exactly "memfd:": still a memfd (the
# tmpfs option would refuse it too, so the rule named in the event decides).
bp_run "memfd_exec=deny: fexecve of a memfd with an empty name" EPERM memfd-exec "" /bin/busybox true
bp_logged "empty memfd name refused by option.memfd_exec" '"name":"option.memfd_exec"' \
	'"kind":"memfd"' '"hook":"exec"' "@pid:$BP_PID"
bp_run "tmpfs_exec=deny: exec from /dev/shm" EPERM exec /dev/shm/tool true
bp_logged "tmpfs exec refused by option.tmpfs_exec" '"path":"/dev/shm/tool"' \
	'"name":"option.tmpfs_exec"' '"kind":"tmpfs"' '"hook":"exec"' "@pid:$BP_PID"
bp_run "tmpfs_exec=deny: exec from a tmpfs /tmp" EPERM exec $B/tool true
bp_run "tmpfs_exec=deny: reading /dev/shm/tool is still allowed" ok open /dev/shm/tool
bp_run "exec from the initramfs (rootfs, not tmpfs)" ok exec /bin/busybox true
"$MG_BIN" mode audit >/dev/null
bp_run "audit mode: exec from /dev/shm allowed" ok exec /dev/shm/tool true
bp_logged "audit mode: reported as would_block" '"path":"/dev/shm/tool"' '"name":"option.tmpfs_exec"' \
	'"verdict":"audit"' '"would_block":true' "@pid:$BP_PID"
"$MG_BIN" mode enforce >/dev/null
stop_daemon
