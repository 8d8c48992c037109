# The verdict cache (issue 13): "nothing matched" is remembered per inode
# and hook. A differential run drives random opens and executable mappings
# between renames (files and directories, into and out of directory
# signatures), hard links, unlink/re-create, bind mounts, chroot, a private
# mount namespace, dentry cache drops and policy reloads, with
# verdict_cache = verify: every hit is decided in full too, and no hit may
# be contradicted. The same run with the cache's keys ignored must be
# contradicted (the test sees a stale cache). Then the cache on, as
# shipped: answers follow renames and links at once.
# mg-timeout: 420
P=/tmp/vc-policy
R=/tmp/vc
mkdir -p $P
write_policy() { # a | b: b blocks f1 instead of f3
	_n=f3
	[ "$1" = b ] && _n=f1
	cat >$P/p.lua <<LUA
rule { name = "vc-name", action = "block", hooks = { "open", "exec" }, names = { "$_n" } }
rule { name = "vc-paths", action = "block", dirs = { "$R/blk" }, paths = { "$R/d1/f2" } }
rule { name = "vc-dirname", action = "block", dir_names = { "kit-xmr" } }
rule { name = "vc-exec-only", action = "block", hooks = { "exec" }, names = { "f4" } }
rule { name = "vc-audit", action = "audit", hooks = { "open" }, names = { "f0" } }
LUA
}
# the fuzzer's reload command: rewrite the policy, ask the daemon
cat >/tmp/vc-reload <<SH
#!/bin/sh
R=$R
P=$P
n=f3; [ "\$1" = b ] && n=f1
sed -i "s/names = { \"f[13]\" }/names = { \"\$n\" }/" $P/p.lua
"$MG_BIN" reload >/dev/null 2>&1
SH
chmod +x /tmp/vc-reload
ctr() { "$MG_BIN" status --json 2>/dev/null | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

fuzz_run() { # LABEL CACHE-MODE SEED
	rm -rf $R
	mkdir -p $R
	write_policy a
	start_daemon --mode enforce --policy $P --verdict-cache "$2" || return 1
	VC_RELOAD=/tmp/vc-reload "$MG_PROBE" vcfuzz $R "$3" 4000 >/tmp/vc-$1.out 2>/tmp/vc-$1.err
	_rc=$?
	hits=$(ctr verdict_cache_hits)
	stores=$(ctr verdict_cache_stores)
	mism=$(ctr verdict_cache_mismatches)
	stop_daemon
	echo "verdict cache $1: $(cat /tmp/vc-$1.out) stores=$stores hits=$hits mismatches=$mism"
	[ "$_rc" -eq 0 ] || fail "fuzzer ran ($1)" "rc=$_rc $(tail -n 2 /tmp/vc-$1.err)"
}

# ---- differential: cached and full decisions agree ----------------------
if fuzz_run verify verify 20261206; then
	read _ops _opens ok eperm _other <<EOF2
$(sed 's/[a-z]*=//g' /tmp/vc-verify.out)
EOF2
	[ "${ok:-0}" -ge 300 ] && [ "${eperm:-0}" -ge 100 ] &&
		pass "differential run saw both verdicts ($ok allowed, $eperm refused)" ||
		fail "differential run saw both verdicts" "$(cat /tmp/vc-verify.out)"
	[ "${hits:-0}" -ge 500 ] && pass "differential run: $hits cache hits checked in full" ||
		fail "differential run: cache hits" "hits=${hits:-none} stores=${stores:-none}"
	[ "${mism:-x}" = 0 ] && pass "cached and full decisions agree on every hit" ||
		fail "cached and full decisions agree on every hit" "mismatches=${mism:-none}"
fi
# the same churn with the name and path keys ignored must be caught
if fuzz_run stale verify-ignore-keys 20261206; then
	[ "${mism:-0}" -ge 1 ] && pass "a stale cache is caught by the differential ($mism mismatches)" ||
		fail "a stale cache is caught by the differential" "mismatches=${mism:-none} hits=${hits:-none}"
fi

# ---- the cache on (the default): answers follow the file system ---------
rm -rf $R
mkdir -p $R/x $R/y
write_policy a
echo data >$R/x/g
echo data >$R/y/h
start_daemon --mode enforce --policy $P || exit 1
h0=$(ctr verdict_cache_hits)
expect_access ok open $R/x/g
expect_access ok open $R/x/g
expect_access ok open $R/x/g
h1=$(ctr verdict_cache_hits)
[ "${h1:-0}" -gt "${h0:-0}" ] && pass "repeated open is a cache hit ($h0 -> $h1)" ||
	fail "repeated open is a cache hit" "hits $h0 -> $h1"
mv $R/x $R/blk
expect_access EPERM open $R/blk/g
mv $R/blk $R/x2
# a hard link into a signature directory, then the old name removed
expect_access ok open $R/y/h
expect_access ok open $R/y/h
ln $R/y/h $R/kit-h 2>/dev/null
mkdir -p $R/kit-xmr
ln $R/y/h $R/kit-xmr/h
expect_access EPERM open $R/kit-xmr/h
rm -f $R/y/h $R/kit-h
echo 2 >/proc/sys/vm/drop_caches
expect_access EPERM open $R/kit-xmr/h
# hook bits: open cached, executable mapping still judged
echo data >$R/y/f4
expect_access ok open $R/y/f4
expect_access ok open $R/y/f4
expect_access EPERM mmapx $R/y/f4
# a reload that starts blocking a cached name
echo data >$R/y/f1
expect_access ok open $R/y/f1
expect_access ok open $R/y/f1
sed -i 's/names = { "f3" }/names = { "f1" }/' $P/p.lua
"$MG_BIN" reload >/dev/null 2>&1
expect_access EPERM open $R/y/f1
stop_daemon
