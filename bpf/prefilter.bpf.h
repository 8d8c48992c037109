/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The path prefilter: resolve an allowed file's path (bpf_d_path, then a
 * hash per byte) only when a path signature could match it.
 *  - An exact path ends in its base name: the file's name must start like
 *    one of theirs (mg_meta.path_lead).
 *  - A directory signature is followed by the path below it, and a
 *    dir_name is a component: some directory on the path must start like
 *    the last component of a directory signature, or like a dir_name
 *    (mg_meta.dir_lead). The walk visits exactly the names d_path joins:
 *    d_parent up to the mount's root, then the mountpoint in the parent
 *    mount, until the caller's root.
 * Only ever a filter: a walk that cannot finish (deeper than
 * MG_PF_DEPTH, a name it cannot read) resolves the path.
 */
#ifndef MG_PREFILTER_BPF_H
#define MG_PREFILTER_BPF_H

#define MG_PF_DEPTH 64

struct mg_pf {
	struct mg_scratch *s;
	struct mg_meta *meta;
};

/* One step up the path; stops (1) at the root, at a hit, or when lost. */
static long mg_cb_ancestor(__u32 i, void *ctx)
{
	struct mg_pf *pf = ctx;
	struct mg_scratch *s = pf->s;
	struct dentry *d = (struct dentry *)s->pf_dentry, *up;
	struct mount *m = (struct mount *)(s->pf_vfsmnt - s->pf_mnt_off), *pm;
	const unsigned char *name;
	__u8 two[2] = {};
	__u32 len;

	if (s->pf_dentry == s->pf_root_dentry && s->pf_vfsmnt == s->pf_root_mnt) {
		s->pf_done = 1;
		return 1;
	}
	if (s->pf_dentry == s->pf_mnt_root) {
		pm = BPF_CORE_READ(m, mnt_parent);
		if (!pm || pm == m) { /* the global root, or a detached mount */
			s->pf_done = 1;
			return 1;
		}
		s->pf_dentry = (__u64)BPF_CORE_READ(m, mnt_mountpoint);
		s->pf_vfsmnt = (__u64)pm + s->pf_mnt_off;
		s->pf_mnt_root = (__u64)BPF_CORE_READ(pm, mnt.mnt_root);
		return 0;
	}
	if (!s->pf_first) {
		len = BPF_CORE_READ(d, d_name.len);
		name = BPF_CORE_READ(d, d_name.name);
		if (!len || bpf_probe_read_kernel(two, len > 1 ? 2 : 1, name)) {
			s->pf_hit = 1; /* unreadable: resolve */
			return 1;
		}
		if (mg_lead_in(pf->meta->dir_lead, two[0], len > 1 ? two[1] : 0)) {
			s->pf_hit = 1;
			return 1;
		}
	}
	s->pf_first = 0;
	up = BPF_CORE_READ(d, d_parent);
	if (!up || up == d) { /* a root that is not its mount's: unreachable */
		s->pf_done = 1;
		return 1;
	}
	s->pf_dentry = (__u64)up;
	return 0;
}

/* The walk from s->pf_* up: 1 when a directory on the path could match. A
 * global function: its frame is not added to the hook program's. */
MG_GLOBAL int mg_g_ancestors(struct mg_scratch *s)
{
	struct mg_pf pf;
	__u32 gen, zero = 0;
	void *meta_map;

	if (!s)
		return 1;
	gen = s->gen & 1;
	meta_map = bpf_map_lookup_elem(&mg_meta_outer, &gen);
	pf.meta = meta_map ? bpf_map_lookup_elem(meta_map, &zero) : NULL;
	if (!pf.meta)
		return 1;
	pf.s = s;
	bpf_loop(MG_PF_DEPTH, mg_cb_ancestor, &pf, 0);
	return s->pf_hit || !s->pf_done;
}

/* 1 when file's path could match a path, directory or dir_name signature
 * of the policy (meta->flags has MG_META_NEED_PATH). */
static __always_inline int mg_path_maybe(struct mg_scratch *s, struct file *file,
					 struct mg_meta *meta)
{
	struct task_struct *t;

	if ((meta->flags & MG_META_PF_OFF) || s->name_err)
		return 1;
	if ((meta->flags & MG_META_HAS_PATHS) && s->name_len &&
	    mg_lead_in(meta->path_lead, (__u8)s->name[0],
		       s->name_len + s->name_off > 1 ? (__u8)s->name[1] : 0))
		return 1;
	if (!(meta->flags & MG_META_HAS_DIRS))
		return 0;
	t = bpf_get_current_task_btf();
	s->pf_dentry = (__u64)file->f_path.dentry;
	s->pf_vfsmnt = (__u64)file->f_path.mnt;
	s->pf_mnt_root = (__u64)file->f_path.mnt->mnt_root;
	s->pf_mnt_off = bpf_core_field_offset(struct mount, mnt);
	s->pf_root_dentry = (__u64)t->fs->root.dentry;
	s->pf_root_mnt = (__u64)t->fs->root.mnt;
	s->pf_first = 1;
	s->pf_hit = 0;
	s->pf_done = 0;
	return mg_g_ancestors(s);
}

#endif
