/* SARIF 2.1.0 and GitLab code quality output: required fields, relative
 * URIs, escaping, stable fingerprints. Output is read back with the JSON
 * reader, so it must be valid JSON too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codequality.h"
#include "jsonl.h"
#include "sarif.h"

static const struct mg_report_finding findings[] = {
	{ .rule_id = "xmrig", .rule_text = "XMRig miner", .message = "blocked: exec of dist/xmrig \"x\"",
	  .path = "dist/xmrig", .level = MG_REPORT_ERROR },
	{ .rule_id = "miner-conf", .message = "audited: open of cfg/pools.txt",
	  .path = "cfg/my pools.txt", .line = 3, .level = MG_REPORT_WARNING },
	{ .rule_id = "xmrig", .message = "found by scan", .path = "out/x%mrig",
	  .level = MG_REPORT_ERROR, .fingerprint = "fixed" },
};

static struct mg_jv *written(int sarif, size_t n)
{
	struct mg_sarif_tool tool = { .name = "minerguard", .version = "0.1.0",
				      .information_uri = "https://example.org/minerguard" };
	char *buf = NULL, err[128];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct mg_jv *v;

	assert_int_equal(sarif ? mg_sarif_write(f, &tool, findings, n)
			       : mg_codequality_write(f, findings, n), 0);
	fclose(f);
	v = mg_jv_parse(buf, len, err, sizeof(err));
	if (!v)
		fail_msg("not JSON: %s: %s", err, buf);
	free(buf);
	return v;
}

static const struct mg_jv *at(const struct mg_jv *arr, size_t i)
{
	const struct mg_jv *m;

	assert_non_null(arr);
	assert_int_equal(arr->type, MG_J_ARR);
	for (m = arr->child; m && i; m = m->next, i--)
		;
	assert_non_null(m);
	return m;
}

static size_t length(const struct mg_jv *arr)
{
	size_t n = 0;

	for (const struct mg_jv *m = arr->child; m; m = m->next)
		n++;
	return n;
}

static void test_sarif_required_fields(void **state)
{
	struct mg_jv *v = written(1, 3);
	const struct mg_jv *run, *res, *loc, *rules;
	long long n;

	(void)state;
	assert_string_equal(mg_jv_str(v, "version"), "2.1.0");
	assert_string_equal(mg_jv_str(v, "$schema"), MG_SARIF_SCHEMA);
	run = at(mg_jv_get(v, "runs"), 0);
	assert_int_equal(length(mg_jv_get(v, "runs")), 1);
	assert_string_equal(mg_jv_str(run, "tool.driver.name"), "minerguard");
	assert_string_equal(mg_jv_str(run, "tool.driver.version"), "0.1.0");
	/* each rule once, in order of appearance */
	rules = mg_jv_get(run, "tool.driver.rules");
	assert_int_equal(length(rules), 2);
	assert_string_equal(mg_jv_str(at(rules, 0), "id"), "xmrig");
	assert_string_equal(mg_jv_str(at(rules, 0), "shortDescription.text"), "XMRig miner");
	assert_string_equal(mg_jv_str(at(rules, 1), "id"), "miner-conf");

	assert_int_equal(length(mg_jv_get(run, "results")), 3);
	res = at(mg_jv_get(run, "results"), 0);
	assert_string_equal(mg_jv_str(res, "ruleId"), "xmrig");
	assert_int_equal(mg_jv_int(res, "ruleIndex", &n), 0);
	assert_int_equal(n, 0);
	assert_string_equal(mg_jv_str(res, "level"), "error");
	assert_string_equal(mg_jv_str(res, "message.text"), "blocked: exec of dist/xmrig \"x\"");
	loc = at(mg_jv_get(res, "locations"), 0);
	assert_string_equal(mg_jv_str(loc, "physicalLocation.artifactLocation.uri"), "dist/xmrig");
	assert_string_equal(mg_jv_str(loc, "physicalLocation.artifactLocation.uriBaseId"), "%SRCROOT%");
	assert_int_equal(mg_jv_int(loc, "physicalLocation.region.startLine", &n), 0);
	assert_int_equal(n, 1);
	assert_non_null(mg_jv_str(res, "partialFingerprints.minerguard/v1"));
	assert_int_equal(strlen(mg_jv_str(res, "partialFingerprints.minerguard/v1")), 64);

	res = at(mg_jv_get(run, "results"), 1);
	assert_string_equal(mg_jv_str(res, "level"), "warning");
	assert_int_equal(mg_jv_int(res, "ruleIndex", &n), 0);
	assert_int_equal(n, 1);
	loc = at(mg_jv_get(res, "locations"), 0);
	/* a URI reference: the space percent-encoded, never absolute */
	assert_string_equal(mg_jv_str(loc, "physicalLocation.artifactLocation.uri"), "cfg/my%20pools.txt");
	assert_int_equal(mg_jv_int(loc, "physicalLocation.region.startLine", &n), 0);
	assert_int_equal(n, 3);

	res = at(mg_jv_get(run, "results"), 2);
	assert_int_equal(mg_jv_int(res, "ruleIndex", &n), 0);
	assert_int_equal(n, 0); /* the same rule as the first */
	loc = at(mg_jv_get(res, "locations"), 0);
	assert_string_equal(mg_jv_str(loc, "physicalLocation.artifactLocation.uri"), "out/x%25mrig");
	mg_jv_free(v);
}

/* The one partialFingerprints entry, checked by its key. */
static const char *fingerprint_of(const struct mg_jv *res)
{
	const struct mg_jv *pf = mg_jv_get(res, "partialFingerprints");

	assert_non_null(pf);
	assert_non_null(pf->child);
	assert_string_equal(pf->child->key, "minerguard/v1");
	return pf->child->s;
}

static void test_sarif_fingerprints_and_empty(void **state)
{
	struct mg_jv *v = written(1, 3), *e;
	const struct mg_jv *results = mg_jv_get(at(mg_jv_get(v, "runs"), 0), "results");
	char want[65];

	(void)state;
	mg_report_finding_fingerprint(&findings[0], want);
	assert_int_equal(strlen(want), 64);
	assert_string_equal(fingerprint_of(at(results, 0)), want);
	assert_string_equal(fingerprint_of(at(results, 2)), "fixed");
	/* the identity is rule + path: another message, the same finding */
	struct mg_report_finding other = findings[0];

	other.message = "another run";
	mg_report_finding_fingerprint(&other, want);
	assert_string_equal(fingerprint_of(at(results, 0)), want);
	other.path = "dist/xmrig2";
	mg_report_finding_fingerprint(&other, want);
	assert_string_not_equal(fingerprint_of(at(results, 0)), want);
	mg_jv_free(v);

	/* a clean run is a valid log with no results */
	e = written(1, 0);
	assert_int_equal(length(mg_jv_get(at(mg_jv_get(e, "runs"), 0), "results")), 0);
	assert_int_equal(length(mg_jv_get(at(mg_jv_get(e, "runs"), 0), "tool.driver.rules")), 0);
	mg_jv_free(e);
}

static void test_codequality(void **state)
{
	struct mg_jv *v = written(0, 3), *e;
	const struct mg_jv *i0, *i1;
	long long n;

	(void)state;
	assert_int_equal(v->type, MG_J_ARR);
	assert_int_equal(length(v), 3);
	i0 = at(v, 0);
	assert_string_equal(mg_jv_str(i0, "description"), "blocked: exec of dist/xmrig \"x\"");
	assert_string_equal(mg_jv_str(i0, "check_name"), "xmrig");
	assert_int_equal(strlen(mg_jv_str(i0, "fingerprint")), 64);
	assert_string_equal(mg_jv_str(i0, "severity"), "critical");
	assert_string_equal(mg_jv_str(i0, "location.path"), "dist/xmrig");
	assert_int_equal(mg_jv_int(i0, "location.lines.begin", &n), 0);
	assert_int_equal(n, 1);
	i1 = at(v, 1);
	assert_string_equal(mg_jv_str(i1, "severity"), "major");
	/* GitLab takes a plain path, not a URI */
	assert_string_equal(mg_jv_str(i1, "location.path"), "cfg/my pools.txt");
	assert_int_equal(mg_jv_int(i1, "location.lines.begin", &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(mg_jv_str(at(v, 2), "fingerprint"), "fixed");
	mg_jv_free(v);
	e = written(0, 0);
	assert_int_equal(e->type, MG_J_ARR);
	assert_int_equal(length(e), 0);
	mg_jv_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sarif_required_fields),
		cmocka_unit_test(test_sarif_fingerprints_and_empty),
		cmocka_unit_test(test_codequality),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
