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
 * Decide an access to `path` (absolute, as the kernel resolves it) by the
 * process whose executable is `exe` (NULL: unknown, no executable exception
 * applies) at `hook`. The basename is what follows the last '/'.
 */
void mg_match_path(const struct mg_image *img, const char *path, const char *exe,
		   enum mg_hook hook, struct mg_match *m);

#endif
