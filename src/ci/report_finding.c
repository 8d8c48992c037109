// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A finding's stable identity, shared by SARIF and code quality. */
#include "report_finding.h"

#include <stdio.h>
#include <string.h>

#include "sha256.h"

void mg_report_finding_fingerprint(const struct mg_report_finding *f, char hex[65])
{
	struct mg_sha256 c;
	uint8_t d[32];

	if (f->fingerprint) {
		snprintf(hex, 65, "%s", f->fingerprint);
		return;
	}
	/* rule and path only: the same miner in the same place is the same
	 * finding in every pipeline run, whatever its count or time */
	mg_sha256_init(&c);
	mg_sha256_update(&c, f->rule_id, strlen(f->rule_id) + 1);
	mg_sha256_update(&c, f->path, strlen(f->path));
	mg_sha256_final(&c, d);
	mg_sha256_hex(d, hex);
}
