// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Backend names and the order `auto` tries them in. */
#include "backend.h"

#include <string.h>

const char *mg_backend_name(int backend)
{
	switch (backend) {
	case MG_BACKEND_AUTO:
		return "auto";
	case MG_BACKEND_LSM:
		return "lsm";
	case MG_BACKEND_FMODRET:
		return "fmodret";
	default:
		return "unknown";
	}
}

int mg_backend_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "auto"))
		return MG_BACKEND_AUTO;
	if (!strcmp(s, "lsm"))
		return MG_BACKEND_LSM;
	if (!strcmp(s, "fmodret"))
		return MG_BACKEND_FMODRET;
	return -1;
}

size_t mg_backend_plan(int want, int lsm_active, int plan[2])
{
	size_t n = 0;

	/* An lsm attach where bpf is not an active LSM succeeds and never
	 * runs: never tried there, even when asked for. */
	if ((want == MG_BACKEND_AUTO || want == MG_BACKEND_LSM) && lsm_active)
		plan[n++] = MG_BACKEND_LSM;
	if (want == MG_BACKEND_AUTO || want == MG_BACKEND_FMODRET)
		plan[n++] = MG_BACKEND_FMODRET;
	return n;
}
