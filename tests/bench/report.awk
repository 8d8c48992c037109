# Turns the "BENCH ..." console lines of tests/bench/vm-bench.sh into the
# markdown report (stdout) and a JSON file. Exit 1 when the table is
# incomplete: a configuration or workload with fewer samples than rounds.
# Timing figures never decide the exit status.
#
# awk -v json=OUT.json -v hostinfo=host.txt -v want_configs=a,b,c \
#     -v want_rounds=N -f report.awk console.txt

function fields(   i, k) {
	delete F
	for (i = 3; i <= NF; i++) {
		k = index($i, "=")
		if (k > 1)
			F[substr($i, 1, k - 1)] = substr($i, k + 1)
	}
}

# Sorts v[1..n] in place (n is small: one value per round).
function sort_n(v, n,   i, j, t) {
	for (i = 2; i <= n; i++) {
		t = v[i]
		for (j = i - 1; j >= 1 && v[j] > t; j--)
			v[j + 1] = v[j]
		v[j + 1] = t
	}
}
function median(v, n) {
	sort_n(v, n)
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function jstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	gsub(/\t/, " ", s)
	return "\"" s "\""
}
function human_ns(x) {
	if (x >= 1e6) return sprintf("%.2f ms", x / 1e6)
	if (x >= 1e3) return sprintf("%.1f µs", x / 1e3)
	return sprintf("%d ns", x)
}

BEGIN {
	nwl = split("open exec mmap walk", WL, " ")
	WDESC["open"] = "open()+close() of one allowed file (/bench/data/mgb-target.dat)"
	WDESC["exec"] = "fork()+execve()+wait of /bench/bin/true (a copy of the static busybox, run as `true`)"
	WDESC["mmap"] = "mmap(PROT_READ|PROT_EXEC)+munmap of an open shared library (a copy of libc.so.6)"
	ncf = split(want_configs, CF, ",")
	while ((getline line < hostinfo) > 0) {
		k = index(line, "=")
		if (k > 1)
			H[substr(line, 1, k - 1)] = substr(line, k + 1)
	}
}

/^BENCH / {
	fields()
	kind = $2
	c = F["config"]; r = F["round"]
	if (kind == "meta") {
		for (k in F) META[k] = F[k]
	} else if (kind == "result") {
		w = F["workload"]
		n = ++NS[c, w]
		S[c, w, n] = F["ns_per_op"] + 0
		BYROUND[c, w, r] = F["ns_per_op"] + 0
		OPS[c, w] += F["ops"]
	} else if (kind == "error") {
		msg = $0
		sub(/^BENCH error /, "", msg)
		ERR[++NERR] = msg
	} else if (kind == "apply") {
		APPLY[c, ++NAPPLY[c]] = F["ms"] + 0
	} else if (kind == "rss") {
		RSS[c, ++NRSS[c]] = F["vmrss_kb"] + 0
		HWM[c, NRSS[c]] = F["vmhwm_kb"] + 0
	} else if (kind == "maps") {
		MAPS[c] = F["count"]
		MEMLOCK[c, ++NMEM[c]] = F["memlock_bytes"] + 0
	} else if (kind == "bpf") {
		k = c SUBSEP F["workload"] SUBSEP F["prog"]
		if (!(k in BRUNS)) BKEYS[++NBK] = k
		BRUNS[k] += F["runs"]
		BNS[k] += F["run_time_ns"]
	} else if (kind == "matches") {
		MATCHED[c, F["workload"]] += F["matched"]
		DROPPED[c, F["workload"]] += F["dropped"]
		HASMATCH[c] = 1
	} else if (kind == "events") {
		if ("logged" in F) EVENTS[c] += F["logged"]
		if ("denied_lines" in F) EVENTS[c] += F["denied_lines"]
		EVROUNDS[c]++
	} else if (kind == "time") {
		CTIME[c] += F["ms"]
	} else if (kind == "done") {
		DONE_MS = F["ms"]
	}
}

END {
	WDESC["walk"] = sprintf("stat-free walk (readdir d_type) opening every file of a tree of %d real Debian paths in %d directories; one op = one file", META["tree_files"], META["tree_dirs"])
	desc["none"] = "no daemon (baseline)"
	desc["mg-shipped"] = "minerguard enforce, shipped policy (policies/)"
	desc["mg-shipped-nocache"] = "minerguard enforce, shipped policy, verdict cache off: every access decided in full, as for a file not seen before (a fresh walk)"
	desc["mg-shipped-digest"] = "minerguard enforce, shipped policy plus 1,000 sha256 signatures: exec and executable mmap take the file's digest in the kernel (once per executable version, then the verdict cache)"
	desc["mg-shipped-fmodret"] = "minerguard enforce, shipped policy, backend fmodret (fmod_ret on security_*), same boot as mg-shipped"
	desc["mg-generated"] = sprintf("minerguard enforce, %s generated signatures over all kinds (tests/bench/gen_policy.sh)", META["generated_sigs"])
	desc["mg-names"] = "minerguard enforce, the shipped policy without its path and directory signatures: no bpf_d_path for an allowed file (tests/bench/gen-names-only.lua)"
	desc["mg-audit"] = "minerguard audit, policy matching every workload file: every op is one event (tests/bench/audit.lua)"
	desc["fapolicyd"] = sprintf("fapolicyd %s, trust = file (empty), deny_audit of the shipped miner names as paths + allow all (tests/bench/fapolicyd/)", H["fapolicyd_version"])

	print "## minerguard benchmark"
	print ""
	printf "%s, `%s` (%s mode): %s rounds, configurations interleaved round by round, %s s per sample.\n", \
		H["date"], H["command"], H["mode"], want_rounds, META["secs"]
	printf "VM: Debian kernel %s under qemu TCG (no KVM), %s vCPUs, %d MiB; host: %s (%s cores), load average %s.\n", \
		META["kernel"], META["cpus"], META["mem_kb"] / 1024, H["host_cpu"], H["host_cores"], H["host_load"]
	print ""
	print "**TCG emulation inflates absolute times (one open() costs tens of µs instead of ~1 µs):"
	print "only the ratios to the no-daemon baseline and the BPF run times are meaningful.**"
	print ""
	print "Configurations:"
	for (i = 1; i <= ncf; i++)
		printf "- `%s`: %s\n", CF[i], desc[CF[i]]
	print ""
	print "Workloads (one op each):"
	for (i = 1; i <= nwl; i++)
		printf "- `%s`: %s\n", WL[i], WDESC[WL[i]]
	print ""
	print "| workload | configuration | median per op | min–max per op | ratio to none | ratio min–max | samples |"
	print "|---|---|---:|---:|---:|---:|---:|"
	missing = 0
	for (i = 1; i <= nwl; i++) {
		w = WL[i]
		for (j = 1; j <= ncf; j++) {
			c = CF[j]
			n = NS[c, w] + 0
			if (n < want_rounds) {
				missing++
				MISS[missing] = c "/" w " (" n " of " want_rounds " samples)"
			}
			if (n == 0) {
				printf "| %s | %s | — | — | — | — | 0 |\n", w, c
				continue
			}
			delete v
			for (k = 1; k <= n; k++) v[k] = S[c, w, k]
			med = median(v, n)
			MED[c, w] = med; MIN[c, w] = v[1]; MAX[c, w] = v[n]
			# Ratio per round against that round's baseline: drift cancels.
			delete q
			nq = 0
			for (r = 1; r <= want_rounds; r++)
				if (((c, w, r) in BYROUND) && ((CF[1], w, r) in BYROUND) && BYROUND[CF[1], w, r] > 0)
					q[++nq] = BYROUND[c, w, r] / BYROUND[CF[1], w, r]
			if (nq) {
				RMED[c, w] = median(q, nq); RMIN[c, w] = q[1]; RMAX[c, w] = q[nq]; RN[c, w] = nq
				printf "| %s | %s | %s | %s – %s | %.3f | %.3f – %.3f | %d |\n", w, c, human_ns(med), \
					human_ns(v[1]), human_ns(v[n]), RMED[c, w], q[1], q[nq], n
			} else {
				printf "| %s | %s | %s | %s – %s | — | — | %d |\n", w, c, human_ns(med), \
					human_ns(v[1]), human_ns(v[n]), n
			}
		}
	}
	print ""
	printf "Ratios are medians of per-round ratios (each round's figure over the same round's `%s`).\n", CF[1]

	print ""
	print "### BPF program run time (kernel.bpf_stats_enabled)"
	print ""
	print "| configuration | workload | program | runs per op | ns per run | runs |"
	print "|---|---|---|---:|---:|---:|"
	shown = 0
	for (i = 1; i <= NBK; i++) {
		split(BKEYS[i], kk, SUBSEP)
		c = kk[1]; w = kk[2]; p = kk[3]
		per_op = OPS[c, w] ? BRUNS[BKEYS[i]] / OPS[c, w] : 0
		# Runs of the driver's own processes, not of the workload (JSON keeps them).
		if (per_op < 0.01)
			continue
		shown++
		printf "| %s | %s | %s | %.2f | %d | %d |\n", c, w, p, per_op, \
			BRUNS[BKEYS[i]] ? BNS[BKEYS[i]] / BRUNS[BKEYS[i]] : 0, BRUNS[BKEYS[i]]
	}
	if (!shown)
		print "| — | — | no BPF program ran | | | |"
	print ""
	print "Runs per op > 1: the walk also opens directories; exec opens the binary (open) and checks it (exec)."
	print "Programs with fewer than 0.01 runs per op (the driver's own processes) are only in the JSON."
	print "Statistics are on in every configuration: two clock reads per program run, the same for all."

	# The programs' own share of an op: what no host noise can blur.
	print ""
	print "### BPF share of an op"
	print ""
	print "| configuration | workload | BPF ns per op | baseline ns per op (`none`) | BPF share |"
	print "|---|---|---:|---:|---:|"
	for (i = 1; i <= NBK; i++) {
		split(BKEYS[i], kk, SUBSEP)
		BSUM[kk[1], kk[2]] += BNS[BKEYS[i]]
	}
	for (j = 1; j <= ncf; j++) {
		c = CF[j]
		if (c !~ /^mg-/)
			continue
		for (i = 1; i <= nwl; i++) {
			w = WL[i]
			if (!OPS[c, w] || !MED["none", w])
				continue
			BPO[c, w] = BSUM[c, w] / OPS[c, w]
			SHARE[c, w] = 100 * BPO[c, w] / MED["none", w]
			NSHARE++
			printf "| %s | %s | %d | %d | %.1f %% |\n", c, w, BPO[c, w], MED["none", w], SHARE[c, w]
		}
	}
	print ""
	print "BPF ns per op: every program's run time in the configuration (bpf_stats) over the workload's ops;"
	print "share: that over the baseline's median ns per op. The goal is <= 3 % on open, mmap and walk."

	print ""
	print "### Daemon: policy apply time and memory"
	print ""
	print "| configuration | apply time median (min–max) | VmRSS | VmHWM (peak) | BPF maps | BPF map memlock |"
	print "|---|---:|---:|---:|---:|---:|"
	for (j = 1; j <= ncf; j++) {
		c = CF[j]
		if (!NAPPLY[c])
			continue
		delete v
		for (k = 1; k <= NAPPLY[c]; k++) v[k] = APPLY[c, k]
		AMED[c] = median(v, NAPPLY[c]); AMIN[c] = v[1]; AMAX[c] = v[NAPPLY[c]]
		delete v
		for (k = 1; k <= NRSS[c]; k++) v[k] = RSS[c, k]
		RSSMED[c] = NRSS[c] ? median(v, NRSS[c]) : 0
		delete v
		for (k = 1; k <= NRSS[c]; k++) v[k] = HWM[c, k]
		HWMMED[c] = NRSS[c] ? median(v, NRSS[c]) : 0
		delete v
		for (k = 1; k <= NMEM[c]; k++) v[k] = MEMLOCK[c, k]
		MEMMED[c] = NMEM[c] ? median(v, NMEM[c]) : 0
		printf "| %s | %d ms (%d – %d) | %.1f MiB | %.1f MiB | %s | %s |\n", c, AMED[c], AMIN[c], AMAX[c], \
			RSSMED[c] / 1024, HWMMED[c] / 1024, NMEM[c] ? MAPS[c] : "—", \
			NMEM[c] ? sprintf("%.1f MiB", MEMMED[c] / 1048576) : "—"
	}
	print ""
	print "Apply time: from `run` (or fapolicyd) start to its ready line (minerguard: after load, fill, attach, pin;"
	print "fapolicyd: \"Starting to listen for events\"). Map memlock is what the kernel charges for the maps"
	print "(sized by max_entries on 6.1)."
	if ("mg-audit" in HASMATCH) {
		print ""
		print "### Event path (`mg-audit`): kernel decisions per op"
		print ""
		print "| workload | ops | decisions (audit matches) | per op | ring buffer drops |"
		print "|---|---:|---:|---:|---:|"
		tot = 0
		for (i = 1; i <= nwl; i++) {
			w = WL[i]
			tot += MATCHED["mg-audit", w]
			printf "| %s | %d | %d | %.2f | %d |\n", w, OPS["mg-audit", w], MATCHED["mg-audit", w], \
				OPS["mg-audit", w] ? MATCHED["mg-audit", w] / OPS["mg-audit", w] : 0, DROPPED["mg-audit", w]
		}
		print ""
		printf "The daemon wrote %d JSON lines for %d decisions over all rounds (sanity checks included):\n", \
			EVENTS["mg-audit"], tot
		print "it folds repeated decisions into one line, and dropped events never reach it."
		print "A workload with 0 decisions has no kernel hook yet (the BPF table lists the programs that ran)."
		print "Ring buffer drops: the daemon did not drain the buffer fast enough; the verdict still applied"
		print "and counters.events_dropped counts them, but those events never reached the log."
	}

	if (NERR) {
		print ""
		print "### Errors"
		for (i = 1; i <= NERR; i++)
			print "- " ERR[i]
	}
	if (H["fapolicyd_unavailable"] != "") {
		print ""
		print "fapolicyd could not run: " H["fapolicyd_unavailable"]
	}
	if (missing) {
		print ""
		print "**INCOMPLETE TABLE**:"
		for (i = 1; i <= missing; i++)
			print "- missing " MISS[i]
	}

	# ---- JSON ---------------------------------------------------------------
	if (json == "")
		exit missing ? 1 : 0
	printf "{\n  \"date\": %s,\n  \"command\": %s,\n  \"mode\": %s,\n", jstr(H["date"]), jstr(H["command"]), jstr(H["mode"]) > json
	printf "  \"note\": %s,\n", jstr("TCG emulation inflates absolute times; only ratios and BPF run times are meaningful") > json
	printf "  \"rounds\": %d,\n  \"secs_per_sample\": %s,\n  \"complete\": %s,\n", want_rounds, META["secs"] + 0, missing ? "false" : "true" > json
	printf "  \"vm\": {\"kernel\": %s, \"cpus\": %d, \"mem_kb\": %d, \"tree_files\": %d, \"tree_dirs\": %d},\n", \
		jstr(META["kernel"]), META["cpus"], META["mem_kb"], META["tree_files"], META["tree_dirs"] > json
	printf "  \"host\": {\"cpu\": %s, \"cores\": %d, \"load\": %s, \"qemu\": %s},\n", jstr(H["host_cpu"]), H["host_cores"], jstr(H["host_load"]), jstr(H["qemu"]) > json
	printf "  \"configurations\": {" > json
	for (j = 1; j <= ncf; j++)
		printf "%s\n    %s: %s", (j > 1) ? "," : "", jstr(CF[j]), jstr(desc[CF[j]]) > json
	printf "\n  },\n  \"workloads\": {" > json
	for (i = 1; i <= nwl; i++)
		printf "%s\n    %s: %s", (i > 1) ? "," : "", jstr(WL[i]), jstr(WDESC[WL[i]]) > json
	printf "\n  },\n  \"results\": [" > json
	first = 1
	for (i = 1; i <= nwl; i++)
		for (j = 1; j <= ncf; j++) {
			w = WL[i]; c = CF[j]
			if (!NS[c, w]) continue
			printf "%s\n    {\"workload\": %s, \"config\": %s, \"median_ns_per_op\": %d, \"min_ns_per_op\": %d, \"max_ns_per_op\": %d, ", \
				first ? "" : ",", jstr(w), jstr(c), MED[c, w], MIN[c, w], MAX[c, w] > json
			if (RN[c, w])
				printf "\"ratio_median\": %.4f, \"ratio_min\": %.4f, \"ratio_max\": %.4f, ", RMED[c, w], RMIN[c, w], RMAX[c, w] > json
			printf "\"samples_ns_per_op\": [" > json
			for (r = 1; r <= want_rounds; r++)
				printf "%s%s", (r > 1) ? ", " : "", ((c, w, r) in BYROUND) ? BYROUND[c, w, r] : "null" > json
			printf "], \"ops\": %d", OPS[c, w] > json
			if (c in HASMATCH)
				printf ", \"kernel_decisions\": %d, \"events_dropped\": %d", MATCHED[c, w], DROPPED[c, w] > json
			printf "}" > json
			first = 0
		}
	printf "\n  ],\n  \"bpf\": [" > json
	for (i = 1; i <= NBK; i++) {
		split(BKEYS[i], kk, SUBSEP)
		printf "%s\n    {\"config\": %s, \"workload\": %s, \"prog\": %s, \"runs\": %d, \"run_time_ns\": %d, \"ns_per_run\": %.1f, \"runs_per_op\": %.3f}", \
			(i > 1) ? "," : "", jstr(kk[1]), jstr(kk[2]), jstr(kk[3]), BRUNS[BKEYS[i]], BNS[BKEYS[i]], \
			BRUNS[BKEYS[i]] ? BNS[BKEYS[i]] / BRUNS[BKEYS[i]] : 0, \
			OPS[kk[1], kk[2]] ? BRUNS[BKEYS[i]] / OPS[kk[1], kk[2]] : 0 > json
	}
	printf "\n  ],\n  \"bpf_share\": [" > json
	first = 1
	for (j = 1; j <= ncf; j++) {
		c = CF[j]
		for (i = 1; i <= nwl; i++) {
			w = WL[i]
			if (!((c, w) in SHARE))
				continue
			printf "%s\n    {\"config\": %s, \"workload\": %s, \"bpf_ns_per_op\": %.1f, \"baseline_ns_per_op\": %.1f, \"share_pct\": %.2f}", \
				first ? "" : ",", jstr(c), jstr(w), BPO[c, w], MED["none", w], SHARE[c, w] > json
			first = 0
		}
	}
	printf "\n  ],\n  \"daemons\": [" > json
	first = 1
	for (j = 1; j <= ncf; j++) {
		c = CF[j]
		if (!NAPPLY[c]) continue
		printf "%s\n    {\"config\": %s, \"apply_ms_median\": %d, \"apply_ms_min\": %d, \"apply_ms_max\": %d, \"vmrss_kb\": %d, \"vmhwm_kb\": %d", \
			first ? "" : ",", jstr(c), AMED[c], AMIN[c], AMAX[c], RSSMED[c], HWMMED[c] > json
		if (NMEM[c])
			printf ", \"bpf_maps\": %d, \"bpf_map_memlock_bytes\": %d", MAPS[c], MEMMED[c] > json
		if (c in EVENTS)
			printf ", \"events_logged\": %d", EVENTS[c] > json
		printf "}" > json
		first = 0
	}
	printf "\n  ],\n  \"errors\": [" > json
	for (i = 1; i <= NERR; i++)
		printf "%s%s", (i > 1) ? ", " : "", jstr(ERR[i]) > json
	printf "],\n  \"missing\": [" > json
	for (i = 1; i <= missing; i++)
		printf "%s%s", (i > 1) ? ", " : "", jstr(MISS[i]) > json
	printf "],\n  \"vm_run_ms\": %d\n}\n", DONE_MS > json
	close(json)
	exit missing ? 1 : 0
}
