/* SPDX-License-Identifier: GPL-2.0 */
/* Maps and the decision's work area, shared by every backend. */
#ifndef MG_MAPS_BPF_H
#define MG_MAPS_BPF_H

/* ---- maps ------------------------------------------------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MG_STATE_COUNT);
	__type(key, __u32);
	__type(value, __u32);
} mg_state SEC(".maps");

struct mg_sigs_inner {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1); /* real inner maps are sized by the loader */
	__type(key, struct mg_sig_key);
	__type(value, struct mg_sig_val);
};

struct mg_rules_inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MG_MAX_RULES);
	__type(key, __u32);
	__type(value, struct mg_rule);
};

struct mg_meta_inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mg_meta);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct mg_sigs_inner);
} mg_sigs_outer SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct mg_rules_inner);
} mg_rules_outer SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct mg_meta_inner);
} mg_meta_outer SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, MG_EVENTS_RING);
} mg_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MG_CTR_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} mg_counters SEC(".maps");

/* One candidate: a rule that a signature of this access selected. */
struct mg_cand {
	__u32 rule;
	__u32 kind;
	__u32 len;
	__u16 has_exc;  /* 1 << MG_KIND_EXC_*: bit 8 needs 16 bits */
	__u8 action;
	__u8 excepted;
	__u64 hash;
};

#define MG_NONE 0xffffffffu

/* Work area of one decision: too big for the 512-byte stack. Normally the
 * CPU's own (taken with an atomic exchange of busy); a program may be
 * preempted on its CPU, so a decision that finds that one busy uses its
 * task's (task storage, created on first use: far dearer, hence second). */
struct mg_scratch {
	__u32 busy;       /* per-CPU copy in use (meaningless in task storage) */
	char name[MG_NAME_MAX + 1];
	char path[MG_PATH_MAX];
	char exe[MG_PATH_MAX];
	struct mg_cand cand[MG_MAX_CANDIDATES];  /* in decision order */
	struct mg_cand defer[MG_MAX_CANDIDATES]; /* PREFIX/DIR hits waiting for NAME/PATH */
	__u64 h;          /* running hash of the current walk */
	__u64 ch;         /* folded hash of the current path component */
	__u32 clen;       /* its length */
	__u64 path_hash;
	__u32 name_len;
	__u32 path_len;
	__u32 exe_len;
	__u32 ncand;
	__u32 ndefer;
	__u32 stop;       /* a BLOCK rule without exceptions: later ones cannot win */
	__u32 sure_audit; /* an AUDIT rule without exceptions: later AUDITs cannot win */
	__u32 overflow;
	__u32 exc_need;   /* union of has_exc over candidates */
	__u32 path_ok;
	__u32 exe_ok;
	__u32 unchecked;  /* an exception kind could not be evaluated */
	__u32 exc_trusted; /* the task is in the initial mount and user namespaces */
	__u32 exe_ino_ok; /* exe_dev/exe_ino hold current's executable */
	__u32 exe_dev;
	__u64 exe_ino;
	__u32 excepted;   /* some candidate was excepted */
	__u32 best_block;
	__u32 best_audit;
	struct mg_cand spill; /* first BLOCK candidate that did not fit (rule 0: none) */
	__u32 name_off;   /* 6 when a memfd's "memfd:" prefix is skipped */
	__u32 mark_idx;   /* candidate that came from the inode mark, or MG_NONE */
	/* Per-access facts kept here, not in registers: the verifier does not
	 * track map values, so branches on them do not multiply its states. */
	__u32 is_memfd;
	__u32 path_hashed;
	__u32 ev_flags;   /* MG_EV_* found along the way */
	__u32 opt_memfd;  /* exec of a memfd: the memfd_exec option applies */
	__u32 opt_tmpfs;  /* exec from a tmpfs mount: the tmpfs_exec option applies */
	__u32 hook;       /* the access being decided, for the global functions */
	__u32 nomatch;    /* decided, and nothing matched: the answer the cache keeps */
	__u32 name_err;   /* the name could not be read */
	__u32 deps;    /* MG_DEP_*: what the cached answer depends on beyond the name */
	__u32 digest_ok;  /* s->digest holds the file's SHA-256 */
	__u32 digest_clean; /* the digest is known and matched nothing */
	__u32 digest_judged; /* this access's digest was looked at (exec, mmap) */
	__u8 digest[32];
	__u32 gen;
	__u32 mode;
	__u32 mark_kind;  /* the inode's mark, when it has one */
	__u32 mark_len;
	__u32 dev;        /* of the target, for the event */
	__u64 mark_hash;
	__u64 ino;
	__s64 path_err;
	struct mg_cand chosen; /* the candidate that decides */
	/* The path prefilter's walk (prefilter.bpf.h). */
	__u64 pf_dentry;
	__u64 pf_vfsmnt;
	__u64 pf_mnt_root;
	__u64 pf_root_dentry;
	__u64 pf_root_mnt;
	__u32 pf_mnt_off;
	__u32 pf_first;
	__u32 pf_hit;
	__u32 pf_done;
	struct mg_vcache vpre; /* the cache's versions read before the decision */
	struct mg_event ev;    /* the record, built here, sent as long as it is */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct mg_scratch);
} mg_scratch_task SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mg_scratch);
} mg_scratch_cpu SEC(".maps");

/* What each file was matched by, for as long as its inode lives: inode
 * storage on the lsm backend, a map keyed by (dev, ino) on fmodret (inode
 * storage needs bpf active as an LSM: its blob is not reserved otherwise).
 * The loader creates only the one its backend uses. */
struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct mg_inode_mark);
} mg_marks SEC(".maps");

/* Ids of our maps, programs and links (MG_PROTECT_KEY), filled by the
 * loader; what protect.bpf.h guards. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u32);
} mg_protected SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MG_MARKS_KEYED_MAX);
	__type(key, struct mg_mark_key);
	__type(value, struct mg_inode_mark);
} mg_marks_keyed SEC(".maps");

/* The verdict cache (vcache.bpf.h), per backend like the marks: inode
 * storage, or an LRU map keyed by (dev, ino) whose entries also go when
 * the kernel frees the inode. */
struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct mg_vcache);
} mg_vcache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MG_VCACHE_KEYED_MAX);
	__type(key, struct mg_mark_key);
	__type(value, struct mg_vcache);
} mg_vcache_keyed SEC(".maps");

#define MG_DEP_PATH 1u   /* the policy judges paths */
#define MG_DEP_DIGEST 2u /* exec/mmap: the policy judges digests (lsm backend) */

/* One value of the global state array (0 when unreadable). */
static __always_inline __u32 mg_state_get(__u32 idx)
{
	__u32 *v = bpf_map_lookup_elem(&mg_state, &idx);

	return v ? *v : 0;
}

/* Callback context (on the stack): only pointers and values fixed for the
 * whole walk. Everything that changes lives in *s. */
struct mg_walk {
	struct mg_scratch *s;
	void *sigs;
	void *rules;
	struct mg_meta *meta;
};

#endif
