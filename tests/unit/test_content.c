/* The content engine (src/scan/ac.c, content.c, filetype.c, filescan.c), the
 * DSL's content/sha256/dir_names, and how the matcher judges them.
 * Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ac.h"
#include "content.h"
#include "filescan.h"
#include "filetype.h"
#include "fixture.h"
#include "image.h"
#include "matcher.h"
#include "policy.h"
#include "sha256.h"

/* ---- Aho-Corasick ---------------------------------------------------------- */

struct hits {
	uint32_t n[8];
	size_t total;
};

static void count_hit(void *ctx, uint32_t id)
{
	struct hits *h = ctx;

	h->n[id]++;
	h->total++;
}

static struct mg_ac *ac_of(const char *const *pats, size_t n)
{
	struct mg_ac *ac = mg_ac_new();

	assert_non_null(ac);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(mg_ac_add(ac, pats[i], strlen(pats[i]), (uint32_t)i), 0);
	assert_int_equal(mg_ac_compile(ac), 0);
	return ac;
}

/* Overlapping patterns, one inside another, and every split of the input
 * into two chunks: the state carries across, so the counts never change. */
static void test_ac_overlaps_and_chunk_splits(void **state)
{
	static const char *const pats[] = { "abcdef", "bcdefg", "cde", "defabc", "zzzz" };
	const char *text = "xxabcdefgxxdefabcdefzzzzz";
	struct mg_ac *ac = ac_of(pats, 5);
	size_t len = strlen(text);

	(void)state;
	for (size_t split = 0; split <= len; split++) {
		struct hits h = { 0 };
		uint32_t s = mg_ac_scan(ac, 0, text, split, count_hit, &h);

		mg_ac_scan(ac, s, text + split, len - split, count_hit, &h);
		assert_int_equal(h.n[0], 2); /* abcdef at 2 and 14 */
		assert_int_equal(h.n[1], 1);
		assert_int_equal(h.n[2], 2);
		assert_int_equal(h.n[3], 1);
		assert_int_equal(h.n[4], 2); /* zzzzz holds zzzz twice */
	}
	/* byte by byte */
	{
		struct hits h = { 0 };
		uint32_t s = 0;

		for (size_t i = 0; i < len; i++)
			s = mg_ac_scan(ac, s, text + i, 1, count_hit, &h);
		assert_int_equal(h.total, 8);
	}
	mg_ac_free(ac);
}

static void test_ac_binary_and_empty(void **state)
{
	struct mg_ac *ac = mg_ac_new();
	struct hits h = { 0 };
	const unsigned char data[] = { 0, 0xff, 0, 1, 2, 0, 0xff, 0, 0xff };

	(void)state;
	assert_int_equal(mg_ac_add(ac, "", 0, 0), -1);
	assert_int_equal(mg_ac_add(ac, "\0\xff\0", 3, 1), 0);
	assert_int_equal(mg_ac_compile(ac), 0);
	assert_int_equal(mg_ac_add(ac, "late", 4, 2), -1); /* compiled: closed */
	mg_ac_scan(ac, 0, data, sizeof(data), count_hit, &h);
	assert_int_equal(h.n[1], 2); /* at 0 and 5 */
	mg_ac_free(ac);
}

/* ---- a hand-built policy with content rules -------------------------------- */

static void add_content(struct mg_rule_def *r, size_t min, uint64_t max_size, int type, ...)
{
	struct mg_content_def *c = calloc(1, sizeof(*c));
	va_list ap;
	const char *s;

	va_start(ap, type);
	while ((s = va_arg(ap, const char *)) != NULL) {
		c->strings = realloc(c->strings, (c->nstrings + 1) * sizeof(*c->strings));
		c->strings[c->nstrings].p = strdup(s);
		c->strings[c->nstrings++].n = strlen(s);
	}
	va_end(ap);
	c->min = min;
	c->max_size = max_size;
	c->type = type;
	r->content = c;
}

static void free_policy(struct mg_policy *p)
{
	for (size_t i = 0; i < p->nrules; i++) {
		struct mg_content_def *c = p->rules[i].content;

		for (size_t k = 0; c && k < c->nstrings; k++)
			free(c->strings[k].p);
		if (c)
			free(c->strings);
		free(c);
	}
	fx_free(p);
}

struct world {
	struct mg_policy p;
	struct mg_image *img;
	struct mg_content_engine *engine;
	struct mg_file_scanner *fs;
};

/* Rules (sorted by name, as the loader leaves them):
 *   a-two-of-three  2 of {stratum+tcp://, donate.v2.xmrig.com, xmrig.com/wizard}, any, <= 1 MiB
 *   b-all-elf       all of {stratum+tcp://, RandomX\x03}, elf, <= 2 MiB
 *   c-text          1 of {"donate-level"}, text, <= 100 bytes
 *   d-pe            1 of {stratum+tcp://}, pe, <= 1 MiB */
static int setup_world(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	char err[256];

	add_content(fx_rule(&w->p, "a-two-of-three", MG_ACTION_BLOCK, MG_RHOOK_OPEN), 2, 1 << 20,
		    MG_CTYPE_ANY, "stratum+tcp://", "donate.v2.xmrig.com", "xmrig.com/wizard", NULL);
	add_content(fx_rule(&w->p, "b-all-elf", MG_ACTION_AUDIT, MG_RHOOK_EXEC), 2, 2 << 20,
		    MG_CTYPE_ELF, "stratum+tcp://", "RandomX\x03", NULL);
	add_content(fx_rule(&w->p, "c-text", MG_ACTION_BLOCK, MG_RHOOK_OPEN), 1, 100,
		    MG_CTYPE_TEXT, "\"donate-level\"", NULL);
	add_content(fx_rule(&w->p, "d-pe", MG_ACTION_BLOCK, MG_RHOOK_OPEN), 1, 1 << 20,
		    MG_CTYPE_PE, "stratum+tcp://", NULL);
	assert_int_equal(mg_image_build(&w->p, &w->img, err, sizeof(err)), 0);
	assert_int_equal(mg_content_build(w->img, &w->engine, err, sizeof(err)), 0);
	w->fs = mg_fscan_new(w->engine);
	assert_non_null(w->fs);
	*state = w;
	return 0;
}

static int teardown_world(void **state)
{
	struct world *w = *state;

	mg_fscan_free(w->fs);
	mg_content_free(w->engine);
	mg_image_free(w->img);
	free_policy(&w->p);
	free(w);
	return 0;
}

/* Names of the matched rules, comma-separated, for readable asserts. */
static const char *matched(struct world *w, const void *data, size_t len, size_t chunk)
{
	static char out[256];
	struct mg_file_result r;
	const unsigned char *p = data;

	mg_fscan_begin(w->fs, len);
	for (size_t at = 0; at < len; at += chunk)
		mg_fscan_feed(w->fs, p + at, len - at < chunk ? len - at : chunk);
	mg_fscan_end(w->fs, &r);
	out[0] = '\0';
	for (size_t i = 0; i < r.ncontent; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, w->p.rules[r.content[i]->rule - 1].name);
	}
	return out;
}

static void test_n_of_them(void **state)
{
	struct world *w = *state;
	const char *one = "junk stratum+tcp://pool junk stratum+tcp://again";
	const char *two = "stratum+tcp://pool and donate.v2.xmrig.com";

	/* one string twice is still one string */
	assert_string_equal(matched(w, one, strlen(one), 1000), "");
	assert_string_equal(matched(w, two, strlen(two), 1000), "a-two-of-three");
	/* the same in 1-byte and 7-byte chunks */
	assert_string_equal(matched(w, two, strlen(two), 1), "a-two-of-three");
	assert_string_equal(matched(w, two, strlen(two), 7), "a-two-of-three");
}

static void test_types(void **state)
{
	struct world *w = *state;
	unsigned char elf[256] = "\x7f" "ELF\2\1\1";
	unsigned char pe[256] = "MZ";
	unsigned char fake_pe[256] = "MZ";
	const char *text = "{ \"donate-level\": 1 }";

	memcpy(elf + 100, "stratum+tcp://", 14);
	memcpy(elf + 150, "RandomX\x03", 8);
	/* a NUL byte: ELF, never text */
	assert_string_equal(matched(w, elf, sizeof(elf), 64), "b-all-elf");
	pe[0x3c] = 0x80; /* e_lfanew */
	memcpy(pe + 0x80, "PE\0\0", 4);
	memcpy(pe + 0xa0, "stratum+tcp://", 14);
	assert_string_equal(matched(w, pe, sizeof(pe), 256), "d-pe");
	/* "MZ" without the PE header where e_lfanew points is not PE */
	fake_pe[0x3c] = 0x80;
	memcpy(fake_pe + 0xa0, "stratum+tcp://", 14);
	assert_string_equal(matched(w, fake_pe, sizeof(fake_pe), 256), "");
	assert_string_equal(matched(w, text, strlen(text), 5), "c-text");
	assert_true(mg_filetype_is(MG_CTYPE_TEXT, (const unsigned char *)"abc", 3));
	assert_false(mg_filetype_is(MG_CTYPE_TEXT, (const unsigned char *)"a\0c", 3));
	assert_false(mg_filetype_is(MG_CTYPE_ELF, (const unsigned char *)"\x7f" "EL", 3));
}

static void test_size_bound(void **state)
{
	struct world *w = *state;
	char text[200];

	memset(text, ' ', sizeof(text));
	memcpy(text, "\"donate-level\"", 14);
	assert_string_equal(matched(w, text, 100, 10), "c-text");
	/* 101 bytes: over c-text's max_size of 100 */
	assert_string_equal(matched(w, text, 101, 10), "");
}

/* A file of 2 MiB through mg_fscan_fd: a string straddles the 1 MiB read
 * boundary, the digest is the whole file's, and a size over every
 * rule's max_size turns the content search off. */
static void test_file_chunk_boundaries(void **state)
{
	struct world *w = *state;
	size_t len = 3u << 20;
	char *buf = calloc(1, len), path[] = "/tmp/mg-content-XXXXXX", hex[65];
	struct mg_file_result r;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	memcpy(buf, "\x7f" "ELF", 4);
	memcpy(buf + MG_SCAN_CHUNK - 5, "stratum+tcp://", 14);
	memcpy(buf + MG_SCAN_CHUNK + 4096, "RandomX\x03", 8);
	assert_int_equal(write(fd, buf, 2 << 20), 2 << 20);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(mg_fscan_fd(w->fs, fd, 2 << 20, &r), 0);
	assert_true(r.content_checked);
	assert_int_equal(r.ncontent, 1);
	assert_string_equal(w->p.rules[r.content[0]->rule - 1].name, "b-all-elf");
	mg_sha256_hex_of(buf, 2 << 20, hex);
	assert_string_equal(r.sha256, hex);
	/* 3 MiB: over b-all-elf's 2 MiB, the largest max_size */
	assert_int_equal(write(fd, buf + (2 << 20), len - (2 << 20)), (ssize_t)(len - (2 << 20)));
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(mg_fscan_fd(w->fs, fd, len, &r), 0);
	assert_false(r.content_checked);
	assert_int_equal(r.ncontent, 0);
	assert_int_equal(r.size, len);
	close(fd);
	unlink(path);
	free(buf);
}

/* The rule found by content is what the mark {CONTENT, 0, 0, fnv(name)}
 * looks up, for the rule's hooks only. */
static void test_content_marks(void **state)
{
	struct world *w = *state;
	struct mg_match m;
	struct mg_sig_key k;

	mg_key_make(&k, MG_KIND_CONTENT, 0, "b-all-elf", strlen("b-all-elf"));
	k.len = 0;
	assert_memory_equal(&k, &w->img->content[1].key, sizeof(k));
	mg_match_mark(w->img, "/tmp/x", NULL, MG_HOOK_EXEC, &k, &m);
	assert_true(m.matched);
	assert_string_equal(m.def->name, "b-all-elf");
	assert_int_equal(m.action, MG_ACTION_AUDIT);
	mg_match_mark(w->img, "/tmp/x", NULL, MG_HOOK_OPEN, &k, &m);
	assert_false(m.matched); /* an exec-only rule */
	assert_int_equal(w->img->count[MG_KIND_CONTENT], 4);
}

/* ---- the DSL ---------------------------------------------------------------- */

static const struct mg_rule_def *rule_named(const struct mg_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].name, name))
			return &p->rules[i];
	return NULL;
}

static void test_dsl_content_sha256_dir_names(void **state)
{
	const char *path = "tests/unit/policies/content/good.lua";
	struct mg_policy *p;
	struct mg_image *img;
	struct mg_match m;
	struct mg_sig_key k;
	const struct mg_rule_def *r;
	unsigned char digest[32];
	struct mg_sha256 c;
	char err[1024];

	(void)state;
	assert_int_equal(mg_policy_load(&path, 1, "lua", NULL, &p, err, sizeof(err)), 0);
	r = rule_named(p, "bytes");
	assert_non_null(r->content);
	assert_int_equal(r->content->nstrings, 3);
	assert_int_equal(r->content->strings[0].n, 8);
	assert_memory_equal(r->content->strings[0].p, "RandomX\x03", 8);
	assert_int_equal(r->content->strings[1].n, 10); /* the NUL byte stays */
	assert_memory_equal(r->content->strings[1].p, "nul\0inside", 10);
	assert_int_equal(r->content->min, 2);
	assert_int_equal(r->content->max_size, 4096);
	assert_int_equal(r->content->type, MG_CTYPE_ELF);
	assert_int_equal(r->lists[MG_LIST_DIRNAMES].n, 2);
	assert_string_equal(r->lists[MG_LIST_DIRNAMES].v[0], ".miner");
	assert_string_equal(r->lists[MG_LIST_DIRNAMES].v[1], "xmrig");
	assert_string_equal(r->lists[MG_LIST_SHA256].v[0],
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	r = rule_named(p, "defaults");
	assert_int_equal(r->content->min, 2); /* default: all of them */
	assert_int_equal(r->content->type, MG_CTYPE_ANY);

	assert_int_equal(mg_image_build(p, &img, err, sizeof(err)), 0);
	assert_int_equal(img->ncontent, 2);
	assert_int_equal(img->count[MG_KIND_DIRNAME], 2);
	assert_int_equal(img->count[MG_KIND_SHA256], 1);
	/* sha256("abc") is the digest listed */
	mg_sha256_init(&c);
	mg_sha256_update(&c, "abc", 3);
	mg_sha256_final(&c, digest);
	mg_key_sha256(&k, digest);
	assert_int_equal(k.len, 32);
	mg_match_mark(img, "/srv/abc", NULL, MG_HOOK_OPEN, &k, &m);
	assert_true(m.matched);
	assert_int_equal(m.kind, MG_KIND_SHA256);
	/* a directory component anywhere, case-folded; never the file name */
	mg_match_path(img, "/opt/XMRIG/bin/run", NULL, MG_HOOK_OPEN, &m);
	assert_true(m.matched);
	assert_int_equal(m.kind, MG_KIND_DIRNAME);
	assert_string_equal(m.sig->str, "xmrig");
	mg_match_path(img, "/home/u/.MINER/x", NULL, MG_HOOK_EXEC, &m);
	assert_true(m.matched);
	mg_match_path(img, "/opt/bin/xmrig", NULL, MG_HOOK_OPEN, &m);
	assert_false(m.matched);
	mg_match_path(img, "/opt/xmrig2/x", NULL, MG_HOOK_OPEN, &m);
	assert_false(m.matched);
	mg_image_free(img);
	mg_policy_free(p);
}

/* Decision order: a directory prefix is judged before a directory name;
 * a blocking directory name still beats an auditing directory prefix. */
static void test_dir_names_after_dirs(void **state)
{
	struct mg_policy p = { 0 };
	struct mg_image *img;
	struct mg_match m;
	char err[256];

	(void)state;
	fx_add(fx_rule(&p, "dir-audit", MG_ACTION_AUDIT, MG_RHOOK_OPEN), MG_LIST_DIRS, "/opt");
	fx_add(fx_rule(&p, "dir-block", MG_ACTION_BLOCK, MG_RHOOK_OPEN), MG_LIST_DIRS, "/srv");
	fx_add(fx_rule(&p, "dirname-block", MG_ACTION_BLOCK, MG_RHOOK_OPEN), MG_LIST_DIRNAMES,
	       "xmrig");
	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	mg_match_path(img, "/srv/xmrig/x", NULL, MG_HOOK_OPEN, &m);
	assert_string_equal(m.def->name, "dir-block"); /* both block: the dir came first */
	mg_match_path(img, "/opt/xmrig/x", NULL, MG_HOOK_OPEN, &m);
	assert_string_equal(m.def->name, "dirname-block"); /* block beats audit */
	mg_match_path(img, "/opt/other/x", NULL, MG_HOOK_OPEN, &m);
	assert_string_equal(m.def->name, "dir-audit");
	mg_image_free(img);
	fx_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ac_overlaps_and_chunk_splits),
		cmocka_unit_test(test_ac_binary_and_empty),
		cmocka_unit_test_setup_teardown(test_n_of_them, setup_world, teardown_world),
		cmocka_unit_test_setup_teardown(test_types, setup_world, teardown_world),
		cmocka_unit_test_setup_teardown(test_size_bound, setup_world, teardown_world),
		cmocka_unit_test_setup_teardown(test_file_chunk_boundaries, setup_world, teardown_world),
		cmocka_unit_test_setup_teardown(test_content_marks, setup_world, teardown_world),
		cmocka_unit_test(test_dsl_content_sha256_dir_names),
		cmocka_unit_test(test_dir_names_after_dirs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
