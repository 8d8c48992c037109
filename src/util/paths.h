/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Where the shipped policies and the Lua DSL library live, and where the
 * daemon keeps its runtime files. */
#ifndef MG_PATHS_H
#define MG_PATHS_H

#include <stddef.h>

/* First existing of: <binary dir>/../policies (a source checkout),
 * /etc/minerguard/policies, /usr/share/minerguard/policies. Never NULL. */
const char *mg_default_policy_dir(void);
/* First existing of: <binary dir>/../lua, /usr/share/minerguard/lua. */
const char *mg_default_lua_dir(void);

#define MG_RUN_DIR_DEFAULT "/run/minerguard"
/* The runtime directory (status file, lock file): $MINERGUARD_RUN_DIR when
 * it is an absolute path (tests, a second instance), else
 * /run/minerguard. Never NULL. */
const char *mg_run_dir(void);
/* Writes "<run dir>/<name>" to out; returns out. */
const char *mg_run_path(char *out, size_t len, const char *name);

#endif
