/* SPDX-License-Identifier: GPL-2.0 */
/* The one decision every hook of every backend runs. */
#ifndef MG_DECIDE_BPF_H
#define MG_DECIDE_BPF_H

#include "marks.bpf.h"
#include "vcache.bpf.h"

/* ---- small helpers ---------------------------------------------------- */

static __always_inline void mg_count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&mg_counters, &idx);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline void mg_count_hook(__u32 hook, __u32 which)
{
	mg_count(MG_CTR_HOOK_BASE + hook * MG_CTR_PER_HOOK + which);
}

/* Looks up {kind, rule, len, hash}; NULL when absent. */
static __always_inline struct mg_sig_val *mg_lookup(struct mg_walk *w, __u32 kind, __u32 rule,
						    __u32 len, __u64 hash)
{
	struct mg_sig_key k = {
		.kind = kind,
		.rule = rule,
		.len = len,
		.pad = 0,
		.hash = hash,
	};

	return bpf_map_lookup_elem(w->sigs, &k);
}

/* Rule index the signature {kind, len, hash} selects for this hook, or 0. */
static __always_inline __u32 mg_probe(struct mg_walk *w, __u32 kind, __u32 len, __u64 hash)
{
	struct mg_sig_val *v = mg_lookup(w, kind, 0, len, hash);

	if (!v)
		return 0;
	return v->rule[w->s->hook & (MG_HOOK_COUNT - 1)];
}

/* Bit mg_lead(a, b) of a MG_LEAD_BITS bitmap (mg_meta.lead, path_lead,
 * dir_lead). */
static __always_inline int mg_lead_in(const __u64 *bits, __u8 a, __u8 b)
{
	__u32 lead = mg_lead(a, b), word = lead >> 6;

	/* hide word's range from clang, which would drop the mask the
	 * verifier needs (it cannot bound the OR mg_lead makes) */
	asm volatile("" : "+r"(word));
	return (bits[word & (MG_LEAD_BITS / 64 - 1)] >> (lead & 63)) & 1;
}

static __always_inline int mg_bit(const __u64 *bits, __u32 nwords, __u32 len)
{
	return (bits[(len >> 6) & (nwords - 1)] >> (len & 63)) & 1;
}

/* The candidate list is full: keep the first BLOCK rule aside. */
static __always_inline void mg_spill(struct mg_walk *w, __u32 r, __u32 kind, __u32 len, __u64 hash)
{
	struct mg_scratch *s = w->s;
	struct mg_rule *rule;

	s->overflow = 1;
	if (s->spill.rule || r == 0 || r >= MG_MAX_RULES)
		return;
	rule = bpf_map_lookup_elem(w->rules, &r);
	if (!rule || rule->action != MG_ACTION_BLOCK)
		return;
	s->spill.rule = r;
	s->spill.kind = kind;
	s->spill.len = len;
	s->spill.hash = hash;
	s->spill.action = MG_ACTION_BLOCK;
	s->spill.has_exc = 0;
	s->spill.excepted = 0;
}

/* list[n] filled with {r, kind, len, hash}; NULL when r is already in
 * list[0..n) or the list is full (then r may go to the spill). */
static __always_inline struct mg_cand *mg_slot(struct mg_walk *w, struct mg_cand *list, __u32 n,
					       __u32 r, __u32 kind, __u32 len, __u64 hash)
{
	struct mg_cand *c;
	__u32 i;

	for (i = 0; i < MG_MAX_CANDIDATES; i++) {
		if (i >= n)
			break;
		if (list[i].rule == r)
			return NULL;
	}
	if (n >= MG_MAX_CANDIDATES) {
		mg_spill(w, r, kind, len, hash);
		return NULL;
	}
	c = &list[n];
	c->rule = r;
	c->kind = kind;
	c->len = len;
	c->hash = hash;
	return c;
}

/* Appends a candidate for rule r unless r is already a candidate or can no
 * longer change the result. */
static __always_inline void mg_add(struct mg_walk *w, __u32 r, __u32 kind, __u32 len, __u64 hash)
{
	struct mg_scratch *s = w->s;
	struct mg_rule *rule;
	struct mg_cand *c;

	if (s->stop || r == 0 || r >= MG_MAX_RULES)
		return;
	rule = bpf_map_lookup_elem(w->rules, &r);
	if (!rule)
		return;
	if (rule->action != MG_ACTION_BLOCK && s->sure_audit)
		return;
	c = mg_slot(w, s->cand, s->ncand, r, kind, len, hash);
	if (!c)
		return;
	c->action = rule->action == MG_ACTION_BLOCK ? MG_ACTION_BLOCK : MG_ACTION_AUDIT;
	c->has_exc = (__u16)rule->has_exc;
	c->excepted = 0;
	s->ncand++;
	s->exc_need |= rule->has_exc;
	if (!rule->has_exc) {
		if (c->action == MG_ACTION_BLOCK)
			s->stop = 1;
		else
			s->sure_audit = 1;
	}
}

/* Keeps a PREFIX or DIR hit until the NAME or PATH probe (which comes
 * first in the order) has been made. */
static __always_inline void mg_defer(struct mg_walk *w, __u32 r, __u32 kind, __u32 len, __u64 hash)
{
	struct mg_scratch *s = w->s;

	if (r && mg_slot(w, s->defer, s->ndefer, r, kind, len, hash))
		s->ndefer++;
}

/* ---- bpf_loop callbacks ----------------------------------------------- */

static long mg_cb_flush(__u32 i, void *ctx)
{
	struct mg_walk *w = ctx;
	struct mg_cand *c;

	if (i >= MG_MAX_CANDIDATES)
		return 1;
	c = &w->s->defer[i];
	mg_add(w, c->rule, c->kind, c->len, c->hash);
	return 0;
}

/* Forward over the name: folded hash, PREFIX probes at the lengths used. */
static long mg_cb_name_fwd(__u32 i, void *ctx)
{
	struct mg_walk *w = ctx;
	struct mg_scratch *s = w->s;
	__u32 len = i + 1;
	__u64 h;

	h = mg_fnv_step(s->h, mg_fold((__u8)s->name[(s->name_off + i) & MG_NAME_MAX]));
	s->h = h;
	if (mg_bit(w->meta->prefix_lens, 4, len))
		mg_defer(w, mg_probe(w, MG_KIND_PREFIX, len, h), MG_KIND_PREFIX, len, h);
	return 0;
}

/* Backwards over the name: SUFFIX probes at the lengths used. */
static long mg_cb_name_back(__u32 i, void *ctx)
{
	struct mg_walk *w = ctx;
	struct mg_scratch *s = w->s;
	__u32 len = i + 1;
	__u64 h;

	if (s->stop || i >= s->name_len)
		return 1;
	h = mg_fnv_step(s->h,
			mg_fold((__u8)s->name[(s->name_off + s->name_len - 1 - i) & MG_NAME_MAX]));
	s->h = h;
	if (mg_bit(w->meta->suffix_lens, 4, len))
		mg_add(w, mg_probe(w, MG_KIND_SUFFIX, len, h), MG_KIND_SUFFIX, len, h);
	return 0;
}

/* Forward over the path: hash, DIR probes at '/' with the lengths used. */
static long mg_cb_path(__u32 i, void *ctx)
{
	struct mg_walk *w = ctx;
	struct mg_scratch *s = w->s;
	char c = s->path[i & (MG_PATH_MAX - 1)];
	__u32 len = i + 1;
	__u64 h;

	h = mg_fnv_step(s->h, (__u8)c);
	s->h = h;
	if (c == '/' && !s->stop && mg_bit(w->meta->dir_lens, MG_DIR_LEN_BITS / 64, len))
		mg_defer(w, mg_probe(w, MG_KIND_DIR, len, h), MG_KIND_DIR, len, h);
	return 0;
}

/* Forward over the path: DIRNAME probes, one per directory component (a
 * component followed by '/'; the file's own name is not one). After all
 * DIR hits, in path order, as src/policy/matcher.c. */
static long mg_cb_dirname(__u32 i, void *ctx)
{
	struct mg_walk *w = ctx;
	struct mg_scratch *s = w->s;
	char c = s->path[i & (MG_PATH_MAX - 1)];

	if (s->stop)
		return 1;
	if (c != '/') {
		s->ch = mg_fnv_step(s->ch, mg_fold((__u8)c));
		s->clen++;
		return 0;
	}
	if (s->clen && s->clen <= MG_NAME_MAX)
		mg_add(w, mg_probe(w, MG_KIND_DIRNAME, s->clen, s->ch), MG_KIND_DIRNAME, s->clen,
		       s->ch);
	s->ch = MG_FNV_OFFSET;
	s->clen = 0;
	return 0;
}

/* Forward over the path again: EXC_DIR probes for the candidates' rules. */
static long mg_cb_exc_dir(__u32 i, void *ctx)
{
	struct mg_walk *w = ctx;
	struct mg_scratch *s = w->s;
	char c = s->path[i & (MG_PATH_MAX - 1)];
	__u32 len = i + 1, k, n = s->ncand;
	__u64 h;

	h = mg_fnv_step(s->h, (__u8)c);
	s->h = h;
	if (c != '/')
		return 0;
	for (k = 0; k < MG_MAX_CANDIDATES; k++) {
		struct mg_cand *cd = &s->cand[k];

		if (k >= n)
			break;
		if (cd->excepted || !(cd->has_exc & (1u << MG_KIND_EXC_DIR)))
			continue;
		if (mg_lookup(w, MG_KIND_EXC_DIR, cd->rule, len, h))
			cd->excepted = 1;
	}
	return 0;
}

/* Hash of the executable path. */
/* Hash of the target path, when only an exception needs it. */
static long mg_cb_path_hash(__u32 i, void *ctx)
{
	struct mg_walk *w = ctx;
	struct mg_scratch *s = w->s;

	s->h = mg_fnv_step(s->h, (__u8)s->path[i & (MG_PATH_MAX - 1)]);
	return 0;
}

/* EXC_PATH and EXC_EXE for candidate i, then the choice. */
static long mg_cb_judge(__u32 i, void *ctx)
{
	struct mg_walk *w = ctx;
	struct mg_scratch *s = w->s;
	struct mg_cand *c;
	__u32 need_path = (1u << MG_KIND_EXC_PATH) | (1u << MG_KIND_EXC_DIR);

	if (i >= MG_MAX_CANDIDATES)
		return 1;
	c = &s->cand[i];
	if (!s->exc_trusted && !(c->has_exc & MG_EXC_ANY_NS)) {
		/* outside the initial namespaces an excepted path or executable
		 * may be a mount of the caller's own: fail closed */
		if (c->has_exc & (need_path | (1u << MG_KIND_EXC_EXE))) {
			s->unchecked = 1;
			s->ev_flags |= MG_EV_EXC_FOREIGN_NS;
		}
		goto choice;
	}
	if (!c->excepted && (c->has_exc & (1u << MG_KIND_EXC_PATH)) && s->path_ok &&
	    mg_lookup(w, MG_KIND_EXC_PATH, c->rule, s->path_len, s->path_hash))
		c->excepted = 1;
	if (!c->excepted && (c->has_exc & (1u << MG_KIND_EXC_EXE)) && s->exe_ino_ok &&
	    mg_lookup(w, MG_KIND_EXC_EXE_INO, c->rule, s->exe_dev, s->exe_ino))
		c->excepted = 1;
	if (c->excepted) {
		s->excepted = 1;
		return 0;
	}
	if (((c->has_exc & need_path) && !s->path_ok) ||
	    ((c->has_exc & (1u << MG_KIND_EXC_EXE)) && !s->exe_ino_ok))
		s->unchecked = 1;
choice:
	if (c->action == MG_ACTION_BLOCK) {
		s->best_block = i;
		return 1;
	}
	if (s->best_audit == MG_NONE)
		s->best_audit = i;
	return 0;
}

/* ---- the decision ----------------------------------------------------- */
/*
 * The decision runs in global functions (mg_g_*), each verified once per
 * program whatever the state of its caller. Only what needs the hook's
 * kernel pointers stays inlined in mg_decide: the name read, inode facts,
 * bpf_d_path and the inode mark. Everything that crosses the boundary is
 * in the scratch area, never a register the verifier could specialise on.
 * (Inlined whole, the decision cost ~1M verified instructions for the 8
 * programs, ~16 s per daemon start under TCG: every branch of the caller
 * multiplied the states of all that followed.)
 */

/* Maps of the scratch's generation; non-zero when no policy is installed. */
static __always_inline int mg_walk_init(struct mg_walk *w, struct mg_scratch *s)
{
	__u32 gen = s->gen & 1, zero = 0;
	void *meta_map;

	w->s = s;
	w->sigs = bpf_map_lookup_elem(&mg_sigs_outer, &gen);
	w->rules = bpf_map_lookup_elem(&mg_rules_outer, &gen);
	meta_map = bpf_map_lookup_elem(&mg_meta_outer, &gen);
	if (!w->sigs || !w->rules || !meta_map)
		return -1;
	w->meta = bpf_map_lookup_elem(meta_map, &zero);
	return w->meta ? 0 : -1;
}

#define MG_GLOBAL __attribute__((noinline))

/* Phase 1: NAME, PREFIX and SUFFIX signatures of s->name, then the exec
 * options (s->opt_*: set by the caller, which sees the inode). */
MG_GLOBAL int mg_g_names(struct mg_scratch *s)
{
	struct mg_walk w;

	if (!s || mg_walk_init(&w, s))
		return 0;
	if (s->name_len) {
		__u32 off = s->name_off;

		/* no name or prefix starts like this one: no forward walk */
		if (mg_lead_in(w.meta->lead, (__u8)s->name[off & MG_NAME_MAX],
			       s->name_len > 1 ? (__u8)s->name[(off + 1) & MG_NAME_MAX] : 0)) {
			s->h = MG_FNV_OFFSET;
			bpf_loop(s->name_len, mg_cb_name_fwd, &w, 0);
			mg_add(&w, mg_probe(&w, MG_KIND_NAME, s->name_len, s->h), MG_KIND_NAME,
			       s->name_len, s->h);
			bpf_loop(s->ndefer, mg_cb_flush, &w, 0);
		}
		/* the backward walk only probes suffixes: none, no walk */
		if (w.meta->suffix_lens[0] | w.meta->suffix_lens[1] | w.meta->suffix_lens[2] |
		    w.meta->suffix_lens[3]) {
			s->h = MG_FNV_OFFSET;
			bpf_loop(s->name_len, mg_cb_name_back, &w, 0);
		}
	}
	if (s->opt_memfd && w.meta->memfd_rule)
		mg_add(&w, w.meta->memfd_rule, MG_KIND_MEMFD, 0, 0);
	if (s->opt_tmpfs && w.meta->tmpfs_rule)
		mg_add(&w, w.meta->tmpfs_rule, MG_KIND_TMPFS, 0, 0);
	return 0;
}

/* Phase 2: PATH and DIR signatures of s->path (resolved by the caller). */
MG_GLOBAL int mg_g_paths(struct mg_scratch *s)
{
	struct mg_walk w;
	__u32 need;

	/* no path (most accesses of a names-only policy): no map lookups */
	if (!s || !s->path_ok || mg_walk_init(&w, s))
		return 0;
	need = w.meta->flags & MG_META_NEED_PATH;
	if (!need && !(s->exc_need & (1u << MG_KIND_EXC_PATH)))
		return 0;
	s->path_hashed = 1;
	s->ndefer = 0;
	s->h = MG_FNV_OFFSET;
	bpf_loop(s->path_len, mg_cb_path, &w, 0);
	s->path_hash = s->h;
	if (need)
		mg_add(&w, mg_probe(&w, MG_KIND_PATH, s->path_len, s->h), MG_KIND_PATH, s->path_len,
		       s->h);
	bpf_loop(s->ndefer, mg_cb_flush, &w, 0);
	if (w.meta->flags & MG_META_DIRNAMES) {
		s->ch = MG_FNV_OFFSET;
		s->clen = 0;
		bpf_loop(s->path_len, mg_cb_dirname, &w, 0);
	}
	return 0;
}

/* Phase 3: the signature this inode was matched by before (s->mark_*),
 * last in the order. */
MG_GLOBAL int mg_g_mark(struct mg_scratch *s)
{
	struct mg_walk w;
	__u32 before;

	if (!s || mg_walk_init(&w, s))
		return 0;
	before = s->ncand;
	mg_add(&w, mg_probe(&w, s->mark_kind, s->mark_len, s->mark_hash), s->mark_kind, s->mark_len,
	       s->mark_hash);
	if (s->ncand > before)
		s->mark_idx = before;
	return 0;
}

#include "digest.bpf.h"
#include "prefilter.bpf.h"

/* Phase 4: exceptions of the candidates, then the choice, copied to
 * s->chosen. Returns 1 when a candidate applies. */
MG_GLOBAL int mg_g_judge(struct mg_scratch *s)
{
	struct mg_walk w;
	__u32 n, i;

	if (!s || mg_walk_init(&w, s))
		return 0;
	n = s->ncand;
	if (!n)
		return 0;
	if (!s->exc_trusted && !(s->exc_need & MG_EXC_ANY_NS))
		goto choose; /* every exception counts as unchecked (mg_cb_judge) */
	if (s->path_ok && !s->path_hashed && (s->exc_need & (1u << MG_KIND_EXC_PATH))) {
		/* only a marked candidate can need it this late */
		s->h = MG_FNV_OFFSET;
		bpf_loop(s->path_len, mg_cb_path_hash, &w, 0);
		s->path_hash = s->h;
	}
	if (s->path_ok && (s->exc_need & (1u << MG_KIND_EXC_DIR))) {
		s->h = MG_FNV_OFFSET;
		bpf_loop(s->path_len, mg_cb_exc_dir, &w, 0);
	}
choose:
	bpf_loop(n, mg_cb_judge, &w, 0);

	if (s->best_block < MG_MAX_CANDIDATES) {
		i = s->best_block;
	} else if (s->spill.rule) {
		s->chosen = s->spill;
		s->unchecked = 1;
		return 1;
	} else if (s->best_audit < MG_MAX_CANDIDATES) {
		i = s->best_audit;
	} else {
		return 0;
	}
	s->chosen = s->cand[i & (MG_MAX_CANDIDATES - 1)];
	if (i == s->mark_idx)
		s->ev_flags |= MG_EV_INODE_MARK;
	return 1;
}

/* Time, cgroup and who asked (process, parent, ids, comm) of a record. */
static __always_inline void mg_event_who(struct mg_event *ev)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 v;

	ev->ts_boot_ns = bpf_ktime_get_boot_ns();
	ev->cgroup_id = bpf_get_current_cgroup_id();
	v = bpf_get_current_pid_tgid();
	ev->pid = (__u32)v;
	ev->tgid = (__u32)(v >> 32);
	ev->ppid = BPF_CORE_READ(task, real_parent, tgid);
	v = bpf_get_current_uid_gid();
	ev->uid = (__u32)v;
	ev->gid = (__u32)(v >> 32);
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

/* Phase 5: verdict and event of s->chosen (a full ring buffer changes
 * nothing). Returns 1 to refuse. */
MG_GLOBAL int mg_g_verdict(struct mg_scratch *s)
{
	struct mg_event *ev;
	struct mg_cand *c;
	__u32 verdict, flags;
	long plen, elen;
	__u64 size, waiting;
	char *exe;

	if (!s)
		return 0;
	c = &s->chosen;
	flags = s->ev_flags;
	if (flags & MG_EV_INODE_MARK)
		mg_count(MG_CTR_MARK_HIT);
	verdict = MG_VERDICT_AUDIT;
	if (c->action == MG_ACTION_BLOCK) {
		if (s->mode == MG_MODE_ENFORCE)
			verdict = MG_VERDICT_BLOCK;
		else
			flags |= MG_EV_WOULD_BLOCK;
	}
	mg_count_hook(s->hook, verdict == MG_VERDICT_BLOCK ? MG_HCTR_BLOCK : MG_HCTR_AUDIT);
	if (s->unchecked)
		flags |= MG_EV_EXC_UNCHECKED;
	if (!s->path_ok)
		flags |= MG_EV_PATH_ERR;
	if (!s->exe_ok)
		flags |= MG_EV_EXE_ERR;

	ev = &s->ev;
	mg_event_who(ev);
	ev->sig_hash = c->hash;
	ev->ino = s->ino;
	ev->dev = s->dev;
	ev->hook = s->hook;
	ev->rule = c->rule;
	ev->gen = s->gen;
	ev->sig_kind = c->kind;
	ev->sig_len = c->len;
	ev->verdict = verdict;
	ev->mode = s->mode;
	ev->flags = flags;
	ev->path_err = (__s32)(s->path_ok ? 0 : s->path_err);
	/* Without a resolved path (create, link, mprotect) the event carries
	 * the name. The exe follows the path's NUL. */
	plen = bpf_probe_read_kernel_str(ev->path, MG_PATH_MAX, s->path_ok ? s->path : s->name);
	if (plen < 1 || plen > MG_PATH_MAX) {
		ev->path[0] = 0;
		plen = 1;
	}
	exe = (char *)ev->path + plen;
	elen = s->exe_ok ? bpf_probe_read_kernel_str(exe, MG_PATH_MAX, s->exe) : 0;
	if (elen < 1 || elen > MG_PATH_MAX) {
		exe[0] = 0;
		elen = 1;
	}
	ev->path_len = (__u16)plen;
	ev->exe_len = (__u16)elen;
	size = MG_EVENT_HDR_SIZE + (__u64)plen + (__u64)elen;
	waiting = bpf_ringbuf_query(&mg_events, BPF_RB_AVAIL_DATA);
	if (verdict != MG_VERDICT_BLOCK &&
	    waiting + size > MG_EVENTS_RING - MG_EVENTS_BLOCK_RESERVE) {
		mg_count(MG_CTR_AUDIT_SHED);
		mg_count(MG_CTR_EVENTS_DROPPED);
		return 0;
	}
	/* a refusal is reported at once; audits wait for the tick */
	if (bpf_ringbuf_output(&mg_events, ev, size,
			       verdict == MG_VERDICT_BLOCK	? 0
			       : waiting >= MG_EVENTS_WAKE_AT ? BPF_RB_FORCE_WAKEUP
							      : BPF_RB_NO_WAKEUP))
		mg_count(MG_CTR_EVENTS_DROPPED);
	return verdict == MG_VERDICT_BLOCK;
}

static __always_inline struct mg_scratch *mg_scratch_get(void)
{
	struct mg_scratch *s;
	__u32 zero = 0;

	s = bpf_map_lookup_elem(&mg_scratch_cpu, &zero);
	if (s && __sync_lock_test_and_set(&s->busy, 1) == 0)
		return s;
	mg_count(MG_CTR_SCRATCH_FALLBACK);
	return bpf_task_storage_get(&mg_scratch_task, bpf_get_current_task_btf(), 0,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
}

/* 1 when current is in the initial mount namespace (MG_STATE_TRUST_MNTNS)
 * and the initial user namespace: only there does an excepted path or
 * executable name what the administrator meant. A task elsewhere (a
 * container, `unshare -Urm`) can mount its own file over it. */
static __always_inline __u32 mg_task_trusted(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 k = MG_STATE_TRUST_MNTNS, *v;

	v = bpf_map_lookup_elem(&mg_state, &k);
	if (!v || !*v)
		return 0;
	if (BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum) != *v)
		return 0;
	return BPF_CORE_READ(task, cred, user_ns, level) == 0;
}

/* Device and inode of current's executable: what executable exceptions
 * match (no path needed, so every hook can check them). */
static __always_inline void mg_exe_identity(struct mg_scratch *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);

	s->exe_ino_ok = 0;
	if (!exe)
		return;
	s->exe_ino = BPF_CORE_READ(exe, f_inode, i_ino);
	s->exe_dev = BPF_CORE_READ(exe, f_inode, i_sb, s_dev);
	s->exe_ino_ok = 1;
}

/* Resolves the executable of current into s->exe. */
static __always_inline long mg_exe_path(struct mg_scratch *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm;
	struct file *exe;

	if (!mg_cfg_exe_dpath)
		return -EOPNOTSUPP;
	mm = task->mm;
	if (!mm)
		return -EOPNOTSUPP;
	exe = mm->exe_file;
	if (!exe)
		return -EOPNOTSUPP;
	return bpf_d_path((struct path *)&exe->f_path, s->exe, sizeof(s->exe));
}

/* Resolves file's path into s->path (once). */
static __always_inline void mg_target_path(struct mg_scratch *s, struct file *file)
{
	long ret;

	if (s->path_ok || s->path_err)
		return;
	ret = bpf_d_path((struct path *)&file->f_path, s->path, sizeof(s->path));
	if (ret > 0 && ret <= MG_PATH_MAX) {
		s->path_ok = 1;
		s->path_len = ret - 1;
	} else {
		s->path_err = ret < 0 ? ret : -EOPNOTSUPP;
		mg_count(MG_CTR_PATH_ERR);
	}
}

/* Is the sb type name "tmpfs" (and not "rootfs", the initramfs, which is
 * tmpfs too)? Only read when the tmpfs option is on and the magic says so. */
static __always_inline int mg_is_tmpfs_mount(struct inode *inode)
{
	char fsname[8] = {};
	const char *name = BPF_CORE_READ(inode, i_sb, s_type, name);

	if (bpf_probe_read_kernel_str(fsname, sizeof(fsname), name) != 6)
		return 0;
	return fsname[0] == 't' && fsname[1] == 'm' && fsname[2] == 'p' && fsname[3] == 'f' &&
	       fsname[4] == 's';
}

/*
 * hook: enum mg_hook.
 * file: the file whose path bpf_d_path resolves (NULL: no path).
 * dentry: whose name is matched.
 * inode: the file's inode for the per-inode mark and the memfd/tmpfs
 *       options (NULL when the access names no existing file).
 * dpath: compile-time constant: bpf_d_path is allowed at this hook (the
 *       sleepable LSM hooks; security_file_open for fmod_ret).
 * mark_only: compile-time constant: only remember a match on inode (rename
 *       away from a miner name): no verdict, no event.
 * backend: compile-time constant, enum mg_backend: which mark store.
 * Returns 0 or -EPERM.
 */
static __always_inline int mg_decide_in(struct mg_scratch *s, __u32 hook, struct file *file,
					struct dentry *dentry, struct inode *inode,
					const int dpath, const int mark_only, const int backend)
{
	__u32 k_mode = MG_STATE_MODE, k_gen = MG_STATE_GEN, zero = 0;
	__u32 *modep, *genp, gen, name_len, magic;
	struct mg_inode_mark *mark;
	struct mg_meta *meta;
	void *meta_map;
	long ret;

	s->nomatch = 0;
	mg_count_hook(hook, MG_HCTR_SEEN);

	modep = bpf_map_lookup_elem(&mg_state, &k_mode);
	genp = bpf_map_lookup_elem(&mg_state, &k_gen);
	if (!modep || !genp)
		return 0;
	gen = *genp & 1;
	meta_map = bpf_map_lookup_elem(&mg_meta_outer, &gen);
	meta = meta_map ? bpf_map_lookup_elem(meta_map, &zero) : NULL;
	if (!meta || !bpf_map_lookup_elem(&mg_sigs_outer, &gen) ||
	    !bpf_map_lookup_elem(&mg_rules_outer, &gen)) {
		mg_count(MG_CTR_NO_POLICY);
		return 0;
	}
	s->hook = hook;
	s->gen = gen;
	s->mode = *modep;
	s->ncand = 0;
	s->ndefer = 0;
	s->stop = 0;
	s->sure_audit = 0;
	s->overflow = 0;
	s->exc_need = 0;
	s->path_ok = 0;
	s->exe_ok = 0;
	s->unchecked = 0;
	s->exe_ino_ok = 0;
	s->excepted = 0;
	s->best_block = MG_NONE;
	s->best_audit = MG_NONE;
	s->spill.rule = 0;
	s->path_len = 0;
	s->exe_len = 0;
	s->name_off = 0;
	s->mark_idx = MG_NONE;
	s->is_memfd = 0;
	s->opt_memfd = 0;
	s->opt_tmpfs = 0;
	s->path_hashed = 0;
	s->ev_flags = 0;
	s->path_err = file ? 0 : -EOPNOTSUPP;
	s->name_err = 0;
	/* what a cached answer depends on: a property of the policy, the same
	 * for every hook, so the hooks of one file share one entry */
	s->deps = (meta->flags & (MG_META_NEED_PATH | MG_META_DIRNAMES)) ? MG_DEP_PATH : 0;
	if (backend == MG_BACKEND_LSM && (meta->flags & MG_META_SHA256))
		s->deps |= MG_DEP_DIGEST;
	s->digest_clean = 0;
	s->digest_ok = 0;
	s->digest_judged = 0;

	/* 1. Name kinds: only the dentry name, no path needed. */
	name_len = BPF_CORE_READ(dentry, d_name.len);
	if (name_len > MG_NAME_MAX)
		name_len = MG_NAME_MAX;
	s->name[0] = 0;
	if (bpf_probe_read_kernel_str(s->name, sizeof(s->name), BPF_CORE_READ(dentry, d_name.name)) <
	    0) {
		name_len = 0;
		s->name_err = 1;
		mg_count(MG_CTR_NAME_ERR);
	}
	s->name_len = name_len;
	/* A memfd is an unlinked shmem (or hugetlbfs) inode named
	 * "memfd:NAME"; the name it was given is what signatures judge. Cheap
	 * tests first: the option, the first byte, then the inode. */
	if (inode && name_len >= MG_MEMFD_PREFIX_LEN && s->name[0] == 'm' &&
	    ((meta->flags & MG_META_MEMFD_NAMES) || meta->memfd_rule) && s->name[1] == 'e' &&
	    s->name[2] == 'm' && s->name[3] == 'f' && s->name[4] == 'd' && s->name[5] == ':') {
		magic = (__u32)BPF_CORE_READ(inode, i_sb, s_magic);
		if ((magic == TMPFS_MAGIC || magic == HUGETLBFS_MAGIC) &&
		    BPF_CORE_READ(inode, i_nlink) == 0) {
			s->is_memfd = 1;
			s->ev_flags |= MG_EV_MEMFD;
			if (meta->flags & MG_META_MEMFD_NAMES) {
				s->name_off = MG_MEMFD_PREFIX_LEN;
				s->name_len = name_len - MG_MEMFD_PREFIX_LEN;
			}
		}
	}
	/* Options: exec of any memfd, exec from a tmpfs mount. */
	if (hook == MG_HOOK_EXEC && inode && !mark_only) {
		s->opt_memfd = s->is_memfd;
		if (meta->tmpfs_rule && !s->is_memfd &&
		    (__u32)BPF_CORE_READ(inode, i_sb, s_magic) == TMPFS_MAGIC &&
		    mg_is_tmpfs_mount(inode))
			s->opt_tmpfs = 1;
	}
	mg_g_names(s);

	/* 2. The target path: for path kinds (when one could match), exceptions
	 * and the event. */
	if (dpath && file &&
	    (s->ncand || ((meta->flags & MG_META_NEED_PATH) && mg_path_maybe(s, file, meta))))
		mg_target_path(s, file);
	mg_g_paths(s);

	/* 3. The inode's mark: the signature it was matched by before. */
	if (inode && !mark_only) {
		mark = mg_mark_get(inode, backend, 0);
		if (mark && mark->kind) {
			s->mark_kind = mark->kind;
			s->mark_len = mark->len;
			s->mark_hash = mark->hash;
			/* the path was not resolved for names only: do it now */
			if (dpath && file)
				mg_target_path(s, file);
			mg_g_mark(s);
		}
	}
	/* 3b. The file's digest (lsm: exec and executable mmap). */
	if (backend == MG_BACKEND_LSM && dpath && file && inode && !mark_only &&
	    (hook == MG_HOOK_EXEC || hook == MG_HOOK_MMAP) && (meta->flags & MG_META_SHA256)) {
		s->digest_judged = 1;
		mg_digest_judge(s, file, inode);
		if (s->ncand)
			mg_target_path(s, file);
	}
	if (!s->ncand) {
		/* an unknown digest is not "nothing matched" */
		s->nomatch = !mark_only && (!s->digest_judged || s->digest_clean);
		return 0;
	}

	/* 4. Exceptions and the choice; the executable only now. */
	s->exc_trusted = s->exc_need ? mg_task_trusted() : 1;
	if (s->exc_need & (1u << MG_KIND_EXC_EXE))
		mg_exe_identity(s);
	if (dpath) {
		ret = mg_exe_path(s);
		if (ret > 0 && ret <= MG_PATH_MAX) {
			s->exe_ok = 1;
			s->exe_len = ret - 1;
		} else {
			s->exe[0] = 0;
			mg_count(MG_CTR_EXE_ERR);
		}
	} else {
		s->exe[0] = 0; /* bpf_d_path is not allowed at this hook */
	}
	if (!mg_g_judge(s)) {
		if (s->excepted && !mark_only)
			mg_count_hook(hook, MG_HCTR_EXCEPTED);
		return 0;
	}

	/* 5. Remember what this file was matched by (signature kinds only). A
	 * content mark (set by the daemon's scanner) is kept: it says what the
	 * file is, which no name can change. */
	if (inode && ((s->chosen.kind >= MG_KIND_NAME && s->chosen.kind <= MG_KIND_DIR) ||
		      s->chosen.kind == MG_KIND_DIRNAME) &&
	    !(s->ev_flags & MG_EV_INODE_MARK)) {
		__u32 ckind = s->chosen.kind, clen = s->chosen.len;
		__u64 chash = s->chosen.hash;

		mark = mg_mark_get(inode, backend, 1);
		if (mark && mark->kind != MG_KIND_CONTENT && mark->kind != MG_KIND_SHA256 &&
		    (mark->kind != ckind || mark->len != clen || mark->hash != chash)) {
			mark->kind = ckind;
			mark->len = clen;
			mark->hash = chash;
			mg_count(MG_CTR_MARK_SET);
			mg_vcache_void();
		}
	}
	if (mark_only)
		return 0;
	s->ino = inode ? BPF_CORE_READ(inode, i_ino) : 0;
	s->dev = BPF_CORE_READ(dentry, d_sb, s_dev);
	return mg_g_verdict(s) ? -EPERM : 0;
}

/* mg_decide_in behind the verdict cache, with a work area released on
 * every way out. kf: the file whose verdict may be cached (NULL: none). */
static __always_inline int mg_decide(__u32 hook, struct file *file, struct dentry *dentry,
				     struct inode *inode, struct file *kf, const int dpath,
				     const int mark_only, const int backend)
{
	struct mg_scratch *s;
	__u32 vmode = MG_VCACHE_OFF;
	int rc, hit = 0;

	if (kf && inode && !mark_only && ((1u << hook) & MG_VCACHE_HOOKS))
		vmode = mg_state_get(MG_STATE_VCACHE);
	if (!(vmode & MG_VCACHE_OFF)) {
		hit = backend == MG_BACKEND_LSM ? mg_vcache_hit_lsm(kf, dentry, inode, hook, vmode)
						: mg_vcache_hit_fr(kf, dentry, inode, hook, vmode);
		if (hit) {
			mg_count(MG_CTR_VCACHE_HIT);
			if (!(vmode & MG_VCACHE_VERIFY)) {
				mg_count_hook(hook, MG_HCTR_SEEN);
				return 0;
			}
		}
	}
	s = mg_scratch_get();
	if (!s) {
		mg_count(MG_CTR_NO_SCRATCH);
		return 0;
	}
	/* the versions before the decision (in the scratch: the stack is full) */
	if (!hit && !(vmode & MG_VCACHE_OFF))
		mg_vkey_read(&s->vpre, kf, dentry);
	rc = mg_decide_in(s, hook, file, dentry, inode, dpath, mark_only, backend);
	if (hit && !s->nomatch)
		mg_count(MG_CTR_VCACHE_MISMATCH);
	else if (!hit && !(vmode & MG_VCACHE_OFF) && s->nomatch && !s->name_err)
	{
		if (backend == MG_BACKEND_LSM)
			mg_vcache_store_lsm(&s->vpre, kf, dentry, inode, hook, s->deps);
		else
			mg_vcache_store_fr(&s->vpre, kf, dentry, inode, hook, s->deps);
	}
	s->busy = 0;
	return rc;
}

/* The self-test of src/kernel/selftest.c: 1 when this open is the probe of
 * the daemon that loaded this very program (mg_cfg_nonce), so that an
 * attach which succeeds but never runs, or refusals that do not take
 * effect, are caught at start and while running. Costs one array lookup
 * on other opens. */
static __always_inline int mg_selftest_hit(struct inode *inode)
{
	__u32 k = MG_STATE_SELFTEST_TGID, *v;

	v = bpf_map_lookup_elem(&mg_state, &k);
	if (!v || !*v || *v != (__u32)(bpf_get_current_pid_tgid() >> 32))
		return 0;
	k = MG_STATE_SELFTEST_NONCE;
	v = bpf_map_lookup_elem(&mg_state, &k);
	if (!v || *v != mg_cfg_nonce)
		return 0;
	k = MG_STATE_SELFTEST_INO;
	v = bpf_map_lookup_elem(&mg_state, &k);
	if (!v || !inode || *v != (__u32)BPF_CORE_READ(inode, i_ino))
		return 0;
	mg_count(MG_CTR_SELFTEST);
	return 1;
}

#endif
