// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The watchdog's check of the installed policy (see integrity.h). */
#include "integrity.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader_internal.h"
#include "minerguard.skel.h"
#include "vcache.h"

static int map_id(int fd, __u32 *id)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*id = info.id;
	return 0;
}

/* 1 when outer[slot] no longer holds inner_fd's map (then it is put back),
 * 0 when it does, a negative errno when it cannot be told. */
static int check_slot(const struct bpf_map *outer, __u32 slot, int inner_fd)
{
	__u32 want = 0, got = 0;
	int rc;

	if ((rc = map_id(inner_fd, &want)))
		return rc;
	if (bpf_map_lookup_elem(bpf_map__fd(outer), &slot, &got) && errno != ENOENT)
		return -errno;
	if (got == want)
		return 0;
	if (bpf_map_update_elem(bpf_map__fd(outer), &slot, &inner_fd, BPF_ANY))
		return -errno;
	return 1;
}

/* Adds "; piece" (or just piece) to what was found. */
static void append(char *what, size_t len, const char *piece)
{
	size_t n = strlen(what);

	snprintf(what + n, len - n, "%s%s", n ? "; " : "", piece);
}

/* Links whose pin is gone: pinned again (MG_TAMPER_PIN), or -errno. */
static int check_pins(struct mg_loader *l, char *what, size_t len)
{
	int found = 0;

	for (size_t i = 0; i < l->nlinks; i++) {
		char path[512];
		struct stat st;

		if (!l->links[i] || !l->link_names[i])
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", MG_PIN_DIR, l->link_names[i]) >=
		    sizeof(path))
			continue;
		if (!stat(path, &st))
			continue;
		if (bpf_obj_pin(bpf_link__fd(l->links[i]), path))
			return -errno;
		found = MG_TAMPER_PIN;
		snprintf(path, sizeof(path), "pin %.200s was removed (pinned again)", l->link_names[i]);
		append(what, len, path);
	}
	return found;
}

int mg_loader_integrity(struct mg_loader *l, char *what, size_t len)
{
	const struct bpf_map *outer[MG_OUTER_COUNT] = {
		l->skel->maps.mg_sigs_outer, l->skel->maps.mg_rules_outer, l->skel->maps.mg_meta_outer,
	};
	int state_fd = bpf_map__fd(l->skel->maps.mg_state), found = 0, rc, i;
	struct mg_gen_fds *g;
	__u32 gen, slot;

	what[0] = '\0';
	if (l->active < 0)
		return 0;
	slot = (__u32)l->active;
	g = &l->gen[slot];
	if (mg_state_read(state_fd, MG_STATE_GEN, &gen)) {
		snprintf(what, len, "reading the generation: %s", strerror(errno));
		return -errno;
	}
	if (gen != slot) {
		if (mg_state_write(state_fd, MG_STATE_GEN, slot)) {
			snprintf(what, len, "the generation was set to %u; restoring %u failed: %s", gen,
				 slot, strerror(errno));
			return -errno;
		}
		found |= MG_TAMPER_GEN;
		snprintf(what, len, "the generation was set to %u (restored to %u)", gen, slot);
	}
	for (i = 0; i < MG_OUTER_COUNT; i++) {
		int fd = i == MG_OUTER_SIGS ? g->sigs : i == MG_OUTER_RULES ? g->rules : g->meta;

		rc = check_slot(outer[i], slot, fd);
		if (rc < 0) {
			snprintf(what, len, "checking %s[%u]: %s", bpf_map__name(outer[i]), slot,
				 strerror(-rc));
			return rc;
		}
		if (rc) {
			char piece[128];

			found |= MG_TAMPER_SLOT;
			snprintf(piece, sizeof(piece), "%s[%u] held another map (restored)",
				 bpf_map__name(outer[i]), slot);
			append(what, len, piece);
		}
	}
	/* verdicts cached under a foreign policy are void */
	if ((found & (MG_TAMPER_GEN | MG_TAMPER_SLOT)) && mg_vcache_void_policy(state_fd))
		append(what, len, "voiding cached verdicts failed");
	rc = check_pins(l, what, len);
	if (rc < 0) {
		snprintf(what, len, "pinning a link again: %s", strerror(-rc));
		return rc;
	}
	return found | rc;
}
