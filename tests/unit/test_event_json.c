/* JSON escaping and the decision record (ECS field names). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <unistd.h>

#include "event_json.h"
#include "fixture.h"
#include "json.h"
#include "json_check.h"

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
	/* quotes, control, valid UTF-8 kept; the invalid byte puts the string
	 * in byte form: 0xff decodes to the text \xff, the backslash to two */
	assert_string_equal(buf, "{\"s\":\"a\\\"b\\\\\\\\c\\n\\u0001\\\\xff\xc3\xa9\"}");
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
	assert_null(strstr(out, "\"ancestry\""));
	assert_null(strstr(out, "\"ci\""));

	/* ancestry and CI step: best effort, under minerguard */
	en.ancestors[0] = (struct mg_ancestor){ .pid = 120, .name = "a) b\"c" };
	en.ancestors[1] = (struct mg_ancestor){ .pid = 50, .name = "Runner.Worker" };
	en.nancestors = 2;
	strcpy(en.ci.step, "__run_7");
	strcpy(en.ci.job, "build");
	ctx.folded = 0;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_true(json_valid(out));
	assert_non_null(strstr(out, "\"ancestry\":[{\"pid\":120,\"name\":\"a) b\\\"c\"},"
				    "{\"pid\":50,\"name\":\"Runner.Worker\"}],"
				    "\"ci\":{\"step\":\"__run_7\",\"job\":\"build\"},"));
	assert_non_null(strstr(out, "\"best_effort\":[\"process.args\",\"process.parent.executable\","
				    "\"container.id\",\"minerguard.ancestry\",\"minerguard.ci\"]"));
	assert_null(strstr(out, "\"escaped\""));
	/* only the CI fields known; a name in byte form is named */
	en.nargs = 0;
	en.parent_exe[0] = en.container_id[0] = '\0';
	strcpy(en.ancestors[1].name, "bad\xff");
	en.ci.step[0] = '\0';
	strcpy(en.ci.workflow, "CI");
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_true(json_valid(out));
	assert_non_null(strstr(out, "\"ci\":{\"job\":\"build\",\"workflow\":\"CI\"}"));
	assert_non_null(strstr(out, "\"best_effort\":[\"minerguard.ancestry\",\"minerguard.ci\"]"));
	assert_non_null(strstr(out, "\"escaped\":[\"minerguard.ancestry\"]"));
	mg_image_free(img);
	free(r->category);
	fx_free(&p);
}

/* A valid string keeps its backslashes as they are: only the byte form
 * doubles them, so "\x41" typed in a path never reads as a raw byte. */
static void test_escape_valid_backslash(void **state)
{
	char buf[128];
	struct mg_json j;

	(void)state;
	mg_json_init(&j, buf, sizeof(buf));
	assert_false(mg_json_strn(&j, NULL, "a\\x41", 5));
	assert_string_equal(buf, "\"a\\\\x41\"");
	mg_json_init(&j, buf, sizeof(buf));
	assert_true(mg_json_strn(&j, NULL, "a\\x41\xc3", 6)); /* truncated UTF-8 */
	assert_string_equal(buf, "\"a\\\\\\\\x41\\\\xc3\"");
}

static void fill_decision(struct mg_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->hook = MG_HOOK_OPEN;
	ev->verdict = MG_VERDICT_BLOCK;
	ev->rule = 1;
	ev->gen = 1;
	ev->sig_kind = MG_KIND_NAME;
}

/* The longest path and executable the kernel sends, every byte a control
 * character (6 output characters each), with full /proc fields: the line
 * must fit MG_EVENT_JSON_MAX and be valid JSON. */
static void test_worst_case_fits(void **state)
{
	static struct mg_event ev;
	static struct mg_enrich en;
	static char out[MG_EVENT_JSON_MAX];
	struct mg_event_ctx ctx = { .hostname = "h1", .enrich = &en };
	size_t per_arg = sizeof(en.argbuf) / MG_ENRICH_MAX_ARGS;
	int n;

	(void)state;
	fill_decision(&ev);
	memset(ev.path, 0x01, sizeof(ev.path) - 1);
	ev.path[0] = '/';
	ev.path[10] = '/';
	memset(ev.exe, 0x02, sizeof(ev.exe) - 1);
	memset(ev.comm, 0x03, sizeof(ev.comm) - 1);
	memset(en.argbuf, 0x04, sizeof(en.argbuf));
	for (size_t i = 0; i < MG_ENRICH_MAX_ARGS; i++) {
		en.args[i] = en.argbuf + i * per_arg;
		en.argbuf[(i + 1) * per_arg - 1] = '\0';
	}
	en.nargs = MG_ENRICH_MAX_ARGS;
	memset(en.parent_exe, 0x05, sizeof(en.parent_exe) - 1);
	memset(en.container_id, 'a', sizeof(en.container_id) - 1);
	for (size_t i = 0; i < MG_ANCESTRY_MAX; i++) {
		en.ancestors[i].pid = 2147483647;
		memset(en.ancestors[i].name, 0x06, sizeof(en.ancestors[i].name) - 1);
	}
	en.nancestors = MG_ANCESTRY_MAX;
	memset(en.ci.step, 0x07, sizeof(en.ci.step) - 1);
	memset(en.ci.job, 0x08, sizeof(en.ci.job) - 1);
	memset(en.ci.workflow, 0x09 + 1, sizeof(en.ci.workflow) - 1);

	n = mg_event_format(&ev, &ctx, out, sizeof(out));
	assert_true(n > 40 * 1024); /* the old fixed buffer was 40 KiB */
	assert_true(json_valid(out));

	/* the same with invalid bytes (byte form) */
	memset(ev.path + 1, 0xff, sizeof(ev.path) - 2);
	memset(ev.exe, 0xfe, sizeof(ev.exe) - 1);
	n = mg_event_format(&ev, &ctx, out, sizeof(out));
	assert_true(n > 0);
	assert_true(json_valid(out));
	assert_non_null(strstr(out, "\"escaped\":[\"file.path\",\"file.name\","
				    "\"process.executable\"]"));
}

/* Invalid bytes: byte form, and the event names the fields in it. */
static void test_invalid_bytes_are_named(void **state)
{
	static struct mg_event ev;
	static char out[MG_EVENT_JSON_MAX];
	struct mg_event_ctx ctx = { .hostname = "h1" };

	(void)state;
	fill_decision(&ev);
	strcpy(ev.path, "/tmp/a\\x41/xm\xffrig");
	strcpy(ev.exe, "/bin/sh\\x41");
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_true(json_valid(out));
	/* decoded: /tmp/a\\x41/xm\xffrig: an escaped backslash and a raw byte */
	assert_non_null(strstr(out, "\"path\":\"/tmp/a\\\\\\\\x41/xm\\\\xffrig\""));
	assert_non_null(strstr(out, "\"name\":\"xm\\\\xffrig\""));
	/* a valid directory is written as it is */
	assert_non_null(strstr(out, "\"directory\":\"/tmp/a\\\\x41\""));
	assert_non_null(strstr(out, "\"executable\":\"/bin/sh\\\\x41\""));
	assert_non_null(strstr(out, "\"escaped\":[\"file.path\",\"file.name\"]"));

	strcpy(ev.path, "/tmp/xmrig");
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_null(strstr(out, "\"escaped\""));
}

/* Policy strings have no fixed bound: the growing variant still makes the
 * line, where the fixed buffer cannot. */
static void test_long_rule_strings_grow(void **state)
{
	static struct mg_event ev;
	struct mg_policy p = { 0 };
	struct mg_rule_def *r;
	struct mg_image *img;
	struct mg_event_ctx ctx = { .hostname = "h1" };
	size_t cap = MG_EVENT_JSON_MAX;
	char *buf = malloc(cap), err[128];
	int n;

	(void)state;
	r = fx_rule(&p, "xmrig", MG_ACTION_BLOCK, MG_RHOOK_OPEN);
	r->description = malloc(300000);
	memset(r->description, '"', 299999);
	r->description[299999] = '\0';
	fx_add(r, MG_LIST_NAMES, "xmrig");
	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	ctx.gen_img[1] = img;
	fill_decision(&ev);
	strcpy(ev.path, "/tmp/xmrig");

	assert_int_equal(mg_event_format(&ev, &ctx, buf, cap), -1);
	n = mg_event_format_grow(&ev, &ctx, &buf, &cap);
	assert_true(n > 600000);
	assert_true(cap > MG_EVENT_JSON_MAX);
	assert_true(json_valid(buf));
	free(buf);
	mg_image_free(img);
	free(r->description);
	r->description = NULL;
	fx_free(&p);
}

/* An executable the daemon read from /proc is racy: say where it came from. */
static void test_executable_source(void **state)
{
	static struct mg_event ev;
	static char out[MG_EVENT_JSON_MAX];
	struct mg_event_ctx ctx = { .hostname = "h1" };

	(void)state;
	fill_decision(&ev);
	strcpy(ev.path, "/tmp/xmrig");
	strcpy(ev.exe, "/usr/bin/curl");
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"executable_source\":\"kernel\""));
	assert_null(strstr(out, "\"best_effort\""));

	ev.flags |= MG_EV_USER_EXE_FROM_PROC;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"executable\":\"/usr/bin/curl\""));
	assert_non_null(strstr(out, "\"executable_source\":\"proc\""));
	assert_non_null(strstr(out, "\"best_effort\":[\"process.executable\"]"));
	assert_true(json_valid(out));

	/* unresolved and not found in /proc either: no source */
	ev.flags = MG_EV_EXE_ERR;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"executable\":null"));
	assert_null(strstr(out, "\"executable_source\""));
}

/* At inode_create only the name is known: not an error there; elsewhere a
 * path that could not be resolved is. */
static void test_create_path_not_an_error(void **state)
{
	static struct mg_event ev;
	static char out[MG_EVENT_JSON_MAX];
	struct mg_event_ctx ctx = { .hostname = "h1" };

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.hook = MG_HOOK_CREATE;
	ev.verdict = MG_VERDICT_BLOCK;
	ev.sig_kind = MG_KIND_NAME;
	ev.flags = MG_EV_PATH_ERR;
	ev.path_err = -22;
	strcpy(ev.path, "xmrig");
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"file\":{\"name\":\"xmrig\",\"inode\""));
	assert_non_null(strstr(out, "\"type\":[\"creation\",\"denied\"]"));
	assert_null(strstr(out, "path_unresolved"));
	assert_null(strstr(out, "\"errors\""));

	/* the same at file_open is an error */
	ev.hook = MG_HOOK_OPEN;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"errors\":[\"path_unresolved\"],\"path_error\":-22"));

	/* create with another error still reports that one */
	ev.hook = MG_HOOK_CREATE;
	ev.flags = MG_EV_PATH_ERR | MG_EV_EXC_UNCHECKED;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"errors\":[\"exceptions_unchecked\"]"));
}

/* Two flags only the kernel knows: a decision made by the inode's memory
 * (the name shown may be innocent) and a memfd target. Like would_block,
 * they are always present, false when the flag is not set. */
static void test_inode_mark_and_memfd(void **state)
{
	static struct mg_event ev;
	static char out[MG_EVENT_JSON_MAX];
	struct mg_event_ctx ctx = { .hostname = "h1" };

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.hook = MG_HOOK_EXEC;
	ev.verdict = MG_VERDICT_BLOCK;
	ev.sig_kind = MG_KIND_NAME;
	strcpy(ev.path, "/tmp/innocent");
	strcpy(ev.exe, "/bin/sh");
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"would_block\":false,\"inode_mark\":false,\"memfd\":false,"));

	/* renamed after a match: decided by the mark, not by this name */
	ev.flags = MG_EV_INODE_MARK;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"inode_mark\":true,\"memfd\":false,"));

	/* a memfd executed by fexecve, its path as d_path shows it */
	ev.flags = MG_EV_MEMFD;
	strcpy(ev.path, "/memfd:xmrig (deleted)");
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"inode_mark\":false,\"memfd\":true,"));
	assert_non_null(strstr(out, "\"name\":\"memfd:xmrig (deleted)\""));

	/* both, in audit mode: the other flags are unaffected */
	ev.flags = MG_EV_INODE_MARK | MG_EV_MEMFD | MG_EV_WOULD_BLOCK;
	ev.verdict = MG_VERDICT_AUDIT;
	ev.mode = MG_MODE_AUDIT;
	assert_true(mg_event_format(&ev, &ctx, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"would_block\":true,\"inode_mark\":true,\"memfd\":true,"));
	assert_null(strstr(out, "\"errors\""));
}

static void test_lifecycle_record(void **state)
{
	char out[2048];
	char pid[64];
	struct mg_lifecycle lc = {
		.real_ns = 1700000000LL * 1000000000LL,
		.action = "reload-rejected",
		.category = "configuration",
		.type = "change",
		.failed = 1,
		.message = "policy reload rejected",
		.error = "/etc/minerguard/policies/a.lua:3: unexpected symbol",
		.hostname = "h1",
		.mode = MG_MODE_AUDIT,
		.policy_sha256 = "ab12",
		.policy_version = 7,
		.rules = 46,
		.count = -1,
	};

	(void)state;
	assert_true(mg_lifecycle_format(&lc, out, sizeof(out)) > 0);
	assert_string_equal(out + strlen(out) - 1, "}");
	assert_non_null(strstr(out, "{\"@timestamp\":\"2023-11-14T22:13:20.000000000Z\",\"message\":\"policy reload rejected\""));
	assert_non_null(strstr(out, "\"event\":{\"kind\":\"event\",\"category\":[\"configuration\"],\"type\":[\"change\"],\"action\":\"reload-rejected\",\"outcome\":\"failure\"}"));
	assert_non_null(strstr(out, "\"error\":{\"message\":\"/etc/minerguard/policies/a.lua:3: unexpected symbol\"}"));
	snprintf(pid, sizeof(pid), "\"process\":{\"pid\":%d,\"name\":\"minerguard\"}", (int)getpid());
	assert_non_null(strstr(out, pid));
	assert_non_null(strstr(out, "\"host\":{\"name\":\"h1\"}"));
	assert_non_null(strstr(out, "\"minerguard\":{\"mode\":\"audit\",\"policy\":{\"sha256\":\"ab12\",\"version\":7,\"rules\":46}}"));
	assert_null(strstr(out, "\"count\""));

	/* a process record with a count, no error, no policy, no mode */
	lc = (struct mg_lifecycle){
		.real_ns = 0, .action = "events-dropped", .category = "process", .type = "info",
		.failed = 1, .message = "x", .mode = -1, .rules = -1, .count = 12,
	};
	assert_true(mg_lifecycle_format(&lc, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "\"category\":[\"process\"],\"type\":[\"info\"],\"action\":\"events-dropped\""));
	assert_non_null(strstr(out, "\"minerguard\":{\"count\":12}}"));
	assert_null(strstr(out, "\"error\""));
	assert_null(strstr(out, "\"host\""));

	/* too small a buffer is reported, not truncated */
	assert_int_equal(mg_lifecycle_format(&lc, out, 16), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_valid_backslash),
		cmocka_unit_test(test_worst_case_fits),
		cmocka_unit_test(test_invalid_bytes_are_named),
		cmocka_unit_test(test_long_rule_strings_grow),
		cmocka_unit_test(test_executable_source),
		cmocka_unit_test(test_overflow_is_reported),
		cmocka_unit_test(test_nested_commas),
		cmocka_unit_test(test_event_record),
		cmocka_unit_test(test_create_path_not_an_error),
		cmocka_unit_test(test_inode_mark_and_memfd),
		cmocka_unit_test(test_lifecycle_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
