/* SPDX-License-Identifier: GPL-2.0 */
/* Backend "lsm": BPF LSM programs (kernels with bpf in the active LSM list). */
#ifndef MG_BACKEND_LSM_BPF_H
#define MG_BACKEND_LSM_BPF_H

/* Each program keeps only what needs its hook's arguments; the decision
 * is decide.bpf.h's, the same for every backend. */

SEC("lsm.s/file_open")
int BPF_PROG(mg_file_open, struct file *file, int ret)
{
	if (ret)
		return ret;
	if (mg_selftest_hit(file->f_inode))
		return -EPERM;
	mg_digest_forget(file, file->f_inode);
	return mg_decide(MG_HOOK_OPEN, file, file->f_path.dentry, file->f_inode, file, 1, 0, MG_BACKEND_LSM);
}

/* bprm->file is the binary the kernel resolved (after symlinks, $PATH,
 * execveat(fd, "", AT_EMPTY_PATH) or fexecve of a memfd), not the name
 * passed to execve. */
SEC("lsm.s/bprm_check_security")
int BPF_PROG(mg_bprm_check, struct linux_binprm *bprm, int ret)
{
	struct file *file;

	if (ret)
		return ret;
	file = bprm->file;
	if (!file)
		return 0;
	return mg_decide(MG_HOOK_EXEC, file, file->f_path.dentry, file->f_inode, file, 1, 0, MG_BACKEND_LSM);
}

/*
 * O_CREAT/mknod of a new name: refusing here leaves no empty file behind.
 * There is no struct path (no mount) here, so path/dir signatures and
 * path/dir exceptions cannot be evaluated: only name kinds match, only
 * executable exceptions can except, and a rule with path/dir exceptions
 * fails closed (MG_EV_EXC_UNCHECKED).
 */
SEC("lsm.s/inode_create")
int BPF_PROG(mg_inode_create, struct inode *dir, struct dentry *dentry, umode_t mode, int ret)
{
	if (ret)
		return ret;
	return mg_decide(MG_HOOK_CREATE, NULL, dentry, NULL, NULL, 1, 0, MG_BACKEND_LSM);
}

/* An executable mapping of a file: a library mapped by ld.so or dlopen,
 * `ld.so /path/miner`, or an fd opened earlier or received over a unix
 * socket. Anonymous mappings (file NULL) are not ours. */
SEC("lsm.s/mmap_file")
int BPF_PROG(mg_mmap_file, struct file *file, unsigned long reqprot, unsigned long prot,
	     unsigned long flags, int ret)
{
	if (ret)
		return ret;
	if (!file || !(prot & PROT_EXEC))
		return 0;
	return mg_decide(MG_HOOK_MMAP, file, file->f_path.dentry, file->f_inode, file, 1, 0, MG_BACKEND_LSM);
}

/* PROT_EXEC added to a file mapping that was not executable. This hook may
 * not sleep: no bpf_d_path, so only name kinds and the inode mark match,
 * and rules with path, directory or executable exceptions fail closed. */
SEC("lsm/file_mprotect")
int BPF_PROG(mg_file_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
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
	return mg_decide(MG_HOOK_MPROTECT, NULL, file->f_path.dentry, file->f_inode, file, 0, 0, MG_BACKEND_LSM);
}

/*
 * Names and doors of the link family (hook "link", from DSL "open"). Not
 * sleepable on every kernel: no paths here, names and inode marks only.
 */

/* A file given a new name: the new name is judged first, then the file
 * itself (its current name and its mark); old_mark_only: the file is only
 * marked, never refused. */
static __always_inline int mg_lsm_new_name(struct dentry *old_dentry, struct dentry *new_dentry,
					      const int old_mark_only)
{
	int rc = mg_decide(MG_HOOK_LINK, NULL, new_dentry, NULL, NULL, 0, 0, MG_BACKEND_LSM);

	if (rc)
		return rc;
	return mg_decide(MG_HOOK_LINK_SOURCE, NULL, old_dentry, old_dentry->d_inode, NULL, 0, old_mark_only,
			 MG_BACKEND_LSM);
}

/* A hard link NAMED like a miner, or TO a file known as a miner (by its
 * name or its mark), is refused. */
SEC("lsm/inode_link")
int BPF_PROG(mg_inode_link, struct dentry *old_dentry, struct inode *dir,
	     struct dentry *new_dentry, int ret)
{
	if (ret)
		return ret;
	mg_vcache_void(); /* the file may get a miner's name: no verdict is per name now */
	return mg_lsm_new_name(old_dentry, new_dentry, 0);
}

/* A symlink NAMED like a miner. (A symlink with an innocent name that
 * points at a miner is judged at open/exec, on the file it resolves to.) */
SEC("lsm/inode_symlink")
int BPF_PROG(mg_inode_symlink, struct inode *dir, struct dentry *dentry, const char *old_name,
	     int ret)
{
	if (ret)
		return ret;
	return mg_decide(MG_HOOK_LINK, NULL, dentry, NULL, NULL, 0, 0, MG_BACKEND_LSM);
}

/*
 * Renaming TO a miner name is refused. Renaming a miner AWAY is allowed,
 * but the file is marked first, so it stays known under its new name.
 * (RENAME_EXCHANGE calls this hook once per direction.)
 */
SEC("lsm/inode_rename")
int BPF_PROG(mg_inode_rename, struct inode *old_dir, struct dentry *old_dentry,
	     struct inode *new_dir, struct dentry *new_dentry, int ret)
{
	if (ret)
		return ret;
	ret = mg_guard_pins(MG_TAMPER_RENAME, old_dir, new_dir, old_dentry);
	if (ret)
		return ret;
	return mg_lsm_new_name(old_dentry, new_dentry, 1);
}

/* Self-protection (protect.bpf.h). The bpf hooks' trailing arguments
 * changed across kernels (6.13 added `kernel` to bpf): only the leading
 * ones are read, and an earlier program's refusal never reaches us. */
SEC("lsm/bpf_map")
int BPF_PROG(mg_bpf_map, struct bpf_map *map)
{
	return mg_guard_obj(MG_TAMPER_MAP, BPF_CORE_READ(map, id));
}

SEC("lsm/bpf_prog")
int BPF_PROG(mg_bpf_prog, struct bpf_prog *prog)
{
	return mg_guard_obj(MG_TAMPER_PROG, BPF_CORE_READ(prog, aux, id));
}

SEC("lsm/bpf")
int BPF_PROG(mg_bpf_cmd, int cmd, union bpf_attr *attr)
{
	return mg_guard_bpf_cmd(cmd, attr);
}

SEC("lsm/inode_unlink")
int BPF_PROG(mg_inode_unlink, struct inode *dir, struct dentry *dentry, int ret)
{
	if (ret)
		return ret;
	return mg_guard_pins(MG_TAMPER_UNLINK, dir, NULL, dentry);
}

#endif
