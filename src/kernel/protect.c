// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Self-protection, userspace half (see protect.h). */
#include "protect.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader_internal.h"
#include "marks.h"
#include "minerguard.skel.h"

static int obj_id(int fd, __u32 *id)
{
	/* bpf_map_info, bpf_prog_info and bpf_link_info all start with
	 * type then id; the largest of them sizes the buffer */
	union {
		struct bpf_map_info map;
		struct bpf_prog_info prog;
		struct bpf_link_info link;
	} info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*id = info.map.id;
	return 0;
}

static int protect_fd(int set_fd, __u32 what, int fd)
{
	__u32 id = 0, one = 1;
	__u64 key;
	int rc;

	if (fd < 0)
		return 0;
	if ((rc = obj_id(fd, &id)))
		return rc;
	key = MG_PROTECT_KEY(what, id);
	return bpf_map_update_elem(set_fd, &key, &one, BPF_ANY) ? -errno : 0;
}

/* Every object this instance holds: the skeleton's maps, the inner maps of
 * both slots, its programs and links. (Ids of objects an earlier instance
 * left are freed with them and never reused soon: map and program ids only
 * grow.) */
static int record_objects(struct mg_loader *l, int set_fd)
{
	struct bpf_program *p;
	struct bpf_map *m;
	int rc = 0, s;
	size_t i;

	bpf_object__for_each_map(m, l->obj) {
		if (!rc)
			rc = protect_fd(set_fd, MG_TAMPER_MAP, bpf_map__fd(m));
	}
	for (s = 0; s < 2 && !rc; s++) {
		rc = protect_fd(set_fd, MG_TAMPER_MAP, l->gen[s].sigs);
		if (!rc)
			rc = protect_fd(set_fd, MG_TAMPER_MAP, l->gen[s].rules);
		if (!rc)
			rc = protect_fd(set_fd, MG_TAMPER_MAP, l->gen[s].meta);
	}
	bpf_object__for_each_program(p, l->obj) {
		if (!rc && bpf_program__autoload(p))
			rc = protect_fd(set_fd, MG_TAMPER_PROG, bpf_program__fd(p));
	}
	for (i = 0; i < l->nlinks && !rc; i++)
		if (l->links[i])
			rc = protect_fd(set_fd, MG_TAMPER_LINK, bpf_link__fd(l->links[i]));
	return rc;
}

int mg_loader_protect(struct mg_loader *l, int on, char *err, size_t errlen)
{
	int state_fd = bpf_map__fd(l->skel->maps.mg_state);
	struct stat exe, pins;
	int rc;

	l->protect = on;
	if (!on)
		return mg_state_write(state_fd, MG_STATE_PROTECT, 0) ? -errno : 0;
	if (stat("/proc/self/exe", &exe) || stat(MG_PIN_DIR, &pins)) {
		rc = -errno;
		snprintf(err, errlen, "self-protection: %s", strerror(-rc));
		return rc;
	}
	rc = record_objects(l, bpf_map__fd(l->skel->maps.mg_protected));
	if (rc) {
		snprintf(err, errlen, "self-protection: recording our objects: %s", strerror(-rc));
		return rc;
	}
	if (mg_state_write(state_fd, MG_STATE_ADMIN_DEV, mg_kernel_dev(exe.st_dev)) ||
	    mg_state_write(state_fd, MG_STATE_ADMIN_INO, (__u32)exe.st_ino) ||
	    mg_state_write(state_fd, MG_STATE_PIN_DIR_INO, (__u32)pins.st_ino) ||
	    mg_state_write(state_fd, MG_STATE_DAEMON_TGID, (__u32)getpid()) ||
	    mg_state_write(state_fd, MG_STATE_PROTECT, 1)) {
		rc = -errno;
		snprintf(err, errlen, "self-protection: writing the state map: %s", strerror(-rc));
		return rc;
	}
	return 0;
}

/* New inner maps of an install (loader.c) join the protected set. */
int mg_protect_gen(struct mg_loader *l, int slot)
{
	int set_fd = bpf_map__fd(l->skel->maps.mg_protected), rc;

	if (!l->protect)
		return 0;
	rc = protect_fd(set_fd, MG_TAMPER_MAP, l->gen[slot].sigs);
	if (!rc)
		rc = protect_fd(set_fd, MG_TAMPER_MAP, l->gen[slot].rules);
	if (!rc)
		rc = protect_fd(set_fd, MG_TAMPER_MAP, l->gen[slot].meta);
	return rc;
}

void mg_loader_protect_release(struct mg_loader *l)
{
	mg_state_write(bpf_map__fd(l->skel->maps.mg_state), MG_STATE_DAEMON_TGID, 0);
}
