/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A validated policy, as the Lua sandbox (src/policy_lua.c) produces it and
 * src/image.c compiles it into kernel map entries. Nothing here knows about
 * BPF; nothing in image.c knows about Lua.
 */
#ifndef MG_POLICY_H
#define MG_POLICY_H

#include <stddef.h>
#include <stdint.h>

/* DSL hook names a rule may list. image.c expands them to kernel hooks:
 * open -> file_open + inode_create + link/rename/symlink (names, inode marks),
 * exec -> bprm_check_security + mmap_file + file_mprotect (PROT_EXEC: mapping
 * code runs it), mmap -> mmap_file + file_mprotect (PROT_EXEC). */
enum mg_rule_hook {
	MG_RHOOK_OPEN = 1u << 0,
	MG_RHOOK_EXEC = 1u << 1,
	MG_RHOOK_MMAP = 1u << 2,
};

/* Index into struct mg_rule_def.lists */
enum mg_list {
	MG_LIST_NAMES = 0,      /* names = {...}          exact basename */
	MG_LIST_PREFIXES,       /* name_prefixes = {...}  */
	MG_LIST_SUFFIXES,       /* name_suffixes = {...}  */
	MG_LIST_PATHS,          /* paths = {...}          exact absolute path */
	MG_LIST_DIRS,           /* dirs = {...}           everything under */
	MG_LIST_EXC_PATHS,      /* except.paths */
	MG_LIST_EXC_DIRS,       /* except.dirs */
	MG_LIST_EXC_EXES,       /* except.executables */
	MG_LIST_EXPECT_MATCH,   /* expect.match: paths this rule must match */
	MG_LIST_EXPECT_NOMATCH, /* expect.nomatch: paths no rule may match */
	MG_LIST_DIRNAMES,       /* dir_names = {...}      a directory component anywhere */
	MG_LIST_SHA256,         /* sha256 = {...}         file digests, lowercase hex */
	MG_LIST_EXPECT_CONTENT_MATCH,   /* expect.content_match: files this rule's content finds */
	MG_LIST_EXPECT_CONTENT_NOMATCH, /* expect.content_nomatch: files no content rule finds */
	MG_LIST_COUNT,
};

/* content = { type = ... }: which files a content rule applies to, by
 * their first bytes (src/scan/filetype.c). */
enum mg_content_type {
	MG_CTYPE_ANY = 0,
	MG_CTYPE_ELF,  /* \x7fELF */
	MG_CTYPE_PE,   /* "MZ" and a "PE\0\0" header where e_lfanew points */
	MG_CTYPE_TEXT, /* no NUL byte in the first 8 KiB */
};

/* A byte string that may hold NUL bytes. */
struct mg_bytes {
	char *p;
	size_t n;
};

/* content = { strings = {...}, min = N, max_size = BYTES, type = T }:
 * the rule matches a file of at most max_size bytes of that type in which
 * at least min of the strings occur (YARA's "N of them"). */
struct mg_content_def {
	struct mg_bytes *strings; /* distinct, each >= 6 bytes */
	size_t nstrings;
	size_t min;               /* 1 .. nstrings */
	uint64_t max_size;
	int type;                 /* enum mg_content_type */
};

struct mg_strvec {
	char **v;
	size_t n;
};

struct mg_rule_def {
	char *name;        /* unique across the merged policy */
	char *description; /* may be NULL */
	char *category;    /* may be NULL */
	char *importance;  /* may be NULL: "low" | "medium" | "high" | "critical" */
	char *mitre;       /* may be NULL, e.g. "T1496" */
	char *file;        /* policy file that defined the rule, as given */
	int line;          /* line of the rule { ... } call */
	int action;        /* enum mg_action (bpf/minerguard_abi.h) */
	unsigned hooks;    /* enum mg_rule_hook bits, never 0 */
	int except_any_ns; /* except.any_namespace: exceptions hold in every namespace */
	int on_match_kill; /* on_match = "kill": kill processes running a content-marked file */
	struct mg_strvec lists[MG_LIST_COUNT];
	/* Names, prefixes, suffixes and dir_names are stored already
	 * ASCII-folded; dirs without trailing '/' (except "/"); sha256 in
	 * lowercase; paths as written. */
	struct mg_content_def *content; /* NULL: the rule has no content signature */
};

/* Top-level options { ... } of the DSL (lua/minerguard.lua). "deny" and
 * "audit" values also add a rule named MG_OPTION_RULE_* (no signatures),
 * which the kernel applies to every such exec and events name. */
enum mg_opt_memfd {
	MG_OPT_MEMFD_MATCH = 0, /* default: a memfd "memfd:NAME" is judged as NAME */
	MG_OPT_MEMFD_ALLOW,     /* the memfd name is judged as it is ("memfd:NAME") */
	MG_OPT_MEMFD_DENY,      /* match, and every exec of a memfd is refused */
	MG_OPT_MEMFD_AUDIT,     /* match, and every exec of a memfd is reported */
};
enum mg_opt_tmpfs {
	MG_OPT_TMPFS_ALLOW = 0, /* default */
	MG_OPT_TMPFS_DENY,      /* every exec of a file on a tmpfs mount is refused */
	MG_OPT_TMPFS_AUDIT,     /* ... reported */
};
#define MG_OPTION_RULE_MEMFD "option.memfd_exec"
#define MG_OPTION_RULE_TMPFS "option.tmpfs_exec"
#define MG_OPTION_RULE_DIGEST "option.digest_unknown"
struct mg_policy_options {
	int memfd_exec; /* enum mg_opt_memfd */
	int tmpfs_exec; /* enum mg_opt_tmpfs */
};

struct mg_policy {
	struct mg_rule_def *rules; /* sorted by name: merge order never matters */
	size_t nrules;
	char **files;   /* every file read, sorted */
	size_t nfiles;
	char sha256[65]; /* over the sorted file contents; identifies the policy */
	struct mg_policy_options options;
};

/* Sandbox limits; zero fields take the defaults. */
struct mg_policy_limits {
	size_t max_file_bytes;   /* default 4 MiB per file */
	size_t max_memory_bytes; /* default 256 MiB for the whole load */
	uint64_t max_instructions; /* default 200,000,000 VM instructions */
};

/*
 * Load every *.lua file of each path (a file, or a directory read
 * non-recursively in sorted order), plus files they require, in a fresh
 * sandbox, validate and merge. lua_dir is the directory holding
 * minerguard.lua (the DSL library). On failure returns -1, *out stays
 * NULL and err holds one line "file:line: what is wrong".
 */
int mg_policy_load(const char *const *paths, size_t npaths, const char *lua_dir,
		   const struct mg_policy_limits *limits, struct mg_policy **out,
		   char *err, size_t errlen);
void mg_policy_free(struct mg_policy *p);

/* Wall-clock limit of a compile in the daemon. Not 10 s: a policy of a
 * million signatures takes 3 s natively and near a minute under emulation
 * (the TCG benchmark); the budgets stop runaway Lua much sooner. */
#define MG_POLICY_COMPILE_TIMEOUT_MS 90000u

/* mg_policy_load in a child process (policy_fork.c) under a seccomp
 * filter, killed after timeout_ms: no policy can hang or corrupt the
 * caller. Same results and errors as mg_policy_load, plus "compiling did
 * not finish within N s". */
int mg_policy_load_isolated(const char *const *paths, size_t npaths, const char *lua_dir,
			    const struct mg_policy_limits *limits, unsigned timeout_ms,
			    struct mg_policy **out, char *err, size_t errlen);

/* A flag (set from a signal handler) that makes mg_policy_load_isolated
 * stop waiting, kill the compiler and fail with "cancelled" as soon as a
 * signal interrupts it and the flag is set: a daemon asked to stop does
 * not wait out a slow policy. NULL: never cancelled. */
void mg_policy_set_cancel_flag(const volatile int *flag);

#endif /* MG_POLICY_H */
