/* Workflow-command escaping and the cap of 10 annotations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotations.h"

static void test_escape(void **state)
{
	char *d, *p;

	(void)state;
	d = mg_gh_escape("100% a:b,c\r\nd", 0);
	p = mg_gh_escape("100% a:b,c\r\nd", 1);
	assert_string_equal(d, "100%25 a:b,c%0D%0Ad");       /* data keeps ':' and ',' */
	assert_string_equal(p, "100%25 a%3Ab%2Cc%0D%0Ad");   /* properties do not */
	free(d);
	free(p);
	/* '%' first: an already escaped-looking text is not taken as an escape */
	d = mg_gh_escape("%0A", 0);
	assert_string_equal(d, "%250A");
	free(d);
}

static char *capture(void (*fn)(FILE *, struct mg_annotator *), struct mg_annotator *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, a);
	fclose(f);
	return buf;
}

static void one(FILE *f, struct mg_annotator *a)
{
	struct mg_annotation an = {
		.error = 1, .file = "dist/x,y:z", .line = 0, .title = "minerguard: blocked xmrig",
		.message = "open of dist/x,y:z\nby sh",
	};

	mg_annotator_init(a, f, MG_CI_MAX_ANNOTATIONS);
	assert_int_equal(mg_annotate(a, &an), 0);
	an.error = 0;
	an.file = NULL;
	an.title = NULL;
	an.message = "audited";
	assert_int_equal(mg_annotate(a, &an), 0);
}

static void test_format(void **state)
{
	struct mg_annotator a;
	char *out = capture(one, &a);

	(void)state;
	assert_string_equal(out,
			    "::error file=dist/x%2Cy%3Az,line=1,title=minerguard%3A blocked xmrig::"
			    "open of dist/x,y:z%0Aby sh\n"
			    "::warning::audited\n");
	assert_int_equal(a.emitted, 2);
	free(out);
}

static void many(FILE *f, struct mg_annotator *a)
{
	struct mg_annotation an = { .error = 1, .message = "m" };

	mg_annotator_init(a, f, MG_CI_MAX_ANNOTATIONS);
	for (int i = 0; i < 25; i++) {
		an.error = i % 2;
		assert_int_equal(mg_annotate(a, &an), 0);
	}
}

static void test_cap_of_ten(void **state)
{
	struct mg_annotator a;
	char *out = capture(many, &a);
	size_t lines = 0;

	(void)state;
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 10);
	assert_int_equal(a.emitted, 10);
	assert_int_equal(a.dropped, 15);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_cap_of_ten),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
