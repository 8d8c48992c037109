/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mark store: what signature an inode was matched by (or, from the
 * userspace scanner, which content signature it carries), behind one
 * accessor for both backends. backend is a compile-time constant, so each
 * program holds only its own variant and the verifier never sees an inode
 * storage helper in a tracing program.
 */
#ifndef MG_MARKS_BPF_H
#define MG_MARKS_BPF_H

static __always_inline void mg_count(__u32 idx);

static __always_inline struct mg_mark_key mg_mark_key_of(struct inode *inode)
{
	struct mg_mark_key k = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.pad = 0,
		.ino = BPF_CORE_READ(inode, i_ino),
	};

	return k;
}

/* The inode's mark, or NULL; create: make an empty one if there is none
 * (NULL and MG_CTR_MARK_FULL when the keyed store is full). */
static __always_inline struct mg_inode_mark *mg_mark_get(struct inode *inode, const int backend,
							 const int create)
{
	struct mg_inode_mark zero = {};
	struct mg_inode_mark *m;
	struct mg_mark_key k;

	if (backend == MG_BACKEND_LSM)
		return bpf_inode_storage_get(&mg_marks, inode, 0,
					     create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	k = mg_mark_key_of(inode);
	m = bpf_map_lookup_elem(&mg_marks_keyed, &k);
	if (m || !create)
		return m;
	if (bpf_map_update_elem(&mg_marks_keyed, &k, &zero, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(&mg_marks_keyed, &k)) {
		mg_count(MG_CTR_MARK_FULL);
		return NULL;
	}
	return bpf_map_lookup_elem(&mg_marks_keyed, &k);
}

/* The inode is gone (keyed store only: inode storage dies with it). */
static __always_inline void mg_mark_forget(struct inode *inode)
{
	struct mg_mark_key k = mg_mark_key_of(inode);

	bpf_map_delete_elem(&mg_marks_keyed, &k);
}

#endif
