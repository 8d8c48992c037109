// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The live self-test of the attached backend (see selftest.h). */
#include "selftest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "loader.h"

static int arm(int state_fd, __u32 ino, __u32 nonce, __u32 tgid)
{
	/* The tgid arms the test: written last, cleared first. */
	if (mg_state_write(state_fd, MG_STATE_SELFTEST_INO, ino) ||
	    mg_state_write(state_fd, MG_STATE_SELFTEST_NONCE, nonce))
		return -1;
	return mg_state_write(state_fd, MG_STATE_SELFTEST_TGID, tgid);
}

static int selftest_count(struct mg_loader *l, __u64 *out)
{
	__u64 c[MG_CTR_COUNT];
	int rc = mg_counters_read(mg_loader_counters_fd(l), c);

	if (!rc)
		*out = c[MG_CTR_SELFTEST];
	return rc;
}

int mg_selftest(struct mg_loader *l, char *err, size_t errlen)
{
	const char *name = mg_backend_name(mg_loader_backend(l));
	int state_fd = mg_loader_state_fd(l);
	int memfd, probe, probe_errno;
	__u64 before = 0, after = 0;
	char path[64];
	struct stat st;

	memfd = memfd_create("minerguard-selftest", MFD_CLOEXEC);
	if (memfd < 0 || fstat(memfd, &st)) {
		snprintf(err, errlen, "self-test: cannot create its probe file: %s", strerror(errno));
		if (memfd >= 0)
			close(memfd);
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	if (selftest_count(l, &before) ||
	    arm(state_fd, (__u32)st.st_ino, mg_loader_nonce(l), (__u32)getpid())) {
		snprintf(err, errlen, "self-test: cannot write the state map: %s", strerror(errno));
		mg_state_write(state_fd, MG_STATE_SELFTEST_TGID, 0);
		close(memfd);
		return -1;
	}
	probe = open(path, O_RDONLY | O_CLOEXEC);
	probe_errno = errno;
	mg_state_write(state_fd, MG_STATE_SELFTEST_TGID, 0);
	selftest_count(l, &after);
	if (probe >= 0)
		close(probe);
	close(memfd);

	if (probe < 0 && probe_errno == EPERM && after > before)
		return 0;
	if (probe >= 0)
		snprintf(err, errlen,
			 "self-test: the %s programs are attached but did not run (the probe "
			 "open succeeded)", name);
	else if (probe_errno != EPERM)
		snprintf(err, errlen, "self-test: reopening the probe file failed: %s",
			 strerror(probe_errno));
	else
		snprintf(err, errlen,
			 "self-test: the probe open was refused, but not by the %s programs of "
			 "this instance", name);
	return -1;
}
