# gen_paths.awk -v n=N -v seed=S: N distinct file paths under /tmp/d that
# hit and miss every signature kind of policies/diff/diff.lua, with odd
# cases (mixed case, near misses, UTF-8, spaces, 255-byte names, depth).
function rnd(k) { return int(rand() * k) }
function pick(arr, k) { return arr[rnd(k) + 1] }
function mixcase(s,   i, c, o) {
	o = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		o = o (rnd(2) ? toupper(c) : c)
	}
	return o
}
function pad(s, len, front,   f) {
	f = ""
	while (length(f) + length(s) < len) f = f "q"
	return front ? f s : s f
}
BEGIN {
	srand(seed)
	nd = split("/tmp/d /tmp/d/blockdir /tmp/d/blockdirx /tmp/d/blockdir/sub /tmp/d/blockdir/sub/ok " \
		"/tmp/d/deep/a/b/c /tmp/d/deep/a/b /tmp/d/deep/a/b/cc/x /tmp/d/excdir /tmp/d/excdir/in " \
		"/tmp/d/exc /tmp/d/exact/path /tmp/d/Case /tmp/d/case /tmp/d/plain/usr/bin " \
		"/tmp/d/x/y/z/w/v/u/t/s/r/q/p/o/n/m/l/k/j/i/h/g", dirs, " ")
	nn = split("xmrig minerd kdevtmpfsi café-miner ethminer gminer t-rex bin Path path allowed " \
		"xmrigger my-xmrig xmrig.json miner.sh tracker-miner-fs prometheus.yml notes.txt " \
		"CAFÉ-MINER libxmrig-cuda.so", names, " ")
	np = split("xmrig- cpuminer- Ünï- gminer", pfx, " ")
	ns = split(".xmrig.json -miner.sh ß .run", sfx, " ")
	count = 0
	while (count < n) {
		k = rnd(10)
		d = pick(dirs, nd)
		if (k <= 2) f = mixcase(pick(names, nn))
		else if (k == 3) f = mixcase(pick(pfx, np)) rnd(100000)
		else if (k == 4) f = "v" rnd(100000) mixcase(pick(sfx, ns))
		else if (k == 5) f = pad(pick(sfx, ns), 250 + rnd(6), 1)
		else if (k == 6) f = pad(pick(pfx, np), 250 + rnd(6), 0)
		else if (k == 7) f = pick(names, nn) (rnd(2) ? " " : "x")
		else if (k == 8) f = "trail" (rnd(2) ? " " : "")
		else f = "file" rnd(1000000) ".dat"
		while (length(f) > 255) f = substr(f, 2)
		p = d "/" f
		if (p in seen) continue
		seen[p] = 1
		print p
		count++
	}
}
