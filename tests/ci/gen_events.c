/* Decision-log lines for tests/ci/run.sh, written by the daemon's own
 * formatter (the ci_fixture.h helpers), so the host test reads exactly
 * what `run --log` writes.
 * Usage: mg-ci-events WORKSPACE audit|enforce */
#include <stdio.h>

#include "ci_fixture.h"

int main(int argc, char **argv)
{
	struct ci_fx *f;
	char path[4096];
	int enforce;

	if (argc != 3) {
		fprintf(stderr, "usage: %s WORKSPACE audit|enforce\n", argv[0]);
		return 2;
	}
	enforce = !strcmp(argv[2], "enforce");
	f = ci_fx_new();
	snprintf(path, sizeof(path), "%s/dist/xmrig", argv[1]);
	puts(ci_fx_lifecycle(f, "started", enforce ? MG_MODE_ENFORCE : MG_MODE_AUDIT, 0, -1));
	puts(ci_fx_lifecycle(f, "policy-loaded", enforce ? MG_MODE_ENFORCE : MG_MODE_AUDIT, 1, -1));
	/* rule 1 blocks: blocked in enforce mode, would_block in audit mode */
	puts(ci_fx_event(f, 1, path, enforce, !enforce, 4242, 4200, "make", 3));
	puts(ci_fx_event(f, 1, path, enforce, !enforce, 4243, 4200, "sh", 4));
	/* rule 2 audits; outside the workspace */
	puts(ci_fx_event(f, 2, "/tmp/pools.txt", 0, 0, 4300, 1, "cat", 5));
	ci_fx_free(f);
	return 0;
}
