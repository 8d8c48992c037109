#!/bin/bash
# Zero-false-positive proof for the shipped policies: every file path Debian
# bookworm ships (main, Contents-amd64 + Contents-all, incl. bookworm-updates)
# plus every directory on those paths goes through `minerguard match`; not
# one may match. Usage: tests/corpus/run.sh BINARY
#
# The indices come from apt-file (Contents files in apt's own lists dir, kept
# out of git); the extracted path list is cached in .cache/corpus/.
# Environment: MG_CORPUS_NO_UPDATE=1 skips `apt-file update` and uses the
# indices already on disk; MG_CORPUS_POLICY overrides the policy directory;
# MG_CORPUS_HOOKS the kernel hooks checked (default: all six).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi
BIN=$(realpath -m "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
POLICY=${MG_CORPUS_POLICY:-$ROOT/policies}
CACHE=$ROOT/.cache/corpus
PATHS=$CACHE/paths.txt
# bookworm main holds ~7.3 M file paths; fewer than this means a broken or
# partial index, and a test over it would prove nothing.
MIN_PATHS=5000000
SHOW=50

passed=0
failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
finish() {
	echo "$passed passed, $failed failed"
	if [ "$failed" -eq 0 ]; then exit 0; fi
	exit 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

if [ ! -x "$BIN" ]; then
	fail "binary $1 is missing or not executable"
	finish
fi
mkdir -p "$CACHE"
match() { "$BIN" match --policy "$POLICY" --lua-dir "$ROOT/lua" --json "$@"; }

# --- 1. Contents indices ------------------------------------------------------
# apt-file's /etc/apt/apt.conf.d/50apt-file.conf makes `apt update` fetch
# Contents-<arch> (apt adds "all" on its own) for every configured suite.
# debian-security publishes no Contents, so files that only security updates
# add (mostly new kernel ABI directories) are not in the corpus.
contents_files() {
	# shellcheck disable=SC2016 # $(...) are apt's own format fields
	apt-get indextargets --format '$(FILENAME)|$(CODENAME)|$(COMPONENT)|$(ARCHITECTURE)' \
		'Identifier: Contents-deb' 2>/dev/null |
		awk -F'|' '$2 ~ /^bookworm(-updates)?$/ && $3 == "main" && ($4 == "amd64" || $4 == "all") { print $1 }'
}
have_index() { # both main indices of bookworm itself must be on disk
	local f n=0
	for f in $(contents_files); do
		case "$f" in
		*_dists_bookworm_main_Contents-amd64* | *_dists_bookworm_main_Contents-all*)
			[ -e "$f" ] && n=$((n + 1)) ;;
		esac
	done
	[ "$n" -ge 2 ]
}

t0=$(now)
if [ "${MG_CORPUS_NO_UPDATE:-0}" = 1 ]; then
	echo "corpus: MG_CORPUS_NO_UPDATE=1, using the Contents indices on disk"
elif ! command -v apt-file >/dev/null; then
	echo "corpus: apt-file is not installed (make deps installs it)" >&2
elif [ "$(id -u)" -ne 0 ]; then
	echo "corpus: not root, cannot run apt-file update; using the indices on disk" >&2
elif ! apt-file update >"$CACHE/apt-file-update.log" 2>&1; then
	echo "corpus: apt-file update failed (see $CACHE/apt-file-update.log)" >&2
fi
if have_index; then
	pass "Contents-amd64 and Contents-all of bookworm main are present ($(elapsed "$t0") s)"
else
	fail "no Contents index for bookworm main amd64+all: needs a 'bookworm main' apt source and apt-file"
	finish
fi

# --- 2. path list: every file, plus every directory above one -----------------
mapfile -t indices < <(contents_files | while read -r f; do [ -e "$f" ] && echo "$f"; done)
stale=0
if [ ! -s "$PATHS" ]; then
	stale=1
else
	for f in "${indices[@]}"; do
		[ "$f" -nt "$PATHS" ] && stale=1
	done
fi
t0=$(now)
if [ "$stale" = 1 ]; then
	# A Contents line is "path<whitespace>section/pkg[,section/pkg...]"; the
	# path lacks its leading '/' and may itself contain spaces.
	/usr/lib/apt/apt-helper cat-file "${indices[@]}" |
		LC_ALL=C awk '
			/^FILE[ \t]+LOCATION$/ { next }
			{
				sub(/[ \t]+[^ \t]+$/, "")
				p = "/" $0
				print p
				while ((i = match(p, /\/[^\/]*$/)) > 1) {
					p = substr(p, 1, i - 1)
					if (p in seen)
						break
					seen[p] = 1
					print p
				}
			}' |
		LC_ALL=C sort -u -S 25% >"$PATHS.tmp"
	mv "$PATHS.tmp" "$PATHS"
fi
npaths=$(wc -l <"$PATHS")
if [ "$npaths" -ge "$MIN_PATHS" ]; then
	pass "corpus holds $npaths unique file and directory paths ($(elapsed "$t0") s)"
else
	fail "corpus holds only $npaths paths (expected >= $MIN_PATHS): index incomplete"
	finish
fi

# --- 3. the pipeline detects miners at all (so a silent 0 means something) ----
controls=(/usr/local/bin/xmrig /tmp/kdevtmpfsi /opt/cpuminer-avx2 /etc/libsystem.so)
if out=$(match "${controls[@]}") &&
	[ "$(grep -c '"match":true' <<<"$out")" -eq "${#controls[@]}" ]; then
	pass "positive controls: all ${#controls[@]} known miner paths match"
else
	fail "positive controls did not all match:"
	printf '%s\n' "$out"
fi

# --- 4. zero matches over the whole corpus, at every kernel hook --------------
# (a rule may be scoped to some hooks only, e.g. exec; DSL open -> open +
# create + link, exec -> exec, mmap -> mmap + mprotect)
for hook in ${MG_CORPUS_HOOKS:-open create link exec mmap mprotect}; do
	t0=$(now)
	result=$CACHE/result-$hook.txt
	rm -f "$result" "$result.hits"
	if ! match --hook "$hook" <"$PATHS" 2>"$CACHE/match.stderr" |
		LC_ALL=C awk -v show="$SHOW" -v out="$result" '
			{ n++ }
			index($0, "\"match\":true") {
				hits++
				if (hits <= show)
					print > (out ".hits")
			}
			END { print n + 0, hits + 0 > out }'; then
		fail "[$hook] minerguard match exited non-zero: $(head -c 500 "$CACHE/match.stderr")"
		continue
	fi
	secs=$(elapsed "$t0")
	read -r nout nhits <"$result"
	if [ "$nout" -ne "$npaths" ]; then
		fail "[$hook] minerguard match printed $nout verdicts for $npaths paths"
	elif [ "$nhits" -eq 0 ]; then
		pass "[$hook] 0 of $npaths Debian bookworm paths match the shipped policies ($secs s)"
	else
		fail "[$hook] $nhits of $npaths Debian bookworm paths match the shipped policies ($secs s); first $SHOW:"
		cat "$result.hits"
	fi
	rm -f "$result.hits"
done
finish
