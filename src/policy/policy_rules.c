/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Rules as lua/minerguard.lua validated them become struct mg_rule_def here,
 * in their normal form: names/prefixes/suffixes ASCII-folded, directories
 * without a trailing '/', every list sorted and without duplicates. The
 * checks that span rules (duplicate names, one signature with two actions)
 * run once all files ran, on sorted arrays: no quadratic pass.
 */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "minerguard_abi.h"
#include "policy_internal.h"

#define ALLOC_OVERHEAD 16 /* what we charge a malloc block beyond its size */

static struct mg_host *host_of(lua_State *L)
{
	void *ud;

	lua_getallocf(L, &ud);
	return ud;
}

static void content_free(struct mg_content_def *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nstrings; i++)
		free(c->strings[i].p);
	free(c->strings);
	free(c);
}

void mg_rule_def_free(struct mg_rule_def *r)
{
	content_free(r->content);
	for (int l = 0; l < MG_LIST_COUNT; l++) {
		for (size_t i = 0; i < r->lists[l].n; i++)
			free(r->lists[l].v[i]);
		free(r->lists[l].v);
	}
	free(r->name);
	free(r->description);
	free(r->category);
	free(r->importance);
	free(r->mitre);
	free(r->file);
	memset(r, 0, sizeof(*r));
}

static void *charged_alloc(struct mg_host *h, size_t size)
{
	void *p;

	if (!mg_sandbox_charge(h, size + ALLOC_OVERHEAD))
		return NULL;
	p = malloc(size ? size : 1);
	if (p == NULL)
		h->mem_exceeded = 1;
	return p;
}

static char *charged_strndup(struct mg_host *h, const char *s, size_t len)
{
	char *d = charged_alloc(h, len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* Copies string field key of the table at index 1; NULL when absent.
 * Sets *fail when it could not allocate. */
static char *dup_field(lua_State *L, struct mg_host *h, const char *key, int *fail)
{
	size_t len;
	const char *s;
	char *d = NULL;

	lua_getfield(L, 1, key);
	s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
	if (s && (d = charged_strndup(h, s, len)) == NULL)
		*fail = 1;
	lua_pop(L, 1);
	return d;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void normalise(enum mg_list list, char *s, size_t *len)
{
	switch (list) {
	case MG_LIST_NAMES:
	case MG_LIST_PREFIXES:
	case MG_LIST_SUFFIXES:
	case MG_LIST_DIRNAMES:
	case MG_LIST_SHA256: /* hex digits: folding is lowercasing */
		for (size_t i = 0; i < *len; i++)
			s[i] = (char)mg_fold((__u8)s[i]);
		break;
	case MG_LIST_DIRS:
	case MG_LIST_EXC_DIRS:
		if (*len > 1 && s[*len - 1] == '/')
			s[--*len] = '\0';
		break;
	default:
		break;
	}
}

/* Reads the list table on top of the stack into v, normal form. */
static int read_list(lua_State *L, struct mg_host *h, enum mg_list list, struct mg_strvec *v)
{
	size_t n = lua_type(L, -1) == LUA_TTABLE ? lua_rawlen(L, -1) : 0, kept = 0;

	if (n == 0)
		return 0;
	v->v = charged_alloc(h, n * sizeof(*v->v));
	if (v->v == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *s;

		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		s = lua_tolstring(L, -1, &len);
		if (s == NULL) { /* the DSL library validated the list */
			lua_pop(L, 1);
			continue;
		}
		v->v[v->n] = charged_strndup(h, s, len);
		lua_pop(L, 1);
		if (v->v[v->n] == NULL)
			return -1;
		normalise(list, v->v[v->n], &len);
		v->n++;
	}
	if (v->n > 1)
		qsort(v->v, v->n, sizeof(*v->v), cmp_str);
	for (size_t i = 0; i < v->n; i++) {
		if (kept > 0 && strcmp(v->v[kept - 1], v->v[i]) == 0)
			free(v->v[i]);
		else
			v->v[kept++] = v->v[i];
	}
	v->n = kept;
	return 0;
}

static int str_field_is(lua_State *L, const char *key, const char *want)
{
	const char *v;
	int eq;

	lua_getfield(L, -1, key);
	v = lua_tostring(L, -1);
	eq = v && strcmp(v, want) == 0;
	lua_pop(L, 1);
	return eq;
}

static int content_type_of(lua_State *L)
{
	if (str_field_is(L, "type", "elf"))
		return MG_CTYPE_ELF;
	if (str_field_is(L, "type", "pe"))
		return MG_CTYPE_PE;
	if (str_field_is(L, "type", "text"))
		return MG_CTYPE_TEXT;
	return MG_CTYPE_ANY;
}

/* record.content, as lua/minerguard.lua validated it, into r->content
 * (left NULL when the rule has none). Strings keep their NUL bytes. */
static int read_content(lua_State *L, struct mg_host *h, struct mg_rule_def *r)
{
	struct mg_content_def *c;
	size_t n;

	lua_getfield(L, 1, "content");
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		return 0;
	}
	c = r->content = charged_alloc(h, sizeof(*c));
	if (c == NULL)
		goto fail;
	memset(c, 0, sizeof(*c));
	lua_getfield(L, -1, "min");
	c->min = (size_t)lua_tointeger(L, -1);
	lua_getfield(L, -2, "max_size");
	c->max_size = (uint64_t)lua_tointeger(L, -1);
	lua_pop(L, 2);
	c->type = content_type_of(L);
	lua_getfield(L, -1, "strings");
	n = lua_rawlen(L, -1);
	c->strings = charged_alloc(h, (n ? n : 1) * sizeof(*c->strings));
	if (c->strings == NULL)
		goto fail_strings;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *s;

		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		s = lua_tolstring(L, -1, &len);
		c->strings[i].p = s ? charged_strndup(h, s, len) : NULL;
		c->strings[i].n = len;
		lua_pop(L, 1);
		if (c->strings[i].p == NULL)
			goto fail_strings;
		c->nstrings++;
	}
	lua_pop(L, 2);
	return 0;
fail_strings:
	lua_pop(L, 1);
fail:
	lua_pop(L, 1);
	return -1;
}

static unsigned hook_bit(const char *name)
{
	if (strcmp(name, "open") == 0)
		return MG_RHOOK_OPEN;
	if (strcmp(name, "exec") == 0)
		return MG_RHOOK_EXEC;
	if (strcmp(name, "mmap") == 0)
		return MG_RHOOK_MMAP;
	return 0;
}

static int fill_rule(lua_State *L, struct mg_host *h, struct mg_rule_def *r)
{
	int fail = 0;
	const char *action;

	r->name = dup_field(L, h, "name", &fail);
	r->description = dup_field(L, h, "description", &fail);
	r->category = dup_field(L, h, "category", &fail);
	r->importance = dup_field(L, h, "importance", &fail);
	r->mitre = dup_field(L, h, "mitre", &fail);
	r->file = dup_field(L, h, "file", &fail);
	if (fail || r->name == NULL || r->file == NULL)
		return -1;
	lua_getfield(L, 1, "line");
	r->line = (int)lua_tointeger(L, -1);
	lua_getfield(L, 1, "action");
	action = lua_tostring(L, -1);
	r->action = action && strcmp(action, "block") == 0 ? MG_ACTION_BLOCK : MG_ACTION_AUDIT;
	lua_getfield(L, 1, "except_any_namespace");
	r->except_any_ns = lua_toboolean(L, -1);
	lua_getfield(L, 1, "on_match_kill");
	r->on_match_kill = lua_toboolean(L, -1);
	lua_pop(L, 4);

	lua_getfield(L, 1, "hooks");
	for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
		r->hooks |= hook_bit(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 2);

	lua_getfield(L, 1, "lists");
	for (int l = 0; l < MG_LIST_COUNT; l++) {
		lua_rawgeti(L, -1, l + 1);
		fail = read_list(L, h, (enum mg_list)l, &r->lists[l]);
		lua_pop(L, 1);
		if (fail)
			break;
	}
	lua_pop(L, 1);
	if (!fail)
		fail = read_content(L, h, r);
	return fail ? -1 : 0;
}

int mg_options_set(lua_State *L)
{
	struct mg_host *h = host_of(L);
	const char *key = luaL_checkstring(L, 1), *v = luaL_checkstring(L, 2);

	if (strcmp(key, "memfd_exec") == 0)
		h->options.memfd_exec = strcmp(v, "allow") == 0 ? MG_OPT_MEMFD_ALLOW :
					strcmp(v, "deny") == 0  ? MG_OPT_MEMFD_DENY :
					strcmp(v, "audit") == 0 ? MG_OPT_MEMFD_AUDIT :
								  MG_OPT_MEMFD_MATCH;
	else if (strcmp(key, "tmpfs_exec") == 0)
		h->options.tmpfs_exec = strcmp(v, "deny") == 0	? MG_OPT_TMPFS_DENY :
					strcmp(v, "audit") == 0 ? MG_OPT_TMPFS_AUDIT :
								  MG_OPT_TMPFS_ALLOW;
	else
		return luaL_error(L, "unknown option %s", key);
	return 0;
}

/* add_rule(record): the DSL library's only way to define a rule. */
int mg_rules_add(lua_State *L)
{
	struct mg_host *h = host_of(L);
	struct mg_rule_def *r;

	luaL_checktype(L, 1, LUA_TTABLE);
	if (h->sealed)
		return luaL_error(L, "rule() after the policy files ran");
	if (h->nrules == h->cap_rules) {
		size_t cap = h->cap_rules ? 2 * h->cap_rules : 64;
		struct mg_rule_def *grown;

		if (!mg_sandbox_charge(h, (cap - h->cap_rules) * sizeof(*grown)))
			return luaL_error(L, "memory limit exceeded");
		grown = realloc(h->rules, cap * sizeof(*grown));
		if (grown == NULL) {
			h->mem_exceeded = 1;
			return luaL_error(L, "memory limit exceeded");
		}
		h->rules = grown;
		h->cap_rules = cap;
	}
	r = &h->rules[h->nrules];
	memset(r, 0, sizeof(*r));
	if (fill_rule(L, h, r) != 0) {
		mg_rule_def_free(r);
		h->mem_exceeded = 1;
		return luaL_error(L, "memory limit exceeded");
	}
	h->nrules++;
	return 0;
}

static int cmp_rule(const void *a, const void *b)
{
	const struct mg_rule_def *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c == 0)
		c = strcmp(x->file, y->file);
	if (c == 0)
		c = (x->line > y->line) - (x->line < y->line);
	return c;
}

struct sig_ref {
	const char *value;
	const struct mg_rule_def *rule;
	int list;
};

static int cmp_sig_ref(const void *a, const void *b)
{
	const struct sig_ref *x = a, *y = b;
	int c = (x->list > y->list) - (x->list < y->list);

	if (c == 0)
		c = strcmp(x->value, y->value);
	if (c == 0)
		c = strcmp(x->rule->file, y->rule->file);
	if (c == 0)
		c = (x->rule->line > y->rule->line) - (x->rule->line < y->rule->line);
	return c;
}

static const char *action_name(int action)
{
	return action == MG_ACTION_BLOCK ? "block" : "audit";
}

static const char *const sig_words[MG_LIST_COUNT] = {
	[MG_LIST_NAMES] = "name",       [MG_LIST_PREFIXES] = "name prefix",
	[MG_LIST_SUFFIXES] = "name suffix", [MG_LIST_PATHS] = "path",
	[MG_LIST_DIRS] = "dir",         [MG_LIST_DIRNAMES] = "dir_name",
	[MG_LIST_SHA256] = "sha256",
};

/* The lists that become kernel signatures (sig_words names them). */
static int is_sig_list(int l)
{
	return l < MG_LIST_COUNT && sig_words[l] != NULL;
}

/* One signature (kind + normal-form value) with two actions is an error:
 * the kernel map holds one entry per signature. */
static int check_conflicts(struct mg_host *h, char *err, size_t errlen)
{
	struct sig_ref *refs;
	size_t n = 0, k = 0;
	int rc = 0;

	for (size_t i = 0; i < h->nrules; i++)
		for (int l = 0; l < MG_LIST_COUNT; l++)
			if (is_sig_list(l))
				n += h->rules[i].lists[l].n;
	if (n < 2)
		return 0;
	refs = malloc(n * sizeof(*refs));
	if (refs == NULL) {
		mg_policy_errf(err, errlen, "policy: out of memory");
		return -1;
	}
	for (size_t i = 0; i < h->nrules; i++)
		for (int l = 0; l < MG_LIST_COUNT; l++)
			for (size_t j = 0; is_sig_list(l) && j < h->rules[i].lists[l].n; j++)
				refs[k++] = (struct sig_ref){ h->rules[i].lists[l].v[j],
							      &h->rules[i], l };
	qsort(refs, n, sizeof(*refs), cmp_sig_ref);
	for (size_t first = 0, i = 1; i < n; i++) {
		if (refs[i].list != refs[first].list ||
		    strcmp(refs[i].value, refs[first].value) != 0) {
			first = i;
			continue;
		}
		if (refs[i].rule->action == refs[first].rule->action)
			continue;
		mg_policy_errf(err, errlen,
			       "%s:%d: %s \"%s\" is in rule \"%s\" (%s) and in rule \"%s\" (%s, at %s:%d); a signature cannot both audit and block",
			       refs[i].rule->file, refs[i].rule->line, sig_words[refs[i].list],
			       refs[i].value, refs[i].rule->name, action_name(refs[i].rule->action),
			       refs[first].rule->name, action_name(refs[first].rule->action),
			       refs[first].rule->file, refs[first].rule->line);
		rc = -1;
		break;
	}
	free(refs);
	return rc;
}

int mg_rules_finish(struct mg_host *h, char *err, size_t errlen)
{
	if (h->nrules > 1)
		qsort(h->rules, h->nrules, sizeof(*h->rules), cmp_rule);
	for (size_t i = 1; i < h->nrules; i++) {
		const struct mg_rule_def *a = &h->rules[i - 1], *b = &h->rules[i];

		if (strcmp(a->name, b->name) == 0) {
			mg_policy_errf(err, errlen, "%s:%d: duplicate rule \"%s\" (first defined at %s:%d)",
				       b->file, b->line, b->name, a->file, a->line);
			return -1;
		}
	}
	/* Rule index 0 means "no rule" in the kernel maps. */
	if (h->nrules > MG_MAX_RULES - 1) {
		const struct mg_rule_def *r = &h->rules[MG_MAX_RULES - 1];

		mg_policy_errf(err, errlen, "%s:%d: too many rules (%zu); the kernel holds at most %d",
			       r->file, r->line, h->nrules, MG_MAX_RULES - 1);
		return -1;
	}
	return check_conflicts(h, err, errlen);
}
