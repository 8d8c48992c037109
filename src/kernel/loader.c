// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Loads the BPF skeleton and swaps policy generations atomically. */
#include "loader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader_internal.h"
#include "minerguard.skel.h"
#include "vcache.h"

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* MINERGUARD_DEBUG=1 shows libbpf's and the verifier's log. */
	if (!getenv("MINERGUARD_DEBUG"))
		return 0;
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

static void gen_close(struct mg_gen_fds *g)
{
	if (g->sigs >= 0)
		close(g->sigs);
	if (g->rules >= 0)
		close(g->rules);
	if (g->meta >= 0)
		close(g->meta);
	g->sigs = g->rules = g->meta = -1;
}

static void tmpl_record(struct mg_inner_tmpl *t, struct bpf_map *outer)
{
	const struct bpf_map *in = bpf_map__inner_map(outer);

	if (!in)
		return;
	t->map_flags = bpf_map__map_flags(in);
	t->btf_key_type_id = bpf_map__btf_key_type_id(in);
	t->btf_value_type_id = bpf_map__btf_value_type_id(in);
}

/* The backend a program belongs to, from its section: lsm and lsm.s are
 * BPF LSM programs; fmod_ret and fentry form the fmodret backend. */
static int prog_backend(const struct bpf_program *p)
{
	const char *sec = bpf_program__section_name(p);

	if (!strncmp(sec, "lsm", 3))
		return MG_BACKEND_LSM;
	if (!strncmp(sec, "fmod_ret/", 9) || !strncmp(sec, "fentry/", 7))
		return MG_BACKEND_FMODRET;
	return MG_BACKEND_AUTO; /* belongs to none: never loaded */
}

/* Only the chosen backend's programs are loaded, and only its mark store
 * is created (inode storage must not exist where bpf is no active LSM). */
static void select_backend(struct minerguard_bpf *skel, int backend)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, prog_backend(p) == backend);
	bpf_map__set_autocreate(skel->maps.mg_marks, backend == MG_BACKEND_LSM);
	bpf_map__set_autocreate(skel->maps.mg_marks_keyed, backend == MG_BACKEND_FMODRET);
	bpf_map__set_autocreate(skel->maps.mg_vcache, backend == MG_BACKEND_LSM);
	bpf_map__set_autocreate(skel->maps.mg_vcache_keyed, backend == MG_BACKEND_FMODRET);
}

/* A number of this load alone, for the self-test. */
static __u32 new_nonce(void)
{
	__u32 n = 0;
	FILE *f = fopen("/dev/urandom", "re");

	if (!f || fread(&n, sizeof(n), 1, f) != 1)
		n = (__u32)getpid() ^ (__u32)time(NULL);
	if (f)
		fclose(f);
	return n ? n : 1;
}

/* One attempt: open, configure, load. */
static int load_once(struct mg_loader *l, int exe_dpath)
{
	struct minerguard_bpf *skel;
	int err;

	LIBBPF_OPTS(bpf_object_open_opts, oo);
	const char *dbg = getenv("MINERGUARD_DEBUG");

	/* MINERGUARD_DEBUG=stats: the verifier's per-program statistics
	 * (instructions processed, states, time), printed by libbpf. */
	if (dbg && !strcmp(dbg, "stats"))
		oo.kernel_log_level = 4;
	skel = minerguard_bpf__open_opts(&oo);
	if (!skel)
		return -errno ? -errno : -EINVAL;
	tmpl_record(&l->tmpl[MG_OUTER_SIGS], skel->maps.mg_sigs_outer);
	tmpl_record(&l->tmpl[MG_OUTER_RULES], skel->maps.mg_rules_outer);
	tmpl_record(&l->tmpl[MG_OUTER_META], skel->maps.mg_meta_outer);
	skel->rodata->mg_cfg_exe_dpath = exe_dpath;
	skel->rodata->mg_cfg_nonce = l->nonce;
	select_backend(skel, l->backend);
	/* Maps of an instance still enforcing are reused when compatible, so
	 * policy, mode, counters and unread events carry over. */
	err = mg_adopt_maps(l, skel->obj);
	if (err) {
		minerguard_bpf__destroy(skel);
		return err;
	}
	err = minerguard_bpf__load(skel);
	if (err) {
		minerguard_bpf__destroy(skel);
		return err;
	}
	l->skel = skel;
	l->obj = skel->obj;
	return 0;
}

/* The initial mount namespace, as pid 1 sees it (the daemon itself may run
 * in a private one: systemd's PrivateMounts=). 0 when it cannot be read:
 * then no task is trusted and exceptions fail closed. */
static __u32 mg_initial_mntns(void)
{
	struct stat st;

	if (stat("/proc/1/ns/mnt", &st))
		return 0;
	return (__u32)st.st_ino;
}

/* MINERGUARD_DEBUG=digest-fail:PATH, the test knob of bpf/digest.bpf.h:
 * the inode whose kernel digest fails (low 32 bits), 0 for none. */
static __u32 digest_fail_ino(void)
{
	const char *d = getenv("MINERGUARD_DEBUG");
	struct stat st;

	if (!d || strncmp(d, "digest-fail:", 12) || stat(d + 12, &st))
		return 0;
	return (__u32)st.st_ino;
}

int mg_loader_open(struct mg_loader **out, int backend, struct mg_adopt_info *ai, char *err,
		   size_t errlen)
{
	__u32 abi = MG_ABI_VERSION, k = MG_STATE_ABI, kb = MG_STATE_BACKEND, b = (__u32)backend;
	struct mg_loader *l;
	int rc;

	*out = NULL;
	libbpf_set_print(libbpf_quiet);
	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	l->gen[0] = (struct mg_gen_fds){ -1, -1, -1 };
	l->gen[1] = (struct mg_gen_fds){ -1, -1, -1 };
	l->active = -1;
	l->adopt = ai;
	l->backend = backend;
	l->nonce = new_nonce();
	memset(ai, 0, sizeof(*ai));

	/* Kernels whose verifier refuses bpf_d_path on current's executable
	 * still get enforcement; userspace then names the executable. */
	rc = load_once(l, 1);
	if (rc) {
		int rc2 = load_once(l, 0);

		if (rc2) {
			snprintf(err, errlen, "loading BPF programs: %s", strerror(-rc));
			free(l);
			return rc;
		}
		l->exe_in_kernel = 0;
	} else {
		l->exe_in_kernel = 1;
	}
	rc = bpf_map_update_elem(bpf_map__fd(l->skel->maps.mg_state), &k, &abi, BPF_ANY);
	if (!rc)
		rc = bpf_map_update_elem(bpf_map__fd(l->skel->maps.mg_state), &kb, &b, BPF_ANY);
	if (!rc)
		rc = mg_state_write(bpf_map__fd(l->skel->maps.mg_state), MG_STATE_TRUST_MNTNS,
				    mg_initial_mntns());
	if (!rc)
		rc = mg_state_write(bpf_map__fd(l->skel->maps.mg_state), MG_STATE_DIGEST_DEBUG,
				    digest_fail_ino());
	if (rc) {
		rc = -errno;
		snprintf(err, errlen, "writing ABI version: %s", strerror(-rc));
		mg_loader_close(l);
		return rc;
	}
	*out = l;
	return 0;
}

int mg_loader_exe_in_kernel(const struct mg_loader *l)
{
	return l->exe_in_kernel;
}

int mg_loader_backend(const struct mg_loader *l)
{
	return l->backend;
}

__u32 mg_loader_nonce(const struct mg_loader *l)
{
	return l->nonce;
}

/* Writes n (key, value) pairs, in one batch when the kernel can. */
static int fill_map(int fd, const void *keys, const void *vals, size_t ksz, size_t vsz, size_t n)
{
	__u32 count = (__u32)n;
	size_t i;

	if (!n)
		return 0;
	if (!bpf_map_update_batch(fd, keys, vals, &count, NULL) && count == n)
		return 0;
	for (i = 0; i < n; i++) {
		if (bpf_map_update_elem(fd, (const char *)keys + i * ksz,
					(const char *)vals + i * vsz, BPF_ANY))
			return -errno;
	}
	return 0;
}

static int create_inner(const struct mg_loader *l, int which, const char *name,
			enum bpf_map_type type, size_t ksz, size_t vsz, size_t max)
{
	const struct mg_inner_tmpl *t = &l->tmpl[which];
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	int fd;

	/* The kernel accepts an inner map only if it looks like the template,
	 * BTF included: 6.1 compares a field derived from the value's BTF
	 * (timer offset), which differs between maps with and without BTF. */
	opts.map_flags = t->map_flags;
	if (t->btf_key_type_id || t->btf_value_type_id) {
		opts.btf_fd = bpf_object__btf_fd(l->skel->obj);
		opts.btf_key_type_id = t->btf_key_type_id;
		opts.btf_value_type_id = t->btf_value_type_id;
	}
	fd = bpf_map_create(type, name, (__u32)ksz, (__u32)vsz, (__u32)max, &opts);
	return fd < 0 ? -errno : fd;
}

static int set_slot(const struct bpf_map *outer, __u32 slot, int inner_fd, char *err,
		    size_t errlen)
{
	int rc;

	if (!bpf_map_update_elem(bpf_map__fd(outer), &slot, &inner_fd, BPF_ANY))
		return 0;
	rc = -errno;
	snprintf(err, errlen, "installing %s[%u]: %s", bpf_map__name(outer), slot, strerror(-rc));
	return rc;
}

int mg_loader_install(struct mg_loader *l, const struct mg_image *img, char *err,
		      size_t errlen)
{
	struct minerguard_bpf *s = l->skel;
	struct mg_gen_fds g = { -1, -1, -1 };
	struct mg_exe_ids exe = { NULL, 0 };
	struct mg_sig_key *keys = NULL;
	struct mg_sig_val *vals = NULL;
	__u32 *rule_idx = NULL;
	__u32 k_gen = MG_STATE_GEN, cur = 0, idle, zero = 0, i;
	int state_fd = bpf_map__fd(s->maps.mg_state);
	int rc;

	if (img->nrules >= MG_MAX_RULES) {
		snprintf(err, errlen, "policy has %zu rules, at most %d fit", img->nrules,
			 MG_MAX_RULES - 1);
		return -E2BIG;
	}
	if (bpf_map_lookup_elem(state_fd, &k_gen, &cur)) {
		rc = -errno;
		snprintf(err, errlen, "reading generation: %s", strerror(-rc));
		return rc;
	}
	idle = (cur & 1) ^ 1;

	/* room for each executable exception's identity, twice: a refresh
	 * adds the new one before it drops the old (exe_ids.c) */
	g.sigs = create_inner(l, MG_OUTER_SIGS, "mg_sigs", BPF_MAP_TYPE_HASH,
			      sizeof(struct mg_sig_key), sizeof(struct mg_sig_val),
			      img->nentries + 2 * mg_exe_ids_count(img) + 1);
	g.rules = create_inner(l, MG_OUTER_RULES, "mg_rules", BPF_MAP_TYPE_ARRAY,
			       sizeof(__u32), sizeof(struct mg_rule), MG_MAX_RULES);
	g.meta = create_inner(l, MG_OUTER_META, "mg_meta", BPF_MAP_TYPE_ARRAY,
			      sizeof(__u32), sizeof(struct mg_meta), 1);
	if (g.sigs < 0 || g.rules < 0 || g.meta < 0) {
		rc = g.sigs < 0 ? g.sigs : g.rules < 0 ? g.rules : g.meta;
		snprintf(err, errlen, "creating policy maps: %s", strerror(-rc));
		goto cleanup;
	}

	keys = calloc(img->nentries + 1, sizeof(*keys));
	vals = calloc(img->nentries + 1, sizeof(*vals));
	rule_idx = calloc(img->nrules + 1, sizeof(*rule_idx));
	if (!keys || !vals || !rule_idx) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < img->nentries; i++) {
		keys[i] = img->entries[i].key;
		vals[i] = img->entries[i].val;
	}
	for (i = 0; i < img->nrules; i++)
		rule_idx[i] = i + 1;

	rc = fill_map(g.sigs, keys, vals, sizeof(*keys), sizeof(*vals), img->nentries);
	if (!rc)
		rc = fill_map(g.rules, rule_idx, img->rules + 1, sizeof(*rule_idx),
			      sizeof(struct mg_rule), img->nrules);
	if (!rc)
		rc = fill_map(g.meta, &zero, &img->meta, sizeof(zero), sizeof(img->meta), 1);
	if (!rc)
		rc = mg_exe_ids_install(&exe, g.sigs, img);
	if (rc) {
		snprintf(err, errlen, "filling policy maps: %s", strerror(-rc));
		goto cleanup;
	}

	/* Programs read the generation first, so the slot must be complete
	 * before the flip; the order among the three outers does not matter. */
	rc = set_slot(s->maps.mg_sigs_outer, idle, g.sigs, err, errlen);
	if (!rc)
		rc = set_slot(s->maps.mg_rules_outer, idle, g.rules, err, errlen);
	if (!rc)
		rc = set_slot(s->maps.mg_meta_outer, idle, g.meta, err, errlen);
	if (rc)
		goto cleanup;
	if (bpf_map_update_elem(state_fd, &k_gen, &idle, BPF_ANY)) {
		rc = -errno;
		snprintf(err, errlen, "switching generation: %s", strerror(-rc));
		goto cleanup;
	}
	/* after the flip: a decision that read the old generation stored the
	 * old sequence */
	rc = mg_vcache_void_policy(state_fd);
	if (rc) {
		snprintf(err, errlen, "voiding cached verdicts: %s", strerror(-rc));
		goto cleanup;
	}
	/* The slot we just filled held the generation before the previous one:
	 * nothing can read it any more. */
	gen_close(&l->gen[idle]);
	l->gen[idle] = g;
	mg_exe_ids_free(&l->exe[idle]);
	l->exe[idle] = exe;
	exe = (struct mg_exe_ids){ NULL, 0 };
	l->active = (int)idle;
	g = (struct mg_gen_fds){ -1, -1, -1 };
	/* The policy is in force either way; an unguarded slot is still
	 * watched (integrity.c) and says so here. */
	rc = mg_protect_gen(l, (int)idle);
	if (rc)
		fprintf(stderr, "minerguard: warning: the new policy maps are not protected: %s\n",
			strerror(-rc));
	rc = (int)idle;

cleanup:
	gen_close(&g);
	mg_exe_ids_free(&exe);
	free(keys);
	free(vals);
	free(rule_idx);
	return rc;
}

int mg_loader_refresh_exes(struct mg_loader *l, char *what, size_t len)
{
	what[0] = '\0';
	if (l->active < 0)
		return 0;
	return mg_exe_ids_refresh(&l->exe[l->active], l->gen[l->active].sigs, what, len);
}

int mg_loader_set_mode(struct mg_loader *l, int mode)
{
	return mg_state_write(bpf_map__fd(l->skel->maps.mg_state), MG_STATE_MODE, (__u32)mode);
}


/* Attach, pin and adopt: see loader_pins.c. */

/* ---- events ----------------------------------------------------------- */

/* A wire record (header, path, exe: minerguard_abi.h) into *ev; -1 when
 * its lengths do not add up (never from our programs). */
int mg_event_decode(struct mg_event *ev, const void *data, size_t size)
{
	const struct mg_event *w = data;
	size_t plen, elen;

	if (size < MG_EVENT_HDR_SIZE)
		return -1;
	plen = w->path_len;
	elen = w->exe_len;
	if (plen < 1 || plen > MG_PATH_MAX || elen < 1 || elen > MG_PATH_MAX ||
	    MG_EVENT_HDR_SIZE + plen + elen > size)
		return -1;
	memcpy(ev, data, MG_EVENT_HDR_SIZE);
	memcpy(ev->path, (const char *)data + MG_EVENT_HDR_SIZE, plen);
	ev->path[plen - 1] = '\0';
	memcpy(ev->exe, (const char *)data + MG_EVENT_HDR_SIZE + plen, elen);
	ev->exe[elen - 1] = '\0';
	return 0;
}

static int rb_handler(void *ctx, void *data, size_t size)
{
	struct mg_loader *l = ctx;

	if (mg_event_decode(l->ev, data, size))
		return 0;
	return l->cb(l->cb_ctx, l->ev);
}

int mg_loader_events_open(struct mg_loader *l, mg_event_cb cb, void *ctx)
{
	l->cb = cb;
	l->cb_ctx = ctx;
	if (!l->ev && !(l->ev = malloc(sizeof(*l->ev))))
		return -ENOMEM;
	l->rb = ring_buffer__new(bpf_map__fd(l->skel->maps.mg_events), rb_handler, l, NULL);
	return l->rb ? 0 : -errno;
}

/* The programs wake the reader only when the ring fills up (bpf/decide.bpf.h:
 * a wake-up per record costed more than the record), so each call also
 * drains what arrived without one. */
int mg_loader_events_poll(struct mg_loader *l, int timeout_ms)
{
	int n = ring_buffer__poll(l->rb, timeout_ms), m;

	if (n < 0)
		return n;
	m = ring_buffer__consume(l->rb);
	return m < 0 ? m : n + m;
}

void mg_loader_close(struct mg_loader *l)
{
	if (!l)
		return;
	ring_buffer__free(l->rb);
	free(l->ev);
	/* Closing our link fds leaves pinned links attached. */
	mg_links_free(l);
	minerguard_bpf__destroy(l->skel);
	gen_close(&l->gen[0]);
	gen_close(&l->gen[1]);
	mg_exe_ids_free(&l->exe[0]);
	mg_exe_ids_free(&l->exe[1]);
	free(l);
}

/* ---- a running instance ----------------------------------------------- */

int mg_counters_read(int counters_fd, __u64 *out)
{
	int ncpu = libbpf_num_possible_cpus(), c;
	__u64 *vals;
	__u32 i;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (i = 0; i < MG_CTR_COUNT; i++) {
		out[i] = 0;
		if (bpf_map_lookup_elem(counters_fd, &i, vals)) {
			int rc = -errno;

			free(vals);
			return rc;
		}
		for (c = 0; c < ncpu; c++)
			out[i] += vals[c];
	}
	free(vals);
	return 0;
}

int mg_state_read(int state_fd, __u32 idx, __u32 *val)
{
	return bpf_map_lookup_elem(state_fd, &idx, val) ? -errno : 0;
}

int mg_state_write(int state_fd, __u32 idx, __u32 val)
{
	return bpf_map_update_elem(state_fd, &idx, &val, BPF_ANY) ? -errno : 0;
}
