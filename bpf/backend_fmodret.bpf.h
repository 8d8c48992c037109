/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Backend "fmodret": fmod_ret programs on the kernel's security_*
 * functions, for kernels that build BPF LSM but leave bpf out of lsm=
 * (Ubuntu, GitHub-hosted runners, Azure Linux, Flatcar). The verifier lets
 * fmod_ret modify any function named security_* whatever lsm= says.
 *
 * What differs from the lsm backend, and why:
 *  - No program can sleep on security_*, and bpf_d_path is allowed only at
 *    security_file_open. So paths (path/dir signatures and exceptions, the
 *    executable's path) are judged there only; the other hooks judge names
 *    and the inode's mark, and rules whose exceptions need a path fail
 *    closed there, as the non-sleepable lsm hooks do.
 *  - Exec is judged at security_file_open of the exec open (__FMODE_EXEC:
 *    do_open_execat opens every binary and script interpreter that way), so
 *    it gets the full path. security_bprm_check is not attached: it has no
 *    bpf_d_path and would judge the same file twice.
 *  - Inode storage is not offered to tracing programs (and its blob is not
 *    reserved without bpf in lsm=): marks live in mg_marks_keyed and cached
 *    verdicts in mg_vcache_keyed, keyed by (dev, ino), dropped when the
 *    kernel frees the inode.
 *  - A non-zero return skips the rest of that security_* call: the other
 *    LSMs and fsnotify do not see a refused access.
 */
#ifndef MG_BACKEND_FMODRET_BPF_H
#define MG_BACKEND_FMODRET_BPF_H

#define MG_FMODE_EXEC 0x20           /* __FMODE_EXEC in f_flags */
#define MG_READ_IMPLIES_EXEC 0x0400000
#define MG_RENAME_EXCHANGE 2

SEC("fmod_ret/security_file_open")
int BPF_PROG(mg_fr_file_open, struct file *file, int ret)
{
	struct inode *inode;
	int rc;

	if (ret)
		return ret;
	inode = file->f_inode;
	if (mg_selftest_hit(inode))
		return -EPERM;
	rc = mg_decide(MG_HOOK_OPEN, file, file->f_path.dentry, inode, file, 1, 0, MG_BACKEND_FMODRET);
	if (rc || !(file->f_flags & MG_FMODE_EXEC))
		return rc;
	return mg_decide(MG_HOOK_EXEC, file, file->f_path.dentry, inode, file, 1, 0, MG_BACKEND_FMODRET);
}

/* O_CREAT/mknod of a new name, before the file exists: names only. */
SEC("fmod_ret/security_inode_create")
int BPF_PROG(mg_fr_inode_create, struct inode *dir, struct dentry *dentry, umode_t mode, int ret)
{
	if (ret)
		return ret;
	return mg_decide(MG_HOOK_CREATE, NULL, dentry, NULL, NULL, 0, 0, MG_BACKEND_FMODRET);
}

/* Executable mappings. security_mmap_file sees the prot the caller asked
 * for; READ_IMPLIES_EXEC (personality) makes a readable mapping executable
 * later, so it counts as PROT_EXEC here. Names and marks only. */
SEC("fmod_ret/security_mmap_file")
int BPF_PROG(mg_fr_mmap_file, struct file *file, unsigned long prot, unsigned long flags, int ret)
{
	struct task_struct *task;

	if (ret)
		return ret;
	if (!file)
		return 0;
	if (!(prot & PROT_EXEC)) {
		task = bpf_get_current_task_btf();
		if (!(prot & 0x1) || !(task->personality & MG_READ_IMPLIES_EXEC))
			return 0;
	}
	return mg_decide(MG_HOOK_MMAP, NULL, file->f_path.dentry, file->f_inode, file, 0, 0,
			 MG_BACKEND_FMODRET);
}

SEC("fmod_ret/security_file_mprotect")
int BPF_PROG(mg_fr_file_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	struct file *file;

	if (ret)
		return ret;
	if (!(prot & PROT_EXEC) || (vma->vm_flags & VM_EXEC))
		return 0;
	file = vma->vm_file;
	if (!file)
		return 0;
	return mg_decide(MG_HOOK_MPROTECT, NULL, file->f_path.dentry, file->f_inode, file, 0, 0,
			 MG_BACKEND_FMODRET);
}

/* As the lsm backend's: the new name first, then the file itself. */
static __always_inline int mg_fr_new_name(struct dentry *old_dentry, struct dentry *new_dentry,
					  const int old_mark_only)
{
	int rc = mg_decide(MG_HOOK_LINK, NULL, new_dentry, NULL, NULL, 0, 0, MG_BACKEND_FMODRET);

	if (rc)
		return rc;
	return mg_decide(MG_HOOK_LINK_SOURCE, NULL, old_dentry, old_dentry->d_inode, NULL, 0, old_mark_only,
			 MG_BACKEND_FMODRET);
}

SEC("fmod_ret/security_inode_link")
int BPF_PROG(mg_fr_inode_link, struct dentry *old_dentry, struct inode *dir,
	     struct dentry *new_dentry, int ret)
{
	if (ret)
		return ret;
	mg_vcache_void(); /* as the lsm backend's */
	return mg_fr_new_name(old_dentry, new_dentry, 0);
}

SEC("fmod_ret/security_inode_symlink")
int BPF_PROG(mg_fr_inode_symlink, struct inode *dir, struct dentry *dentry, const char *old_name,
	     int ret)
{
	if (ret)
		return ret;
	return mg_decide(MG_HOOK_LINK, NULL, dentry, NULL, NULL, 0, 0, MG_BACKEND_FMODRET);
}

/* security_inode_rename calls the LSM hook once per direction for
 * RENAME_EXCHANGE; the function itself is entered once, so both
 * directions are judged here. */
SEC("fmod_ret/security_inode_rename")
int BPF_PROG(mg_fr_inode_rename, struct inode *old_dir, struct dentry *old_dentry,
	     struct inode *new_dir, struct dentry *new_dentry, unsigned int flags, int ret)
{
	int rc;

	if (ret)
		return ret;
	rc = mg_guard_pins(MG_TAMPER_RENAME, old_dir, new_dir, old_dentry);
	if (rc)
		return rc;
	rc = mg_fr_new_name(old_dentry, new_dentry, 1);
	if (rc || !(flags & MG_RENAME_EXCHANGE))
		return rc;
	return mg_fr_new_name(new_dentry, old_dentry, 1);
}

/* Self-protection (protect.bpf.h), as the lsm backend's. */
SEC("fmod_ret/security_bpf_map")
int BPF_PROG(mg_fr_bpf_map, struct bpf_map *map)
{
	return mg_guard_obj(MG_TAMPER_MAP, BPF_CORE_READ(map, id));
}

SEC("fmod_ret/security_bpf_prog")
int BPF_PROG(mg_fr_bpf_prog, struct bpf_prog *prog)
{
	return mg_guard_obj(MG_TAMPER_PROG, BPF_CORE_READ(prog, aux, id));
}

SEC("fmod_ret/security_bpf")
int BPF_PROG(mg_fr_bpf_cmd, int cmd, union bpf_attr *attr)
{
	return mg_guard_bpf_cmd(cmd, attr);
}

SEC("fmod_ret/security_inode_unlink")
int BPF_PROG(mg_fr_inode_unlink, struct inode *dir, struct dentry *dentry, int ret)
{
	if (ret)
		return ret;
	return mg_guard_pins(MG_TAMPER_UNLINK, dir, NULL, dentry);
}

/* The keyed mark store forgets an inode when the kernel frees it, as inode
 * storage does, so a recycled inode number never inherits a mark. */
SEC("fentry/security_inode_free")
int BPF_PROG(mg_fr_inode_free, struct inode *inode)
{
	mg_mark_forget(inode);
	mg_vcache_forget(inode);
	return 0;
}

#endif
