/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * mg_policy_load: runs the DSL library, then every policy file in sorted
 * order, each in its own environment of one sandboxed lua_State; require()
 * only reaches the policy directories and lua_dir. The merged result is
 * returned only when everything validated.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "minerguard_abi.h"
#include "policy_internal.h"

/* "@path": Lua's chunk name for a file, used in its messages. */
static char *chunkname_of(const char *path)
{
	size_t len = strlen(path);
	char *s = malloc(len + 2);

	if (s) {
		s[0] = '@';
		memcpy(s + 1, path, len + 1);
	}
	return s;
}

static struct mg_host *host_of(lua_State *L)
{
	void *ud;

	lua_getallocf(L, &ud);
	return ud;
}

/* Raises "file:line: message" at the policy line that called us. */
static int raise_at_caller(lua_State *L, const char *msg)
{
	struct mg_host *h = host_of(L);
	const char *file;
	int line;

	mg_sandbox_where(h, 1, &file, &line);
	lua_pushfstring(L, "%s:%d: %s", file, line, msg);
	return lua_error(L);
}

/* Reads path and leaves its compiled chunk, with a fresh environment, on
 * the stack. Returns 0; 1 when the file could not be read (or is too large
 * or bytecode) and -1 when it does not compile, with the message pushed. */
static int load_chunk(struct mg_host *h, const char *path, const char *chunkname, int record)
{
	char err[1024];
	size_t len;
	char *buf = mg_file_read(h, path, record, &len, err, sizeof(err));
	int status;

	if (buf == NULL) {
		lua_pushstring(h->L, err);
		return 1;
	}
	status = luaL_loadbufferx(h->L, buf, len, chunkname, "t");
	free(buf);
	if (status != LUA_OK)
		return -1;
	mg_sandbox_push_env(h);
	lua_setupvalue(h->L, -2, 1); /* a main chunk's only upvalue is _ENV */
	return 0;
}

/* A read error already reads "path: problem"; a syntax error needs its
 * path made whole again. */
static void report_load_error(struct mg_host *h, int status, char *err, size_t errlen)
{
	if (status > 0 && !h->mem_exceeded) {
		mg_policy_errf(err, errlen, "%s", lua_tostring(h->L, -1));
		lua_pop(h->L, 1);
		return;
	}
	mg_sandbox_describe_error(h, err, errlen);
}

/* require names are relative module paths: [A-Za-z0-9_./-], no "." or
 * ".." component, no leading or trailing '/'. */
static int module_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || name[0] == '/' || name[len - 1] == '/' || name[0] == '.')
		return 0;
	if (strstr(name, "//") || strstr(name, "/.") || strstr(name, ".."))
		return 0;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '.' || *c == '/' ||
		      *c == '-'))
			return 0;
	return 1;
}

/* Finds <dir>/<name>.lua in the policy directories, then lua_dir. A name
 * found in two policy directories is ambiguous: which one wins would
 * depend on the order of the paths given. Returns a malloc'd path, or NULL
 * with a message in msg. */
static char *resolve_module(struct mg_host *h, const char *name, char *msg, size_t msglen)
{
	char *rel = malloc(strlen(name) + 5), *found = NULL;
	struct stat found_st, st;

	if (rel == NULL) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	strcpy(rel, name);
	strcat(rel, ".lua");
	for (size_t i = 0; i <= h->ndirs; i++) {
		const char *dir = i < h->ndirs ? h->dirs[i] : h->lua_dir;
		char *path;

		if (i == h->ndirs && found)
			break;
		path = mg_path_join(dir, rel);
		if (path == NULL || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (found && (st.st_dev != found_st.st_dev || st.st_ino != found_st.st_ino)) {
			snprintf(msg, msglen, "require of \"%s\" is ambiguous: both %s and %s exist",
				 name, found, path);
			free(path);
			free(found);
			free(rel);
			return NULL;
		}
		if (found) {
			free(path);
			continue;
		}
		found = path;
		found_st = st;
	}
	if (found == NULL)
		snprintf(msg, msglen, "module \"%s\" not found (no %s in the policy directories or %s)",
			 name, rel, h->lua_dir);
	free(rel);
	return found;
}

static int policy_require(lua_State *L)
{
	struct mg_host *h = host_of(L);
	const char *name = luaL_checkstring(L, 1);
	char msg[1024];
	char *path, *chunkname;
	int status;

	if (!module_name_ok(name)) {
		snprintf(msg, sizeof(msg), "require of \"%.200s\" outside the policy directories",
			 name);
		return raise_at_caller(L, msg);
	}
	if (strcmp(name, "minerguard") == 0) {
		/* The DSL itself, as a fresh table: a file that changes it
		 * cannot change it for the next file. */
		lua_createtable(L, 0, 2);
		lua_rawgeti(L, LUA_REGISTRYINDEX, h->template_ref);
		lua_getfield(L, -1, "rule");
		lua_setfield(L, -3, "rule");
		lua_getfield(L, -1, "policy_defaults");
		lua_setfield(L, -3, "policy_defaults");
		lua_getfield(L, -1, "options");
		lua_setfield(L, -3, "options");
		lua_pop(L, 1);
		return 1;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->loaded_ref);
	lua_getfield(L, -1, name);
	if (lua_type(L, -1) == LUA_TLIGHTUSERDATA) {
		snprintf(msg, sizeof(msg), "require cycle: \"%s\" is still being loaded", name);
		return raise_at_caller(L, msg);
	}
	if (!lua_isnil(L, -1))
		return 1;
	lua_pop(L, 1);
	path = resolve_module(h, name, msg, sizeof(msg));
	if (path == NULL)
		return raise_at_caller(L, msg);
	chunkname = chunkname_of(path);
	if (chunkname == NULL) {
		free(path);
		return luaL_error(L, "out of memory");
	}
	status = load_chunk(h, path, chunkname, 1);
	free(chunkname);
	free(path);
	if (status > 0) {
		/* The module file cannot be used: blame the require line. */
		snprintf(msg, sizeof(msg), "%s", lua_tostring(L, -1));
		return raise_at_caller(L, msg);
	}
	if (status < 0)
		return lua_error(L); /* a syntax error, positioned in the module */
	lua_pushlightuserdata(L, h); /* "being loaded" marker */
	lua_setfield(L, -3, name);
	lua_pushstring(L, name);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		/* Not cached: a later require must not report a cycle. */
		lua_pushnil(L);
		lua_setfield(L, -3, name);
		return lua_error(L);
	}
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, name);
	return 1;
}

/* where(level) -> file, line of the first policy frame at or above level. */
static int host_where(lua_State *L)
{
	struct mg_host *h = host_of(L);
	const char *file;
	int line;

	mg_sandbox_where(h, (int)luaL_checkinteger(L, 1), &file, &line);
	lua_pushstring(L, file);
	lua_pushinteger(L, line);
	return 2;
}

/* Runs lua_dir/minerguard.lua with its private host table and publishes
 * what it returns (rule, policy_defaults) plus require in every policy
 * environment. */
static int load_library(struct mg_host *h, char *err, size_t errlen)
{
	lua_State *L = h->L;
	char *path = mg_path_join(h->lua_dir, MG_DSL_LIBRARY);
	size_t cap;
	int status;

	if (path == NULL || (h->library_source = chunkname_of(path)) == NULL) {
		free(path);
		mg_policy_errf(err, errlen, "policy: out of memory");
		return -1;
	}
	/* The library is trusted: the policy file cap is not for it. */
	cap = h->limits.max_file_bytes;
	h->limits.max_file_bytes = MG_POLICY_DEFAULT_FILE_BYTES;
	status = load_chunk(h, path, h->library_source, 0);
	h->limits.max_file_bytes = cap;
	free(path);
	if (status != 0) {
		report_load_error(h, status, err, errlen);
		return -1;
	}
	lua_createtable(L, 0, 4);
	lua_pushcfunction(L, host_where);
	lua_setfield(L, -2, "where");
	lua_pushcfunction(L, mg_rules_add);
	lua_setfield(L, -2, "add_rule");
	lua_pushcfunction(L, mg_sandbox_fatal);
	lua_setfield(L, -2, "fatal");
	lua_pushcfunction(L, mg_options_set);
	lua_setfield(L, -2, "set_option");
	lua_pushinteger(L, MG_NAME_MAX);
	lua_setfield(L, -2, "NAME_MAX");
	lua_pushinteger(L, MG_PATH_MAX - 1);
	lua_setfield(L, -2, "PATH_MAX");
	if (mg_sandbox_call(h, 1, 1, err, errlen) != 0)
		return -1;
	if (!lua_istable(L, -1)) {
		mg_policy_errf(err, errlen, "%s: did not return the DSL table", h->library_source + 1);
		lua_pop(L, 1);
		return -1;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->template_ref);
	lua_getfield(L, -2, "rule");
	lua_setfield(L, -2, "rule");
	lua_getfield(L, -2, "policy_defaults");
	lua_setfield(L, -2, "policy_defaults");
	lua_getfield(L, -2, "options");
	lua_setfield(L, -2, "options");
	lua_pushcfunction(L, policy_require);
	lua_setfield(L, -2, "require");
	lua_pop(L, 2);
	return 0;
}

static int run_policy_file(struct mg_host *h, const char *path, char *err, size_t errlen)
{
	char *chunkname = chunkname_of(path);
	int status;

	if (chunkname == NULL) {
		mg_policy_errf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	h->current_file = path;
	h->last_line = 0;
	status = load_chunk(h, path, chunkname, 1);
	free(chunkname);
	if (status != 0) {
		report_load_error(h, status, err, errlen);
		return -1;
	}
	return mg_sandbox_call(h, 0, 0, err, errlen);
}

int mg_policy_load(const char *const *paths, size_t npaths, const char *lua_dir,
		   const struct mg_policy_limits *limits, struct mg_policy **out,
		   char *err, size_t errlen)
{
	struct mg_host h;
	struct mg_policy *p = NULL;
	char **files = NULL;
	size_t nfiles = 0;
	int rc = -1;

	memset(&h, 0, sizeof(h));
	if (out)
		*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (limits)
		h.limits = *limits;
	if (!h.limits.max_file_bytes)
		h.limits.max_file_bytes = MG_POLICY_DEFAULT_FILE_BYTES;
	if (!h.limits.max_memory_bytes)
		h.limits.max_memory_bytes = MG_POLICY_DEFAULT_MEMORY_BYTES;
	if (!h.limits.max_instructions)
		h.limits.max_instructions = MG_POLICY_DEFAULT_INSTRUCTIONS;
	if (out == NULL || lua_dir == NULL) {
		mg_policy_errf(err, errlen, "policy: no %s given", out ? "Lua library directory" : "output");
		return -1;
	}
	h.lua_dir = strdup(lua_dir);
	if (h.lua_dir == NULL) {
		mg_policy_errf(err, errlen, "policy: out of memory");
		return -1;
	}
	if (mg_files_collect(&h, paths, npaths, &files, &nfiles, err, errlen) != 0)
		goto cleanup;
	if (mg_sandbox_open(&h, err, errlen) != 0 || load_library(&h, err, errlen) != 0)
		goto cleanup;
	for (size_t i = 0; i < nfiles; i++)
		if (run_policy_file(&h, files[i], err, errlen) != 0)
			goto cleanup;
	/* Finalizers run at close: no rule may come from them. */
	h.current_file = NULL;
	h.sealed = 1;
	mg_sandbox_close(&h);
	if (mg_rules_finish(&h, err, errlen) != 0)
		goto cleanup;
	p = calloc(1, sizeof(*p));
	if (p == NULL || mg_files_finish(&h, p) != 0) {
		mg_policy_errf(err, errlen, "policy: out of memory");
		goto cleanup;
	}
	p->rules = h.rules;
	p->nrules = h.nrules;
	p->options = h.options;
	h.rules = NULL;
	h.nrules = 0;
	*out = p;
	p = NULL;
	rc = 0;
cleanup:
	mg_sandbox_close(&h);
	for (size_t i = 0; i < h.nrules; i++)
		mg_rule_def_free(&h.rules[i]);
	free(h.rules);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	mg_files_free(&h);
	free(h.library_source);
	free(h.lua_dir);
	mg_policy_free(p);
	return rc;
}

void mg_policy_free(struct mg_policy *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nrules; i++)
		mg_rule_def_free(&p->rules[i]);
	free(p->rules);
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	free(p);
}
