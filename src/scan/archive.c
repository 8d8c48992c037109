// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* tar and tar.gz detection by magic bytes and a valid first header. */
#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

/* A gzFile reading fd from its start, on a descriptor of its own. */
static gzFile gz_from_start(int fd)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	gzFile gz;

	if (dup_fd < 0)
		return NULL;
	if (lseek(dup_fd, 0, SEEK_SET) != 0 || !(gz = gzdopen(dup_fd, "rb"))) {
		close(dup_fd);
		return NULL;
	}
	return gz;
}

bool mg_archive_probe(int fd)
{
	unsigned char b[MG_TAR_BLOCK];
	gzFile gz;
	int n;

	if (pread(fd, b, 2, 0) != 2)
		return false;
	if (b[0] != 0x1f || b[1] != 0x8b)
		return pread(fd, b, sizeof(b), 0) == (ssize_t)sizeof(b) && mg_tar_is_header(b);
	/* gzip: a tar only if the first decompressed block is a tar header. */
	gz = gz_from_start(fd);
	if (!gz)
		return false;
	n = gzread(gz, b, sizeof(b));
	gzclose(gz);
	return n == (int)sizeof(b) && mg_tar_is_header(b);
}

int mg_archive_members(int fd, mg_member_fn fn, void *ctx, char *err, size_t errlen)
{
	gzFile gz = gz_from_start(fd);
	struct mg_tar *t;
	struct mg_tar_member m;
	int rc;

	if (!gz || !(t = mg_tar_open(gz))) {
		snprintf(err, errlen, "cannot read archive: %s", strerror(errno ? errno : ENOMEM));
		return -1;
	}
	while ((rc = mg_tar_next(t, &m, err, errlen)) == 1)
		if (fn(ctx, &m, t))
			break;
	mg_tar_close(t);
	return rc < 0 ? -1 : 0;
}
