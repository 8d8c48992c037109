/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File digests in the kernel (lsm backend: bpf_ima_file_hash exists only
 * for sleepable LSM programs). When the policy has sha256 signatures, an
 * exec and an executable mmap take the file's SHA-256 and look it up; a
 * digest that matched nothing is remembered in the verdict cache entry
 * (d_clean) while the content cannot have changed, so an executable
 * version is hashed once, whichever hook comes first.
 *
 * A digest that cannot be taken is unknown, never clean: counted
 * (MG_CTR_DIGEST_FAIL), and decided by the option digest_unknown when the
 * policy sets it. IMA answers an unreadable file (O_DIRECT, no read
 * method) with an all-zero digest and success: that is a failure too.
 */
#ifndef MG_DIGEST_BPF_H
#define MG_DIGEST_BPF_H

#define MG_HASH_ALGO_SHA256 4 /* enum hash_algo, stable uapi (HASH_ALGO_SHA256) */
#define MG_FMODE_WRITE 0x2

/* The inode's ctime across kernel layouts: i_ctime (to 6.5), __i_ctime
 * (6.6-6.10), i_ctime_sec/nsec (6.11+). */
struct inode___ctime_v61 {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));
struct inode___ctime_v66 {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

static __always_inline void mg_inode_ctime(struct inode *inode, __s64 *sec, __s64 *nsec)
{
	if (bpf_core_field_exists(struct inode___ctime_v61, i_ctime)) {
		*sec = BPF_CORE_READ((struct inode___ctime_v61 *)inode, i_ctime.tv_sec);
		*nsec = BPF_CORE_READ((struct inode___ctime_v61 *)inode, i_ctime.tv_nsec);
	} else if (bpf_core_field_exists(struct inode___ctime_v66, __i_ctime)) {
		*sec = BPF_CORE_READ((struct inode___ctime_v66 *)inode, __i_ctime.tv_sec);
		*nsec = BPF_CORE_READ((struct inode___ctime_v66 *)inode, __i_ctime.tv_nsec);
	} else {
		*sec = BPF_CORE_READ(inode, i_ctime_sec);
		*nsec = BPF_CORE_READ(inode, i_ctime_nsec);
	}
}

static __always_inline int mg_writers(struct inode *inode)
{
	return BPF_CORE_READ(inode, i_writecount.counter) > 0;
}

/* The digest the entry remembers as clean still holds for inode. */
static __always_inline int mg_digest_still_clean(struct mg_vcache *v, struct inode *inode)
{
	__s64 sec, nsec;

	if (!v->d_clean || v->d_policy_seq != mg_state_get(MG_STATE_POLICY_SEQ) ||
	    mg_writers(inode) || v->d_size != (__u64)BPF_CORE_READ(inode, i_size))
		return 0;
	mg_inode_ctime(inode, &sec, &nsec);
	return v->d_ctime_sec == sec && v->d_ctime_nsec == nsec;
}

/* An open for writing: whatever digest was remembered may soon be wrong. */
static __always_inline void mg_digest_forget(struct file *file, struct inode *inode)
{
	struct mg_vcache *v;

	if (!(file->f_mode & MG_FMODE_WRITE))
		return;
	v = bpf_inode_storage_get(&mg_vcache, inode, 0, 0);
	if (v)
		v->d_clean = 0;
}

/* Phase 3b: the digest in s->digest (s->digest_ok) against the sha256
 * signatures, or the option's rule when it could not be taken. */
MG_GLOBAL int mg_g_digest(struct mg_scratch *s)
{
	struct mg_walk w;
	__u64 h = MG_FNV_OFFSET;
	__u8 any = 0;
	int i;

	if (!s || mg_walk_init(&w, s))
		return 0;
	if (s->digest_ok) {
		for (i = 0; i < 32; i++) {
			any |= s->digest[i];
			h = mg_fnv_step(h, s->digest[i]);
		}
		if (!any) { /* IMA's answer for a file it could not read */
			s->digest_ok = 0;
			mg_count(MG_CTR_DIGEST_FAIL);
		}
	}
	if (s->digest_ok) {
		mg_add(&w, mg_probe(&w, MG_KIND_SHA256, 32, h), MG_KIND_SHA256, 32, h);
		s->digest_clean = !s->ncand;
	} else if (w.meta->digest_unknown_rule) {
		mg_add(&w, w.meta->digest_unknown_rule, MG_KIND_DIGEST_UNKNOWN, 0, 0);
	}
	return 0;
}

/*
 * Takes file's digest unless the verdict cache says it is known clean;
 * then judges it (mg_g_digest) and remembers a clean one. Only where the
 * answer can be kept honest: no writer before or after the hash.
 */
static __always_inline void mg_digest_judge(struct mg_scratch *s, struct file *file,
					    struct inode *inode)
{
	struct mg_vcache *v = bpf_inode_storage_get(&mg_vcache, inode, 0, 0);
	__s64 sec, nsec, sec2, nsec2;
	__u64 size;
	__u32 pseq, w;
	long ret;

	s->digest_ok = 0;
	if (v && mg_digest_still_clean(v, inode)) {
		s->digest_clean = 1;
		return;
	}
	pseq = mg_state_get(MG_STATE_POLICY_SEQ);
	size = BPF_CORE_READ(inode, i_size);
	mg_inode_ctime(inode, &sec, &nsec);
	w = mg_writers(inode);
	mg_count(MG_CTR_DIGESTS);
	if (mg_state_get(MG_STATE_DIGEST_DEBUG) &&
	    mg_state_get(MG_STATE_DIGEST_DEBUG) == (__u32)BPF_CORE_READ(inode, i_ino))
		ret = -EOPNOTSUPP;
	else
		ret = bpf_ima_file_hash(file, s->digest, sizeof(s->digest));
	if (ret == MG_HASH_ALGO_SHA256)
		s->digest_ok = 1;
	else
		mg_count(MG_CTR_DIGEST_FAIL);
	mg_g_digest(s);
	if (!s->digest_clean || w || mg_writers(inode) ||
	    size != (__u64)BPF_CORE_READ(inode, i_size))
		return;
	mg_inode_ctime(inode, &sec2, &nsec2);
	if (sec2 != sec || nsec2 != nsec)
		return;
	v = bpf_inode_storage_get(&mg_vcache, inode, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!v)
		return;
	if (mg_vc_write_begin(v, &w))
		return;
	v->d_policy_seq = pseq;
	v->d_size = size;
	v->d_ctime_sec = sec;
	v->d_ctime_nsec = nsec;
	v->d_clean = 1;
	/* release with a locked add: a full barrier before the writers are
	 * read again. A writer raises i_writecount before its file_open
	 * clears d_clean: either we see it now, or its clear comes after. */
	__sync_fetch_and_add(&v->wseq, 1);
	if (mg_writers(inode))
		v->d_clean = 0;
}

#endif
