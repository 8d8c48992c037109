/* Unit tests of the Lua policy host (src/policy/policy_*.c, lua/minerguard.lua).
 * Run from the repository root: fixture paths are relative to it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include "minerguard_abi.h"
#include "policy.h"

#define FX "tests/unit/policies/"
#define LUA_DIR "lua"

enum limit_kind { LIM_DEFAULT = 0, LIM_INSTR, LIM_MEMORY };

struct bad_case {
	const char *path;
	enum limit_kind limits;
	const char *expect;
};

/* Every bad policy, with the exact one-line error it must give. */
static const struct bad_case bad_cases[] = {
	/* content identity (issue 10) */
	{ FX "bad/content_short.lua", 0,
	  FX "bad/content_short.lua:1: rule \"content_short\": content.strings[2] \"xmr\" is 3 bytes; a content string needs at least 6" },
	{ FX "bad/content_empty.lua", 0,
	  FX "bad/content_empty.lua:1: rule \"content_empty\": content.strings is empty" },
	{ FX "bad/content_min_high.lua", 0,
	  FX "bad/content_min_high.lua:1: rule \"content_min_high\": content.min is 3, more than the 2 strings given" },
	{ FX "bad/content_min_zero.lua", 0,
	  FX "bad/content_min_zero.lua:1: rule \"content_min_zero\": content.min is 0; it must be at least 1" },
	{ FX "bad/content_no_max.lua", 0,
	  FX "bad/content_no_max.lua:1: rule \"content_no_max\": content.max_size is missing (the largest file size in bytes the rule applies to)" },
	{ FX "bad/content_type.lua", 0,
	  FX "bad/content_type.lua:1: rule \"content_type\": unknown content.type \"exe\" (allowed: elf, pe, text, any)" },
	{ FX "bad/content_key.lua", 0,
	  FX "bad/content_key.lua:1: rule \"content_key\": unknown key \"size\" in content" },
	{ FX "bad/content_repeat.lua", 0,
	  FX "bad/content_repeat.lua:1: rule \"content_repeat\": content.strings[3] repeats content.strings[1]" },
	{ FX "bad/sha256_short.lua", 0,
	  FX "bad/sha256_short.lua:1: rule \"sha256_short\": sha256[1] \"abc123\" is 6 characters; a SHA-256 digest is 64 hex digits" },
	{ FX "bad/sha256_hex.lua", 0,
	  FX "bad/sha256_hex.lua:1: rule \"sha256_hex\": sha256[2] \"g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\" has a non-hex character at position 1" },
	{ FX "bad/dir_name_slash.lua", 0,
	  FX "bad/dir_name_slash.lua:1: rule \"dir_name_slash\": dir_names[1] \"xmrig/bin\" contains '/'; a file name cannot (use paths or dirs)" },
	{ FX "bad/content_expect_no_content.lua", 0,
	  FX "bad/content_expect_no_content.lua:1: rule \"content_expect_no_content\": expect.content_match needs a content signature in the rule" },
	{ FX "bad/sha256_conflict.lua", 0,
	  FX "bad/sha256_conflict.lua:2: sha256 \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\" is in rule \"b\" (audit) and in rule \"a\" (block, at tests/unit/policies/bad/sha256_conflict.lua:1); a signature cannot both audit and block" },
	{ FX "bad/syntax.lua", 0,
	  FX "bad/syntax.lua:4: '}' expected (to close '{' at line 2) near 'action'" },
	{ FX "bad/runtime.lua", 0,
	  FX "bad/runtime.lua:2: attempt to index a nil value (local 'lists')" },
	{ FX "bad/error_call.lua", 0, FX "bad/error_call.lua:2: policy author gave up" },
	{ FX "bad/error_table.lua", 0, FX "bad/error_table.lua:2: error object is a table value" },
	{ FX "bad/not_a_table.lua", 0,
	  FX "bad/not_a_table.lua:1: rule: expects a table, as in rule { name = \"...\", action = \"block\", ... }; got string" },
	{ FX "bad/unknown_key.lua", 0,
	  FX "bad/unknown_key.lua:2: rule \"unknown_key\": unknown key \"nmes\"" },
	{ FX "bad/unknown_keys.lua", 0,
	  FX "bad/unknown_keys.lua:1: rule \"unknown_keys\": unknown keys \"alpha\", \"zeta\", [1]" },
	{ FX "bad/unknown_except_key.lua", 0,
	  FX "bad/unknown_except_key.lua:1: rule \"unknown_except_key\": unknown key \"path\" in except" },
	{ FX "bad/unknown_expect_key.lua", 0,
	  FX "bad/unknown_expect_key.lua:1: rule \"unknown_expect_key\": unknown key \"matches\" in expect" },
	{ FX "bad/names_not_list.lua", 0,
	  FX "bad/names_not_list.lua:1: rule \"names_not_list\": names must be a list of strings, got string" },
	{ FX "bad/names_element_type.lua", 0,
	  FX "bad/names_element_type.lua:1: rule \"names_element_type\": names[2] must be a string, got number" },
	{ FX "bad/names_named_key.lua", 0,
	  FX "bad/names_named_key.lua:1: rule \"names_named_key\": names must be a list of strings, but has the key \"extra\"" },
	{ FX "bad/names_hole.lua", 0,
	  FX "bad/names_hole.lua:1: rule \"names_hole\": names has a hole: a list must not contain nil" },
	{ FX "bad/description_type.lua", 0,
	  FX "bad/description_type.lua:1: rule \"description_type\": description must be a string, got number" },
	{ FX "bad/except_type.lua", 0,
	  FX "bad/except_type.lua:1: rule \"except_type\": except must be a table, got string" },
	{ FX "bad/name_type.lua", 0,
	  FX "bad/name_type.lua:1: rule: name must be a string, got number" },
	{ FX "bad/missing_name.lua", 0,
	  FX "bad/missing_name.lua:2: rule: missing required key \"name\"" },
	{ FX "bad/missing_action.lua", 0,
	  FX "bad/missing_action.lua:1: rule \"missing_action\": missing required key \"action\"" },
	{ FX "bad/blank_rule_name.lua", 0,
	  FX "bad/blank_rule_name.lua:1: rule: name \"  \" is empty or only whitespace" },
	{ FX "bad/empty_name.lua", 0,
	  FX "bad/empty_name.lua:1: rule \"empty_name\": names[2] is empty" },
	{ FX "bad/blank_prefix.lua", 0,
	  FX "bad/blank_prefix.lua:1: rule \"blank_prefix\": name_prefixes[1] \"   \" is only whitespace" },
	{ FX "bad/blank_suffix.lua", 0,
	  FX "bad/blank_suffix.lua:1: rule \"blank_suffix\": name_suffixes[1] \"\\t\\n\" is only whitespace" },
	{ FX "bad/long_name.lua", 0,
	  FX "bad/long_name.lua:1: rule \"long_name\": names[1] is 256 bytes, exceeds the kernel limit of 255 bytes" },
	{ FX "bad/long_prefix.lua", 0,
	  FX "bad/long_prefix.lua:1: rule \"long_prefix\": name_prefixes[1] is 300 bytes, exceeds the kernel limit of 255 bytes" },
	{ FX "bad/long_suffix.lua", 0,
	  FX "bad/long_suffix.lua:1: rule \"long_suffix\": name_suffixes[1] is 256 bytes, exceeds the kernel limit of 255 bytes" },
	{ FX "bad/slash_name.lua", 0,
	  FX "bad/slash_name.lua:1: rule \"slash_name\": names[1] \"bin/xmrig\" contains '/'; a file name cannot (use paths or dirs)" },
	{ FX "bad/slash_suffix.lua", 0,
	  FX "bad/slash_suffix.lua:1: rule \"slash_suffix\": name_suffixes[1] \"/xmrig\" contains '/'; a file name cannot (use paths or dirs)" },
	{ FX "bad/nul_name.lua", 0,
	  FX "bad/nul_name.lua:1: rule \"nul_name\": names[1] \"xm\\000rig\" contains a NUL byte" },
	{ FX "bad/relative_path.lua", 0,
	  FX "bad/relative_path.lua:1: rule \"relative_path\": paths[1] \"opt/xmrig/xmrig\" is not absolute (must start with '/')" },
	{ FX "bad/relative_dir.lua", 0,
	  FX "bad/relative_dir.lua:1: rule \"relative_dir\": dirs[1] \"tmp/\" is not absolute (must start with '/')" },
	{ FX "bad/relative_except_path.lua", 0,
	  FX "bad/relative_except_path.lua:1: rule \"relative_except_path\": except.paths[2] \"usr/bin/xmrig\" is not absolute (must start with '/')" },
	{ FX "bad/on_match_unknown.lua", 0,
	  FX "bad/on_match_unknown.lua:1: rule \"on_match_unknown\": unknown on_match \"explode\" (allowed: kill, none)" },
	{ FX "bad/on_match_kill_audit.lua", 0,
	  FX "bad/on_match_kill_audit.lua:1: rule \"on_match_kill_audit\": on_match = \"kill\" needs action = \"block\" (an audit rule only reports)" },
	{ FX "bad/any_namespace_string.lua", 0,
	  FX "bad/any_namespace_string.lua:1: rule \"any_namespace_string\": except.any_namespace must be true or false, got string" },
	{ FX "bad/relative_except_dir.lua", 0,
	  FX "bad/relative_except_dir.lua:1: rule \"relative_except_dir\": except.dirs[1] \"./build\" is not absolute (must start with '/')" },
	{ FX "bad/relative_executable.lua", 0,
	  FX "bad/relative_executable.lua:1: rule \"relative_executable\": except.executables[1] \"clamscan\" is not absolute (must start with '/')" },
	{ FX "bad/relative_expect.lua", 0,
	  FX "bad/relative_expect.lua:1: rule \"relative_expect\": expect.match[1] \"xmrig\" is not absolute (must start with '/')" },
	{ FX "bad/empty_path.lua", 0,
	  FX "bad/empty_path.lua:1: rule \"empty_path\": paths[1] \"\" is not absolute (must start with '/')" },
	{ FX "bad/long_path.lua", 0,
	  FX "bad/long_path.lua:1: rule \"long_path\": paths[1] is 4096 bytes, exceeds the kernel limit of 4095 bytes" },
	{ FX "bad/long_dir.lua", 0,
	  FX "bad/long_dir.lua:1: rule \"long_dir\": dirs[1] is 4095 bytes, exceeds the kernel limit of 4094 bytes for a directory" },
	{ FX "bad/long_except_path.lua", 0,
	  FX "bad/long_except_path.lua:1: rule \"long_except_path\": except.paths[1] is 5001 bytes, exceeds the kernel limit of 4095 bytes" },
	{ FX "bad/path_trailing_slash.lua", 0,
	  FX "bad/path_trailing_slash.lua:1: rule \"path_trailing_slash\": paths[1] \"/opt/xmrig/\" ends with '/'; a directory belongs in dirs" },
	{ FX "bad/path_double_slash.lua", 0,
	  FX "bad/path_double_slash.lua:1: rule \"path_double_slash\": paths[1] \"/opt//xmrig\" is not canonical: it contains \"//\"" },
	{ FX "bad/dir_dotdot.lua", 0,
	  FX "bad/dir_dotdot.lua:1: rule \"dir_dotdot\": dirs[1] \"/opt/xmrig/../bin\" is not canonical: it has a \".\" or \"..\" component" },
	{ FX "bad/nul_path.lua", 0,
	  FX "bad/nul_path.lua:1: rule \"nul_path\": paths[1] \"/opt/x\\000y\" contains a NUL byte" },
	{ FX "bad/unknown_hook.lua", 0,
	  FX "bad/unknown_hook.lua:1: rule \"unknown_hook\": unknown hook \"opne\" (allowed: open, exec, mmap)" },
	{ FX "bad/empty_hooks.lua", 0,
	  FX "bad/empty_hooks.lua:1: rule \"empty_hooks\": hooks is empty (allowed: open, exec, mmap)" },
	{ FX "bad/unknown_action.lua", 0,
	  FX "bad/unknown_action.lua:1: rule \"unknown_action\": unknown action \"deny\" (allowed: block, audit)" },
	{ FX "bad/unknown_importance.lua", 0,
	  FX "bad/unknown_importance.lua:1: rule \"unknown_importance\": unknown importance \"urgent\" (allowed: low, medium, high, critical)" },
	{ FX "bad/bad_mitre.lua", 0,
	  FX "bad/bad_mitre.lua:1: rule \"bad_mitre\": mitre \"Resource Hijacking\" is not an ATT&CK technique id such as T1496 or T1496.001" },
	{ FX "bad/no_signatures.lua", 0,
	  FX "bad/no_signatures.lua:1: rule \"no_signatures\": has no signatures (give names, name_prefixes, name_suffixes, paths, dirs, dir_names, sha256 or content)" },
	{ FX "bad/helper_blame.lua", 0,
	  FX "bad/helper_blame.lua:3: rule \"helper_blame\": names[1] \"helper_blame/\" contains '/'; a file name cannot (use paths or dirs)" },
	{ FX "bad/pcall_rule.lua", 0,
	  FX "bad/pcall_rule.lua:2: rule \"pcall_rule\": unknown action \"deny\" (allowed: block, audit)" },
	{ FX "bad/infinite_loop.lua", LIM_INSTR,
	  FX "bad/infinite_loop.lua:3: instruction limit exceeded (1000000 instructions)" },
	{ FX "bad/limit_in_pcall.lua", LIM_INSTR,
	  FX "bad/limit_in_pcall.lua:3: instruction limit exceeded (1000000 instructions)" },
	{ FX "bad/memory_bomb.lua", LIM_MEMORY,
	  FX "bad/memory_bomb.lua:4: memory limit exceeded (4194304 bytes)" },
	{ FX "bad/memory_rep.lua", LIM_MEMORY,
	  FX "bad/memory_rep.lua:3: string.rep: memory limit exceeded (4194304 bytes)" },
	{ FX "bad/require_outside.lua", 0,
	  FX "bad/require_outside.lua:2: require of \"../good/lists/xmrig\" outside the policy directories" },
	{ FX "bad/require_absolute.lua", 0,
	  FX "bad/require_absolute.lua:1: require of \"/etc/passwd\" outside the policy directories" },
	{ FX "bad/require_missing.lua", 0,
	  FX "bad/require_missing.lua:2: module \"lists/nope\" not found (no lists/nope.lua in the policy directories or lua)" },
	{ FX "bad/require_cycle.lua", 0,
	  FX "bad/cycle/b.lua:2: require cycle: \"cycle/a\" is still being loaded" },
	{ FX "bad/require_syntax.lua", 0, FX "bad/broken/module.lua:2: '}' expected near '\"b\"'" },
	{ FX "bad/require_retry.lua", 0,
	  FX "bad/broken/runtime.lua:2: attempt to index a nil value (local 't')" },
	{ FX "bad/dup_same_file.lua", 0,
	  FX "bad/dup_same_file.lua:3: duplicate rule \"dup\" (first defined at " FX "bad/dup_same_file.lua:1)" },
	{ FX "bad/conflict_folded.lua", 0,
	  FX "bad/conflict_folded.lua:3: name \"xmrig\" is in rule \"miner-b\" (audit) and in rule \"miner-a\" (block, at " FX "bad/conflict_folded.lua:2); a signature cannot both audit and block" },
	{ FX "bad/conflict_dir.lua", 0,
	  FX "bad/conflict_dir.lua:2: dir \"/opt/miner\" is in rule \"dir-b\" (audit) and in rule \"dir-a\" (block, at " FX "bad/conflict_dir.lua:1); a signature cannot both audit and block" },
	{ FX "bad/defaults_twice.lua", 0,
	  FX "bad/defaults_twice.lua:2: policy_defaults: already given at " FX "bad/defaults_twice.lua:1" },
	{ FX "bad/defaults_after_rule.lua", 0,
	  FX "bad/defaults_after_rule.lua:2: policy_defaults: must come before the first rule of the file" },
	{ FX "bad/defaults_unknown_key.lua", 0,
	  FX "bad/defaults_unknown_key.lua:1: policy_defaults: unknown key \"names\"" },
	{ FX "bad/too_many_rules.lua", 0,
	  FX "bad/too_many_rules.lua:3: too many rules (4096); the kernel holds at most 4095" },
	{ FX "bad_dup", 0,
	  FX "bad_dup/b.lua:3: duplicate rule \"xmrig\" (first defined at " FX "bad_dup/a.lua:2)" },
	{ FX "bad_conflict", 0,
	  FX "bad_conflict/b.lua:2: name \"minerd\" is in rule \"auditor\" (audit) and in rule \"blocker\" (block, at " FX "bad_conflict/a.lua:1); a signature cannot both audit and block" },
	{ FX "empty_dir", 0, FX "empty_dir: no *.lua policy files in the directory" },
	{ FX "does-not-exist.lua", 0,
	  FX "does-not-exist.lua: cannot read policy: No such file or directory" },
	/* Lua shortens chunk names over 59 bytes to "...tail"; the host puts
	 * the path back as given. */
#define LONGDIR FX "long/a_directory_name_long_enough_that_lua_shortens_chunk_names/"
	{ LONGDIR "syntax.lua", 0,
	  LONGDIR "syntax.lua:2: '}' expected (to close '{' at line 1) near '\"x\"'" },
	{ LONGDIR "runtime.lua", 0, LONGDIR "runtime.lua:3: attempt to index a nil value (local 't')" },
	{ LONGDIR "rule.lua", 0, LONGDIR "rule.lua:2: rule \"long_rule\": names[1] is empty" },
};

static int load(const char *const *paths, size_t n, const struct mg_policy_limits *lim,
		struct mg_policy **out, char *err, size_t errlen)
{
	*out = (struct mg_policy *)(uintptr_t)1; /* must come back NULL on failure */
	return mg_policy_load(paths, n, LUA_DIR, lim, out, err, errlen);
}

static void test_bad_case(void **state)
{
	const struct bad_case *c = *state;
	struct mg_policy_limits lim = { 0 };
	struct mg_policy *p;
	char err[8192];

	if (c->limits == LIM_INSTR)
		lim.max_instructions = 1000000;
	if (c->limits == LIM_MEMORY)
		lim.max_memory_bytes = 4u << 20;
	assert_int_equal(load(&c->path, 1, &lim, &p, err, sizeof(err)), -1);
	assert_null(p);
	assert_string_equal(err, c->expect);
	assert_null(strchr(err, '\n'));
}

/* ---- good policies ------------------------------------------------------ */

static const struct mg_rule_def *find_rule(const struct mg_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (strcmp(p->rules[i].name, name) == 0)
			return &p->rules[i];
	return NULL;
}

/* Asserts list l of r is exactly the NULL-terminated strings given. */
static void expect_list(const struct mg_rule_def *r, enum mg_list l, ...)
{
	va_list ap;
	size_t i = 0;
	const char *s;

	va_start(ap, l);
	while ((s = va_arg(ap, const char *)) != NULL) {
		assert_true(i < r->lists[l].n);
		assert_string_equal(r->lists[l].v[i], s);
		i++;
	}
	va_end(ap);
	assert_int_equal(r->lists[l].n, i);
}

/* The digest `sha256sum` gives for its own output over these files. */
static void shell_digest(const char *const *files, size_t n, char hex[65])
{
	char cmd[4096] = "sha256sum";
	FILE *f;

	for (size_t i = 0; i < n; i++) {
		strcat(cmd, " ");
		strcat(cmd, files[i]);
	}
	strcat(cmd, " | sha256sum");
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(hex, 65, f));
	pclose(f);
	hex[64] = '\0';
}

static void test_good_directory(void **state)
{
	static const char *const files[] = {
		FX "good/10-xmrig.lua", FX "good/20-audit.lua",
		FX "good/lists/common.lua", FX "good/lists/xmrig.lua",
	};
	const char *path = FX "good";
	const struct mg_rule_def *r;
	struct mg_policy *p;
	char err[1024], hex[65];

	(void)state;
	assert_int_equal(load(&path, 1, NULL, &p, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(p->nrules, 4);
	/* sorted by name */
	assert_string_equal(p->rules[0].name, "cpuminer");
	assert_string_equal(p->rules[1].name, "ethminer");
	assert_string_equal(p->rules[2].name, "nbminer");
	assert_string_equal(p->rules[3].name, "xmrig");
	/* every file read, modules included, sorted; the DSL library is not
	 * policy content */
	assert_int_equal(p->nfiles, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(p->files[i], files[i]);
	shell_digest(files, 4, hex);
	assert_string_equal(p->sha256, hex);

	r = find_rule(p, "xmrig");
	assert_string_equal(r->file, FX "good/10-xmrig.lua");
	assert_int_equal(r->line, 5);
	assert_int_equal(r->action, MG_ACTION_BLOCK);
	assert_int_equal(r->hooks, MG_RHOOK_OPEN | MG_RHOOK_EXEC | MG_RHOOK_MMAP);
	assert_string_equal(r->description, "XMRig CPU/GPU miner");
	assert_string_equal(r->category, "cryptominer");
	assert_string_equal(r->importance, "critical");
	assert_string_equal(r->mitre, "T1496");
	/* folded, de-duplicated, sorted */
	expect_list(r, MG_LIST_NAMES, "xmrig", "xmrig-cuda", "xmrig-notls", NULL);
	expect_list(r, MG_LIST_PREFIXES, "xmrig-", NULL);
	expect_list(r, MG_LIST_SUFFIXES, ".xmrig.json", NULL);
	expect_list(r, MG_LIST_PATHS, "/opt/xmrig/xmrig", NULL);
	/* no trailing '/', except "/" itself */
	expect_list(r, MG_LIST_DIRS, "/opt/xmrig", "/srv/miners", NULL);
	expect_list(r, MG_LIST_EXC_PATHS, "/usr/share/doc/xmrig/README", NULL);
	expect_list(r, MG_LIST_EXC_DIRS, "/usr/lib", "/usr/share/doc", NULL);
	expect_list(r, MG_LIST_EXC_EXES, "/usr/bin/clamscan", NULL);
	expect_list(r, MG_LIST_EXPECT_MATCH, "/tmp/xmrig", NULL);
	expect_list(r, MG_LIST_EXPECT_NOMATCH, "/usr/bin/xmrigger-doc", NULL);

	/* built in a loop, with policy_defaults */
	r = find_rule(p, "cpuminer");
	assert_string_equal(r->file, FX "good/20-audit.lua");
	assert_int_equal(r->line, 7);
	assert_int_equal(r->action, MG_ACTION_AUDIT);
	assert_int_equal(r->hooks, MG_RHOOK_OPEN | MG_RHOOK_EXEC);
	assert_string_equal(r->category, "cryptominer");
	assert_string_equal(r->importance, "medium");
	assert_null(r->description);
	assert_null(r->mitre);
	expect_list(r, MG_LIST_NAMES, "cpuminer", NULL);
	expect_list(r, MG_LIST_DIRS, NULL);

	r = find_rule(p, "nbminer");
	assert_int_equal(r->line, 13);
	assert_int_equal(r->action, MG_ACTION_BLOCK);
	assert_int_equal(r->hooks, MG_RHOOK_EXEC);
	assert_string_equal(r->importance, "medium");
	expect_list(r, MG_LIST_PREFIXES, "nbminer", NULL);
	mg_policy_free(p);
}

static void assert_same_policy(const struct mg_policy *a, const struct mg_policy *b)
{
	assert_string_equal(a->sha256, b->sha256);
	assert_int_equal(a->nfiles, b->nfiles);
	for (size_t i = 0; i < a->nfiles; i++)
		assert_string_equal(a->files[i], b->files[i]);
	assert_int_equal(a->nrules, b->nrules);
	for (size_t i = 0; i < a->nrules; i++) {
		const struct mg_rule_def *x = &a->rules[i], *y = &b->rules[i];

		assert_string_equal(x->name, y->name);
		assert_string_equal(x->file, y->file);
		assert_int_equal(x->line, y->line);
		assert_int_equal(x->action, y->action);
		assert_int_equal(x->hooks, y->hooks);
		for (int l = 0; l < MG_LIST_COUNT; l++) {
			assert_int_equal(x->lists[l].n, y->lists[l].n);
			for (size_t k = 0; k < x->lists[l].n; k++)
				assert_string_equal(x->lists[l].v[k], y->lists[l].v[k]);
		}
	}
}

static void test_merge_order_independent(void **state)
{
	const char *ab[] = { FX "good/10-xmrig.lua", FX "good/20-audit.lua" };
	const char *ba[] = { FX "good/20-audit.lua", FX "good/10-xmrig.lua" };
	const char *dir = FX "good/";
	struct mg_policy *p1, *p2, *p3;
	char err[1024];

	(void)state;
	assert_int_equal(load(ab, 2, NULL, &p1, err, sizeof(err)), 0);
	assert_int_equal(load(ba, 2, NULL, &p2, err, sizeof(err)), 0);
	assert_int_equal(load(&dir, 1, NULL, &p3, err, sizeof(err)), 0);
	assert_same_policy(p1, p2);
	assert_same_policy(p1, p3);
	mg_policy_free(p1);
	mg_policy_free(p2);
	mg_policy_free(p3);
}

static void test_error_order_independent(void **state)
{
	const char *ab[] = { FX "bad_dup/a.lua", FX "bad_dup/b.lua" };
	const char *ba[] = { FX "bad_dup/b.lua", FX "bad_dup/a.lua" };
	struct mg_policy *p;
	char e1[1024], e2[1024];

	(void)state;
	assert_int_equal(load(ab, 2, NULL, &p, e1, sizeof(e1)), -1);
	assert_int_equal(load(ba, 2, NULL, &p, e2, sizeof(e2)), -1);
	assert_null(p);
	assert_string_equal(e1, e2);
	assert_string_equal(e1, FX "bad_dup/b.lua:3: duplicate rule \"xmrig\" (first defined at " FX "bad_dup/a.lua:2)");
}

static void test_same_file_twice_is_one_file(void **state)
{
	const char *paths[] = { FX "good/10-xmrig.lua", FX "good", FX "good/10-xmrig.lua" };
	struct mg_policy *p;
	char err[1024];

	(void)state;
	assert_int_equal(load(paths, 3, NULL, &p, err, sizeof(err)), 0);
	assert_int_equal(p->nrules, 4);
	mg_policy_free(p);
}

static void test_sandbox(void **state)
{
	const char *path = FX "sandbox";
	struct mg_policy *p;
	char err[1024];

	(void)state;
	/* globals.lua asserts what is (not) reachable; leak_b.lua asserts
	 * that its globals and library changes did not leak. */
	assert_int_equal(load(&path, 1, NULL, &p, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(p->nrules, 2);
	expect_list(find_rule(p, "sandbox-b"), MG_LIST_NAMES, "b", NULL);
	mg_policy_free(p);
}

static void test_finalizer_cannot_add_rules(void **state)
{
	const char *path = FX "gc/finalizer.lua";
	struct mg_policy *p;
	char err[1024];

	(void)state;
	assert_int_equal(load(&path, 1, NULL, &p, err, sizeof(err)), 0);
	assert_int_equal(p->nrules, 1);
	assert_string_equal(p->rules[0].name, "kept");
	mg_policy_free(p);
}

static void test_values_at_the_limits(void **state)
{
	const char *path = FX "limits/ok.lua";
	const struct mg_rule_def *r;
	struct mg_policy *p;
	char err[1024];

	(void)state;
	assert_int_equal(load(&path, 1, NULL, &p, err, sizeof(err)), 0);
	r = &p->rules[0];
	assert_int_equal(r->lists[MG_LIST_NAMES].n, 1);
	assert_int_equal(strlen(r->lists[MG_LIST_NAMES].v[0]), MG_NAME_MAX);
	assert_int_equal(r->lists[MG_LIST_NAMES].v[0][0], 'n');
	assert_int_equal(strlen(r->lists[MG_LIST_PATHS].v[0]), MG_PATH_MAX - 1);
	assert_int_equal(r->lists[MG_LIST_DIRS].n, 2);
	assert_string_equal(r->lists[MG_LIST_DIRS].v[0], "/");
	/* 4094 bytes without its '/', 4095 as the kernel stores it */
	assert_int_equal(strlen(r->lists[MG_LIST_DIRS].v[1]), MG_PATH_MAX - 2);
	expect_list(r, MG_LIST_EXC_DIRS, "/usr", NULL);
	mg_policy_free(p);
}

static void test_no_paths_and_no_library(void **state)
{
	const char *path = FX "good";
	struct mg_policy *p = NULL;
	char err[1024];

	(void)state;
	assert_int_equal(load(&path, 0, NULL, &p, err, sizeof(err)), -1);
	assert_null(p);
	assert_string_equal(err, "policy: no policy file or directory given");
	p = (struct mg_policy *)(uintptr_t)1;
	assert_int_equal(mg_policy_load(&path, 1, "tests/unit/policies/nowhere", NULL, &p, err,
					sizeof(err)), -1);
	assert_null(p);
	assert_string_equal(err, "tests/unit/policies/nowhere/minerguard.lua: cannot read: No such file or directory");
}

static void test_file_size_cap(void **state)
{
	const char *path = FX "good/10-xmrig.lua";
	struct mg_policy_limits lim = { .max_file_bytes = 100 };
	struct mg_policy *p;
	char err[1024], want[1024];
	struct stat st;

	(void)state;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(load(&path, 1, &lim, &p, err, sizeof(err)), -1);
	assert_null(p);
	snprintf(want, sizeof(want), "%s: file is %lld bytes, over the limit of 100 bytes", path,
		 (long long)st.st_size);
	assert_string_equal(err, want);
}

/* ---- generated policies (temporary directory) --------------------------- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/mg-test-policy.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int drop_tmpdir(void **state)
{
	(void)state;
	remove_tree(tmpdir);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
	(void)L;
	return fwrite(p, 1, sz, ud) == sz ? 0 : 1;
}

/* A real Lua bytecode file, compiled from valid policy source. */
static void write_bytecode(const char *path)
{
	lua_State *L = luaL_newstate();
	FILE *f = fopen(path, "wb");

	assert_non_null(L);
	assert_non_null(f);
	assert_int_equal(luaL_loadstring(L, "rule { name = \"bc\", action = \"block\", names = { \"bc\" } }"), LUA_OK);
	assert_int_equal(lua_dump(L, dump_writer, f, 0), 0);
	fclose(f);
	lua_close(L);
}

static void test_bytecode_refused(void **state)
{
	char path[256], want[512], err[1024];
	const char *p = path;
	struct mg_policy *pol;

	(void)state;
	snprintf(path, sizeof(path), "%s/compiled.lua", tmpdir);
	write_bytecode(path);
	assert_int_equal(load(&p, 1, NULL, &pol, err, sizeof(err)), -1);
	assert_null(pol);
	snprintf(want, sizeof(want), "%s: is precompiled Lua bytecode; only Lua source text is accepted", path);
	assert_string_equal(err, want);
}

static void test_bytecode_module_refused(void **state)
{
	char path[128], mod[128], want[1024], err[1024];
	const char *p = path;
	struct mg_policy *pol;

	(void)state;
	snprintf(mod, sizeof(mod), "%s/mods", tmpdir);
	assert_int_equal(mkdir(mod, 0755), 0);
	snprintf(mod, sizeof(mod), "%s/mods/compiled.lua", tmpdir);
	write_bytecode(mod);
	snprintf(path, sizeof(path), "%s/uses_module.lua", tmpdir);
	write_file(path, "-- requires a compiled module\nlocal m = require(\"mods/compiled\")\n");
	assert_int_equal(load(&p, 1, NULL, &pol, err, sizeof(err)), -1);
	assert_null(pol);
	snprintf(want, sizeof(want),
		 "%s:2: %s: is precompiled Lua bytecode; only Lua source text is accepted", path, mod);
	assert_string_equal(err, want);
}

static void test_module_size_cap(void **state)
{
	char dir[96], path[128], mod[128], want[1024], err[1024];
	const char *p = path;
	struct mg_policy_limits lim = { .max_file_bytes = 200 };
	struct mg_policy *pol;
	char big[400];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/capped", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(mod, sizeof(mod), "%s/big.lua", dir);
	memset(big, '-', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_file(mod, big);
	snprintf(path, sizeof(path), "%s/small.lua", dir);
	write_file(path, "local m = require(\"big\")\n");
	assert_int_equal(load(&p, 1, &lim, &pol, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1: %s: file is 399 bytes, over the limit of 200 bytes",
		 path, mod);
	assert_string_equal(err, want);
}

/* 100,000 signatures across kinds: compiled and validated, and timed. */
static void test_large_policy(void **state)
{
	char path[256], err[1024];
	const char *p = path;
	struct mg_policy *pol;
	struct timespec t0, t1;
	size_t total = 0;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/large.lua", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (int r = 0; r < 20; r++) {
		static const char *const keys[] = { "names", "name_prefixes", "name_suffixes",
						    "paths", "dirs" };

		fprintf(f, "rule { name = \"rule%02d\", action = \"%s\",\n", r, r % 2 ? "block" : "audit");
		for (int k = 0; k < 5; k++) {
			fprintf(f, "  %s = {\n", keys[k]);
			for (int i = 0; i < 1000; i++)
				fprintf(f, k < 3 ? "    \"Miner-%02d-%d-%04d\",\n" : "    \"/opt/m%02d/%d/x%04d\",\n", r, k, i);
			fprintf(f, "  },\n");
		}
		fprintf(f, "}\n");
	}
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(load(&p, 1, NULL, &pol, err, sizeof(err)), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (size_t i = 0; i < pol->nrules; i++)
		for (int l = MG_LIST_NAMES; l <= MG_LIST_DIRS; l++)
			total += pol->rules[i].lists[l].n;
	assert_int_equal(pol->nrules, 20);
	assert_int_equal(total, 100000);
	assert_string_equal(pol->rules[0].lists[MG_LIST_NAMES].v[0], "miner-00-0-0000");
	print_message("large policy: 100000 signatures loaded in %.0f ms\n",
		      (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	mg_policy_free(pol);
}

int main(void)
{
	size_t nbad = sizeof(bad_cases) / sizeof(bad_cases[0]);
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_good_directory),
		cmocka_unit_test(test_merge_order_independent),
		cmocka_unit_test(test_error_order_independent),
		cmocka_unit_test(test_same_file_twice_is_one_file),
		cmocka_unit_test(test_sandbox),
		cmocka_unit_test(test_finalizer_cannot_add_rules),
		cmocka_unit_test(test_values_at_the_limits),
		cmocka_unit_test(test_no_paths_and_no_library),
		cmocka_unit_test(test_file_size_cap),
		cmocka_unit_test_setup_teardown(test_bytecode_refused, make_tmpdir, drop_tmpdir),
		cmocka_unit_test_setup_teardown(test_bytecode_module_refused, make_tmpdir, drop_tmpdir),
		cmocka_unit_test_setup_teardown(test_module_size_cap, make_tmpdir, drop_tmpdir),
		cmocka_unit_test_setup_teardown(test_large_policy, make_tmpdir, drop_tmpdir),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(nbad + nfixed, sizeof(*tests));
	int failed;

	if (tests == NULL)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	for (size_t i = 0; i < nbad; i++) {
		tests[nfixed + i].name = bad_cases[i].path;
		tests[nfixed + i].test_func = test_bad_case;
		tests[nfixed + i].initial_state = (void *)&bad_cases[i];
	}
	failed = _cmocka_run_group_tests("policy", tests, nbad + nfixed, NULL, NULL);
	free(tests);
	return failed;
}
