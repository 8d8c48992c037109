/* JSON escaping and the decision record (ECS field names). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "event_json.h"
#include "fixture.h"
#include "json.h"

static void test_escape(void **state)
{
	char buf[128];
	struct mg_json j;

	(void)state;
	mg_json_init(&j, buf, sizeof(buf));
	mg_json_obj_begin(&j, NULL);
	mg_json_strn(&j, "s", "a\"b\\c\n\x01\xff\xc3\xa9", 10);
	mg_json_obj_end(&j);
	assert_int_equal(mg_json_finish(&j), (int)strlen(buf));
	/* quotes, backslash, control, an invalid byte; valid UTF-8 kept */
	assert_string_equal(buf, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\\u00ff\xc3\xa9\"}");
}

static void test_overflow_is_reported(void **state)
{
	char buf[8];
	struct mg_json j;

	(void)state;
	mg_json_init(&j, buf, sizeof(buf));
	mg_json_str(&j, "key", "too long for eight");
	assert_int_equal(mg_json_finish(&j), -1);
}

static void test_nested_commas(void **state)
{
	char buf[128];
	struct mg_json j;

	(void)state;
	mg_json_init(&j, buf, sizeof(buf));
	mg_json_obj_begin(&j, NULL);
	mg_json_u64(&j, "a", 1);
	mg_json_obj_begin(&j, "b");
	mg_json_bool(&j, "c", true);
	mg_json_null(&j, "d");
	mg_json_obj_end(&j);
	mg_json_arr_begin(&j, "e");
	mg_json_str(&j, NULL, "x");
	mg_json_i64(&j, NULL, -2);
	mg_json_arr_end(&j);
	mg_json_obj_end(&j);
	assert_true(mg_json_finish(&j) > 0);
	assert_string_equal(buf, "{\"a\":1,\"b\":{\"c\":true,\"d\":null},\"e\":[\"x\",-2]}");
}

static void test_event_record(void **state)
{
	static struct mg_event ev;
	static char out[MG_EVENT_JSON_MAX];
	struct mg_policy p = { 0 };
	struct mg_rule_def *r;
	struct mg_image *img;
	struct mg_event_ctx ctx = { .hostname = "h1" };
	char err[128];

	(void)state;
	r = fx_rule(&p, "xmrig", MG_ACTION_BLOCK, MG_RHOOK_OPEN | MG_RHOOK_EXEC);
	r->category = strdup("cryptominer");
	fx_add(r, MG_LIST_NAMES, "xmrig");
	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	ctx.gen_img[1] = img;

	memset(&ev, 0, sizeof(ev));
	ev.ts_boot_ns = 5;
	ctx.boot_to_real_ns = 1700000000LL * 1000000000LL;
	ev.pid = 101;
	ev.tgid = 100;
	ev.ppid = 1;
	ev.uid = 1000;
	ev.gid = 1000;
	ev.hook = MG_HOOK_EXEC;
	ev.rule = 1;
	ev.gen = 1;
	ev.sig_kind = MG_KIND_NAME;
	ev.sig_len = 5;
	ev.sig_hash = mg_hash_kind(MG_KIND_NAME, "xmrig", 5);
	ev.verdict = MG_VERDICT_BLOCK;
	ev.mode = MG_MODE_ENFORCE;
	ev.cgroup_id = 42;
	strcpy(ev.comm, "sh");
	strcpy(ev.path, "/tmp/XMRig");
	strcpy(ev.exe, "/bin/busybox");

	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"@timestamp\":\"2023-11-14T22:13:20.000000005Z\""));
	assert_non_null(strstr(out, "\"action\":\"blocked\",\"outcome\":\"failure\""));
	assert_non_null(strstr(out, "\"rule\":{\"name\":\"xmrig\",\"id\":\"xmrig\",\"category\":\"cryptominer\""));
	assert_non_null(strstr(out, "\"file\":{\"path\":\"/tmp/XMRig\",\"name\":\"XMRig\",\"directory\":\"/tmp\""));
	assert_non_null(strstr(out, "\"process\":{\"pid\":100,\"thread\":{\"id\":101},\"name\":\"sh\",\"executable\":\"/bin/busybox\",\"parent\":{\"pid\":1}}"));
	assert_non_null(strstr(out, "\"user\":{\"id\":1000}"));
	assert_non_null(strstr(out, "\"hook\":\"exec\",\"mode\":\"enforce\",\"verdict\":\"block\""));
	assert_non_null(strstr(out, "\"signature\":{\"kind\":\"name\",\"value\":\"xmrig\"}"));
	assert_non_null(strstr(out, "\"cgroup_id\":42"));

	/* audit mode: allowed, reported, marked as what enforce would do */
	ev.verdict = MG_VERDICT_AUDIT;
	ev.mode = MG_MODE_AUDIT;
	ev.flags = MG_EV_WOULD_BLOCK;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"action\":\"audited\",\"outcome\":\"success\""));
	assert_non_null(strstr(out, "\"would_block\":true"));

	/* an event of a generation we no longer know keeps its rule index */
	ev.gen = 0;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"rule\":{\"name\":null,\"index\":1}"));
	/* /proc fields and folding */
	struct mg_enrich en;
	memset(&en, 0, sizeof(en));
	strcpy(en.argbuf, "./xmrig");
	en.args[0] = en.argbuf;
	en.nargs = 1;
	strcpy(en.parent_exe, "/usr/bin/bash");
	strcpy(en.container_id, "abc");
	ctx.enrich = &en;
	ctx.folded = 4;
	ctx.first_real_ns = ctx.boot_to_real_ns;
	ev.gen = 1;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"args\":[\"./xmrig\"],\"parent\":{\"pid\":1,\"executable\":\"/usr/bin/bash\"}"));
	assert_non_null(strstr(out, "\"container\":{\"id\":\"abc\"}"));
	assert_non_null(strstr(out, "\"start\":\"2023-11-14T22:13:20.000000000Z\""));
	assert_non_null(strstr(out, "\"folded\":4"));
	assert_non_null(strstr(out, "\"best_effort\":[\"process.args\",\"process.parent.executable\",\"container.id\"]"));
	mg_image_free(img);
	free(r->category);
	fx_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_overflow_is_reported),
		cmocka_unit_test(test_nested_commas),
		cmocka_unit_test(test_event_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
