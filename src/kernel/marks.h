/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The mark store from userspace: the daemon's content scanner marks an
 * inode with the content signature it matched (struct mg_inode_mark, kind
 * MG_KIND_CONTENT or MG_KIND_SHA256), through the same store the kernel's
 * inode memory uses: inode storage keyed by an fd on the lsm backend (an
 * O_PATH fd does not pass file_open), the (dev, ino) map on fmodret. From
 * then on the kernel judges the file by its mark under any name.
 */
#ifndef MG_MARKS_H
#define MG_MARKS_H

#include "minerguard_abi.h"

struct mg_loader;

/* The kernel's dev_t (MAJOR << 20 | MINOR) of a stat st_dev. */
__u32 mg_kernel_dev(unsigned long long st_dev);

/* Marks the inode behind fd. 0 or a negative errno. */
int mg_mark_fd(struct mg_loader *l, int fd, const struct mg_inode_mark *m);
/* Removes the mark of the inode behind fd (a rewritten file that no longer
 * matches); 0 also when there was none. */
int mg_unmark_fd(struct mg_loader *l, int fd);
/* The mark of the inode behind fd into *m (kind 0: none). */
int mg_mark_read(struct mg_loader *l, int fd, struct mg_inode_mark *m);

#endif
