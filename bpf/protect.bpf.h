/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Self-protection: the guards both backends' bpf-object and pin-directory
 * programs call. While MG_STATE_PROTECT is set, an fd for one of our maps
 * or programs (BPF_OBJ_GET of a pin, *_GET_FD_BY_ID: what bpftool does to
 * read, write or freplace them), an fd for one of our links by id, and
 * unlink/rename in the pin directory are refused (EPERM) to everyone but
 * the daemon and the administrator path, and each refusal is reported.
 * Without an fd nobody can write a map, so guarding the fd guards every
 * update and delete.
 */
#ifndef MG_PROTECT_BPF_H
#define MG_PROTECT_BPF_H

#define MG_BPF_FS_MAGIC 0xcafe4a11
#define MG_BPF_LINK_UPDATE 29       /* enum bpf_cmd, stable uapi */
#define MG_BPF_LINK_GET_FD_BY_ID 30
#define MG_BPF_LINK_DETACH 34

/* The daemon, or the administrator path: the installed minerguard binary
 * (by device and inode) run by root in the initial user and pid namespaces
 * (a restarting daemon, `minerguard unload`, `status`, `mode`). */
static __always_inline int mg_caller_trusted(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = (__u32)(bpf_get_current_pid_tgid() >> 32), ino;
	struct file *exe;

	/* The binary first: a recycled pid of the daemon is not the daemon. */
	ino = mg_state_get(MG_STATE_ADMIN_INO);
	exe = BPF_CORE_READ(task, mm, exe_file);
	if (!ino || !exe || (__u32)BPF_CORE_READ(exe, f_inode, i_ino) != ino ||
	    (__u32)BPF_CORE_READ(exe, f_inode, i_sb, s_dev) != mg_state_get(MG_STATE_ADMIN_DEV))
		return 0;
	if (tgid == mg_state_get(MG_STATE_DAEMON_TGID))
		return 1;
	return BPF_CORE_READ(task, cred, euid.val) == 0 && BPF_CORE_READ(task, cred, user_ns, level) == 0 &&
	       BPF_CORE_READ(task, thread_pid, level) == 0;
}

/* A refusal: counted, and reported through the ring buffer (a full buffer
 * loses the report, never the refusal). name: the pin (NULL for ids). */
#define MG_TAMPER_REC (MG_EVENT_HDR_SIZE + MG_NAME_MAX + 2)

static __always_inline int mg_tamper(__u32 what, __u32 id, struct dentry *name)
{
	struct mg_event *ev;
	char *p;

	mg_count(MG_CTR_TAMPER);
	ev = bpf_ringbuf_reserve(&mg_events, MG_TAMPER_REC, 0);
	if (!ev) {
		mg_count(MG_CTR_EVENTS_DROPPED);
		return -EPERM;
	}
	__builtin_memset(ev, 0, __builtin_offsetof(struct mg_event, comm));
	mg_event_who(ev);
	ev->hook = what;
	ev->rule = id;
	ev->flags = MG_EV_TAMPER;
	ev->verdict = MG_VERDICT_BLOCK;
	ev->path_len = MG_NAME_MAX + 1;
	ev->exe_len = 1;
	p = (char *)ev + MG_EVENT_HDR_SIZE;
	p[0] = 0;
	if (name)
		bpf_probe_read_kernel_str(p, MG_NAME_MAX + 1, BPF_CORE_READ(name, d_name.name));
	p[MG_NAME_MAX] = 0;
	p[MG_NAME_MAX + 1] = 0; /* the empty exe */
	bpf_ringbuf_submit(ev, BPF_RB_FORCE_WAKEUP); /* rare: report at once */
	return -EPERM;
}

/* An fd for our map, program or link (MG_TAMPER_MAP/PROG/LINK, id). */
static __always_inline int mg_guard_obj(__u32 what, __u32 id)
{
	__u64 key = MG_PROTECT_KEY(what, id);

	if (!mg_state_get(MG_STATE_PROTECT) || !bpf_map_lookup_elem(&mg_protected, &key))
		return 0;
	if (mg_caller_trusted())
		return 0;
	return mg_tamper(what, id, NULL);
}

/* The id of the bpf link behind the caller's fd, or 0. A link fd's file
 * holds the link in private_data; another kind of fd yields an id that is
 * no link's, and the command fails on it anyway. */
static __always_inline __u32 mg_link_id_of_fd(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;
	struct bpf_link *link;

	if (fd < 0 || !fdt || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return 0;
	link = (struct bpf_link *)BPF_CORE_READ(f, private_data);
	return link ? BPF_CORE_READ(link, id) : 0;
}

/* The bpf() command itself, for links (maps and programs have their own
 * hooks, links none): an fd by id, and detach or update through an fd got
 * some other way (BPF_OBJ_GET of a link pin). */
static __always_inline int mg_guard_bpf_cmd(int cmd, union bpf_attr *attr)
{
	if (cmd == MG_BPF_LINK_GET_FD_BY_ID)
		return mg_guard_obj(MG_TAMPER_LINK, BPF_CORE_READ(attr, link_id));
	if (cmd == MG_BPF_LINK_DETACH)
		return mg_guard_obj(MG_TAMPER_LINK, mg_link_id_of_fd(BPF_CORE_READ(attr, link_detach.link_fd)));
	if (cmd == MG_BPF_LINK_UPDATE)
		return mg_guard_obj(MG_TAMPER_LINK, mg_link_id_of_fd(BPF_CORE_READ(attr, link_update.link_fd)));
	return 0;
}

static __always_inline int mg_is_pin_dir(struct inode *dir)
{
	__u32 ino;

	if (!dir)
		return 0;
	ino = mg_state_get(MG_STATE_PIN_DIR_INO);
	return ino && (__u32)BPF_CORE_READ(dir, i_ino) == ino &&
	       BPF_CORE_READ(dir, i_sb, s_magic) == MG_BPF_FS_MAGIC;
}

/* unlink (what MG_TAMPER_UNLINK) or rename (MG_TAMPER_RENAME) of dentry in
 * dir, or of the pin directory itself (victim). */
static __always_inline int mg_guard_pins(__u32 what, struct inode *dir, struct inode *dir2,
					 struct dentry *dentry)
{
	if (!mg_state_get(MG_STATE_PROTECT))
		return 0;
	if (!mg_is_pin_dir(dir) && !mg_is_pin_dir(dir2) &&
	    !mg_is_pin_dir(BPF_CORE_READ(dentry, d_inode)))
		return 0;
	if (mg_caller_trusted())
		return 0;
	return mg_tamper(what, 0, dentry);
}

#endif
