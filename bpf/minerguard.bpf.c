// SPDX-License-Identifier: GPL-2.0
/*
 * minerguard kernel side: sleepable BPF LSM programs that refuse (or
 * report) access to files whose name or path matches a miner signature.
 *
 * The decision procedure is the one of the brief and of src/matcher.c:
 *   candidates in order NAME, PREFIX (by length), SUFFIX (by length), PATH,
 *   DIR (by length); a candidate is a signature hit whose val.rule[hook] is
 *   set; it is excepted by {EXC_PATH,r,path}, {EXC_DIR,r,some dir of path}
 *   or {EXC_EXE,r,exe}; the result is the first non-excepted BLOCK
 *   candidate, else the first non-excepted AUDIT candidate.
 * Because exceptions belong to a rule, candidates are kept once per rule
 * (first occurrence), which does not change the result.
 *
 * Verifier notes (6.1):
 *  - every loop over name/path bytes is a bpf_loop callback; mutable loop
 *    state lives in the scratch map value, never in the callback's stack
 *    context, so no kernel can specialise a callback on constants it saw at
 *    the first iteration (pre-6.7 verifiers did);
 *  - bpf_d_path must receive a pointer the verifier still knows as a
 *    struct path, so it is only called in the program body (inlined code).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "minerguard_abi.h"

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1
#define EOPNOTSUPP 95
#define PROT_EXEC 0x4
#define VM_EXEC 0x4
#define TMPFS_MAGIC 0x01021994
#define HUGETLBFS_MAGIC 0x958458f6
#define MG_MEMFD_PREFIX_LEN 6 /* "memfd:" */

/* Distinct rules considered per access. Past the limit (more than 15 rules
 * with exceptions matching one file) the first BLOCK rule that did not fit
 * is kept aside and applies, exceptions unchecked, if nothing listed
 * blocks: an overflow can only err towards refusing. */
#ifndef MG_MAX_CANDIDATES
#define MG_MAX_CANDIDATES 16
#endif

/* Set by the loader before load: 0 skips bpf_d_path on the executable
 * (kernels whose verifier refuses it); events then carry MG_EV_EXE_ERR. */
const volatile __u32 mg_cfg_exe_dpath = 1;
/* Set by the loader: this load's own number, so the self-test can tell
 * its programs from those an earlier instance left pinned. */
const volatile __u32 mg_cfg_nonce = 0;

/* clang 14 emits the ABI structs used only as inner-map key/value types as
 * forward declarations, which libbpf cannot size; this unused constant
 * makes their full definitions part of the object's BTF. */
const volatile struct {
	struct mg_sig_key key;
	struct mg_sig_val val;
	struct mg_rule rule;
	struct mg_meta meta;
} mg_btf_anchor __attribute__((used));

#include "maps.bpf.h"
#include "decide.bpf.h"
#include "protect.bpf.h"
#include "backend_lsm.bpf.h"
#include "backend_fmodret.bpf.h"
