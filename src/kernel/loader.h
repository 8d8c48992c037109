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

/* Pins under MG_PIN_DIR: every map of the object under its own name,
 * every attached program's link as "link_<program name>". */
#define MG_PIN_STATE "mg_state"
#define MG_PIN_COUNTERS "mg_counters"
#define MG_PIN_LINK_PREFIX "link_"

/* What mg_loader_open found under MG_PIN_DIR. */
struct mg_adopt_info {
	int found;      /* pins of an earlier instance exist */
	int adopted;    /* its maps are reused: policy, mode, counters, unread events */
	char why[256];  /* found && !adopted: why they are replaced */
	__u32 old_gen;  /* with adopted: the generation slot in force */
};

struct mg_loader;

/* Opens and loads the programs of backend (enum mg_backend, LSM or
 * FMODRET; maps created, nothing attached). Returns 0 or a negative
 * errno, with a one-line reason in err. */
int mg_loader_open(struct mg_loader **out, int backend, struct mg_adopt_info *ai, char *err,
		   size_t errlen);

/* Fills fresh inner maps from img in the idle slot and makes it the active
 * generation. Returns the slot now active (0/1) or a negative errno. The
 * previous generation's maps stay alive until the next install (a
 * sleepable program may still be reading them). */
int mg_loader_install(struct mg_loader *l, const struct mg_image *img, char *err,
		      size_t errlen);

int mg_loader_set_mode(struct mg_loader *l, int mode);

/* Executable exceptions follow their paths to new files (a package
 * upgrade): re-resolves the policy in force's. Number changed, the first
 * described in what; negative errno on failure. */
int mg_loader_refresh_exes(struct mg_loader *l, char *what, size_t len);

/* Attaches every program of the object (new links; links pinned by an
 * earlier instance keep enforcing meanwhile). 0 or a negative errno. */
int mg_loader_attach(struct mg_loader *l, char *err, size_t errlen);

/* Pins maps and links under MG_PIN_DIR. Each pin is made under a
 * temporary name and renamed over the old one, so an earlier instance's
 * link is released only once ours is attached and pinned; pins this build
 * does not have are removed afterwards. */
int mg_loader_pin(struct mg_loader *l, char *err, size_t errlen);

/* `minerguard unload`: removes every pin (detaching programs no process
 * holds). 0, or a negative errno with err set. */
int mg_pins_remove_all(char *err, size_t errlen);

/* The object's global state and counter maps. */
int mg_loader_state_fd(const struct mg_loader *l);
int mg_loader_counters_fd(const struct mg_loader *l);

/* Ring buffer of decisions: cb is called per struct mg_event. */
typedef int (*mg_event_cb)(void *ctx, const struct mg_event *ev);
/* A ring buffer record (minerguard_abi.h) into *ev; -1 when malformed. */
int mg_event_decode(struct mg_event *ev, const void *data, size_t size);
int mg_loader_events_open(struct mg_loader *l, mg_event_cb cb, void *ctx);
/* Waits up to timeout_ms; returns events handled or a negative errno. */
int mg_loader_events_poll(struct mg_loader *l, int timeout_ms);

/* Whether bpf_d_path on the executable was accepted by this kernel. */
int mg_loader_exe_in_kernel(const struct mg_loader *l);
/* enum mg_backend of the loaded programs. */
int mg_loader_backend(const struct mg_loader *l);
/* The number this load's programs answer the self-test with. */
__u32 mg_loader_nonce(const struct mg_loader *l);

/* Detaches and frees everything (pins are not touched). NULL is fine. */
void mg_loader_close(struct mg_loader *l);

/* ---- access to a running instance through its pins -------------------- */

/* fd of a pinned object (MG_PIN_* name) or a negative errno. */
int mg_pin_open(const char *name);
/* 1 when the state map and at least one program link are pinned, 0 when
 * not, -EACCES/-EPERM when this process may not look. */
int mg_pins_attached(void);
/* Sum over CPUs of the per-CPU counters into out[MG_CTR_COUNT]. */
int mg_counters_read(int counters_fd, __u64 *out);
int mg_state_read(int state_fd, __u32 idx, __u32 *val);
int mg_state_write(int state_fd, __u32 idx, __u32 val);

#endif
