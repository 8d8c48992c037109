// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* GitLab code quality report writer, see codequality.h. */
#include "codequality.h"

#include <stdlib.h>

#include "jsonbuf.h"

static const char *severity(enum mg_report_level l)
{
	return l == MG_REPORT_ERROR ? "critical" : l == MG_REPORT_WARNING ? "major" : "info";
}

static int write_issue(FILE *out, const struct mg_report_finding *f, int comma)
{
	size_t cap = mg_json_room(f->message) + mg_json_room(f->rule_id) + mg_json_room(f->path) +
		     256;
	char *buf = malloc(cap), fp[65];
	struct mg_json j;
	int rc;

	if (!buf)
		return -1;
	mg_report_finding_fingerprint(f, fp);
	mg_json_init(&j, buf, cap);
	mg_json_obj_begin(&j, NULL);
	mg_json_str(&j, "description", f->message);
	mg_json_str(&j, "check_name", f->rule_id);
	mg_json_str(&j, "fingerprint", fp);
	mg_json_str(&j, "severity", severity(f->level));
	mg_json_obj_begin(&j, "location");
	mg_json_str(&j, "path", f->path);
	mg_json_obj_begin(&j, "lines");
	mg_json_u64(&j, "begin", f->line ? f->line : 1);
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	rc = (comma && fputc(',', out) == EOF) || mg_json_flush_to(&j, out);
	free(buf);
	return rc ? -1 : 0;
}

int mg_codequality_write(FILE *out, const struct mg_report_finding *f, size_t n)
{
	if (fputc('[', out) == EOF)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (write_issue(out, &f[i], i > 0))
			return -1;
	return fputs("]\n", out) == EOF ? -1 : 0;
}
