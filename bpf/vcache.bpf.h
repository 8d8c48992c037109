/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict cache: "nothing matched" per inode and hook, so that an
 * unchanged, already judged file costs one lookup (struct mg_vcache).
 *
 * Only that answer is cached: it cannot depend on who asks (exceptions and
 * the executable matter only once something matched) nor on the mode. It
 * depends on the policy, the inode's mark, the name, and for policies that
 * judge paths on the path; the entry holds each of those as a version:
 *  - policy and content marks: MG_STATE_POLICY_SEQ (the daemon bumps it);
 *  - marks the programs set, hard links made: MG_STATE_CACHE_SEQ;
 *  - the name: the dentry and its d_seq (a rename of the file moves it),
 *    valid only while the inode has that one name (i_nlink 1, or a
 *    directory, which cannot be hard-linked), since a
 *    second name may be a miner's; a link made bumps CACHE_SEQ;
 *  - the path: the file's mount, the caller's root, and the kernel's
 *    rename_lock and mount_lock sequences, which every rename and mount
 *    change moves (what d_path itself validates against).
 * Each version is read before the decision and again after it: an entry is
 * stored only when none moved meanwhile (seqlock readers' rule), so a
 * rename that races the decision never leaves a stale answer behind. The
 * entry itself is a seqlock too (wseq), so a reader never pairs one
 * writer's key with another's hooks.
 */
#ifndef MG_VCACHE_BPF_H
#define MG_VCACHE_BPF_H

#include "marks.bpf.h"

/* Typeless (no BTF for data symbols): read with bpf_probe_read_kernel.
 * Weak: where kallsyms lacks them, path-dependent verdicts are not cached. */
extern const void rename_lock __ksym __weak;
extern const void mount_lock __ksym __weak;

static __always_inline int mg_digest_still_clean(struct mg_vcache *v, struct inode *inode);

#define MG_VCACHE_HOOKS                                                                            \
	((1u << MG_HOOK_OPEN) | (1u << MG_HOOK_EXEC) | (1u << MG_HOOK_MMAP) |                     \
	 (1u << MG_HOOK_MPROTECT))

#define mg_barrier() asm volatile("" ::: "memory")

/* A seqlock's sequence; odd ("being written") when it cannot be read. */
static __always_inline __u32 mg_seqlock_read(const void *lock)
{
	__u32 v = 1;

	if (lock)
		bpf_probe_read_kernel(&v, sizeof(v), lock);
	return v;
}

static __always_inline struct mg_vcache *mg_vcache_get(struct inode *inode, const int backend,
						       const int create)
{
	struct mg_mark_key k;

	if (backend == MG_BACKEND_LSM)
		return bpf_inode_storage_get(&mg_vcache, inode, 0,
					     create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	k = mg_mark_key_of(inode);
	if (create) {
		/* a fresh entry answers nothing (hooks 0) until filled */
		struct mg_vcache zero = {};

		bpf_map_update_elem(&mg_vcache_keyed, &k, &zero, BPF_NOEXIST);
	}
	return bpf_map_lookup_elem(&mg_vcache_keyed, &k);
}

#define MG_S_IFMT 00170000
#define MG_S_IFDIR 0040000

/* The inode has exactly one name: one link, or a directory (whose link
 * count counts its subdirectories; directories cannot be hard-linked). */
static __always_inline int mg_one_name(struct inode *inode)
{
	return inode->i_nlink == 1 || (inode->i_mode & MG_S_IFMT) == MG_S_IFDIR;
}

/* Takes the entry for writing (w: its sequence before): 0, or -1 when
 * another writer holds it; a busy entry is simply not updated. */
static __always_inline int mg_vc_write_begin(struct mg_vcache *v, __u32 *w)
{
	*w = *(volatile __u32 *)&v->wseq;
	if ((*w & 1) || __sync_val_compare_and_swap(&v->wseq, *w, *w + 1) != *w)
		return -1;
	mg_barrier();
	return 0;
}

/* Every cached verdict is void (a hard link made, a mark set). */
static __always_inline void mg_vcache_void(void)
{
	__u32 k = MG_STATE_CACHE_SEQ, *v = bpf_map_lookup_elem(&mg_state, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
}

/* The inode is gone (keyed store only). */
static __always_inline void mg_vcache_forget(struct inode *inode)
{
	struct mg_mark_key k = mg_mark_key_of(inode);

	bpf_map_delete_elem(&mg_vcache_keyed, &k);
}

/* The versions this access's answer depends on, now. */
static __always_inline void mg_vkey_read(struct mg_vcache *k, struct file *kf,
					 struct dentry *dentry)
{
	struct task_struct *t = bpf_get_current_task_btf();

	k->cache_seq = mg_state_get(MG_STATE_CACHE_SEQ);
	k->policy_seq = mg_state_get(MG_STATE_POLICY_SEQ);
	k->dentry = (__u64)dentry;
	k->dseq = dentry->d_seq.seqcount.sequence;
	k->rename_seq = mg_seqlock_read(&rename_lock);
	k->mount_seq = mg_seqlock_read(&mount_lock);
	k->mnt = (__u64)kf->f_path.mnt;
	k->root_mnt = (__u64)t->fs->root.mnt;
	k->root_dentry = (__u64)t->fs->root.dentry;
}

/* 1: this access was decided before, nothing matched, and nothing the
 * answer depends on has changed since. */
static __always_inline int mg_vcache_hit(struct file *kf, struct dentry *dentry,
					 struct inode *inode, __u32 hook, __u32 vmode,
					 const int backend)
{
	struct task_struct *t;
	struct mg_vcache *v;
	__u32 w;
	int ok;

	v = mg_vcache_get(inode, backend, 0);
	if (!v)
		return 0;
	w = *(volatile __u32 *)&v->wseq;
	mg_barrier();
	if ((w & 1) || !(v->hooks & (1u << hook)))
		return 0;
	if (v->cache_seq != mg_state_get(MG_STATE_CACHE_SEQ) ||
	    v->policy_seq != mg_state_get(MG_STATE_POLICY_SEQ))
		return 0;
	if (vmode & MG_VCACHE_IGNORE_KEYS)
		return 1;
	if (v->dentry != (__u64)dentry || v->dseq != dentry->d_seq.seqcount.sequence ||
	    !mg_one_name(inode))
		return 0;
	ok = 1;
	if ((v->deps & MG_DEP_DIGEST) && (hook == MG_HOOK_EXEC || hook == MG_HOOK_MMAP) &&
	    backend == MG_BACKEND_LSM)
		ok = mg_digest_still_clean(v, inode);
	if (ok && (v->deps & MG_DEP_PATH)) {
		t = bpf_get_current_task_btf();
		ok = v->mnt == (__u64)kf->f_path.mnt && v->root_mnt == (__u64)t->fs->root.mnt &&
		     v->root_dentry == (__u64)t->fs->root.dentry &&
		     v->rename_seq == mg_seqlock_read(&rename_lock) &&
		     v->mount_seq == mg_seqlock_read(&mount_lock);
	}
	mg_barrier();
	return ok && *(volatile __u32 *)&v->wseq == w;
}

/* Remembers that nothing matched, if the versions read before the decision
 * (pre) still hold and were stable (even sequences). */
static __always_inline void mg_vcache_store(struct mg_vcache *pre, struct file *kf,
					    struct dentry *dentry, struct inode *inode,
					    __u32 hook, __u32 deps, const int backend)
{
	struct mg_vcache *v;
	__u32 w;

	if ((pre->dseq & 1) || pre->dseq != dentry->d_seq.seqcount.sequence ||
	    !mg_one_name(inode) || pre->cache_seq != mg_state_get(MG_STATE_CACHE_SEQ) ||
	    pre->policy_seq != mg_state_get(MG_STATE_POLICY_SEQ))
		return;
	if ((deps & MG_DEP_PATH) && ((pre->rename_seq & 1) || (pre->mount_seq & 1) ||
			pre->rename_seq != mg_seqlock_read(&rename_lock) ||
			pre->mount_seq != mg_seqlock_read(&mount_lock)))
		return;
	v = mg_vcache_get(inode, backend, 1);
	if (!v)
		return;
	if (mg_vc_write_begin(v, &w))
		return;
	if (v->cache_seq != pre->cache_seq || v->policy_seq != pre->policy_seq ||
	    v->dentry != pre->dentry || v->dseq != pre->dseq || v->deps != deps ||
	    ((deps & MG_DEP_PATH) && (v->rename_seq != pre->rename_seq || v->mount_seq != pre->mount_seq ||
			 v->mnt != pre->mnt || v->root_mnt != pre->root_mnt ||
			 v->root_dentry != pre->root_dentry))) {
		/* another key: start over */
		v->hooks = 0;
		v->cache_seq = pre->cache_seq;
		v->policy_seq = pre->policy_seq;
		v->dentry = pre->dentry;
		v->dseq = pre->dseq;
		v->deps = deps;
		v->rename_seq = pre->rename_seq;
		v->mount_seq = pre->mount_seq;
		v->mnt = pre->mnt;
		v->root_mnt = pre->root_mnt;
		v->root_dentry = pre->root_dentry;
	}
	if (!(v->hooks & (1u << hook))) {
		v->hooks |= 1u << hook;
		mg_count(MG_CTR_VCACHE_STORE);
	}
	mg_barrier();
	*(volatile __u32 *)&v->wseq = w + 2;
}

/* The hit test and the store as their own BPF subprograms, one per
 * backend: their frames are not added to the hook program's, which calls
 * global functions that call bpf_loop callbacks (512 bytes for the chain). */
#define MG_VCACHE_PER_BACKEND(suffix, backend)                                                    \
	static __attribute__((noinline)) int mg_vcache_hit_##suffix(                               \
		struct file *kf, struct dentry *dentry, struct inode *inode, __u32 hook, __u32 vmode) \
	{                                                                                          \
		return mg_vcache_hit(kf, dentry, inode, hook, vmode, backend);                    \
	}                                                                                          \
	static __attribute__((noinline)) void mg_vcache_store_##suffix(                            \
		struct mg_vcache *pre, struct file *kf, struct dentry *dentry, struct inode *inode,  \
		__u32 hook, __u32 deps)                                                         \
	{                                                                                          \
		mg_vcache_store(pre, kf, dentry, inode, hook, deps, backend);                  \
	}
MG_VCACHE_PER_BACKEND(lsm, MG_BACKEND_LSM)
MG_VCACHE_PER_BACKEND(fr, MG_BACKEND_FMODRET)

#endif
