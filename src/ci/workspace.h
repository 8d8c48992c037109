/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Which decisions concern the repository: SARIF and GitLab code quality
 * accept only repository-relative paths, so a path is reported there only
 * when it lies inside the workspace. Purely lexical: symlinks are never
 * followed (the kernel already reports resolved paths, and a report must
 * not depend on what the file system looks like after the job).
 */
#ifndef MG_CI_WORKSPACE_H
#define MG_CI_WORKSPACE_H

/* path made absolute against base (when relative) with ".", ".." and
 * repeated '/' removed; ".." at the root stays at the root. malloc'ed, or
 * NULL when relative without a base, or out of memory. */
char *mg_ws_normalize(const char *path, const char *base);

/* The part of path below root ("dist/x"), malloc'ed; NULL when path is
 * outside root or is root itself. Both are normalised first (relative
 * paths against base, which may be NULL). */
char *mg_ws_relative(const char *root, const char *path, const char *base);

/* The workspace: opt, else $GITHUB_WORKSPACE, else $CI_PROJECT_DIR, else
 * the current directory; normalised, malloc'ed, NULL on failure. */
char *mg_ws_root(const char *opt);

#endif
