// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Lexical path normalisation and the workspace test, see workspace.h. */
#include "workspace.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *mg_ws_normalize(const char *path, const char *base)
{
	size_t plen = strlen(path), blen = base ? strlen(base) : 0, n = 0;
	char *in, *out, *save = NULL, *c;

	if (path[0] != '/' && (!base || base[0] != '/'))
		return NULL;
	in = malloc(blen + plen + 2);
	out = malloc(blen + plen + 2);
	if (!in || !out) {
		free(in);
		free(out);
		return NULL;
	}
	if (path[0] == '/') {
		memcpy(in, path, plen + 1);
	} else {
		memcpy(in, base, blen);
		in[blen] = '/';
		memcpy(in + blen + 1, path, plen + 1);
	}
	/* out holds "/a/b" without a trailing '/'; ".." drops the last part */
	for (c = strtok_r(in, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--; /* the '/' before it */
			continue;
		}
		out[n++] = '/';
		memcpy(out + n, c, strlen(c));
		n += strlen(c);
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	free(in);
	return out;
}

char *mg_ws_relative(const char *root, const char *path, const char *base)
{
	char *r = mg_ws_normalize(root, base), *p = mg_ws_normalize(path, base), *rel = NULL;
	size_t rl;

	if (!r || !p)
		goto out;
	rl = strlen(r);
	if (rl == 1) /* the root directory holds everything */
		rl = 0;
	/* "/work/x" must not contain "/work/xy": the next byte is a '/' */
	if (strncmp(p, r, rl) || p[rl] != '/' || p[rl + 1] == '\0')
		goto out;
	rel = strdup(p + rl + 1);
out:
	free(r);
	free(p);
	return rel;
}

char *mg_ws_root(const char *opt)
{
	const char *env = opt && *opt ? opt : NULL;
	char cwd[4096];

	if (!env)
		env = getenv("GITHUB_WORKSPACE");
	if (!env || !*env)
		env = getenv("CI_PROJECT_DIR");
	if (!env || !*env) {
		if (!getcwd(cwd, sizeof(cwd)))
			return NULL;
		env = cwd;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	return mg_ws_normalize(env, cwd[0] ? cwd : NULL);
}
