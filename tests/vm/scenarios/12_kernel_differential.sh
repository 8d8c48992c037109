# Differential test: the kernel and `minerguard match` must decide the same
# way. Builds 10,000+ files whose names and paths come from the shipped
# policy and the VM test policy (each string as a name, upper-cased, with
# text before/after, as a path, under excepted and plain directories),
# opens every one under the daemon in audit mode, and compares the kernel's
# (path, rule, signature kind) decisions with `minerguard match` on the
# same paths, executable and hook.
# mg-timeout: 600

SHIPPED=/usr/share/minerguard/policies
TESTPOL=/mg/policies/vm_test.lua
D=/tmp/diff
LIST=/tmp/diff-paths
EXE=/bin/busybox # what `cat` runs as

[ -f "$TESTPOL" ] || { fail "test policy present" "$TESTPOL not in the initramfs"; exit 1; }

# Candidate paths. Only plain characters, so JSON escaping cannot differ.
cat "$SHIPPED"/*.lua "$TESTPOL" | grep -o '"[^"]*"' | tr -d '"' |
	grep -E '^[A-Za-z0-9._+/-]{2,100}$' | grep -vE '//|/\.\.?/|/\.\.?$|/$|^/(proc|sys|dev)/' | sort -u |
	awk -v D="$D" '
	function emit(p) { if (!(p in seen)) { seen[p] = 1; print p } }
	BEGIN { ndirs = split(D "/a " D "/B/c /tmp/mgt/exc/dir/s /tmp/mgt/mining /var/tmp/q", dirs, " ") }
	/^\// { emit($0); emit($0 "x"); emit($0 "/f"); n = split($0, parts, "/"); emit(D "/p/" parts[n]); next }
	{
		v[1] = $0; v[2] = toupper($0); v[3] = $0 "-1.0.tar.gz"; v[4] = "lib" $0
		v[5] = substr($0, 1, length($0) - 1); v[6] = "x." $0; v[7] = "." $0; v[8] = $0 "~"
		for (i = 1; i <= 8; i++)
			for (j = 1; j <= ndirs; j++)
				if (v[i] != "" && v[i] !~ /\//) emit(dirs[j] "/" v[i])
	}' >"$LIST.all"

# Create what does not exist yet (never touch existing files), keep files.
: >"$LIST"
awk '{ d = $0; sub(/\/[^\/]*$/, "", d); if (d != "" && !(d in s)) { s[d] = 1; print d } }' "$LIST.all" |
	while read -r d; do [ -d "$d" ] || mkdir -p "$d" 2>/dev/null; done
while read -r p; do
	[ -e "$p" ] || true 2>/dev/null >"$p"
	[ -f "$p" ] && echo "$p" >>"$LIST"
done <"$LIST.all"
total=$(wc -l <"$LIST")
[ "$total" -ge 10000 ] && pass "differential corpus: $total files" ||
	fail "differential corpus: $total files" "fewer than 10000"

# What userspace says.
xargs "$MG_BIN" match --policy "$SHIPPED" --policy "$TESTPOL" --hook open --exe "$EXE" <"$LIST" |
	awk -F '\t' '$2 == "match" { print $1 "\t" $3 "\t" $5 }' | sort >/tmp/diff-user
nuser=$(wc -l </tmp/diff-user)

start_daemon --mode audit --policy "$SHIPPED" --policy "$TESTPOL" || exit 1
# Open in chunks so the ring buffer (8 MiB, ~990 events) never overflows.
i=1
while [ "$i" -le "$total" ]; do
	sed -n "${i},$((i + 299))p" "$LIST" | xargs cat >/dev/null 2>&1
	i=$((i + 300))
	# let the daemon drain before the next chunk
	prev=-1
	while [ "$prev" -ne "$(wc -l <"$MG_LOG")" ]; do
		prev=$(wc -l <"$MG_LOG")
		sleep 0.3
	done
done
"$MG_BIN" status --json >/tmp/diff-status 2>&1
stop_daemon

grep -F '"hook":"open"' "$MG_LOG" | grep -F '"name":"cat"' |
	sed -n 's/.*"rule":{"name":"\([^"]*\)".*"file":{"path":"\([^"]*\)".*"signature":{"kind":"\([^"]*\)".*/\2\t\1\t\3/p' |
	sort >/tmp/diff-kernel
nkern=$(wc -l </tmp/diff-kernel)

if grep -q '"events_dropped":0,' /tmp/diff-status; then
	pass "no decision dropped"
else
	fail "no decision dropped" "$(grep -o '"events_dropped":[0-9]*' /tmp/diff-status)"
fi
[ "$nuser" -ge 1000 ] && pass "userspace matches a meaningful share ($nuser of $total)" ||
	fail "userspace matches a meaningful share" "only $nuser of $total"
if diff /tmp/diff-user /tmp/diff-kernel >/tmp/diff-out 2>&1; then
	pass "kernel and match agree on all $total paths ($nkern decisions)"
else
	fail "kernel and match agree on all $total paths" \
		"user $nuser vs kernel $nkern; first differences: $(grep '^[-+][^-+]' /tmp/diff-out | head -n 5 | tr '\t\n' ' ;')"
fi
