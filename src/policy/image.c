// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Compile a validated policy into the entries of one kernel generation. */
#include "image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__u64 mg_hash_kind(enum mg_kind kind, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	__u64 h = MG_FNV_OFFSET;

	switch (kind) {
	case MG_KIND_NAME:
	case MG_KIND_PREFIX:
	case MG_KIND_DIRNAME:
		for (size_t i = 0; i < len; i++)
			h = mg_fnv_step(h, mg_fold(p[i]));
		break;
	case MG_KIND_SUFFIX: /* the kernel walks the name backwards */
		for (size_t i = len; i > 0; i--)
			h = mg_fnv_step(h, mg_fold(p[i - 1]));
		break;
	default:
		for (size_t i = 0; i < len; i++)
			h = mg_fnv_step(h, p[i]);
		break;
	}
	return h;
}

void mg_key_make(struct mg_sig_key *k, enum mg_kind kind, __u32 rule,
		 const char *s, size_t len)
{
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->rule = rule;
	k->len = (__u32)len;
	k->hash = mg_hash_kind(kind, s, len);
}

void mg_key_sha256(struct mg_sig_key *k, const unsigned char digest[32])
{
	mg_key_make(k, MG_KIND_SHA256, 0, (const char *)digest, 32);
}

__u32 mg_hooks_from_rule(unsigned rule_hooks)
{
	__u32 h = 0;

	if (rule_hooks & MG_RHOOK_OPEN)
		h |= 1u << MG_HOOK_OPEN | 1u << MG_HOOK_CREATE | 1u << MG_HOOK_LINK;
	/* Whatever a rule guards, the file it matched stays known when it is
	 * renamed, and gets no second name by hard link. (A copy is a new
	 * file: content identity catches that.) */
	if (rule_hooks & (MG_RHOOK_OPEN | MG_RHOOK_EXEC | MG_RHOOK_MMAP))
		h |= 1u << MG_HOOK_LINK_SOURCE;
	/* Mapping a file executable runs its code as surely as execve does:
	 * `ld.so /path/miner`, dlopen, an fd received over a socket. */
	if (rule_hooks & MG_RHOOK_EXEC)
		h |= 1u << MG_HOOK_EXEC | 1u << MG_HOOK_MMAP | 1u << MG_HOOK_MPROTECT;
	if (rule_hooks & MG_RHOOK_MMAP)
		h |= 1u << MG_HOOK_MMAP | 1u << MG_HOOK_MPROTECT;
	return h;
}

const char *mg_kind_name(enum mg_kind kind)
{
	static const char *const names[MG_KIND_COUNT] = {
		[MG_KIND_NONE] = "none",       [MG_KIND_NAME] = "name",
		[MG_KIND_PREFIX] = "prefix",   [MG_KIND_SUFFIX] = "suffix",
		[MG_KIND_PATH] = "path",       [MG_KIND_DIR] = "dir",
		[MG_KIND_EXC_PATH] = "except_path",
		[MG_KIND_EXC_DIR] = "except_dir",
		[MG_KIND_EXC_EXE] = "except_executable",
		[MG_KIND_MEMFD] = "memfd",     [MG_KIND_TMPFS] = "tmpfs",
		[MG_KIND_DIRNAME] = "dir_name", [MG_KIND_CONTENT] = "content", [MG_KIND_SHA256] = "sha256",
		[MG_KIND_EXC_EXE_INO] = "except_executable_inode",
		[MG_KIND_DIGEST_UNKNOWN] = "digest_unknown",
	};
	return (unsigned)kind < MG_KIND_COUNT ? names[kind] : "unknown";
}

const char *mg_hook_name(enum mg_hook hook)
{
	static const char *const names[MG_HOOK_COUNT] = {
		[MG_HOOK_OPEN] = "open",     [MG_HOOK_EXEC] = "exec",
		[MG_HOOK_CREATE] = "create", [MG_HOOK_MMAP] = "mmap",
		[MG_HOOK_MPROTECT] = "mprotect", [MG_HOOK_LINK] = "link",
		[MG_HOOK_LINK_SOURCE] = "link_source", [MG_HOOK_RESERVED7] = "reserved7",
	};
	return (unsigned)hook < MG_HOOK_COUNT ? names[hook] : "unknown";
}

const char *mg_counter_name(unsigned idx)
{
	static const char *const names[MG_CTR_GLOBAL_COUNT] = {
		[MG_CTR_EVENTS_DROPPED] = "events_dropped",
		[MG_CTR_PATH_ERR] = "path_errors",
		[MG_CTR_EXE_ERR] = "exe_errors",
		[MG_CTR_NO_POLICY] = "no_policy",
		[MG_CTR_SCRATCH_FALLBACK] = "scratch_fallback",
		[MG_CTR_MARK_SET] = "marks_set",
		[MG_CTR_MARK_HIT] = "mark_hits",
		[MG_CTR_NAME_ERR] = "name_errors",
		[MG_CTR_NO_SCRATCH] = "no_scratch",
		[MG_CTR_SELFTEST] = "selftest_refusals",
		[MG_CTR_MARK_FULL] = "mark_store_full",
		[MG_CTR_TAMPER] = "tamper_refused",
		[MG_CTR_VCACHE_HIT] = "verdict_cache_hits",
		[MG_CTR_VCACHE_STORE] = "verdict_cache_stores",
		[MG_CTR_VCACHE_MISMATCH] = "verdict_cache_mismatches",
		[MG_CTR_AUDIT_SHED] = "audit_events_shed",
		[MG_CTR_DIGESTS] = "digests_taken",
		[MG_CTR_DIGEST_FAIL] = "digest_failures",
	};
	return idx < MG_CTR_GLOBAL_COUNT ? names[idx] : "unknown";
}

const char *mg_hook_counter_name(unsigned which)
{
	static const char *const names[MG_CTR_PER_HOOK] = {
		[MG_HCTR_SEEN] = "seen",
		[MG_HCTR_AUDIT] = "audit",
		[MG_HCTR_BLOCK] = "block",
		[MG_HCTR_EXCEPTED] = "excepted",
	};
	return which < MG_CTR_PER_HOOK ? names[which] : "unknown";
}

static void bit_set(__u64 *bits, size_t nbits, size_t bit)
{
	if (bit < nbits)
		bits[bit / 64] |= 1ULL << (bit % 64);
}

/* The lead bits a file name needs to be walked for this name (prefix: 1). */
static void lead_set(__u64 *lead, const unsigned char *s, size_t len, int prefix)
{
	if (len == 0)
		return;
	if (len > 1) {
		bit_set(lead, MG_LEAD_BITS, mg_lead(s[0], s[1]));
	} else if (!prefix) {
		bit_set(lead, MG_LEAD_BITS, mg_lead(s[0], 0));
	} else {
		for (unsigned b = 0; b < 256; b++) /* a one-byte prefix: any second byte */
			bit_set(lead, MG_LEAD_BITS, mg_lead(s[0], (__u8)b));
	}
}

/* Prefilter lead of the last component of bytes[0..len); a signature
 * without one (the root directory) turns the prefilter off. */
static void prefilter_last(struct mg_meta *meta, __u64 *lead, const char *bytes, size_t len)
{
	size_t start = len;

	while (start > 0 && bytes[start - 1] != '/')
		start--;
	if (start == len)
		meta->flags |= MG_META_PF_OFF;
	else
		lead_set(lead, (const unsigned char *)bytes + start, len - start, 0);
}

/* Which signature/exception kind each policy list compiles to. */
static const enum mg_kind list_kind[MG_LIST_COUNT] = {
	[MG_LIST_NAMES] = MG_KIND_NAME,       [MG_LIST_PREFIXES] = MG_KIND_PREFIX,
	[MG_LIST_SUFFIXES] = MG_KIND_SUFFIX,  [MG_LIST_PATHS] = MG_KIND_PATH,
	[MG_LIST_DIRS] = MG_KIND_DIR,         [MG_LIST_EXC_PATHS] = MG_KIND_EXC_PATH,
	[MG_LIST_EXC_DIRS] = MG_KIND_EXC_DIR, [MG_LIST_EXC_EXES] = MG_KIND_EXC_EXE,
	[MG_LIST_EXPECT_MATCH] = MG_KIND_NONE,
	[MG_LIST_EXPECT_NOMATCH] = MG_KIND_NONE,
	[MG_LIST_DIRNAMES] = MG_KIND_DIRNAME, [MG_LIST_SHA256] = MG_KIND_SHA256,
	[MG_LIST_EXPECT_CONTENT_MATCH] = MG_KIND_NONE,
	[MG_LIST_EXPECT_CONTENT_NOMATCH] = MG_KIND_NONE,
};

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* 64 hex digits (validated by the DSL) into the 32 bytes the kernel hashes. */
static int digest_from_hex(const char *hex, unsigned char out[32])
{
	if (strlen(hex) != 64)
		return -1;
	for (int i = 0; i < 32; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int key_cmp(const struct mg_sig_key *a, const struct mg_sig_key *b)
{
	return memcmp(a, b, sizeof(*a));
}

static int entry_cmp(const void *a, const void *b)
{
	const struct mg_image_entry *x = a, *y = b;
	int c = key_cmp(&x->key, &y->key);

	if (c)
		return c;
	/* equal keys: keep the lower rule first so merging is deterministic */
	for (int h = 0; h < MG_HOOK_COUNT; h++)
		if (x->val.rule[h] != y->val.rule[h])
			return x->val.rule[h] < y->val.rule[h] ? -1 : 1;
	return 0;
}

/* The bytes a directory entry hashes: the directory with a trailing '/'. */
static int dir_with_slash(const char *dir, char *out, size_t cap, size_t *len)
{
	size_t n = strlen(dir);

	if (n + 2 > cap)
		return -1;
	memcpy(out, dir, n);
	if (n == 0 || dir[n - 1] != '/')
		out[n++] = '/';
	out[n] = '\0';
	*len = n;
	return 0;
}

static int is_exception(enum mg_kind kind)
{
	return kind == MG_KIND_EXC_PATH || kind == MG_KIND_EXC_DIR || kind == MG_KIND_EXC_EXE;
}

static int add_entry(struct mg_image *img, size_t *cap, enum mg_kind kind,
		     __u32 rule_idx, __u32 khooks, const char *s, char *err,
		     size_t errlen)
{
	char buf[MG_PATH_MAX + 1];
	const char *bytes = s;
	size_t len = strlen(s);
	struct mg_image_entry *e;

	if (kind == MG_KIND_SHA256) {
		if (digest_from_hex(s, (unsigned char *)buf)) {
			snprintf(err, errlen, "sha256 signature is not 64 hex digits: %.64s", s);
			return -1;
		}
		bytes = buf;
		len = 32;
	} else if (kind == MG_KIND_DIR || kind == MG_KIND_EXC_DIR) {
		if (dir_with_slash(s, buf, sizeof(buf), &len)) {
			snprintf(err, errlen, "directory too long: %.64s...", s);
			return -1;
		}
		bytes = buf;
	}
	if (len == 0 || len >= MG_PATH_MAX ||
	    ((kind == MG_KIND_NAME || kind == MG_KIND_PREFIX || kind == MG_KIND_SUFFIX ||
	      kind == MG_KIND_DIRNAME || kind == MG_KIND_CONTENT) && len > MG_NAME_MAX)) {
		snprintf(err, errlen, "%s signature of invalid length %zu: %.64s",
			 mg_kind_name(kind), len, s);
		return -1;
	}
	if (img->nentries == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		void *n = realloc(img->entries, ncap * sizeof(*img->entries));

		if (!n) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		img->entries = n;
		*cap = ncap;
	}
	e = &img->entries[img->nentries++];
	memset(e, 0, sizeof(*e));
	mg_key_make(&e->key, kind, is_exception(kind) ? rule_idx : 0, bytes, len);
	if (kind == MG_KIND_CONTENT)
		e->key.len = 0; /* the ABI's content key: the name's hash only */
	e->str = s;
	if (is_exception(kind)) {
		e->val.rule[0] = rule_idx;
	} else {
		for (int h = 0; h < MG_HOOK_COUNT; h++)
			if (khooks & (1u << h))
				e->val.rule[h] = rule_idx;
	}

	switch (kind) {
	case MG_KIND_NAME:
		lead_set(img->meta.lead, (const unsigned char *)bytes, len, 0);
		break;
	case MG_KIND_PREFIX:
		bit_set(img->meta.prefix_lens, 256, len);
		lead_set(img->meta.lead, (const unsigned char *)bytes, len, 1);
		break;
	case MG_KIND_SUFFIX:
		bit_set(img->meta.suffix_lens, 256, len);
		break;
	case MG_KIND_PATH:
		img->meta.flags |= MG_META_NEED_PATH | MG_META_HAS_PATHS;
		prefilter_last(&img->meta, img->meta.path_lead, bytes, len);
		break;
	case MG_KIND_DIR:
		bit_set(img->meta.dir_lens, MG_DIR_LEN_BITS, len);
		img->meta.flags |= MG_META_NEED_PATH | MG_META_HAS_DIRS;
		prefilter_last(&img->meta, img->meta.dir_lead, bytes, len - 1); /* without its '/' */
		break;
	case MG_KIND_DIRNAME: /* judged on the resolved path's components */
		img->meta.flags |= MG_META_NEED_PATH | MG_META_DIRNAMES | MG_META_HAS_DIRS;
		lead_set(img->meta.dir_lead, (const unsigned char *)bytes, len, 0);
		break;
	default:
		break;
	}
	return 0;
}

/* Collapse equal keys: per hook, the first (lowest-index, i.e. first by
 * name) rule wins. Different strings with one key would be a 64-bit hash
 * collision: refuse rather than merge two signatures silently. */
static int merge_duplicates(struct mg_image *img, char *err, size_t errlen)
{
	size_t out = 0;

	for (size_t i = 0; i < img->nentries; i++) {
		struct mg_image_entry *cur = &img->entries[i];
		struct mg_image_entry *prev = out ? &img->entries[out - 1] : NULL;

		if (prev && !key_cmp(&prev->key, &cur->key)) {
			if (strcmp(prev->str, cur->str) &&
			    (cur->key.kind == MG_KIND_PATH || is_exception(cur->key.kind) ||
			     cur->key.kind == MG_KIND_CONTENT || strcasecmp(prev->str, cur->str))) {
				snprintf(err, errlen, "hash collision between \"%s\" and \"%s\"",
					 prev->str, cur->str);
				return -1;
			}
			for (int h = 0; h < MG_HOOK_COUNT; h++)
				if (!prev->val.rule[h])
					prev->val.rule[h] = cur->val.rule[h];
			continue;
		}
		img->entries[out++] = *cur;
	}
	img->nentries = out;
	return 0;
}

/* One CONTENT entry per content rule, and the rule in img->content. */
static int add_content(struct mg_image *img, size_t *cap, __u32 idx, __u32 khooks,
		       const struct mg_rule_def *def, char *err, size_t errlen)
{
	struct mg_image_content *grown, *c;

	grown = realloc(img->content, (img->ncontent + 1) * sizeof(*grown));
	if (!grown) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	img->content = grown;
	if (add_entry(img, cap, MG_KIND_CONTENT, idx, khooks, def->name, err, errlen))
		return -1;
	c = &img->content[img->ncontent++];
	c->rule = idx;
	c->def = def->content;
	c->key = img->entries[img->nentries - 1].key;
	return 0;
}

int mg_image_build(const struct mg_policy *p, struct mg_image **out, char *err,
		   size_t errlen)
{
	struct mg_image *img;
	size_t cap = 0;

	*out = NULL;
	if (p->nrules >= MG_MAX_RULES) {
		snprintf(err, errlen, "too many rules: %zu (limit %d)", p->nrules,
			 MG_MAX_RULES - 1);
		return -1;
	}
	img = calloc(1, sizeof(*img));
	if (!img)
		goto oom;
	img->policy = p;
	img->nrules = p->nrules;
	img->rules = calloc(p->nrules + 1, sizeof(*img->rules));
	if (!img->rules)
		goto oom;
	img->meta.nrules = (__u32)p->nrules;

	for (size_t r = 0; r < p->nrules; r++) {
		const struct mg_rule_def *def = &p->rules[r];
		__u32 idx = (__u32)(r + 1);
		__u32 khooks = mg_hooks_from_rule(def->hooks);

		img->rules[idx].action = (__u32)def->action;
		img->rules[idx].hooks = khooks;
		for (int l = 0; l < MG_LIST_COUNT; l++) {
			enum mg_kind kind = list_kind[l];

			if (kind == MG_KIND_NONE)
				continue;
			if (is_exception(kind) && def->lists[l].n)
				img->rules[idx].has_exc |= 1u << kind;
			if (def->except_any_ns && img->rules[idx].has_exc)
				img->rules[idx].has_exc |= MG_EXC_ANY_NS;
			for (size_t i = 0; i < def->lists[l].n; i++) {
				if (add_entry(img, &cap, kind, idx, khooks,
					      def->lists[l].v[i], err, errlen)) {
					mg_image_free(img);
					return -1;
				}
			}
		}
		if (def->content && add_content(img, &cap, idx, khooks, def, err, errlen)) {
			mg_image_free(img);
			return -1;
		}
	}
	qsort(img->entries, img->nentries, sizeof(*img->entries), entry_cmp);
	if (merge_duplicates(img, err, errlen)) {
		mg_image_free(img);
		return -1;
	}
	for (size_t i = 0; i < img->nentries; i++)
		img->count[img->entries[i].key.kind]++;
	if (img->count[MG_KIND_SHA256])
		img->meta.flags |= MG_META_SHA256;
	/* Options: the memfd name rule, and the rules of "deny"/"audit". */
	if (p->options.memfd_exec != MG_OPT_MEMFD_ALLOW)
		img->meta.flags |= MG_META_MEMFD_NAMES;
	for (size_t r = 0; r < p->nrules; r++) {
		if (!strcmp(p->rules[r].name, MG_OPTION_RULE_MEMFD))
			img->meta.memfd_rule = (__u32)(r + 1);
		else if (!strcmp(p->rules[r].name, MG_OPTION_RULE_TMPFS))
			img->meta.tmpfs_rule = (__u32)(r + 1);
		else if (!strcmp(p->rules[r].name, MG_OPTION_RULE_DIGEST))
			img->meta.digest_unknown_rule = (__u32)(r + 1);
	}
	*out = img;
	return 0;
oom:
	mg_image_free(img);
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

void mg_image_free(struct mg_image *img)
{
	if (!img)
		return;
	free(img->entries);
	free(img->rules);
	free(img->content);
	free(img);
}

const struct mg_image_entry *mg_image_find(const struct mg_image *img,
					   const struct mg_sig_key *k)
{
	size_t lo = 0, hi = img->nentries;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(&img->entries[mid].key, k);

		if (!c)
			return &img->entries[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
