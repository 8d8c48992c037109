// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Mirror of the kernel's lookup order; keep in step with bpf/minerguard.bpf.c. */
#include "matcher.h"

#include <string.h>

static bool bit_test(const __u64 *bits, size_t nbits, size_t bit)
{
	return bit < nbits && (bits[bit / 64] >> (bit % 64)) & 1;
}

static bool has(const struct mg_image *img, enum mg_kind kind, __u32 rule,
		const char *s, size_t len)
{
	struct mg_sig_key k;

	mg_key_make(&k, kind, rule, s, len);
	return mg_image_find(img, &k) != NULL;
}

struct decide {
	const struct mg_image *img;
	const char *path;
	size_t plen;
	bool path_ok;  /* the kernel could resolve it (shorter than PATH_MAX) */
	const char *exe;
	enum mg_hook hook;
	struct mg_match *best;
};

/* Hooks with a struct path the kernel resolves (bpf_d_path): the others
 * (inode_create, the link family, file_mprotect) match names only. */
static bool hook_has_path(enum mg_hook hook)
{
	return hook == MG_HOOK_OPEN || hook == MG_HOOK_EXEC || hook == MG_HOOK_MMAP;
}

/* Programs that may not sleep cannot resolve the executable either. */
static bool hook_has_exe(enum mg_hook hook)
{
	return hook != MG_HOOK_LINK && hook != MG_HOOK_LINK_SOURCE && hook != MG_HOOK_MPROTECT;
}

static bool excepted(const struct decide *d, __u32 rule)
{
	__u32 exc = d->img->rules[rule].has_exc;

	/* no struct path: target exceptions can't be resolved */
	if (d->path_ok && hook_has_path(d->hook)) {
		if ((exc & 1u << MG_KIND_EXC_PATH) &&
		    has(d->img, MG_KIND_EXC_PATH, rule, d->path, d->plen))
			return true;
		if (exc & 1u << MG_KIND_EXC_DIR)
			for (size_t i = 0; i < d->plen; i++)
				if (d->path[i] == '/' &&
				    has(d->img, MG_KIND_EXC_DIR, rule, d->path, i + 1))
					return true;
	}
	if (d->exe && hook_has_exe(d->hook) && (exc & 1u << MG_KIND_EXC_EXE) &&
	    has(d->img, MG_KIND_EXC_EXE, rule, d->exe, strlen(d->exe)))
		return true;
	return false;
}

/* Returns true when the search can stop (a block decision was found). */
static bool consider_key(struct decide *d, const struct mg_sig_key *k)
{
	enum mg_kind kind = (enum mg_kind)k->kind;
	const struct mg_image_entry *e;
	__u32 rule;
	int action;

	e = mg_image_find(d->img, k);
	if (!e || !(rule = e->val.rule[d->hook]))
		return false;
	if (excepted(d, rule))
		return false;
	action = (int)d->img->rules[rule].action;
	if (d->best->matched && !(action == MG_ACTION_BLOCK &&
				  d->best->action != MG_ACTION_BLOCK))
		return false;
	d->best->matched = true;
	d->best->rule = rule;
	d->best->def = &d->img->policy->rules[rule - 1];
	d->best->sig = e;
	d->best->kind = kind;
	d->best->action = action;
	return action == MG_ACTION_BLOCK;
}

static bool consider(struct decide *d, enum mg_kind kind, const char *s, size_t len)
{
	struct mg_sig_key k;

	mg_key_make(&k, kind, 0, s, len);
	return consider_key(d, &k);
}

/* Every directory component of the path (not the file name), as a
 * folded name: "/opt/XMRig/bin/x" tries "opt", "xmrig", "bin". */
static bool consider_dir_names(struct decide *d)
{
	size_t start = 1;

	for (size_t i = 1; i < d->plen; i++) {
		if (d->path[i] != '/')
			continue;
		if (i > start && i - start <= MG_NAME_MAX &&
		    consider(d, MG_KIND_DIRNAME, d->path + start, i - start))
			return true;
		start = i + 1;
	}
	return false;
}

void mg_match_path(const struct mg_image *img, const char *path, const char *exe,
		   enum mg_hook hook, struct mg_match *m)
{
	const struct mg_meta *meta = &img->meta;
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	size_t nlen = strlen(name);
	struct decide d = {
		.img = img, .path = path, .plen = strlen(path), .exe = exe,
		.hook = hook, .best = m,
	};

	memset(m, 0, sizeof(*m));
	d.path_ok = d.plen < MG_PATH_MAX;
	if ((unsigned)hook >= MG_HOOK_COUNT)
		return;

	if (nlen <= MG_NAME_MAX && nlen && consider(&d, MG_KIND_NAME, name, nlen))
		return;
	for (size_t l = 1; l <= nlen && l <= MG_NAME_MAX; l++)
		if (bit_test(meta->prefix_lens, 256, l) &&
		    consider(&d, MG_KIND_PREFIX, name, l))
			return;
	for (size_t l = 1; l <= nlen && l <= MG_NAME_MAX; l++)
		if (bit_test(meta->suffix_lens, 256, l) &&
		    consider(&d, MG_KIND_SUFFIX, name + nlen - l, l))
			return;
	if (!(meta->flags & MG_META_NEED_PATH) || !d.path_ok || !hook_has_path(hook))
		return;
	if (consider(&d, MG_KIND_PATH, path, d.plen))
		return;
	for (size_t i = 0; i < d.plen; i++)
		if (path[i] == '/' && bit_test(meta->dir_lens, MG_DIR_LEN_BITS, i + 1) &&
		    consider(&d, MG_KIND_DIR, path, i + 1))
			return;
	if (img->count[MG_KIND_DIRNAME] && path[0] == '/')
		consider_dir_names(&d);
}

void mg_match_mark(const struct mg_image *img, const char *path, const char *exe,
		   enum mg_hook hook, const struct mg_sig_key *mark, struct mg_match *m)
{
	struct decide d = {
		.img = img, .path = path, .plen = strlen(path), .exe = exe,
		.hook = hook, .best = m,
	};

	memset(m, 0, sizeof(*m));
	d.path_ok = d.plen < MG_PATH_MAX;
	if ((unsigned)hook < MG_HOOK_COUNT)
		consider_key(&d, mark);
}
