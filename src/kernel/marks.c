// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Userspace access to the mark store of either backend (see marks.h). */
#include "marks.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader_internal.h"
#include "minerguard.skel.h"
#include "vcache.h"

__u32 mg_kernel_dev(unsigned long long st_dev)
{
	return (__u32)(major(st_dev) << 20 | minor(st_dev));
}

static int keyed(int fd, struct mg_mark_key *k)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	memset(k, 0, sizeof(*k));
	k->dev = mg_kernel_dev(st.st_dev);
	k->ino = st.st_ino;
	return 0;
}

static int mark_store(struct mg_loader *l, int fd, const struct mg_inode_mark *m)
{
	struct mg_mark_key k;
	int rc;

	if (l->backend == MG_BACKEND_LSM)
		return bpf_map_update_elem(bpf_map__fd(l->skel->maps.mg_marks), &fd, m, BPF_ANY)
			       ? -errno : 0;
	rc = keyed(fd, &k);
	if (rc)
		return rc;
	return bpf_map_update_elem(bpf_map__fd(l->skel->maps.mg_marks_keyed), &k, m, BPF_ANY)
		       ? -errno : 0;
}

/* The mark first, then the cached "nothing matched" verdicts are void: a
 * decision that missed the mark stored the sequence before the bump. */
int mg_mark_fd(struct mg_loader *l, int fd, const struct mg_inode_mark *m)
{
	int rc = mark_store(l, fd, m);

	if (rc)
		return rc;
	return mg_vcache_void_policy(bpf_map__fd(l->skel->maps.mg_state));
}

int mg_unmark_fd(struct mg_loader *l, int fd)
{
	struct mg_mark_key k;
	int rc;

	if (l->backend == MG_BACKEND_LSM)
		rc = bpf_map_delete_elem(bpf_map__fd(l->skel->maps.mg_marks), &fd) ? -errno : 0;
	else if (!(rc = keyed(fd, &k)))
		rc = bpf_map_delete_elem(bpf_map__fd(l->skel->maps.mg_marks_keyed), &k) ? -errno : 0;
	return rc == -ENOENT ? 0 : rc;
}

int mg_mark_read(struct mg_loader *l, int fd, struct mg_inode_mark *m)
{
	struct mg_mark_key k;
	int rc;

	memset(m, 0, sizeof(*m));
	if (l->backend == MG_BACKEND_LSM)
		rc = bpf_map_lookup_elem(bpf_map__fd(l->skel->maps.mg_marks), &fd, m) ? -errno : 0;
	else if (!(rc = keyed(fd, &k)))
		rc = bpf_map_lookup_elem(bpf_map__fd(l->skel->maps.mg_marks_keyed), &k, m) ? -errno
											  : 0;
	return rc == -ENOENT ? 0 : rc;
}
