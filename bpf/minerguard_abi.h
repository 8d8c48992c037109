/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * minerguard kernel/user ABI: everything both bpf/minerguard.bpf.c and src/
 * must agree on. Included by the BPF program (after vmlinux.h) and by
 * userspace (after <stdint.h>). Change MG_ABI_VERSION when a layout changes,
 * so a daemon never adopts pinned maps of an incompatible build.
 *
 * Design in one paragraph: every signature (name, prefix, suffix, path,
 * directory) and every exception is one entry of a single hash map keyed by
 * (kind, rule, length, FNV-1a-64 of the bytes). The kernel hashes the file
 * name once forward (names, prefixes) and once backwards (suffixes), and the
 * path once (paths, directories), probing only the lengths the policy uses
 * (bitmaps in struct mg_meta). No loop ever runs over signatures. A policy
 * generation is three inner maps (signatures, rules, meta) held in
 * array-of-maps slots 0/1; a reload fills the idle slot and flips
 * MG_STATE_GEN, so each access is judged by exactly one policy.
 */
#ifndef MINERGUARD_ABI_H
#define MINERGUARD_ABI_H

#ifndef __VMLINUX_H__
/* The kernel's own typedefs, so libbpf's headers (which include them too)
 * can be used in the same translation unit. */
#include <linux/types.h>
#endif

#define MG_ABI_VERSION 7 /* 2: mg_meta options, inode marks, kinds MEMFD/TMPFS; 3: mg_meta.lead;
			  * 4: kinds DIRNAME/CONTENT/SHA256, backends; 5: TRUST_MNTNS, self-protection;
			  * 6: EXC_EXE_INO; 7: verdict cache */

#define MG_NAME_MAX 255      /* a file name (NAME_MAX) */
#define MG_PATH_MAX 4096     /* a path including its NUL (PATH_MAX) */
#define MG_COMM_LEN 16
#define MG_MAX_RULES 4096    /* rule index 0 means "no rule" */
#define MG_DIR_LEN_BITS 4096 /* directory-prefix lengths 1..4095 */
#define MG_LEAD_BITS 65536   /* mg_meta.lead: one bit per two leading bytes */

#define MG_PIN_DIR "/sys/fs/bpf/minerguard"

/* Kernel hook points. A rule's DSL hooks expand to these (src/image.c). */
enum mg_hook {
	MG_HOOK_OPEN = 0,     /* lsm.s/file_open */
	MG_HOOK_EXEC = 1,     /* lsm.s/bprm_check_security, on bprm->file */
	MG_HOOK_CREATE = 2,   /* lsm.s/inode_create: O_CREAT under a miner name */
	MG_HOOK_MMAP = 3,     /* lsm.s/mmap_file with PROT_EXEC */
	MG_HOOK_MPROTECT = 4, /* lsm/file_mprotect adding PROT_EXEC */
	MG_HOOK_LINK = 5,     /* hard link / rename / symlink under a miner name */
	/* The file itself when it is renamed (remembered: marked) or hard-linked
	 * (refused): set by open AND exec rules, so `mv`/`ln` of a file an
	 * exec-only rule matches neither escapes nor launders it. */
	MG_HOOK_LINK_SOURCE = 6,
	MG_HOOK_RESERVED7 = 7,
	MG_HOOK_COUNT = 8,
};

/* Map-key kinds. Signatures use rule 0 in the key; exceptions carry it. */
enum mg_kind {
	MG_KIND_NONE = 0,
	MG_KIND_NAME = 1,    /* exact basename, ASCII case-folded */
	MG_KIND_PREFIX = 2,  /* basename prefix, case-folded */
	MG_KIND_SUFFIX = 3,  /* basename suffix, case-folded, hashed reversed */
	MG_KIND_PATH = 4,    /* exact full path, case-sensitive */
	MG_KIND_DIR = 5,     /* directory prefix, stored with trailing '/' */
	MG_KIND_EXC_PATH = 6, /* exception: exact target path (per rule) */
	MG_KIND_EXC_DIR = 7,  /* exception: target under directory (per rule) */
	MG_KIND_EXC_EXE = 8,  /* exception: accessing executable path (per rule) */
	/* Not map keys: signature kinds of decisions made by a policy option. */
	MG_KIND_MEMFD = 9,    /* options.memfd_exec = "deny": exec of a memfd */
	MG_KIND_TMPFS = 10,   /* options.tmpfs_exec = "deny": exec from tmpfs */
	/* Content identity (ABI 4). */
	MG_KIND_DIRNAME = 11, /* a directory component anywhere in the path, case-folded */
	MG_KIND_CONTENT = 12, /* content signature: key {CONTENT, 0, 0, fnv(rule name)};
			       * set on an inode by the userspace scanner (a mark) */
	MG_KIND_SHA256 = 13,  /* file digest: key {SHA256, 0, 32, fnv(32 digest bytes)} */
	/* exception: the accessing executable by identity: key {EXC_EXE_INO,
	 * rule, kernel dev, inode}, written by the loader from the EXC_EXE
	 * paths it resolves (src/kernel/exe_ids.c). The kernel matches
	 * executables only so: a copy, or another file mounted over the path,
	 * is not the excepted binary. */
	MG_KIND_EXC_EXE_INO = 14,
	/* Not a map key: the kernel could not take the file's digest (a
	 * decision of the option digest_unknown, rule "option.digest_unknown"). */
	MG_KIND_DIGEST_UNKNOWN = 15,
	MG_KIND_COUNT = 16,
};

enum mg_action {
	MG_ACTION_AUDIT = 1,
	MG_ACTION_BLOCK = 2,
};

enum mg_mode {
	MG_MODE_ENFORCE = 0,
	MG_MODE_AUDIT = 1,
};

/* Verdict recorded in an event. */
enum mg_verdict {
	MG_VERDICT_AUDIT = 1, /* allowed and reported */
	MG_VERDICT_BLOCK = 2, /* refused with -EPERM */
};

/* Event flags */
#define MG_EV_WOULD_BLOCK (1u << 0)  /* block rule, but global mode is audit */
#define MG_EV_PATH_ERR (1u << 1)     /* target path could not be resolved */
#define MG_EV_EXE_ERR (1u << 2)      /* executable path could not be resolved */
#define MG_EV_EXC_UNCHECKED (1u << 3) /* exceptions could not be checked: fail closed */
#define MG_EV_INODE_MARK (1u << 4)  /* matched by the inode's remembered signature */
#define MG_EV_MEMFD (1u << 5)       /* the target is a memfd (name "memfd:NAME") */
#define MG_EV_EXC_FOREIGN_NS (1u << 6) /* exceptions not honoured: task outside the initial mount/user namespace */
/* Not a decision: a refused attempt on minerguard itself. hook holds enum
 * mg_tamper_what, rule the object's id (maps, programs, links), path the
 * pin's name (unlink, rename). */
#define MG_EV_TAMPER (1u << 7)

enum mg_tamper_what {
	MG_TAMPER_MAP = 1,    /* an fd for one of our maps (bpftool map ..., BPF_OBJ_GET) */
	MG_TAMPER_PROG = 2,   /* an fd for one of our programs (freplace of our functions) */
	MG_TAMPER_LINK = 3,   /* an fd for one of our links by id */
	MG_TAMPER_UNLINK = 4, /* unlink in the pin directory */
	MG_TAMPER_RENAME = 5, /* rename in or of the pin directory */
};

/* In mg_rule.has_exc (and a candidate's 16-bit copy): the rule's exceptions
 * hold in every namespace (except.any_namespace), not only in the initial
 * mount and user namespaces. */
#define MG_EXC_ANY_NS (1u << 15)

/* Keys of mg_protected: object kind in the high half, its id in the low. */
#define MG_PROTECT_KEY(what, id) (((__u64)(what) << 32) | (__u32)(id))

/* Indexes of the global state array (one u32 each, updated independently). */
enum mg_state_idx {
	MG_STATE_MODE = 0,  /* enum mg_mode */
	MG_STATE_GEN = 1,   /* active slot of the *_outer maps: 0 or 1 */
	MG_STATE_ABI = 2,   /* MG_ABI_VERSION of the build that created the maps */
	MG_STATE_BACKEND = 3, /* enum mg_backend whose programs use these maps */
	/* Self-test (src/kernel/selftest.c): while SELFTEST_TGID is set, the
	 * file_open program of the instance whose mg_cfg_nonce equals
	 * SELFTEST_NONCE refuses that process's open of inode SELFTEST_INO. */
	MG_STATE_SELFTEST_TGID = 4,
	MG_STATE_SELFTEST_INO = 5,  /* low 32 bits of the inode number */
	MG_STATE_SELFTEST_NONCE = 6,
	/* Inode number of the initial mount namespace (/proc/1/ns/mnt, written
	 * by the loader): path, directory and executable exceptions are
	 * honoured only for tasks in it and in the initial user namespace, where
	 * nobody but root can mount over an excepted path. 0: nobody. */
	MG_STATE_TRUST_MNTNS = 7,
	/* Self-protection (bpf/protect.bpf.h): while PROTECT is 1, only the
	 * daemon (DAEMON_TGID) or the administrator path (the binary at
	 * ADMIN_DEV/ADMIN_INO run by root in the initial user and pid
	 * namespaces) may open minerguard's maps and programs or unlink and
	 * rename in its pin directory (PIN_DIR_INO on the bpf filesystem). */
	MG_STATE_PROTECT = 8,
	MG_STATE_DAEMON_TGID = 9,
	MG_STATE_ADMIN_DEV = 10, /* kernel encoding (MKDEV) */
	MG_STATE_ADMIN_INO = 11, /* low 32 bits */
	MG_STATE_PIN_DIR_INO = 12,
	/* Verdict cache (bpf/vcache.bpf.h). CACHE_SEQ is bumped by the
	 * programs (a hard link made, a mark set), POLICY_SEQ by the daemon (a
	 * policy installed or repaired, a content mark written): two slots, so
	 * neither side's read-modify-write can lose the other's bump. A cached
	 * verdict holds both and is void once either moved. */
	MG_STATE_CACHE_SEQ = 13,
	MG_STATE_POLICY_SEQ = 14,
	MG_STATE_VCACHE = 15, /* MG_VCACHE_*: on (0), off, verify */
	/* Test knob (MINERGUARD_DEBUG=digest-fail:PATH): the kernel digest of
	 * the file with this inode number (low 32 bits; 0: none) fails, so the
	 * failure path can be shown where no real failure can be produced
	 * (the test VM has no file system with O_DIRECT). */
	MG_STATE_DIGEST_DEBUG = 16,
	MG_STATE_COUNT = 24,
};

/* MG_STATE_VCACHE. VERIFY: every hit is also decided in full and a
 * disagreement counted (MG_CTR_VCACHE_MISMATCH), the full decision
 * applying; a debug knob for the differential test. IGNORE_KEYS (test
 * only, with VERIFY): hits ignore the name and path keys, to show that the
 * differential test sees a stale cache. */
#define MG_VCACHE_OFF (1u << 0)
#define MG_VCACHE_VERIFY (1u << 1)
#define MG_VCACHE_IGNORE_KEYS (1u << 2)

/* In-kernel backends: the same decision behind different hook points. */
enum mg_backend {
	MG_BACKEND_AUTO = 0,    /* selection only: lsm if it fires, else fmodret */
	MG_BACKEND_LSM = 1,     /* BPF LSM programs (bpf in the active LSM list) */
	MG_BACKEND_FMODRET = 2, /* fmod_ret on security_* (any LSM list) */
};

/* Per-CPU counters. Per-hook blocks: MG_CTR_HOOK_BASE + hook * MG_CTR_PER_HOOK + n */
enum mg_counter {
	MG_CTR_EVENTS_DROPPED = 0, /* ring buffer full: verdict still applied */
	MG_CTR_PATH_ERR = 1,       /* bpf_d_path failed on the target */
	MG_CTR_EXE_ERR = 2,        /* bpf_d_path failed on the executable */
	MG_CTR_NO_POLICY = 3,      /* hook ran before a policy was installed */
	MG_CTR_SCRATCH_FALLBACK = 4, /* per-CPU scratch busy (a preempted decision): task storage used */
	MG_CTR_MARK_SET = 5,       /* an inode was marked with a matched signature */
	MG_CTR_MARK_HIT = 6,       /* a decision was made by an inode mark */
	MG_CTR_NAME_ERR = 7,       /* the dentry name could not be read */
	MG_CTR_NO_SCRATCH = 8,     /* no work area at all: the access was not judged */
	MG_CTR_SELFTEST = 9,       /* self-test opens refused */
	MG_CTR_MARK_FULL = 10,     /* keyed mark store full: a mark could not be kept */
	MG_CTR_TAMPER = 11,        /* attempts on minerguard's own objects refused */
	MG_CTR_VCACHE_HIT = 12,    /* accesses answered by the verdict cache */
	MG_CTR_VCACHE_STORE = 13,  /* "nothing matched" verdicts cached */
	MG_CTR_VCACHE_MISMATCH = 14, /* VERIFY: a hit the full decision contradicted */
	MG_CTR_AUDIT_SHED = 15,    /* audit records not sent: the ring's block reserve */
	MG_CTR_DIGESTS = 16,       /* file digests taken in the kernel (bpf_ima_file_hash) */
	MG_CTR_DIGEST_FAIL = 17,   /* digests that could not be taken: unknown, never clean */
	MG_CTR_HOOK_BASE = 24,
	MG_CTR_PER_HOOK = 4,       /* seen, matched-audit, matched-block, excepted */
	MG_CTR_COUNT = MG_CTR_HOOK_BASE + MG_HOOK_COUNT * MG_CTR_PER_HOOK,
};
enum mg_hook_counter {
	MG_HCTR_SEEN = 0,
	MG_HCTR_AUDIT = 1,
	MG_HCTR_BLOCK = 2,
	MG_HCTR_EXCEPTED = 3,
};

/* Key of the signature/exception hash map (inner map of mg_sigs_outer). */
struct mg_sig_key {
	__u32 kind; /* enum mg_kind */
	__u32 rule; /* 0 for signatures, rule index for exceptions */
	__u32 len;  /* byte length of the hashed string */
	__u32 pad;  /* always 0 */
	__u64 hash; /* mg_fnv over the (folded, or reversed) bytes */
};

/* Value: for each hook, the rule index that applies (0 = none). For
 * exceptions only rule[0] is used, as a "present" marker (= the rule). */
struct mg_sig_val {
	__u32 rule[MG_HOOK_COUNT];
};

/* Rule table entry (inner array of mg_rules_outer, indexed by rule index). */
struct mg_rule {
	__u32 action;    /* enum mg_action */
	__u32 hooks;     /* bitmask of 1 << enum mg_hook */
	__u32 has_exc;   /* bitmask of 1 << MG_KIND_EXC_* the rule uses, and MG_EXC_ANY_NS */
	__u32 pad;
};

/* Per-policy facts the kernel needs to probe only what exists. */
#define MG_META_NEED_PATH (1u << 0) /* policy has path or directory signatures */
#define MG_META_MEMFD_NAMES (1u << 1) /* a memfd "memfd:NAME" is matched as NAME */
#define MG_META_DIRNAMES (1u << 2)    /* policy has dir_names (needs the path too) */
/* The path prefilter (bpf/prefilter.bpf.h): an allowed file's path is
 * resolved only when it could match. */
#define MG_META_HAS_PATHS (1u << 3)   /* exact paths: their base names' leads in path_lead */
#define MG_META_HAS_DIRS (1u << 4)    /* dirs and dir_names: components' leads in dir_lead */
#define MG_META_PF_OFF (1u << 5)      /* a signature no lead can filter (dir "/"): always resolve */
#define MG_META_SHA256 (1u << 6)      /* sha256 signatures: exec and mmap take the file's digest */
struct mg_meta {
	__u32 flags;
	__u32 nrules;
	__u64 prefix_lens[4];  /* bit L: some name prefix has length L (1..255) */
	__u64 suffix_lens[4];  /* bit L: some name suffix has length L */
	__u64 dir_lens[MG_DIR_LEN_BITS / 64]; /* bit L: some dir prefix (with '/') has length L */
	/* Policy options (DSL options { ... }): rule index applied to every
	 * exec of a memfd / of a file on a tmpfs mount; 0 = option off. */
	__u32 memfd_rule;
	__u32 tmpfs_rule;
	__u32 digest_unknown_rule; /* options.digest_unknown: rule of an access whose digest failed */
	__u32 pad;
	/* bit mg_lead(a, b): some name or prefix starts with the folded bytes
	 * a, b (b = 0: a one-byte name; a one-byte prefix sets all of a's
	 * bits). A file name whose lead is not set cannot match a name or a
	 * prefix, so the kernel does not walk it for them: most files. */
	__u64 lead[MG_LEAD_BITS / 64];
	/* Path prefilter, same bit layout as lead: path_lead holds the base
	 * names of exact paths; dir_lead the last component of each directory
	 * signature and each dir_name. A path can match only if the file's
	 * name, or the name of a directory on its path, starts so. */
	__u64 path_lead[MG_LEAD_BITS / 64];
	__u64 dir_lead[MG_LEAD_BITS / 64];
};

/* Per-inode memory (BPF_MAP_TYPE_INODE_STORAGE, lives as long as the
 * inode): the signature this file was last matched by. A file seen under a
 * miner name stays known after a rename or under another hard link. The
 * signature is looked up again in the active policy at each use, so a
 * reload that drops it also forgets the file. */
struct mg_inode_mark {
	__u32 kind; /* enum mg_kind, 0 = none */
	__u32 len;
	__u64 hash;
};

/* Key of the keyed mark store (backend fmodret, where inode storage is not
 * offered to the programs): the inode's superblock device (kernel dev_t,
 * MAJOR << 20 | MINOR) and number. Entries are removed when the kernel
 * frees the inode (fentry on security_inode_free), like inode storage. */
struct mg_mark_key {
	__u32 dev;
	__u32 pad;
	__u64 ino;
};
#define MG_MARKS_KEYED_MAX 65536
#define MG_VCACHE_KEYED_MAX 65536

/* Verdict cache entry (bpf/vcache.bpf.h): for which hooks nothing matched
 * this inode, and everything that answer depended on. Inode storage on the
 * lsm backend, an LRU map keyed like the marks on fmodret. */
struct mg_vcache {
	__u32 cache_seq;  /* MG_STATE_CACHE_SEQ */
	__u32 policy_seq; /* MG_STATE_POLICY_SEQ */
	__u64 dentry;     /* the name judged (the inode had no other: i_nlink 1) */
	__u32 dseq;       /* its d_seq: a rename of the file moves it */
	__u32 hooks;      /* 1 << enum mg_hook: decided, nothing matched */
	__u32 deps;       /* MG_DEP_* of the policy: what else the answer depends on */
	/* Only with MG_DEP_PATH: what bpf_d_path's answer depends on.
	 * rename_lock and mount_lock are the seqlocks the kernel's own d_path
	 * validates against; any rename or mount change moves them. */
	__u32 rename_seq;
	__u32 mount_seq;
	__u32 wseq;       /* odd while a program rewrites the entry */
	/* The file's digest was taken and matched no sha256 signature: valid
	 * while the policy (d_policy_seq) and the content are the same: size
	 * and ctime unchanged, nobody holding it open for writing, and no
	 * open for writing since (lsm file_open clears d_clean). Exec and mmap
	 * hits of a policy with digests need it; on a miss it spares the hash. */
	__u32 d_clean;
	__u32 d_policy_seq;
	__u64 d_size;
	__s64 d_ctime_sec;
	__s64 d_ctime_nsec;
	__u64 mnt;        /* file's vfsmount */
	__u64 root_mnt;   /* the caller's root (chroot, mount namespace) */
	__u64 root_dentry;
};

/* One decision, sent through the ring buffer. On the wire a record is the
 * header (everything before path: MG_EVENT_HDR_SIZE bytes), then path_len
 * bytes of path and exe_len bytes of exe, each with its NUL: records are
 * as long as what they carry (~200 bytes, not 8 KiB). Userspace decodes
 * them back into this struct (src/kernel/loader.c). */
struct mg_event {
	__u64 ts_boot_ns;  /* bpf_ktime_get_boot_ns() */
	__u64 cgroup_id;
	__u64 sig_hash;
	__u64 ino;
	__u32 dev;
	__u32 pid;   /* thread id */
	__u32 tgid;  /* process id */
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 hook;     /* enum mg_hook */
	__u32 rule;     /* rule index in generation gen */
	__u32 gen;
	__u32 sig_kind; /* enum mg_kind */
	__u32 sig_len;
	__u32 verdict;  /* enum mg_verdict */
	__u32 mode;     /* enum mg_mode at decision time */
	__u32 flags;    /* MG_EV_* */
	__s32 path_err; /* bpf_d_path result when < 0 */
	__u16 path_len; /* bytes of path on the wire, NUL included (1..MG_PATH_MAX) */
	__u16 exe_len;  /* bytes of exe on the wire, NUL included (1..MG_PATH_MAX) */
	char comm[MG_COMM_LEN];
	char path[MG_PATH_MAX];
	char exe[MG_PATH_MAX];
};

#define MG_EVENT_HDR_SIZE __builtin_offsetof(struct mg_event, path)
#define MG_EVENTS_RING (8 * 1024 * 1024)
/* Room the ring buffer keeps for refusals: an audit record that would eat
 * into it is shed (counted in events_dropped and audit_events_shed), so a
 * flood of audits never costs the record of a block. */
#define MG_EVENTS_BLOCK_RESERVE (1024 * 1024)
/* Audit records do not wake the daemon (it drains the ring every 200 ms
 * tick) until this much is waiting: a wake-up per record (irq_work, a
 * context switch) cost more than the record itself. Refusals wake it. */
#define MG_EVENTS_WAKE_AT (512 * 1024)

/* FNV-1a 64: the one hash both sides compute. */
#define MG_FNV_OFFSET 0xcbf29ce484222325ULL
#define MG_FNV_PRIME 0x100000001b3ULL

static inline __u64 mg_fnv_step(__u64 h, __u8 c)
{
	return (h ^ c) * MG_FNV_PRIME;
}

/* ASCII case folding used for names, prefixes and suffixes. Other bytes
 * (UTF-8 included) are compared as they are. */
static inline __u8 mg_fold(__u8 c)
{
	return (c >= 'A' && c <= 'Z') ? (__u8)(c + ('a' - 'A')) : c;
}

/* Index in mg_meta.lead of a name starting with bytes a, b. */
static inline __u32 mg_lead(__u8 a, __u8 b)
{
	return ((__u32)mg_fold(a) << 8) | mg_fold(b);
}

#endif /* MINERGUARD_ABI_H */
