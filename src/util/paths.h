/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Where the shipped policies and the Lua DSL library live. */
#ifndef MG_PATHS_H
#define MG_PATHS_H

/* First existing of: <binary dir>/../policies (a source checkout),
 * /etc/minerguard/policies, /usr/share/minerguard/policies. Never NULL. */
const char *mg_default_policy_dir(void);
/* First existing of: <binary dir>/../lua, /usr/share/minerguard/lua. */
const char *mg_default_lua_dir(void);

#endif
