// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* <directory of our binary>/../<leaf>, if it is a directory. */
static const char *beside_binary(const char *leaf, char *out, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	if ((size_t)snprintf(out, len, "%s/../%s", exe, leaf) >= len || !is_dir(out))
		return NULL;
	return out;
}

const char *mg_default_policy_dir(void)
{
	static char buf[PATH_MAX];

	if (beside_binary("policies", buf, sizeof(buf)))
		return buf;
	if (is_dir("/etc/minerguard/policies"))
		return "/etc/minerguard/policies";
	return "/usr/share/minerguard/policies";
}

const char *mg_default_lua_dir(void)
{
	static char buf[PATH_MAX];

	if (beside_binary("lua", buf, sizeof(buf)))
		return buf;
	return "/usr/share/minerguard/lua";
}

const char *mg_run_dir(void)
{
	const char *d = getenv("MINERGUARD_RUN_DIR");

	return d && d[0] == '/' ? d : MG_RUN_DIR_DEFAULT;
}

const char *mg_run_path(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", mg_run_dir(), name);
	return out;
}
