/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Files other processes read (status, metrics), replaced atomically and
 * never through a name someone else could have planted. */
#ifndef MG_ATOMIC_FILE_H
#define MG_ATOMIC_FILE_H

#include <stddef.h>

/* 0 when dir is a directory only its owner can write to; -1 with err set
 * (a group- or other-writable directory lets others plant or swap names). */
int mg_dir_check(const char *dir, char *err, size_t errlen);

/* Replace path atomically with data, mode 0644: a fresh temporary file
 * (mkstemp, O_EXCL) in the same directory, fchmod, fsync, rename. Refuses
 * a directory mg_dir_check refuses. 0, or -1 with err set. */
int mg_write_atomic(const char *path, const char *data, size_t len, char *err,
		    size_t errlen);

#endif
