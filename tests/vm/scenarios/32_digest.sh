# Kernel digests (issue 10): with sha256 signatures in the policy, exec and
# executable mmap take the file's SHA-256 in the kernel (bpf_ima_file_hash,
# lsm backend). A renamed copy nobody scanned is refused by what it is; an
# executable version is hashed once (the verdict cache keeps a clean
# digest while the content cannot have changed); a file rewritten in place
# is judged again; a digest that cannot be taken is unknown, never clean:
# counted, reported, and decided by options.digest_unknown.
# mg-timeout: 240
if [ "$MG_EXPECT_BACKEND" != lsm ]; then
	skip "kernel digests" "bpf_ima_file_hash exists only for BPF LSM programs; on fmodret digests are the scanner's marks (scenario 27)"
	exit 0
fi
P=/tmp/dg-policy
S=/var/lib/mgd # outside the scan roots: only the kernel's digest can know these files
mkdir -p $P $S
sum=$(sha256sum /mg/xmrig-like | cut -d' ' -f1)
write_policy() { # digest_unknown value
	cat >$P/p.lua <<LUA
rule { name = "dg-xmrig", action = "block", hooks = { "exec" }, sha256 = { "$sum" } }
options { digest_unknown = "$1" }
LUA
}
# the daemon with the knob on for $S/true: DIGEST_UNKNOWN-VALUE
start_failing() {
	write_policy "$1"
	export MINERGUARD_DEBUG=digest-fail:$S/true
	start_daemon --mode enforce --policy $P
	unset MINERGUARD_DEBUG
}
ctr() { "$MG_BIN" status --json 2>/dev/null | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
write_policy audit
cp /mg/xmrig-like $S/sysupd
cp /bin/busybox $S/true
start_daemon --mode enforce --policy $P || exit 1

expect_access EPERM exec $S/sysupd
expect_event "decision names the digest" \
	'"dg-xmrig".*"path":"/var/lib/mgd/sysupd".*"kind":"sha256"'
grep -F '"path":"/var/lib/mgd/sysupd"' "$MG_LOG" | grep -q '"inode_mark":true' &&
	fail "refused by the kernel's digest, not a scanner mark" "the decision came from a mark" ||
	pass "refused by the kernel's digest, not a scanner mark"
[ "$(ctr digest_failures)" = 0 ] && pass "no digest failed" ||
	fail "no digest failed" "digest_failures=$(ctr digest_failures): is IMA hashing available?"

# one hash per executable version, whichever hook asks first
d0=$(ctr digests_taken)
expect_access ok exec $S/true
d1=$(ctr digests_taken)
expect_access ok exec $S/true
expect_access ok exec $S/true
d2=$(ctr digests_taken)
[ $((d1 - d0)) -ge 1 ] && [ "$d2" = "$d1" ] &&
	pass "an executable version is hashed once (exec and its mmaps: $((d1 - d0)), then 0 for two more execs)" ||
	fail "an executable version is hashed once" "digests_taken $d0 -> $d1 -> $d2"
# and then decided by the cache: the hooks of one file (open, exec, mmap)
# share one entry. (Each exec stored 3 entries when they did not; other
# processes' first accesses, the status command's say, may add one.)
s0=$(ctr verdict_cache_stores) h0=$(ctr verdict_cache_hits)
expect_access ok exec $S/true
expect_access ok exec $S/true
s1=$(ctr verdict_cache_stores) h1=$(ctr verdict_cache_hits)
[ $((s1 - s0)) -lt 3 ] && [ $((h1 - h0)) -ge 4 ] &&
	pass "repeated execs are cache hits (+$((h1 - h0)) hits, +$((s1 - s0)) stores)" ||
	fail "repeated execs are cache hits" "stores $s0 -> $s1, hits $h0 -> $h1"
# rewritten in place (same inode): judged again at once
cat /mg/xmrig-like >$S/true
expect_access EPERM exec $S/true
cat /bin/busybox >$S/true
expect_access ok exec $S/true
stop_daemon

# a digest that cannot be taken (forced for this one file by the test
# knob: the VM has no file system with O_DIRECT, the real way to make IMA
# fail); other files are hashed as before
cp /bin/busybox $S/other-true
start_failing deny
expect_access EPERM exec $S/true
expect_event "unknown digest decided by options.digest_unknown = deny" \
	'"option.digest_unknown".*"path":"/var/lib/mgd/true".*"kind":"digest_unknown"'
expect_event "digest-unknown record with a count" '"action":"digest-unknown".*"count":[1-9]'
[ "${fails:=$(ctr digest_failures)}" -ge 1 ] 2>/dev/null && pass "digest_failures counts it ($fails)" ||
	fail "digest_failures counts it" "digest_failures=$fails"
# the option decides only what could not be hashed
expect_access ok exec $S/other-true
stop_daemon
start_failing audit
expect_access ok exec $S/true
expect_event "unknown digest audited by options.digest_unknown = audit" \
	'"option.digest_unknown".*"path":"/var/lib/mgd/true".*"verdict":"audit"'
stop_daemon
