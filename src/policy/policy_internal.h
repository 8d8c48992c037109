/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Shared state of one policy load, used only by src/policy_*.c:
 *   policy_lua.c     mg_policy_load: order of work, require(), running files
 *   policy_sandbox.c the lua_State: memory cap, instruction cap, allow-listed
 *                    libraries, per-file environments, error positions
 *   policy_budget.c  budgets for C functions the instruction hook cannot see
 *                    into (string.rep, string.format, table.concat)
 *   policy_fork.c    mg_policy_load_isolated: the load in a child with a
 *                    wall-clock limit; policy_wire.c carries the result,
 *                    policy_seccomp.c filters the child's system calls
 *   policy_files.c   finding policy files, reading them under the size cap
 *   policy_rules.c   rule records from the DSL -> struct mg_rule_def, and the
 *                    checks across rules (duplicates, conflicts)
 */
#ifndef MG_POLICY_INTERNAL_H
#define MG_POLICY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <lua.h>

#include "policy.h"

#define MG_POLICY_DEFAULT_FILE_BYTES (4u << 20)
#define MG_POLICY_DEFAULT_MEMORY_BYTES (256u << 20)
#define MG_POLICY_DEFAULT_INSTRUCTIONS 200000000ull
#define MG_DSL_LIBRARY "minerguard.lua"

/* A file the load read: a policy file or a required module. */
struct mg_read_file {
	char *path;      /* as given / as resolved, never normalised */
	char sha256[65]; /* of its contents */
	dev_t dev;
	ino_t ino;
};

struct mg_host {
	lua_State *L;
	struct mg_policy_limits limits; /* defaults filled in */

	/* Memory: Lua's allocations plus the C copies of rules. */
	size_t mem_used;
	int mem_exceeded;

	/* Instructions, counted by a LUA_MASKCOUNT hook. */
	uint64_t instructions;
	int instr_exceeded;

	/* A DSL error or the instruction cap: sticky, so a policy's pcall
	 * cannot swallow it and go on with a rule missing. */
	int fatal;
	char fatal_msg[1024]; /* the first such error, positioned */
	int sealed; /* all files ran: rule() is refused (e.g. from __gc) */

	/* Last policy position the count hook saw, for memory errors. */
	const char *last_source; /* Lua-owned, compared by address only */
	char last_file[1024];
	int last_line;

	const char *current_file; /* top-level file running now */
	char *library_source;     /* "@<lua_dir>/minerguard.lua": not blamed */

	/* Directories searched by require(): policy dirs, then lua_dir. */
	char **dirs;
	size_t ndirs;
	char *lua_dir;

	struct mg_read_file *files; /* every file read except the DSL library */
	size_t nfiles;

	struct mg_rule_def *rules;
	size_t nrules, cap_rules;

	struct mg_policy_options options; /* from options { ... } */

	int template_ref; /* registry ref: the allow-listed globals */
	int loaded_ref;   /* registry ref: require() cache, name -> value */
};

/* policy_sandbox.c */
int mg_sandbox_open(struct mg_host *h, char *err, size_t errlen);
void mg_sandbox_close(struct mg_host *h);
/* Pushes a fresh environment table: a copy of the allow-listed globals. */
void mg_sandbox_push_env(struct mg_host *h);
/* Calls the function below nargs arguments on the stack with the sandbox's
 * message handler; on error writes one positioned line to err. */
int mg_sandbox_call(struct mg_host *h, int nargs, int nresults, char *err,
		    size_t errlen);
/* Pops the error object on top of the stack (or reports the limit that
 * was hit) as one positioned line in err. */
void mg_sandbox_describe_error(struct mg_host *h, char *err, size_t errlen);
/* Position of the first policy frame at or above level: path (no '@') and
 * line; falls back to the running top-level file and line 0. */
void mg_sandbox_where(struct mg_host *h, int level, const char **file, int *line);
/* lua_CFunction fatal(msg): records msg as the load's error and raises it;
 * lua/minerguard.lua reports every validation error through it. */
int mg_sandbox_fatal(lua_State *L);
/* Notes the policy line at or above level for a later memory error. */
void mg_sandbox_record_position(struct mg_host *h, int level);
/* Counts C-side memory against the cap; 0 when over it. */
int mg_sandbox_charge(struct mg_host *h, size_t bytes);
void mg_sandbox_refund(struct mg_host *h, size_t bytes);

/* policy_budget.c */
/* Replaces string.rep, string.format, table.concat, table.insert,
 * table.remove, table.sort and table.move in the global library tables
 * with wrappers that charge their work to the limits. */
void mg_budget_install(lua_State *L);

/* policy_files.c */
/* Reads path into a malloc'd buffer, refusing files over the cap and Lua
 * bytecode; records it in h->files unless record is 0. */
char *mg_file_read(struct mg_host *h, const char *path, int record, size_t *len,
		   char *err, size_t errlen);
/* Expands paths into the sorted, de-duplicated policy files, and the
 * directories require() searches (h->dirs). */
int mg_files_collect(struct mg_host *h, const char *const *paths, size_t npaths,
		     char ***files, size_t *nfiles, char *err, size_t errlen);
/* Moves the sorted paths of h->files into p->files and sets p->sha256: the
 * SHA-256 of the `sha256sum` output for those files in that order. Returns
 * 0, or -1 when out of memory. */
int mg_files_finish(struct mg_host *h, struct mg_policy *p);
void mg_files_free(struct mg_host *h);
char *mg_path_join(const char *dir, const char *name);

/* policy_rules.c */
/* lua_CFunction add_rule(record): called by lua/minerguard.lua. */
int mg_rules_add(lua_State *L);
/* lua_CFunction set_option(key, value): called by lua/minerguard.lua after
 * it validated both (and conflicts between files). */
int mg_options_set(lua_State *L);
/* Sorts rules by name and checks across rules; returns 0 or -1 with err. */
int mg_rules_finish(struct mg_host *h, char *err, size_t errlen);
void mg_rule_def_free(struct mg_rule_def *r);

/* Writes "fmt..." to err, on one line (control characters replaced). */
void mg_policy_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* MG_POLICY_INTERNAL_H */
