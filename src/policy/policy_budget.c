/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Budgets for the C library functions that can do unbounded work in one
 * call, which the instruction hook cannot see into: string.rep,
 * string.format, table.concat, and table.insert/remove/sort/move (whose
 * loops run over a length or range the policy chooses). Each wrapper works out what the call
 * will cost (repetitions, iterations, result bytes) before it runs, charges
 * that to the load's instruction budget and refuses it when the budget or
 * the memory cap would be exceeded, with the policy's file:line. The
 * refusal is sticky (h->fatal) like the instruction limit, so a policy's
 * pcall cannot swallow it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "policy_internal.h"

/* Widest field width or precision string.format accepts ("%99d"). */
#define MG_FORMAT_MAX_WIDTH 99
/* Longest number a spec can print: "%99.99f" of -DBL_MAX (lstrlib's
 * MAX_ITEMF is 418). */
#define MG_FORMAT_NUM_BYTES 512

static struct mg_host *host_of(lua_State *L)
{
	void *ud;

	lua_getallocf(L, &ud);
	return ud;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* Records "file:line: fn: what" as the load's error and raises it; the
 * line is the caller's (level 1: the Lua code that called fn). */
static int refuse(lua_State *L, const char *fn, const char *what)
{
	struct mg_host *h = host_of(L);
	const char *file;
	int line;

	mg_sandbox_where(h, 1, &file, &line);
	if (!h->fatal) {
		h->fatal = 1;
		if (line > 0)
			snprintf(h->fatal_msg, sizeof(h->fatal_msg), "%s:%d: %s: %s", file, line, fn,
				 what);
		else
			snprintf(h->fatal_msg, sizeof(h->fatal_msg), "%s: %s: %s", file, fn, what);
	}
	return luaL_error(L, "%s: %s", fn, what);
}

/* Charges units of work, and bytes about to be allocated, before the call. */
static void charge(lua_State *L, const char *fn, uint64_t units, uint64_t bytes)
{
	struct mg_host *h = host_of(L);
	char what[160];

	/* an allocation failing inside the call is blamed on this line */
	mg_sandbox_record_position(h, 1);
	if (bytes > h->limits.max_memory_bytes ||
	    h->mem_used > h->limits.max_memory_bytes - bytes) {
		snprintf(what, sizeof(what), "memory limit exceeded (%zu bytes)",
			 h->limits.max_memory_bytes);
		refuse(L, fn, what);
	}
	h->instructions = add_sat(h->instructions, units);
	if (h->instructions > h->limits.max_instructions) {
		h->instr_exceeded = 1;
		snprintf(what, sizeof(what), "instruction limit exceeded (%llu instructions)",
			 (unsigned long long)h->limits.max_instructions);
		refuse(L, fn, what);
	}
}

/* Calls the wrapped function (upvalue 1) with the arguments as they are. */
static int call_original(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* string.rep(s, n [, sep]): n repetitions cost n units even when s is
 * empty, plus the result's bytes. */
static int budget_rep(lua_State *L)
{
	size_t l, lsep;
	lua_Integer n;
	uint64_t reps, bytes;

	luaL_checklstring(L, 1, &l);
	n = luaL_checkinteger(L, 2);
	luaL_optlstring(L, 3, "", &lsep);
	reps = n > 0 ? (uint64_t)n : 0;
	bytes = add_sat(mul_sat(reps, l), reps ? mul_sat(reps - 1, lsep) : 0);
	charge(L, "string.rep", add_sat(reps, bytes), bytes);
	return call_original(L);
}

/* Parses one "%[flags][width][.precision]" spec after the '%' at *p;
 * refuses widths and precisions over MG_FORMAT_MAX_WIDTH. */
static const char *format_spec(lua_State *L, const char *p, const char *end)
{
	const char *digits;
	long v;

	while (p < end && strchr("-+ #0", *p))
		p++;
	for (int part = 0; part < 2; part++) {
		if (part == 1) {
			if (p >= end || *p != '.')
				break;
			p++;
		}
		digits = p;
		for (v = 0; p < end && *p >= '0' && *p <= '9'; p++)
			if (v <= MG_FORMAT_MAX_WIDTH)
				v = v * 10 + (*p - '0');
		if (p - digits > 0 && v > MG_FORMAT_MAX_WIDTH)
			refuse(L, "string.format", part ? "precision over 99" : "width over 99");
	}
	return p;
}

/* string.format(fmt, ...): widths capped; every spec costs its widest
 * output (a number: MG_FORMAT_NUM_BYTES; a string: its length, 4 bytes a
 * byte for %q), checked before formatting. */
static int budget_format(lua_State *L)
{
	size_t flen, alen;
	const char *fmt = luaL_checklstring(L, 1, &flen), *p = fmt, *end = fmt + flen;
	uint64_t bytes = flen;
	int arg = 1;

	while ((p = memchr(p, '%', (size_t)(end - p))) != NULL) {
		if (++p < end && *p == '%') {
			p++;
			continue;
		}
		p = format_spec(L, p, end);
		arg++;
		alen = 0;
		/* strings only: lua_tolstring would turn a number argument into a string */
		if (lua_type(L, arg) == LUA_TSTRING)
			lua_tolstring(L, arg, &alen);
		if (p < end && *p == 'q')
			alen = (size_t)mul_sat(alen, 4);
		bytes = add_sat(bytes, add_sat(alen, MG_FORMAT_NUM_BYTES));
	}
	charge(L, "string.format", bytes, bytes);
	return call_original(L);
}

/* table.concat(t [, sep [, i [, j]]]): j - i + 1 iterations, each with a
 * separator, charged before the loop (an __index in C could make each
 * element appear from nothing); the explicit i and j go to the original so
 * __len cannot answer it differently. */
static int budget_concat(lua_State *L)
{
	size_t lsep;
	lua_Integer i, j;
	uint64_t iters;

	luaL_checkany(L, 1);
	luaL_optlstring(L, 2, "", &lsep);
	i = luaL_optinteger(L, 3, 1);
	j = lua_isnoneornil(L, 4) ? luaL_len(L, 1) : luaL_checkinteger(L, 4);
	iters = j >= i ? (uint64_t)j - (uint64_t)i + 1 : 0;
	charge(L, "table.concat", mul_sat(iters, lsep + 1), mul_sat(iters, lsep));
	lua_settop(L, 2);
	if (lua_isnil(L, 2)) {
		lua_pop(L, 1);
		lua_pushliteral(L, "");
	}
	lua_pushinteger(L, i);
	lua_pushinteger(L, j);
	return call_original(L);
}

/* #t for the table functions: a __len the original would call again
 * could answer differently, so tables with one are refused. */
static uint64_t plain_len(lua_State *L, const char *fn)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (luaL_getmetafield(L, 1, "__len") != LUA_TNIL) {
		lua_pop(L, 1);
		refuse(L, fn, "tables with a __len metamethod are not supported in policies");
	}
	return (uint64_t)lua_rawlen(L, 1);
}

/* table.insert and table.remove shift up to #t elements. */
static int budget_insert(lua_State *L)
{
	charge(L, "table.insert", add_sat(plain_len(L, "table.insert"), 1), 0);
	return call_original(L);
}

static int budget_remove(lua_State *L)
{
	charge(L, "table.remove", add_sat(plain_len(L, "table.remove"), 1), 0);
	return call_original(L);
}

/* table.sort: about n log2 n comparisons and swaps. */
static int budget_sort(lua_State *L)
{
	uint64_t n = plain_len(L, "table.sort"), log2n = 1;

	while (log2n < 64 && (1ull << log2n) < n)
		log2n++;
	charge(L, "table.sort", add_sat(mul_sat(n, log2n), 1), 0);
	return call_original(L);
}

/* table.move(a1, f, e, t [, a2]): e - f + 1 element copies. */
static int budget_move(lua_State *L)
{
	lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);

	charge(L, "table.move", e >= f ? (uint64_t)e - (uint64_t)f + 1 : 0, 0);
	return call_original(L);
}

/* Replaces lib.name (a global library table) with fn wrapping it. */
static void wrap(lua_State *L, const char *lib, const char *name, lua_CFunction fn)
{
	lua_getglobal(L, lib);
	lua_getfield(L, -1, name);
	lua_pushcclosure(L, fn, 1);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}

void mg_budget_install(lua_State *L)
{
	wrap(L, LUA_STRLIBNAME, "rep", budget_rep);
	wrap(L, LUA_STRLIBNAME, "format", budget_format);
	wrap(L, LUA_TABLIBNAME, "concat", budget_concat);
	wrap(L, LUA_TABLIBNAME, "insert", budget_insert);
	wrap(L, LUA_TABLIBNAME, "remove", budget_remove);
	wrap(L, LUA_TABLIBNAME, "sort", budget_sort);
	wrap(L, LUA_TABLIBNAME, "move", budget_move);
}
