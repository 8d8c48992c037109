/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The Lua sandbox policies run in (modelled on Suricata's
 * util-lua-sandbox): a fresh lua_State per load whose allocator counts bytes
 * against a cap, a count hook that caps VM instructions, and only
 * allow-listed functions. Each policy file and module gets its own copy of
 * the globals, so one file cannot change what another sees and the order of
 * files never matters. Errors are rewritten to "path:line: message" with
 * the path as given (Lua shortens long chunk names).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "policy_internal.h"

#define HOOK_STEP 1000 /* instructions between two count-hook calls */

static struct mg_host *host_of(lua_State *L)
{
	void *ud;

	lua_getallocf(L, &ud);
	return ud;
}

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct mg_host *h = ud;
	void *p;

	if (ptr == NULL)
		osize = 0; /* osize then only tells the object type */
	if (nsize == 0) {
		free(ptr);
		h->mem_used -= osize;
		return NULL;
	}
	/* Lua relies on shrinking never failing; only growth is refused. */
	if (nsize > osize && h->mem_used + (nsize - osize) > h->limits.max_memory_bytes) {
		h->mem_exceeded = 1;
		return NULL;
	}
	p = realloc(ptr, nsize);
	if (p == NULL)
		return NULL;
	h->mem_used = h->mem_used - osize + nsize;
	return p;
}

int mg_sandbox_charge(struct mg_host *h, size_t bytes)
{
	if (h->mem_used + bytes > h->limits.max_memory_bytes) {
		h->mem_exceeded = 1;
		return 0;
	}
	h->mem_used += bytes;
	return 1;
}

void mg_sandbox_refund(struct mg_host *h, size_t bytes)
{
	h->mem_used -= bytes < h->mem_used ? bytes : h->mem_used;
}

void mg_sandbox_where(struct mg_host *h, int level, const char **file, int *line)
{
	lua_Debug ar;

	for (; lua_getstack(h->L, level, &ar); level++) {
		if (!lua_getinfo(h->L, "Sl", &ar) || ar.source == NULL)
			continue;
		if (ar.source[0] != '@' || ar.currentline <= 0)
			continue;
		if (h->library_source && strcmp(ar.source, h->library_source) == 0)
			continue;
		*file = ar.source + 1;
		*line = ar.currentline;
		return;
	}
	*file = h->current_file ? h->current_file : "?";
	*line = 0;
}

/* Remembers the policy line running now, for memory errors: Lua reports
 * those without a position and without calling the message handler, and
 * the allocator cannot safely inspect the stack. */
static void record_position(struct mg_host *h, int level, const char **file, int *line)
{
	mg_sandbox_where(h, level, file, line);
	if (*line <= 0)
		return;
	if (*file != h->last_source) {
		snprintf(h->last_file, sizeof(h->last_file), "%s", *file);
		h->last_source = *file;
	}
	h->last_line = *line;
}

void mg_sandbox_record_position(struct mg_host *h, int level)
{
	const char *file;
	int line;

	record_position(h, level, &file, &line);
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
	struct mg_host *h = host_of(L);
	const char *file;
	int line;

	(void)ar;
	h->instructions += HOOK_STEP;
	record_position(h, 0, &file, &line);
	if (h->instructions <= h->limits.max_instructions && !h->instr_exceeded)
		return;
	if (!h->instr_exceeded) {
		h->instr_exceeded = 1;
		if (!h->fatal) {
			h->fatal = 1;
			if (line > 0)
				snprintf(h->fatal_msg, sizeof(h->fatal_msg),
					 "%s:%d: instruction limit exceeded (%llu instructions)",
					 file, line, (unsigned long long)h->limits.max_instructions);
			else
				snprintf(h->fatal_msg, sizeof(h->fatal_msg),
					 "%s: instruction limit exceeded (%llu instructions)", file,
					 (unsigned long long)h->limits.max_instructions);
		}
	}
	lua_pushstring(L, "instruction limit exceeded");
	lua_error(L);
}

int mg_sandbox_fatal(lua_State *L)
{
	struct mg_host *h = host_of(L);
	const char *msg = luaL_checkstring(L, 1);

	if (!h->fatal) {
		h->fatal = 1;
		snprintf(h->fatal_msg, sizeof(h->fatal_msg), "%s", msg);
	}
	lua_settop(L, 1);
	return lua_error(L);
}

/* What Lua prints for chunk "@path" (luaO_chunkid): long paths become
 * "..." and their last characters. */
static const char *lua_chunkid(const char *path, char out[LUA_IDSIZE])
{
	size_t len = strlen(path);

	if (len + 1 <= LUA_IDSIZE)
		return path;
	memcpy(out, "...", 3);
	memcpy(out + 3, path + len - (LUA_IDSIZE - 4), LUA_IDSIZE - 4 + 1);
	return out;
}

/* Length of "<prefix>:<digits>:" at the start of msg, or 0. */
static size_t position_len(const char *msg, const char *prefix)
{
	size_t n = strlen(prefix), d = 0;

	if (strncmp(msg, prefix, n) != 0 || msg[n] != ':')
		return 0;
	while (msg[n + 1 + d] >= '0' && msg[n + 1 + d] <= '9')
		d++;
	return d > 0 && msg[n + 1 + d] == ':' ? n : 0;
}

/* Makes msg start with "path:line:" using a full path. Pushes the result. */
static void push_positioned(struct mg_host *h, const char *msg)
{
	char idbuf[LUA_IDSIZE];
	const char *file;
	int line;

	for (size_t i = 0; i <= h->nfiles; i++) {
		const char *path = i < h->nfiles ? h->files[i].path
			: (h->library_source ? h->library_source + 1 : NULL);
		const char *id;
		size_t n;

		if (path == NULL)
			continue;
		if (position_len(msg, path)) {
			lua_pushstring(h->L, msg);
			return;
		}
		id = lua_chunkid(path, idbuf);
		if (id != path && (n = position_len(msg, id)) > 0) {
			lua_pushfstring(h->L, "%s%s", path, msg + n);
			return;
		}
	}
	mg_sandbox_where(h, 1, &file, &line);
	if (line > 0)
		lua_pushfstring(h->L, "%s:%d: %s", file, line, msg);
	else
		lua_pushfstring(h->L, "%s: %s", file, msg);
}

static int message_handler(lua_State *L)
{
	struct mg_host *h = host_of(L);
	const char *file;
	int line;

	if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER) {
		push_positioned(h, lua_tostring(L, 1));
		return 1;
	}
	mg_sandbox_where(h, 1, &file, &line);
	lua_pushfstring(L, "%s:%d: error object is a %s value", file, line,
			luaL_typename(L, 1));
	return 1;
}

void mg_policy_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	for (char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
}

void mg_sandbox_describe_error(struct mg_host *h, char *err, size_t errlen)
{
	lua_State *L = h->L;

	if (h->mem_exceeded) {
		if (h->last_line > 0)
			mg_policy_errf(err, errlen, "%s:%d: memory limit exceeded (%zu bytes)",
				       h->last_file, h->last_line, h->limits.max_memory_bytes);
		else
			mg_policy_errf(err, errlen, "%s: memory limit exceeded (%zu bytes)",
				       h->current_file ? h->current_file : "policy",
				       h->limits.max_memory_bytes);
	} else if (h->fatal) {
		mg_policy_errf(err, errlen, "%s", h->fatal_msg);
	} else if (lua_type(L, -1) == LUA_TSTRING) {
		/* Not through the message handler (a syntax error): the
		 * position is there, but maybe with a shortened path. */
		push_positioned(h, lua_tostring(L, -1));
		mg_policy_errf(err, errlen, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
	} else {
		mg_policy_errf(err, errlen, "%s: unknown error", h->current_file ? h->current_file : "policy");
	}
	lua_pop(L, 1);
}

int mg_sandbox_call(struct mg_host *h, int nargs, int nresults, char *err, size_t errlen)
{
	lua_State *L = h->L;
	int base = lua_gettop(L) - nargs;
	int status;

	lua_pushcfunction(L, message_handler);
	lua_insert(L, base);
	status = lua_pcall(L, nargs, nresults, base);
	lua_remove(L, base);
	if (status == LUA_OK && !h->mem_exceeded && !h->fatal)
		return 0;
	if (status == LUA_OK) {
		if (nresults > 0)
			lua_pop(L, nresults);
		lua_pushnil(L);
	}
	mg_sandbox_describe_error(h, err, errlen);
	return -1;
}

/* pcall/xpcall that cannot swallow a limit or a DSL error: once the memory
 * or instruction cap is hit or a rule is invalid, the error goes on up to
 * the host. */
static int sandbox_pcall(lua_State *L)
{
	struct mg_host *h = host_of(L);
	int status;

	luaL_checkany(L, 1);
	status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	if (h->mem_exceeded || h->fatal)
		return lua_error(L);
	lua_pushboolean(L, status == LUA_OK);
	lua_insert(L, 1);
	return lua_gettop(L);
}

static int sandbox_xpcall(lua_State *L)
{
	struct mg_host *h = host_of(L);
	int n = lua_gettop(L), status;

	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2); /* f msgh true f args... */
	status = lua_pcall(L, n - 2, LUA_MULTRET, 2);
	if (h->mem_exceeded || h->fatal)
		return lua_error(L);
	if (status != LUA_OK) {
		lua_pushboolean(L, 0);
		lua_pushvalue(L, -2);
		return 2;
	}
	return lua_gettop(L) - 2;
}

/* print() goes to stderr: stdout may carry JSON. */
static int sandbox_print(lua_State *L)
{
	int n = lua_gettop(L);

	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len);

		if (i > 1)
			fputc('\t', stderr);
		fwrite(s, 1, len, stderr);
		lua_pop(L, 1);
	}
	fputc('\n', stderr);
	return 0;
}

static const char *const base_allowed[] = {
	"assert", "error", "getmetatable", "ipairs", "next", "pairs", "rawequal",
	"rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber",
	"tostring", "type", "_VERSION", NULL,
};
static const char *const os_allowed[] = { "time", "clock", "date", NULL };

/* Copies the listed fields (NULL list: all) of table src into a new table
 * stored as template[name]. */
static void copy_library(lua_State *L, int template, const char *name,
			 const char *const *fields, const char *except)
{
	lua_getglobal(L, name);
	lua_newtable(L);
	if (fields) {
		for (; *fields; fields++) {
			lua_getfield(L, -2, *fields);
			lua_setfield(L, -2, *fields);
		}
	} else {
		lua_pushnil(L);
		while (lua_next(L, -3)) {
			if (except && lua_type(L, -2) == LUA_TSTRING &&
			    strcmp(lua_tostring(L, -2), except) == 0) {
				lua_pop(L, 1);
				continue;
			}
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, -4);
		}
	}
	lua_setfield(L, template, name);
	lua_pop(L, 1);
}

static int sandbox_setup(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },       { LUA_STRLIBNAME, luaopen_string },
		{ LUA_TABLIBNAME, luaopen_table }, { LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 }, { LUA_OSLIBNAME, luaopen_os },
		{ NULL, NULL },
	};
	struct mg_host *h = host_of(L);
	int template;

	for (const luaL_Reg *lib = libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	/* Strings share one metatable whose __index is the real string
	 * table: strip string.dump there and hide the metatable. */
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);
	/* in the real tables, so that ("x"):rep(n) is budgeted too */
	mg_budget_install(L);

	lua_newtable(L);
	template = lua_gettop(L);
	lua_pushglobaltable(L);
	for (const char *const *f = base_allowed; *f; f++) {
		lua_getfield(L, -1, *f);
		lua_setfield(L, template, *f);
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, sandbox_pcall);
	lua_setfield(L, template, "pcall");
	lua_pushcfunction(L, sandbox_xpcall);
	lua_setfield(L, template, "xpcall");
	lua_pushcfunction(L, sandbox_print);
	lua_setfield(L, template, "print");
	copy_library(L, template, LUA_STRLIBNAME, NULL, "dump");
	copy_library(L, template, LUA_TABLIBNAME, NULL, NULL);
	copy_library(L, template, LUA_MATHLIBNAME, NULL, NULL);
	copy_library(L, template, LUA_UTF8LIBNAME, NULL, NULL);
	copy_library(L, template, LUA_OSLIBNAME, os_allowed, NULL);
	h->template_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_newtable(L);
	h->loaded_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

int mg_sandbox_open(struct mg_host *h, char *err, size_t errlen)
{
	h->template_ref = h->loaded_ref = LUA_NOREF;
	h->L = lua_newstate(counting_alloc, h);
	if (h->L == NULL) {
		mg_policy_errf(err, errlen, "policy: cannot create a Lua state (memory limit %zu bytes)",
			       h->limits.max_memory_bytes);
		return -1;
	}
	lua_sethook(h->L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
	lua_pushcfunction(h->L, sandbox_setup);
	if (mg_sandbox_call(h, 0, 0, err, errlen) != 0)
		return -1;
	return 0;
}

void mg_sandbox_close(struct mg_host *h)
{
	if (h->L)
		lua_close(h->L);
	h->L = NULL;
}

void mg_sandbox_push_env(struct mg_host *h)
{
	lua_State *L = h->L;
	int env;

	lua_newtable(L);
	env = lua_gettop(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->template_ref);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		if (lua_type(L, -1) == LUA_TTABLE) {
			int src = lua_gettop(L);

			lua_newtable(L);
			lua_pushnil(L);
			while (lua_next(L, src)) {
				lua_pushvalue(L, -2);
				lua_insert(L, -2);
				lua_rawset(L, -4);
			}
			lua_remove(L, src);
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, env);
	}
	lua_pop(L, 1);
	lua_pushvalue(L, env);
	lua_setfield(L, env, "_G");
}
