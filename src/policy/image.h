/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The compiled form of a policy: exactly the entries the kernel maps of one
 * generation hold (signature hash map, rule array, meta). The loader copies
 * it into the kernel; the userspace matcher (src/matcher.c) decides from the
 * very same entries, so `minerguard match` and the kernel cannot drift.
 */
#ifndef MG_IMAGE_H
#define MG_IMAGE_H

#include <stddef.h>
#include "minerguard_abi.h"
#include "policy.h"

struct mg_image_entry {
	struct mg_sig_key key;
	struct mg_sig_val val;
	const char *str; /* the signature as written (borrowed from the policy) */
};

/* A content rule as the userspace engine (src/scan/) needs it: the rule,
 * its compiled definition, and the mark {CONTENT, 0, 0, fnv(name)} that
 * looks the rule up in the entries, as the kernel does for a marked inode. */
struct mg_image_content {
	__u32 rule;                        /* rule index */
	const struct mg_content_def *def;  /* borrowed from the policy */
	struct mg_sig_key key;
};

struct mg_image {
	const struct mg_policy *policy; /* borrowed; rule index i is policy->rules[i-1] */
	struct mg_image_entry *entries; /* sorted by key, no duplicates */
	size_t nentries;
	struct mg_rule *rules; /* nrules + 1 entries, [0] unused */
	size_t nrules;
	struct mg_meta meta;
	size_t count[MG_KIND_COUNT]; /* entries per kind */
	struct mg_image_content *content; /* content rules, in rule order */
	size_t ncontent;
};

/* Hash the bytes s[0..len) as the kernel does for that kind: folded for the
 * name kinds, reversed for MG_KIND_SUFFIX. */
__u64 mg_hash_kind(enum mg_kind kind, const char *s, size_t len);

/* Fill a key; the caller's struct is fully zeroed first (hash map keys are
 * compared bytewise, padding included). */
void mg_key_make(struct mg_sig_key *k, enum mg_kind kind, __u32 rule,
		 const char *s, size_t len);

int mg_image_build(const struct mg_policy *p, struct mg_image **out, char *err,
		   size_t errlen);
void mg_image_free(struct mg_image *img);

/* Binary search of the sorted entries; NULL when absent. */
const struct mg_image_entry *mg_image_find(const struct mg_image *img,
					   const struct mg_sig_key *k);

/* Kernel hooks a DSL hook bitmask expands to (1 << enum mg_hook bits). */
__u32 mg_hooks_from_rule(unsigned rule_hooks);

/* The mark key of a file digest: {SHA256, 0, 32, fnv(digest bytes)}. */
void mg_key_sha256(struct mg_sig_key *k, const unsigned char digest[32]);

const char *mg_kind_name(enum mg_kind kind);
const char *mg_hook_name(enum mg_hook hook);

/* Global kernel counters are MG_CTR_* 0 .. MG_CTR_GLOBAL_COUNT - 1. */
#define MG_CTR_GLOBAL_COUNT (MG_CTR_DIGEST_FAIL + 1)
/* Names of the counters in status and metrics ("events_dropped", "seen"). */
const char *mg_counter_name(unsigned idx);
const char *mg_hook_counter_name(unsigned which);

#endif /* MG_IMAGE_H */
