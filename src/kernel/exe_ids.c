// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Executable exceptions by identity (issue 12): the kernel excepts an
 * executable by device and inode (MG_KIND_EXC_EXE_INO), never by the path
 * it was started from, so neither a copy of the excepted binary nor a file
 * mounted over its path inherits the exception. The policy names paths;
 * this file resolves them when a policy is installed and again while it is
 * in force (a package upgrade replaces the binary: a new inode), keeping
 * the kernel's entries in step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpf/bpf.h>

#include "image.h"
#include "loader_internal.h"
#include "marks.h"
#include "policy.h"

static void key_of(const struct mg_exe_id *x, struct mg_sig_key *k)
{
	memset(k, 0, sizeof(*k));
	k->kind = MG_KIND_EXC_EXE_INO;
	k->rule = x->rule;
	k->len = x->dev;
	k->hash = x->ino;
}

/* Where path is now; present 0 when it does not exist (nothing excepted). */
static void resolve(struct mg_exe_id *x)
{
	struct stat st;

	x->present = !stat(x->path, &st);
	x->dev = x->present ? mg_kernel_dev(st.st_dev) : 0;
	x->ino = x->present ? (__u64)st.st_ino : 0;
}

static int put(int sigs_fd, const struct mg_exe_id *x)
{
	struct mg_sig_val v;
	struct mg_sig_key k;

	if (!x->present)
		return 0;
	memset(&v, 0, sizeof(v));
	key_of(x, &k);
	return bpf_map_update_elem(sigs_fd, &k, &v, BPF_ANY) ? -errno : 0;
}

void mg_exe_ids_free(struct mg_exe_ids *x)
{
	free(x->v);
	x->v = NULL;
	x->n = 0;
}

size_t mg_exe_ids_count(const struct mg_image *img)
{
	size_t n = 0;

	for (size_t i = 0; i < img->policy->nrules; i++)
		n += img->policy->rules[i].lists[MG_LIST_EXC_EXES].n;
	return n;
}

int mg_exe_ids_install(struct mg_exe_ids *out, int sigs_fd, const struct mg_image *img)
{
	const struct mg_policy *p = img->policy;
	size_t n = mg_exe_ids_count(img), i, j;
	int rc = 0;

	out->v = n ? calloc(n, sizeof(*out->v)) : NULL;
	out->n = 0;
	if (n && !out->v)
		return -ENOMEM;
	for (i = 0; i < p->nrules && !rc; i++) {
		const struct mg_strvec *exes = &p->rules[i].lists[MG_LIST_EXC_EXES];

		for (j = 0; j < exes->n && !rc; j++) {
			struct mg_exe_id *x = &out->v[out->n++];

			x->rule = (__u32)(i + 1); /* image rule i+1 is policy rule i */
			x->path = exes->v[j];
			resolve(x);
			rc = put(sigs_fd, x);
		}
	}
	return rc;
}

int mg_exe_ids_refresh(struct mg_exe_ids *ids, int sigs_fd, char *what, size_t len)
{
	int changed = 0;

	what[0] = '\0';
	for (size_t i = 0; i < ids->n; i++) {
		struct mg_exe_id now = ids->v[i];
		struct mg_sig_key k;

		resolve(&now);
		if (now.present == ids->v[i].present && now.dev == ids->v[i].dev &&
		    now.ino == ids->v[i].ino)
			continue;
		/* the new identity first, then the old one goes: the binary
		 * being replaced is excepted until its successor is */
		if (put(sigs_fd, &now))
			return -errno;
		if (ids->v[i].present) {
			key_of(&ids->v[i], &k);
			bpf_map_delete_elem(sigs_fd, &k);
		}
		if (!changed)
			snprintf(what, len, "%s is now %s", now.path,
				 now.present ? "a new file (new inode)" : "missing (excepts nothing)");
		ids->v[i] = now;
		changed++;
	}
	return changed;
}
