// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * SARIF 2.1.0 writer. GitHub code scanning needs: version, $schema,
 * runs[].tool.driver.name, and per result ruleId, message.text, level and
 * a physicalLocation whose artifactLocation.uri is repository-relative
 * (uriBaseId %SRCROOT%); partialFingerprints keep alerts stable across runs.
 */
#include "sarif.h"

#include <stdlib.h>
#include <string.h>

#include "jsonbuf.h"

char *mg_sarif_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(path) * 3 + 1), *o = out;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

static const char *level_name(enum mg_report_level l)
{
	return l == MG_REPORT_ERROR ? "error" : l == MG_REPORT_WARNING ? "warning" : "note";
}

/* Index of f[i]'s rule among the distinct rules of f[0..i]. */
static size_t rule_index(const struct mg_report_finding *f, size_t i, size_t *first_of)
{
	size_t k = 0;

	for (size_t j = 0; j < i; j++) {
		if (first_of[j] != j)
			continue;
		if (!strcmp(f[j].rule_id, f[i].rule_id))
			return k;
		k++;
	}
	return k;
}

static int write_header(FILE *out, const struct mg_sarif_tool *tool)
{
	size_t cap = mg_json_room(tool->name) + mg_json_room(tool->version) +
		     mg_json_room(tool->information_uri) + 256;
	char *buf = malloc(cap);
	struct mg_json j;
	int rc;

	if (!buf)
		return -1;
	mg_json_init(&j, buf, cap);
	mg_json_obj_begin(&j, "driver");
	mg_json_str(&j, "name", tool->name);
	if (tool->version)
		mg_json_str(&j, "version", tool->version);
	if (tool->information_uri)
		mg_json_str(&j, "informationUri", tool->information_uri);
	rc = fprintf(out, "{\"$schema\":\"%s\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{",
		     MG_SARIF_SCHEMA) < 0 || mg_json_flush_to(&j, out);
	free(buf);
	return rc ? -1 : 0;
}

static int write_rule(FILE *out, const struct mg_report_finding *f, int comma)
{
	size_t cap = 2 * mg_json_room(f->rule_id) + mg_json_room(f->rule_text) + 256;
	char *buf = malloc(cap);
	struct mg_json j;
	int rc;

	if (!buf)
		return -1;
	mg_json_init(&j, buf, cap);
	mg_json_obj_begin(&j, NULL);
	mg_json_str(&j, "id", f->rule_id);
	mg_json_str(&j, "name", f->rule_id);
	mg_json_obj_begin(&j, "shortDescription");
	mg_json_str(&j, "text", f->rule_text ? f->rule_text : f->rule_id);
	mg_json_obj_end(&j);
	mg_json_obj_begin(&j, "defaultConfiguration");
	mg_json_str(&j, "level", level_name(f->level));
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	rc = (comma && fputc(',', out) == EOF) || mg_json_flush_to(&j, out);
	free(buf);
	return rc ? -1 : 0;
}

static int write_result(FILE *out, const struct mg_report_finding *f, size_t rule_idx, int comma)
{
	char *uri = mg_sarif_uri(f->path), *buf;
	size_t cap;
	struct mg_json j;
	char fp[65];
	int rc;

	if (!uri)
		return -1;
	cap = mg_json_room(f->rule_id) + mg_json_room(f->message) + mg_json_room(uri) + 512;
	buf = malloc(cap);
	if (!buf) {
		free(uri);
		return -1;
	}
	mg_report_finding_fingerprint(f, fp);
	mg_json_init(&j, buf, cap);
	mg_json_obj_begin(&j, NULL);
	mg_json_str(&j, "ruleId", f->rule_id);
	mg_json_u64(&j, "ruleIndex", rule_idx);
	mg_json_str(&j, "level", level_name(f->level));
	mg_json_obj_begin(&j, "message");
	mg_json_str(&j, "text", f->message);
	mg_json_obj_end(&j);
	mg_json_arr_begin(&j, "locations");
	mg_json_obj_begin(&j, NULL);
	mg_json_obj_begin(&j, "physicalLocation");
	mg_json_obj_begin(&j, "artifactLocation");
	mg_json_str(&j, "uri", uri);
	mg_json_str(&j, "uriBaseId", "%SRCROOT%");
	mg_json_obj_end(&j);
	mg_json_obj_begin(&j, "region");
	mg_json_u64(&j, "startLine", f->line ? f->line : 1);
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	mg_json_arr_end(&j);
	mg_json_obj_begin(&j, "partialFingerprints");
	mg_json_str(&j, "minerguard/v1", fp);
	mg_json_obj_end(&j);
	mg_json_obj_end(&j);
	rc = (comma && fputc(',', out) == EOF) || mg_json_flush_to(&j, out);
	free(buf);
	free(uri);
	return rc ? -1 : 0;
}

int mg_sarif_write(FILE *out, const struct mg_sarif_tool *tool, const struct mg_report_finding *f,
		   size_t n)
{
	size_t *first_of = calloc(n ? n : 1, sizeof(*first_of)), i, j;
	int rc = -1, nrules = 0;

	if (!first_of)
		return -1;
	/* first_of[i]: the first finding with f[i]'s rule */
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(f[j].rule_id, f[i].rule_id); j++)
			;
		first_of[i] = j;
	}
	if (write_header(out, tool) || fputs(",\"rules\":[", out) == EOF)
		goto out;
	for (i = 0; i < n; i++)
		if (first_of[i] == i && write_rule(out, &f[i], nrules++ > 0))
			goto out;
	if (fputs("]}},\"columnKind\":\"utf16CodeUnits\",\"results\":[", out) == EOF)
		goto out;
	for (i = 0; i < n; i++)
		if (write_result(out, &f[i], rule_index(f, first_of[i], first_of), i > 0))
			goto out;
	if (fputs("]}]}\n", out) == EOF)
		goto out;
	rc = 0;
out:
	free(first_of);
	return rc;
}
