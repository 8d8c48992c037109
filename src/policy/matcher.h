/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The kernel's decision procedure, in userspace, over the same compiled
 * entries (struct mg_image). Used by `match` and `check`; the VM
 * differential test proves it agrees with bpf/minerguard.bpf.c.
 */
#ifndef MG_MATCHER_H
#define MG_MATCHER_H

#include <stdbool.h>
#include "image.h"

struct mg_match {
	bool matched;
	__u32 rule;                        /* rule index, 0 if none */
	const struct mg_rule_def *def;     /* the rule, NULL if none */
	const struct mg_image_entry *sig;  /* the signature that matched */
	enum mg_kind kind;
	int action;                        /* enum mg_action of the rule */
};

/*
 * Decision order (kernel and userspace alike): exact name, name prefixes
 * (shortest first), name suffixes, exact path, directory prefixes, then
 * directory names (each component of the directory part, first to last,
 * case-folded). The first blocking candidate wins, else the first
 * auditing one.
 *
 * Decide an access to `path` (absolute, as the kernel resolves it) by the
 * process whose executable is `exe` (NULL: unknown, no executable exception
 * applies) at `hook`. The basename is what follows the last '/'.
 */
void mg_match_path(const struct mg_image *img, const char *path, const char *exe,
		   enum mg_hook hook, struct mg_match *m);

/*
 * Decide by a mark (the key a scanner set on the inode: {CONTENT, 0, 0,
 * fnv(rule name)} or {SHA256, 0, 32, fnv(digest)}) as the kernel does for
 * a marked inode: the entry's rule for this hook, unless one of that
 * rule's exceptions excuses path or exe.
 */
void mg_match_mark(const struct mg_image *img, const char *path, const char *exe,
		   enum mg_hook hook, const struct mg_sig_key *mark, struct mg_match *m);

#endif
