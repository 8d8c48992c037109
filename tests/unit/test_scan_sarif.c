// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `minerguard scan --sarif`: findings kept, passed on, written with
 * workspace-relative paths; archives by their own path; outside ones counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scan_sarif.h"

static int passed_on;

static void count(void *ctx, const struct mg_finding *f)
{
	(void)ctx;
	(void)f;
	passed_on++;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = calloc(1, 1 << 16);

	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	return buf;
}

static void test_sarif_of_a_scan(void **state)
{
	struct mg_rule_def rule = { .name = "xmrig-binary-content", .description = "XMRig builds" };
	struct mg_finding_sink next = { .report = count }, sink;
	struct mg_finding in = { .path = "/ws/dist/kworker", .rule = &rule, .kind = MG_KIND_CONTENT,
				 .signature = "xmrig-binary-content", .action = MG_ACTION_BLOCK };
	struct mg_finding member = in, outside = in;
	struct mg_scan_sarif c;
	char path[] = "/tmp/mg-sarif-XXXXXX", err[256], *doc;
	size_t left_out = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	member.path = "/ws/image.tar!usr/bin/xmrig";
	member.action = MG_ACTION_AUDIT;
	outside.path = "/usr/bin/xmrig";
	passed_on = 0;
	mg_scan_sarif_sink(&sink, &c, &next);
	sink.report(sink.ctx, &in);
	sink.report(sink.ctx, &member);
	sink.report(sink.ctx, &outside);
	assert_int_equal(passed_on, 3); /* the text/JSON sink still sees all */
	assert_int_equal(mg_scan_sarif_write(&c, path, "/ws", &left_out, err, sizeof(err)), 0);
	assert_int_equal(left_out, 1);
	doc = slurp(path);
	assert_non_null(strstr(doc, "\"version\":\"2.1.0\""));
	assert_non_null(strstr(doc, "\"uri\":\"dist/kworker\""));
	assert_non_null(strstr(doc, "\"uri\":\"image.tar\"")); /* the archive, not the member */
	assert_null(strstr(doc, "usr/bin/xmrig\"")); /* outside: not written */
	assert_non_null(strstr(doc, "\"level\":\"error\""));
	assert_non_null(strstr(doc, "\"level\":\"warning\""));
	assert_non_null(strstr(doc, "\"id\":\"xmrig-binary-content\""));
	free(doc);
	mg_scan_sarif_free(&c);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sarif_of_a_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
