#!/bin/sh
# The `scan` figure of `make bench`: `minerguard scan` with the shipped
# policy over a mixed tree of this machine (shared libraries and
# executables, documentation, configuration), MB/s as scan itself reports
# them. The first pass warms the page cache; the second is the figure (the
# scanner's own speed, not the disk's). Writes $BUILD/bench-scan.json.
# Usage: scan_bench.sh MINERGUARD OUT.json
set -eu
mg=$1 out=$2
tree="/usr/lib/x86_64-linux-gnu /usr/bin /usr/share/doc /etc"
for t in $tree; do [ -d "$t" ] || { echo "scan bench: $t missing" >&2; exit 1; }; done
pass() {
	# exit 0 (no finding) or 9 (findings): both are a completed scan
	"$mg" scan --policy policies $tree >/dev/null 2>"$1" || [ $? -eq 9 ]
}
pass /tmp/mg-scan-bench.1
pass /tmp/mg-scan-bench.2
line=$(grep 'MB/s' /tmp/mg-scan-bench.2 | tail -n 1)
[ -n "$line" ] || { echo "scan bench: no summary line" >&2; cat /tmp/mg-scan-bench.2 >&2; exit 1; }
echo "scan ($(nproc) CPUs, $tree, page cache warm): ${line#minerguard scan: }"
echo "$line" | awk -v tree="$tree" -v cpus="$(nproc)" '{
	files = $3; for (i = 1; i <= NF; i++) {
		if ($(i + 1) == "MB" && $(i + 2) == "in") { mb = $i; secs = $(i + 3) }
		if ($i ~ /^\(/ && $(i + 1) ~ /^MB\/s\)/) { rate = substr($i, 2) }
	}
	printf "{\"tree\": \"%s\", \"cpus\": %d, \"files\": %d, \"mb\": %s, \"seconds\": %s, \"mb_per_s\": %s}\n", tree, cpus, files, mb, secs, rate
}' >"$out"
cat "$out"
