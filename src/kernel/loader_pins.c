// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Persistence: enforcement lives in links pinned under MG_PIN_DIR, not in
 * the daemon. Generic over the object's programs and maps: every map is
 * pinned under its name, every attached program's link as
 * "link_<program>", so a new program or map needs no change here.
 *
 * A new daemon reuses the pinned maps when they are compatible (same
 * MG_STATE_ABI, same map layouts), so the policy in force, the mode, the
 * counters and the decisions still in the ring buffer carry over. Its own
 * programs are attached next to the old links, and each pin is replaced
 * by rename: the old link is released only once the new one is attached
 * and pinned (LSM links cannot be updated in place on 6.1), so there is no
 * moment without enforcement.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "backend.h"
#include "loader_internal.h"

/* bpffs refuses names with a dot */
#define MG_PIN_TMP_PREFIX "new__"

static int pin_path(char *buf, size_t len, const char *name)
{
	return (size_t)snprintf(buf, len, "%s/%s", MG_PIN_DIR, name) >= len ? -ENAMETOOLONG : 0;
}

int mg_pin_open(const char *name)
{
	char path[512];
	int fd;

	if (pin_path(path, sizeof(path), name))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

/* Pinned under the name the kernel keeps (BPF_OBJ_NAME_LEN - 1 bytes):
 * libbpf renames a reused map to that, so both agree across restarts. */
static const char *map_pin_name(const struct bpf_map *m, char *buf)
{
	snprintf(buf, 16, "%s", bpf_map__name(m));
	return buf;
}

/* Maps that are pinned and adopted: not libbpf's own (.rodata, ...) and
 * not the other backend's mark store, which is never created. */
static int map_used(const struct bpf_map *m)
{
	return !bpf_map__is_internal(m) && bpf_map__autocreate(m);
}

static int map_info(int fd, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(fd, info, &len) ? -errno : 0;
}

/* The inner maps a pinned map-of-maps holds must look like our template. */
static int inner_compatible(const struct bpf_map *m, int outer_fd, char *why, size_t len)
{
	const struct bpf_map *tmpl = bpf_map__inner_map((struct bpf_map *)m);
	__u32 k, id;

	if (!tmpl)
		return 0;
	for (k = 0; k < bpf_map__max_entries(m); k++) {
		struct bpf_map_info info;
		int fd, rc;

		if (bpf_map_lookup_elem(outer_fd, &k, &id))
			continue; /* empty slot */
		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0)
			continue;
		rc = map_info(fd, &info);
		close(fd);
		if (rc)
			continue;
		if (info.type != bpf_map__type(tmpl) || info.key_size != bpf_map__key_size(tmpl) ||
		    info.value_size != bpf_map__value_size(tmpl)) {
			snprintf(why, len, "inner maps of %s differ (key %u/%u, value %u/%u bytes)",
				 bpf_map__name(m), info.key_size, bpf_map__key_size(tmpl),
				 info.value_size, bpf_map__value_size(tmpl));
			return -1;
		}
	}
	return 0;
}

static int map_compatible(const struct bpf_map *m, int fd, char *why, size_t len)
{
	struct bpf_map_info info;

	if (map_info(fd, &info)) {
		snprintf(why, len, "cannot inspect pinned %s: %s", bpf_map__name(m), strerror(errno));
		return -1;
	}
	if (info.type != bpf_map__type(m) || info.key_size != bpf_map__key_size(m) ||
	    info.value_size != bpf_map__value_size(m) ||
	    info.max_entries != bpf_map__max_entries(m) || info.map_flags != bpf_map__map_flags(m)) {
		snprintf(why, len,
			 "pinned map %s differs (type %u/%u, key %u/%u, value %u/%u, entries %u/%u)",
			 bpf_map__name(m), info.type, bpf_map__type(m), info.key_size,
			 bpf_map__key_size(m), info.value_size, bpf_map__value_size(m),
			 info.max_entries, bpf_map__max_entries(m));
		return -1;
	}
	return inner_compatible(m, fd, why, len);
}

int mg_adopt_maps(struct mg_loader *l, struct bpf_object *obj)
{
	struct mg_adopt_info *ai = l->adopt;
	struct bpf_map *m;
	__u32 abi = 0, backend = 0;
	char nbuf[16];
	int state_fd, rc = 0;

	memset(ai, 0, sizeof(*ai));
	ai->found = mg_pins_attached() > 0;
	state_fd = mg_pin_open(MG_PIN_STATE);
	if (state_fd < 0) {
		if (ai->found)
			snprintf(ai->why, sizeof(ai->why), "links pinned without a state map");
		return 0;
	}
	ai->found = 1;
	if (mg_state_read(state_fd, MG_STATE_ABI, &abi) || abi != MG_ABI_VERSION) {
		snprintf(ai->why, sizeof(ai->why), "pinned maps come from ABI %u, this build is ABI %d",
			 abi, MG_ABI_VERSION);
		goto out;
	}
	/* Each backend has its own mark store and programs: pins of the other
	 * one are replaced, never mixed with ours. */
	if (mg_state_read(state_fd, MG_STATE_BACKEND, &backend) || (int)backend != l->backend) {
		snprintf(ai->why, sizeof(ai->why), "pinned programs are backend %s, this one is %s",
			 mg_backend_name((int)backend), mg_backend_name(l->backend));
		goto out;
	}
	bpf_object__for_each_map(m, obj) {
		int fd;

		if (!map_used(m))
			continue;
		fd = mg_pin_open(map_pin_name(m, nbuf));
		if (fd == -ENOENT)
			continue; /* a map this build adds */
		if (fd < 0) {
			snprintf(ai->why, sizeof(ai->why), "cannot open pinned %s: %s",
				 bpf_map__name(m), strerror(-fd));
			goto out;
		}
		rc = map_compatible(m, fd, ai->why, sizeof(ai->why));
		close(fd);
		if (rc) {
			rc = 0;
			goto out;
		}
	}
	bpf_object__for_each_map(m, obj) {
		int fd;

		if (!map_used(m))
			continue;
		fd = mg_pin_open(map_pin_name(m, nbuf));
		if (fd < 0)
			continue;
		rc = bpf_map__reuse_fd(m, fd);
		close(fd);
		if (rc) {
			snprintf(ai->why, sizeof(ai->why), "reusing %s: %s", bpf_map__name(m),
				 strerror(-rc));
			goto out;
		}
	}
	ai->adopted = 1;
	mg_state_read(state_fd, MG_STATE_GEN, &ai->old_gen);
out:
	close(state_fd);
	return rc;
}

/* ---- attach ----------------------------------------------------------- */

void mg_links_free(struct mg_loader *l)
{
	for (size_t i = 0; i < l->nlinks; i++) {
		bpf_link__destroy(l->links[i]);
		free(l->link_names[i]);
	}
	free(l->links);
	free(l->link_names);
	l->links = NULL;
	l->link_names = NULL;
	l->nlinks = 0;
}

int mg_loader_attach(struct mg_loader *l, char *err, size_t errlen)
{
	struct bpf_program *p;
	size_t n = 0;
	int rc;

	bpf_object__for_each_program(p, l->obj)
		n++;
	l->links = calloc(n + 1, sizeof(*l->links));
	l->link_names = calloc(n + 1, sizeof(*l->link_names));
	if (!l->links || !l->link_names) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto fail;
	}
	bpf_object__for_each_program(p, l->obj) {
		struct bpf_link *link;
		char name[256];

		if (!bpf_program__autoload(p) || !bpf_program__autoattach(p))
			continue;
		link = bpf_program__attach(p);
		if (!link) {
			rc = -errno;
			snprintf(err, errlen, "attaching %s: %s", bpf_program__name(p), strerror(-rc));
			goto fail;
		}
		snprintf(name, sizeof(name), MG_PIN_LINK_PREFIX "%s", bpf_program__name(p));
		l->links[l->nlinks] = link;
		l->link_names[l->nlinks] = strdup(name);
		l->nlinks++;
		if (!l->link_names[l->nlinks - 1]) {
			snprintf(err, errlen, "out of memory");
			rc = -ENOMEM;
			goto fail;
		}
	}
	if (!l->nlinks) {
		snprintf(err, errlen, "the BPF object has no program to attach");
		rc = -ENOENT;
		goto fail;
	}
	return 0;
fail:
	/* Not pinned yet: destroying them detaches them. */
	mg_links_free(l);
	return rc;
}

/* ---- pin -------------------------------------------------------------- */

/* Pins fd as name: under a temporary name first, then renamed over
 * whatever held the name (an older instance's link is released only now). */
static int pin_replace(int fd, const char *name, char *err, size_t errlen)
{
	char tmp[512], path[512], tname[300];
	int rc;

	snprintf(tname, sizeof(tname), MG_PIN_TMP_PREFIX "%s", name);
	if (pin_path(path, sizeof(path), name) || pin_path(tmp, sizeof(tmp), tname)) {
		snprintf(err, errlen, "pin name too long: %s", name);
		return -ENAMETOOLONG;
	}
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp)) {
		rc = -errno;
		snprintf(err, errlen, "pinning %s: %s", tmp, strerror(-rc));
		return rc;
	}
	if (rename(tmp, path)) {
		rc = -errno;
		snprintf(err, errlen, "renaming %s to %s: %s", tmp, path, strerror(-rc));
		unlink(tmp);
		return rc;
	}
	return 0;
}

/* Whether name already pins the map behind fd (a reused map). */
static int pinned_as(int fd, const char *name)
{
	struct bpf_map_info a, b;
	int pfd = mg_pin_open(name), same;

	if (pfd < 0)
		return 0;
	same = !map_info(fd, &a) && !map_info(pfd, &b) && a.id == b.id;
	close(pfd);
	return same;
}

static int ours(const struct mg_loader *l, const char *name)
{
	struct bpf_map *m;
	char nbuf[16];

	for (size_t i = 0; i < l->nlinks; i++)
		if (!strcmp(l->link_names[i], name))
			return 1;
	bpf_object__for_each_map(m, l->obj)
		if (map_used(m) && !strcmp(map_pin_name(m, nbuf), name))
			return 1;
	return 0;
}

/* Pins of another build (other programs, other maps), once ours are in. */
static void remove_stale(const struct mg_loader *l)
{
	DIR *d = opendir(MG_PIN_DIR);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || ours(l, e->d_name))
			continue;
		if (!pin_path(path, sizeof(path), e->d_name))
			unlink(path);
	}
	closedir(d);
}

int mg_loader_pin(struct mg_loader *l, char *err, size_t errlen)
{
	struct bpf_map *m;
	char nbuf[16];
	int rc;

	if (mkdir(MG_PIN_DIR, 0700) && errno != EEXIST) {
		rc = -errno;
		snprintf(err, errlen, "creating %s: %s (is bpffs mounted on /sys/fs/bpf?)",
			 MG_PIN_DIR, strerror(-rc));
		return rc;
	}
	/* Maps first: `status` must find the state of the links it sees. */
	bpf_object__for_each_map(m, l->obj) {
		if (!map_used(m) || pinned_as(bpf_map__fd(m), map_pin_name(m, nbuf)))
			continue;
		rc = pin_replace(bpf_map__fd(m), nbuf, err, errlen);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < l->nlinks; i++) {
		rc = pin_replace(bpf_link__fd(l->links[i]), l->link_names[i], err, errlen);
		if (rc)
			return rc;
	}
	remove_stale(l);
	return 0;
}

int mg_pins_remove_all(char *err, size_t errlen)
{
	DIR *d = opendir(MG_PIN_DIR);
	struct dirent *e;
	char path[512];
	int rc = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		rc = -errno;
		snprintf(err, errlen, "opening %s: %s", MG_PIN_DIR, strerror(-rc));
		return rc;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!pin_path(path, sizeof(path), e->d_name) && unlink(path) && !rc) {
			rc = -errno;
			snprintf(err, errlen, "removing %s: %s", path, strerror(-rc));
		}
	}
	closedir(d);
	if (!rc && rmdir(MG_PIN_DIR) && errno != ENOENT) {
		rc = -errno;
		snprintf(err, errlen, "removing %s: %s", MG_PIN_DIR, strerror(-rc));
	}
	return rc;
}

int mg_pins_attached(void)
{
	char path[512];
	struct dirent *e;
	struct stat st;
	int found = 0;
	DIR *d;

	pin_path(path, sizeof(path), MG_PIN_STATE);
	if (stat(path, &st))
		return errno == EACCES || errno == EPERM ? -errno : 0;
	d = opendir(MG_PIN_DIR);
	if (!d)
		return errno == EACCES || errno == EPERM ? -errno : 0;
	while (!found && (e = readdir(d)))
		found = !strncmp(e->d_name, MG_PIN_LINK_PREFIX, strlen(MG_PIN_LINK_PREFIX));
	closedir(d);
	return found;
}

int mg_loader_state_fd(const struct mg_loader *l)
{
	return bpf_object__find_map_fd_by_name(l->obj, "mg_state");
}

int mg_loader_counters_fd(const struct mg_loader *l)
{
	return bpf_object__find_map_fd_by_name(l->obj, "mg_counters");
}
