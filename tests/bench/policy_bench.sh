#!/bin/sh
# Policy-author performance: how long `check` takes to compile and validate a
# generated 100,000-signature policy (goal < 1 s), and `match` throughput in
# paths per second over a stream of real-looking paths. Prints figures; it is
# not a pass/fail timing test.
set -eu
bin=${1:-build/minerguard}
n=${MG_BENCH_SIGS:-100000}
paths=${MG_BENCH_PATHS:-1000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$(dirname "$0")/gen_policy.sh" "$n" "$dir/bench.lua"
t0=$(date +%s%N)
"$bin" check --policy "$dir/bench.lua" --json >"$dir/check.json"
t1=$(date +%s%N)
echo "check: $n signatures compiled and validated in $(( (t1 - t0) / 1000000 )) ms (goal < 1000 ms; $(cat "$dir/check.json" | sed -n 's/.*"compile_us":\([0-9]*\).*/\1/p') us inside the process)"

# Paths shaped like a Debian system: varied depths, some matching names.
awk -v n="$paths" 'BEGIN {
	split("usr/bin usr/lib/x86_64-linux-gnu usr/share/doc etc/systemd/system var/lib/dpkg/info opt/app/lib/python3/site-packages", d, " ");
	for (i = 0; i < n; i++) {
		f = (i % 1000 == 0) ? sprintf("benchname%07d", (i / 1000) * 5) : sprintf("file%d.so.%d", i, i % 7);
		printf "/%s/%s\n", d[i % 6 + 1], f;
	}
}' >"$dir/paths.txt"
"$bin" match --policy "$dir/bench.lua" <"$dir/paths.txt" 2>"$dir/match.err" >/dev/null
echo "match (100k-signature policy): $(cat "$dir/match.err")"
"$bin" match <"$dir/paths.txt" 2>"$dir/match2.err" >/dev/null
echo "match (shipped policy): $(cat "$dir/match2.err")"
