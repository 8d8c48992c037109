// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `--scan ROOT` of `ci start` and `ci stop`, see scans.h. */
#include "scans.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "exitcodes.h"
#include "spawn.h"

#define SCAN_TIMEOUT_S 3600

void mg_ci_run_scans(const char *dir, struct mg_kv *kv, const char *const *roots, size_t n)
{
	const char *cnt = mg_kv_get(kv, "scans");
	int base = cnt ? atoi(cnt) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *args[] = { "scan", "--json", roots[i], NULL };
		char name[32], key[48], *out, *line;
		struct mg_ci_proc p;
		int k = base + (int)i + 1;

		snprintf(name, sizeof(name), "scan-%d.jsonl", k);
		out = mg_ci_path(dir, name);
		if (!out)
			continue;
		unlink(out);
		if (mg_ci_exec(args, out, SCAN_TIMEOUT_S, &p)) {
			mg_ci_note(dir, "scan of %s: could not run %s", roots[i], mg_ci_self());
			free(out);
			continue;
		}
		line = mg_ci_last_line(p.err);
		if (p.status == 0 || p.status == MG_EXIT_FINDINGS) {
			snprintf(key, sizeof(key), "scan.%d.root", k);
			mg_kv_set(kv, key, roots[i]);
			snprintf(key, sizeof(key), "scan.%d.file", k);
			mg_kv_set(kv, key, out);
			mg_kv_setf(kv, "scans", "%d", k);
			mg_ci_note(dir, "scan of %s: %s", roots[i],
				   p.status == 0 ? "no miner files" : "miner files found");
		} else if (p.status == MG_EXIT_USAGE) {
			/* a build without `scan` */
			mg_ci_note(dir, "scan of %s skipped: this minerguard has no scan command (%s)",
				   roots[i], line ? line : "usage error");
		} else {
			mg_ci_note(dir, "scan of %s failed (exit %d): %s", roots[i], p.status,
				   line ? line : "no message");
		}
		if (p.status != 0 && p.status != MG_EXIT_FINDINGS)
			fprintf(stderr, "minerguard ci: scan of %s: exit %d%s%s\n", roots[i], p.status,
				line ? ": " : "", line ? line : "");
		free(line);
		mg_ci_proc_free(&p);
		free(out);
	}
}

