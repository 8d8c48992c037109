/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* State shared by loader.c (skeleton, policy install, events) and
 * loader_pins.c (attach, pin, adopt: generic over the object's programs
 * and maps, so a new program or map needs no change there). */
#ifndef MG_LOADER_INTERNAL_H
#define MG_LOADER_INTERNAL_H

#include <bpf/libbpf.h>

#include "loader.h"

struct mg_gen_fds {
	int sigs, rules, meta; /* -1 when absent */
};

/* What the kernel compares when an inner map is inserted: libbpf frees
 * its template after load, so this is recorded while the object is open. */
struct mg_inner_tmpl {
	__u32 map_flags;
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
};

enum { MG_OUTER_SIGS, MG_OUTER_RULES, MG_OUTER_META, MG_OUTER_COUNT };

struct minerguard_bpf;

/* One executable exception of a rule and where its path is (exe_ids.c). */
struct mg_exe_id {
	__u32 rule;       /* image rule index */
	const char *path; /* borrowed from the policy installed in the slot */
	int present;
	__u32 dev;        /* kernel encoding */
	__u64 ino;
};

struct mg_exe_ids {
	struct mg_exe_id *v;
	size_t n;
};

/* How many executable exceptions img's policy has. */
size_t mg_exe_ids_count(const struct mg_image *img);
/* Resolves img's executable exceptions and writes their identities into
 * the slot's signature map (out is then what was written). */
int mg_exe_ids_install(struct mg_exe_ids *out, int sigs_fd, const struct mg_image *img);
/* Re-resolves them; replaces entries whose file changed. Number changed
 * (the first described in what) or a negative errno. */
int mg_exe_ids_refresh(struct mg_exe_ids *ids, int sigs_fd, char *what, size_t len);
void mg_exe_ids_free(struct mg_exe_ids *x);

struct mg_loader {
	struct minerguard_bpf *skel;
	struct bpf_object *obj;
	struct mg_inner_tmpl tmpl[MG_OUTER_COUNT];
	struct ring_buffer *rb;
	mg_event_cb cb;
	void *cb_ctx;
	struct mg_event *ev; /* a record decoded from the wire */
	int exe_in_kernel;
	int backend;  /* enum mg_backend: which programs are loaded */
	__u32 nonce;  /* mg_cfg_nonce of this load (self-test) */
	struct mg_gen_fds gen[2]; /* inner maps we installed, per slot */
	int active;               /* slot of our last install, -1 before it */
	struct mg_exe_ids exe[2]; /* executable exceptions per slot (exe_ids.c) */
	int protect;              /* self-protection on (protect.c) */
	struct mg_adopt_info *adopt;
	struct bpf_link **links; /* one per attached program, NULL if none */
	char **link_names;
	size_t nlinks;
};

/* Before load: reuse the pinned maps when compatible (fills l->adopt). */
int mg_adopt_maps(struct mg_loader *l, struct bpf_object *obj);
/* New inner maps in slot join the protected set (protect.c). */
int mg_protect_gen(struct mg_loader *l, int slot);
/* Closes our link fds (pinned links stay attached). */
void mg_links_free(struct mg_loader *l);

#endif
