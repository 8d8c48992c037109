/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The BPF side of the daemon: open/load/attach the skeleton, install a
 * compiled policy (struct mg_image) into the idle generation and flip to
 * it, set the global mode, pin what other processes need, read events.
 * Pinning lives in its own functions so a later daemon can adopt pins
 * instead of creating them.
 */
#ifndef MG_LOADER_H
#define MG_LOADER_H

#include <stddef.h>

#include "minerguard_abi.h"
#include "image.h"

/* Pin names under MG_PIN_DIR. */
#define MG_PIN_STATE "state"
#define MG_PIN_COUNTERS "counters"
#define MG_PIN_EVENTS "events"
#define MG_PIN_SIGS "sigs_outer"
#define MG_PIN_RULES "rules_outer"
#define MG_PIN_META "meta_outer"
#define MG_PIN_LINK_OPEN "link_file_open"
#define MG_PIN_LINK_EXEC "link_bprm_check"
#define MG_PIN_LINK_CREATE "link_inode_create"

struct mg_loader;

/* Opens and loads the programs (maps created, nothing attached). Returns
 * 0 or a negative errno, with a one-line reason in err. */
int mg_loader_open(struct mg_loader **out, char *err, size_t errlen);

/* Fills fresh inner maps from img in the idle slot and makes it the active
 * generation. Returns the slot now active (0/1) or a negative errno. The
 * previous generation's maps stay alive until the next install (a
 * sleepable program may still be reading them). */
int mg_loader_install(struct mg_loader *l, const struct mg_image *img, char *err,
		      size_t errlen);

int mg_loader_set_mode(struct mg_loader *l, int mode);

/* Attaches the LSM programs. 0 or a negative errno. */
int mg_loader_attach(struct mg_loader *l, char *err, size_t errlen);

/* Pins maps and links under MG_PIN_DIR (replacing stale pins). */
int mg_loader_pin(struct mg_loader *l, char *err, size_t errlen);
/* Removes what mg_loader_pin created. */
void mg_loader_unpin(struct mg_loader *l);

/* Ring buffer of decisions: cb is called per struct mg_event. */
typedef int (*mg_event_cb)(void *ctx, const struct mg_event *ev);
int mg_loader_events_open(struct mg_loader *l, mg_event_cb cb, void *ctx);
/* Waits up to timeout_ms; returns events handled or a negative errno. */
int mg_loader_events_poll(struct mg_loader *l, int timeout_ms);

/* Whether bpf_d_path on the executable was accepted by this kernel. */
int mg_loader_exe_in_kernel(const struct mg_loader *l);

/* Detaches and frees everything (pins are not touched). NULL is fine. */
void mg_loader_close(struct mg_loader *l);

/* ---- access to a running instance through its pins -------------------- */

/* fd of a pinned object (MG_PIN_* name) or a negative errno. */
int mg_pin_open(const char *name);
/* 1 when the three program links are pinned, 0 when not, -EACCES/-EPERM
 * when this process may not look. */
int mg_pins_attached(void);
/* Sum over CPUs of the per-CPU counters into out[MG_CTR_COUNT]. */
int mg_counters_read(int counters_fd, __u64 *out);
int mg_state_read(int state_fd, __u32 idx, __u32 *val);
int mg_state_write(int state_fd, __u32 idx, __u32 val);

#endif
