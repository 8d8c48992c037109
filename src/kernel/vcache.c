// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The verdict cache's mode and policy sequence (see vcache.h). */
#include "vcache.h"

#include <errno.h>
#include <string.h>

#include "loader.h"

static const struct {
	const char *name;
	int mode;
} modes[] = {
	{ "on", MG_VC_ON },
	{ "off", MG_VC_OFF },
	{ "verify", MG_VC_VERIFY },
	{ "verify-ignore-keys", MG_VC_VERIFY_IGNORE_KEYS },
};

int mg_vcache_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(s, modes[i].name))
			return modes[i].mode;
	return -1;
}

const char *mg_vcache_name(int mode)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (modes[i].mode == mode)
			return modes[i].name;
	return "unknown";
}

int mg_vcache_set_mode(int state_fd, int mode)
{
	return mg_state_write(state_fd, MG_STATE_VCACHE, (__u32)mode) ? -errno : 0;
}

/* Only the daemon writes POLICY_SEQ (the programs have their own
 * CACHE_SEQ), so this read-modify-write loses nothing. */
int mg_vcache_void_policy(int state_fd)
{
	__u32 seq = 0;

	if (mg_state_read(state_fd, MG_STATE_POLICY_SEQ, &seq))
		return -errno;
	return mg_state_write(state_fd, MG_STATE_POLICY_SEQ, seq + 1) ? -errno : 0;
}
