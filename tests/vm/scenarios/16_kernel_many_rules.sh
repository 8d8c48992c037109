# More matching rules than the kernel keeps per access (16 distinct rules
# with exceptions): the block rule that did not fit still applies, flagged
# exceptions_unchecked, and `minerguard match` names the same rule.
# mg-timeout: 120

T=/tmp/mgt
P=/tmp/mg-many
NAME=mg-overflow-abcdefghijklmnop
mkdir -p $T $P
: >$T/$NAME
: >$T/mg-overflow-zzz

# r04..r19: audit rules on prefixes of length 4..19, each with an exception
# that does not apply; r20: a block rule on the 20-byte prefix.
: >$P/many.lua
for len in 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
	printf 'rule { name = "r%02d", action = "audit", hooks = { "open" }, name_prefixes = { "%s" }, except = { paths = { "/nonexistent/%s" } } }\n' \
		"$len" "$(echo "$NAME" | cut -c1-"$len")" "$len" >>$P/many.lua
done
printf 'rule { name = "r20", action = "block", hooks = { "open" }, name_prefixes = { "%s" } }\n' \
	"$(echo "$NAME" | cut -c1-20)" >>$P/many.lua

want=$("$MG_BIN" match --policy $P "$T/$NAME" | cut -f3,4)
[ "$want" = "$(printf 'r20\tblock')" ] && pass "match: r20 blocks" || fail "match: r20 blocks" "got '$want'"

start_daemon --mode enforce --policy $P || exit 1
expect_access EPERM open "$T/$NAME"
expect_event "kernel names r20, exceptions unchecked" \
	"\"rule\":\\{\"name\":\"r20\".*\"path\":\"$T/$NAME\".*\"exceptions_unchecked\""
# a name sharing only 12 bytes: nine audit rules, the first one decides
expect_access ok open "$T/mg-overflow-zzz"
expect_event "kernel names r04 when only audit rules match" \
	"\"rule\":\\{\"name\":\"r04\".*\"path\":\"$T/mg-overflow-zzz\".*\"verdict\":\"audit\""
stop_daemon
