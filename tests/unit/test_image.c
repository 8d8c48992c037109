/* Key building, case folding and the compiled entries of a policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "image.h"

static __u64 fnv(const char *s)
{
	__u64 h = MG_FNV_OFFSET;

	for (; *s; s++)
		h = mg_fnv_step(h, (__u8)*s);
	return h;
}

static void test_fnv_known_vector(void **state)
{
	(void)state;
	/* FNV-1a 64 reference values */
	assert_int_equal(fnv(""), 0xcbf29ce484222325ULL);
	assert_int_equal(fnv("a"), 0xaf63dc4c8601ec8cULL);
	assert_int_equal(fnv("foobar"), 0x85944171f73967e8ULL);
}

static void test_name_hash_folds_ascii_only(void **state)
{
	(void)state;
	assert_int_equal(mg_hash_kind(MG_KIND_NAME, "XMRig", 5), fnv("xmrig"));
	assert_int_equal(mg_hash_kind(MG_KIND_PREFIX, "XMRIG-", 6), fnv("xmrig-"));
	/* UTF-8 bytes are not folded: "É" stays as it is */
	assert_int_not_equal(mg_hash_kind(MG_KIND_NAME, "\xc3\x89", 2),
			     mg_hash_kind(MG_KIND_NAME, "\xc3\xa9", 2));
	/* paths are case-sensitive */
	assert_int_not_equal(mg_hash_kind(MG_KIND_PATH, "/A", 2), mg_hash_kind(MG_KIND_PATH, "/a", 2));
}

static void test_suffix_hash_is_reversed(void **state)
{
	(void)state;
	assert_int_equal(mg_hash_kind(MG_KIND_SUFFIX, ".Json", 5), fnv("nosj."));
}

static void test_key_is_fully_zeroed(void **state)
{
	struct mg_sig_key k;

	(void)state;
	memset(&k, 0xff, sizeof(k));
	mg_key_make(&k, MG_KIND_EXC_DIR, 7, "/x/", 3);
	assert_int_equal(k.kind, MG_KIND_EXC_DIR);
	assert_int_equal(k.rule, 7);
	assert_int_equal(k.len, 3);
	assert_int_equal(k.pad, 0);
}

static void test_hooks_expand(void **state)
{
	(void)state;
	assert_int_equal(mg_hooks_from_rule(MG_RHOOK_OPEN),
			 1u << MG_HOOK_OPEN | 1u << MG_HOOK_CREATE | 1u << MG_HOOK_LINK |
				 1u << MG_HOOK_LINK_SOURCE);
	/* an executable mapping runs code as execve does; mv/ln of a file an
	 * exec-only rule matched keeps it known (issue 12, finding 1) */
	assert_int_equal(mg_hooks_from_rule(MG_RHOOK_EXEC),
			 1u << MG_HOOK_EXEC | 1u << MG_HOOK_MMAP | 1u << MG_HOOK_MPROTECT |
				 1u << MG_HOOK_LINK_SOURCE);
	assert_int_equal(mg_hooks_from_rule(MG_RHOOK_MMAP),
			 1u << MG_HOOK_MMAP | 1u << MG_HOOK_MPROTECT | 1u << MG_HOOK_LINK_SOURCE);
	/* renaming TO an exec-only name stays allowed: t-rex is many things */
	assert_false(mg_hooks_from_rule(MG_RHOOK_EXEC) & 1u << MG_HOOK_LINK);
}

static const struct mg_image_entry *find(const struct mg_image *img, enum mg_kind kind,
					 __u32 rule, const char *s)
{
	struct mg_sig_key k;

	mg_key_make(&k, kind, rule, s, strlen(s));
	return mg_image_find(img, &k);
}

static void test_build_entries_and_meta(void **state)
{
	struct mg_policy p = { 0 };
	struct mg_rule_def *a, *b;
	struct mg_image *img;
	char err[256];

	(void)state;
	a = fx_rule(&p, "a", MG_ACTION_BLOCK, MG_RHOOK_OPEN);
	fx_add(a, MG_LIST_NAMES, "xmrig");
	fx_add(a, MG_LIST_PREFIXES, "xmrig-");
	fx_add(a, MG_LIST_SUFFIXES, ".xmrig.json");
	fx_add(a, MG_LIST_DIRS, "/opt/miner");
	fx_add(a, MG_LIST_EXC_DIRS, "/srv/samples");
	fx_add(a, MG_LIST_EXC_EXES, "/usr/bin/clamscan");
	b = fx_rule(&p, "b", MG_ACTION_BLOCK, MG_RHOOK_EXEC);
	fx_add(b, MG_LIST_NAMES, "xmrig"); /* shared with a: per-hook slots */
	fx_add(b, MG_LIST_PATHS, "/usr/local/bin/minerd");

	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	assert_int_equal(img->nrules, 2);
	assert_int_equal(img->rules[1].action, MG_ACTION_BLOCK);
	assert_int_equal(img->rules[1].has_exc, 1u << MG_KIND_EXC_DIR | 1u << MG_KIND_EXC_EXE);

	const struct mg_image_entry *e = find(img, MG_KIND_NAME, 0, "xmrig");
	assert_non_null(e);
	assert_int_equal(e->val.rule[MG_HOOK_OPEN], 1);
	assert_int_equal(e->val.rule[MG_HOOK_CREATE], 1);
	assert_int_equal(e->val.rule[MG_HOOK_EXEC], 2);
	assert_int_equal(e->val.rule[MG_HOOK_MMAP], 2); /* exec covers mmap */
	assert_int_equal(e->val.rule[MG_HOOK_LINK], 1); /* open covers link */
	assert_int_equal(img->count[MG_KIND_NAME], 1); /* merged */

	assert_non_null(find(img, MG_KIND_DIR, 0, "/opt/miner/")); /* trailing slash */
	assert_null(find(img, MG_KIND_DIR, 0, "/opt/miner"));
	assert_non_null(find(img, MG_KIND_EXC_DIR, 1, "/srv/samples/"));
	assert_null(find(img, MG_KIND_EXC_DIR, 2, "/srv/samples/")); /* per rule */
	assert_non_null(find(img, MG_KIND_EXC_EXE, 1, "/usr/bin/clamscan"));

	assert_true(img->meta.prefix_lens[0] & (1ULL << 6));
	assert_true(img->meta.suffix_lens[0] & (1ULL << 11));
	assert_true(img->meta.dir_lens[0] & (1ULL << 11));
	assert_true(img->meta.flags & MG_META_NEED_PATH);
	mg_image_free(img);
	fx_free(&p);
}

static void test_no_path_signatures_no_path_needed(void **state)
{
	struct mg_policy p = { 0 };
	struct mg_image *img;
	char err[256];

	(void)state;
	fx_add(fx_rule(&p, "a", MG_ACTION_AUDIT, MG_RHOOK_OPEN), MG_LIST_NAMES, "xmrig");
	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	assert_false(img->meta.flags & MG_META_NEED_PATH);
	mg_image_free(img);
	fx_free(&p);
}

static void test_root_dir_keeps_single_slash(void **state)
{
	struct mg_policy p = { 0 };
	struct mg_image *img;
	char err[256];

	(void)state;
	fx_add(fx_rule(&p, "a", MG_ACTION_AUDIT, MG_RHOOK_OPEN), MG_LIST_DIRS, "/");
	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	assert_non_null(find(img, MG_KIND_DIR, 0, "/"));
	assert_true(img->meta.dir_lens[0] & (1ULL << 1));
	mg_image_free(img);
	fx_free(&p);
}

static int lead_bit(const struct mg_image *img, unsigned char a, unsigned char b)
{
	__u32 l = mg_lead(a, b);

	return (int)((img->meta.lead[l / 64] >> (l % 64)) & 1);
}

/* The lead filter must let through every name that can match (folded) and
 * keep out the rest; a one-byte prefix admits any second byte. */
static void test_lead_bits(void **state)
{
	struct mg_policy p = { 0 };
	struct mg_rule_def *r;
	struct mg_image *img;
	char err[256];
	size_t n = 0;

	(void)state;
	r = fx_rule(&p, "a", MG_ACTION_BLOCK, MG_RHOOK_OPEN);
	fx_add(r, MG_LIST_NAMES, "XMrig");
	fx_add(r, MG_LIST_NAMES, "q");
	fx_add(r, MG_LIST_PREFIXES, "cc");
	fx_add(r, MG_LIST_PREFIXES, "z");
	fx_add(r, MG_LIST_SUFFIXES, ".miner");
	fx_add(r, MG_LIST_PATHS, "/opt/ab/cd");
	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	assert_true(lead_bit(img, 'x', 'm'));
	assert_true(lead_bit(img, 'X', 'M'));
	assert_true(lead_bit(img, 'q', 0));
	assert_false(lead_bit(img, 'q', 'x')); /* "q" is a name, not a prefix */
	assert_true(lead_bit(img, 'c', 'C'));
	assert_true(lead_bit(img, 'z', 0));
	assert_true(lead_bit(img, 'z', '9'));
	assert_true(lead_bit(img, 'Z', 0xff));
	/* suffixes and paths do not feed the name walk's filter */
	assert_false(lead_bit(img, '.', 'm'));
	assert_false(lead_bit(img, 'c', 'd'));
	for (size_t i = 0; i < MG_LEAD_BITS / 64; i++)
		n += (size_t)__builtin_popcountll(img->meta.lead[i]);
	/* xm, q\0, cc, and z followed by any folded byte (A-Z fold away) */
	assert_int_equal(n, 1 + 1 + 1 + (256 - 26));
	mg_image_free(img);
	fx_free(&p);
}

static int bit_of(const __u64 *bits, unsigned char a, unsigned char b)
{
	__u32 l = mg_lead(a, b);

	return (int)((bits[l / 64] >> (l % 64)) & 1);
}

/* The path prefilter: base names of exact paths, last components of
 * directories and dir_names; the root directory turns it off. */
static void test_prefilter_leads(void **state)
{
	struct mg_policy p = { 0 };
	struct mg_rule_def *r;
	struct mg_image *img;
	char err[256];

	(void)state;
	r = fx_rule(&p, "a", MG_ACTION_BLOCK, MG_RHOOK_OPEN);
	fx_add(r, MG_LIST_PATHS, "/usr/bin/kaudited");
	fx_add(r, MG_LIST_PATHS, "/x/y");
	fx_add(r, MG_LIST_DIRS, "/lib/udev/ssd_control");
	fx_add(r, MG_LIST_DIRNAMES, "Kit-xmr");
	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	assert_true(img->meta.flags & MG_META_HAS_PATHS);
	assert_true(img->meta.flags & MG_META_HAS_DIRS);
	assert_false(img->meta.flags & MG_META_PF_OFF);
	assert_true(bit_of(img->meta.path_lead, 'k', 'a'));
	assert_true(bit_of(img->meta.path_lead, 'y', 0));
	assert_false(bit_of(img->meta.path_lead, 'u', 's')); /* a directory of it, not its name */
	assert_true(bit_of(img->meta.dir_lead, 's', 's'));
	assert_false(bit_of(img->meta.dir_lead, 'u', 'd'));
	assert_true(bit_of(img->meta.dir_lead, 'k', 'i'));
	assert_true(bit_of(img->meta.dir_lead, 'K', 'I'));
	mg_image_free(img);
	fx_free(&p);

	memset(&p, 0, sizeof(p));
	fx_add(fx_rule(&p, "a", MG_ACTION_BLOCK, MG_RHOOK_OPEN), MG_LIST_DIRS, "/");
	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	assert_true(img->meta.flags & MG_META_PF_OFF);
	mg_image_free(img);
	fx_free(&p);
}

static void test_rejects_overlong_name(void **state)
{
	struct mg_policy p = { 0 };
	struct mg_image *img;
	char err[256], name[300];

	(void)state;
	memset(name, 'a', 256);
	name[256] = '\0';
	fx_add(fx_rule(&p, "a", MG_ACTION_AUDIT, MG_RHOOK_OPEN), MG_LIST_NAMES, name);
	assert_int_not_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	assert_null(img);
	fx_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv_known_vector),
		cmocka_unit_test(test_name_hash_folds_ascii_only),
		cmocka_unit_test(test_suffix_hash_is_reversed),
		cmocka_unit_test(test_key_is_fully_zeroed),
		cmocka_unit_test(test_hooks_expand),
		cmocka_unit_test(test_build_entries_and_meta),
		cmocka_unit_test(test_no_path_signatures_no_path_needed),
		cmocka_unit_test(test_root_dir_keeps_single_slash),
		cmocka_unit_test(test_lead_bits),
		cmocka_unit_test(test_prefilter_leads),
		cmocka_unit_test(test_rejects_overlong_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
