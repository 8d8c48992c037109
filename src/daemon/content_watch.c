// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Content identity in the running daemon (see content_watch.h). */
#include "content_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "content.h"
#include "filescan.h"
#include "image.h"
#include "marks.h"
#include "matcher.h"
#include "reaper.h"

#define MG_CWATCH_BATCH 16

struct mg_cwatch {
	struct mg_loader *ld;
	const struct mg_image *img;
	struct mg_content_engine *engine;
	struct mg_file_scanner *fs;
	uint64_t max_size;      /* larger files match no content rule and no digest read */
	const char *const *roots;
	size_t nroots;
	int fan;                /* fanotify fd, -1 if unavailable */
	int fan_moved;          /* FAN_MOVED_TO (names reported), -1 if unavailable */
	int *root_fd;           /* O_PATH fds of the roots, for open_by_handle_at */
	mg_cwatch_log_fn log;
	void *ctx;
	struct mg_cwatch_stats st;
	time_t last_progress;
	int kill_enforce;       /* on_match = "kill" kills (enforce mode) or only reports */
	const char *marking;    /* the file being marked, for reap_report */
	const char *rule;
};

static void watch_moves(struct mg_cwatch *w);

/* The hooks a marked file is refused at: a mark is set only when the
 * signature's rule guards one of them. */
static const enum mg_hook mark_hooks[] = { MG_HOOK_OPEN, MG_HOOK_EXEC, MG_HOOK_MMAP };

static int rule_applies(const struct mg_image *img, const char *path,
			const struct mg_sig_key *k, struct mg_match *m)
{
	for (size_t i = 0; i < sizeof(mark_hooks) / sizeof(mark_hooks[0]); i++) {
		mg_match_mark(img, path, NULL, mark_hooks[i], k, m);
		if (m->matched)
			return 1;
	}
	return 0;
}

/* The signature the file's bytes carry: the first content rule that
 * matched, else its digest. 0 when none. */
static int content_signature(struct mg_cwatch *w, const char *path,
			     const struct mg_file_result *r, struct mg_sig_key *out,
			     struct mg_match *m)
{
	struct mg_sig_key k;

	for (size_t i = 0; i < r->ncontent; i++) {
		if (rule_applies(w->img, path, &r->content[i]->key, m)) {
			*out = r->content[i]->key;
			return 1;
		}
	}
	if (w->img->count[MG_KIND_SHA256]) {
		mg_key_sha256(&k, r->digest);
		if (rule_applies(w->img, path, &k, m)) {
			*out = k;
			return 1;
		}
	}
	return 0;
}

static void reap_report(void *ctx, pid_t pid, const char *comm, int killed)
{
	struct mg_cwatch *w = ctx;

	if (killed)
		w->st.killed++;
	w->log(w->ctx, !killed && w->kill_enforce,
	       "content scan: %s pid %d (%s) running %s: rule %s says on_match = kill",
	       killed ? "killed" : w->kill_enforce ? "could not kill" : "would kill (audit mode)",
	       (int)pid, comm, w->marking, w->rule);
}

void mg_cwatch_set_enforce(struct mg_cwatch *w, int enforce)
{
	if (w)
		w->kill_enforce = enforce;
}

/* Reads the file open at fd (path for the log), then marks or unmarks
 * its inode. rescan: the file was rewritten, so a stale mark goes. */
static void judge_fd(struct mg_cwatch *w, int fd, const char *path, int rescan)
{
	struct mg_inode_mark mark = { 0 }, old;
	struct mg_file_result r;
	struct mg_sig_key k;
	struct mg_match m;
	struct stat st;
	int rc;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return;
	if ((uint64_t)st.st_size > w->max_size) {
		w->st.skipped++;
		return;
	}
	if (mg_fscan_fd(w->fs, fd, (uint64_t)st.st_size, &r)) {
		w->st.errors++;
		w->log(w->ctx, 1, "content scan: reading %s: %s", path, strerror(errno));
		return;
	}
	w->st.files++;
	w->st.bytes += r.size;
	if (!content_signature(w, path, &r, &k, &m)) {
		if (rescan && !mg_mark_read(w->ld, fd, &old) &&
		    (old.kind == MG_KIND_CONTENT || old.kind == MG_KIND_SHA256) &&
		    !mg_unmark_fd(w->ld, fd)) {
			w->st.unmarked++;
			w->log(w->ctx, 0, "content scan: %s no longer matches: mark removed", path);
		}
		return;
	}
	mark.kind = k.kind;
	mark.len = k.len;
	mark.hash = k.hash;
	rc = mg_mark_fd(w->ld, fd, &mark);
	if (rc) {
		w->st.errors++;
		w->log(w->ctx, 1, "content scan: marking %s: %s", path, strerror(-rc));
		return;
	}
	w->st.marked++;
	w->log(w->ctx, 0, "content scan: %s matches %s signature of rule %s (sha256 %s): marked",
	       path, mg_kind_name(k.kind), m.def ? m.def->name : "?", r.sha256);
	if (m.def && m.def->on_match_kill) {
		w->marking = path;
		w->rule = m.def->name;
		mg_reap_exe("/proc", st.st_dev, st.st_ino, w->kill_enforce, reap_report, w);
	}
}

struct mg_cwatch *mg_cwatch_new(struct mg_loader *ld, const struct mg_image *img,
				const char *const *roots, size_t nroots, mg_cwatch_log_fn log,
				void *ctx)
{
	struct mg_cwatch *w;
	char err[256];

	if (!img->ncontent && !img->count[MG_KIND_SHA256])
		return NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->ld = ld;
	w->img = img;
	w->roots = roots;
	w->nroots = nroots;
	w->log = log;
	w->ctx = ctx;
	w->fan = -1;
	w->fan_moved = -1;
	if (img->ncontent && mg_content_build(img, &w->engine, err, sizeof(err))) {
		log(ctx, 1, "content scan: %s", err);
		free(w);
		return NULL;
	}
	w->max_size = w->engine ? mg_content_max_size(w->engine) : 0;
	/* digests are of whole files: any size a content rule would read,
	 * at least 64 MiB (stock miner builds are a few MiB) */
	if (img->count[MG_KIND_SHA256] && w->max_size < (64u << 20))
		w->max_size = 64u << 20;
	w->fs = mg_fscan_new(w->engine);
	if (!w->fs) {
		mg_cwatch_free(w);
		return NULL;
	}
	/* Notification only (no permission events): the daemon never blocks
	 * another process, and its own reads are not writes. */
	w->fan = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
			       O_RDONLY | O_LARGEFILE | O_CLOEXEC | O_NOATIME);
	if (w->fan < 0)
		log(ctx, 1, "content scan: fanotify unavailable (%s): new files are not scanned",
		    strerror(errno));
	for (size_t i = 0; w->fan >= 0 && i < nroots; i++) {
		if (fanotify_mark(w->fan, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_CLOSE_WRITE, AT_FDCWD,
				  roots[i]) && errno != ENOENT)
			log(ctx, 1, "content scan: watching %s: %s", roots[i], strerror(errno));
	}
	watch_moves(w);
	return w;
}

void mg_cwatch_free(struct mg_cwatch *w)
{
	if (!w)
		return;
	if (w->fan >= 0)
		close(w->fan);
	if (w->fan_moved >= 0)
		close(w->fan_moved);
	for (size_t i = 0; w->root_fd && i < w->nroots; i++)
		if (w->root_fd[i] >= 0)
			close(w->root_fd[i]);
	free(w->root_fd);
	mg_fscan_free(w->fs);
	mg_content_free(w->engine);
	free(w);
}

/* nftw has no context argument: the scan in progress. */
static struct mg_cwatch *walking;

static int walk_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	struct mg_cwatch *w = walking;
	struct mg_match m;
	time_t now;
	int fd;

	(void)ftw;
	if (type != FTW_F || !S_ISREG(sb->st_mode))
		return 0;
	if (w->st.files >= MG_CWATCH_MAX_FILES) {
		w->log(w->ctx, 1, "content scan: stopped after %d files (MG_CWATCH_MAX_FILES)",
		       MG_CWATCH_MAX_FILES);
		return 1;
	}
	if ((uint64_t)sb->st_size > w->max_size) {
		w->st.skipped++;
		return 0;
	}
	/* A file its name or path already refuses is not read: its open would
	 * be refused anyway, and each refusal would be one more decision in
	 * the ring buffer, which nobody reads while this scan runs. */
	mg_match_path(w->img, path, NULL, MG_HOOK_OPEN, &m);
	if (m.matched)
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0; /* refused by a name rule, or gone: nothing to add */
	judge_fd(w, fd, path, 0);
	close(fd);
	now = time(NULL);
	if (now - w->last_progress >= 2) {
		w->last_progress = now;
		w->log(w->ctx, 0, "content scan: %llu files, %llu MB read, %llu marked so far",
		       (unsigned long long)w->st.files, (unsigned long long)(w->st.bytes >> 20),
		       (unsigned long long)w->st.marked);
	}
	return 0;
}

void mg_cwatch_scan_roots(struct mg_cwatch *w)
{
	struct timespec t0, t1;

	if (!w)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	w->last_progress = time(NULL);
	walking = w;
	for (size_t i = 0; i < w->nroots; i++)
		if (nftw(w->roots[i], walk_one, 32, FTW_PHYS | FTW_MOUNT) > 0)
			break;
	walking = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	w->log(w->ctx, 0,
	       "content scan of %zu root(s) done in %.1f s: %llu files, %llu MB, %llu marked, "
	       "%llu larger than any rule, %llu errors",
	       w->nroots, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (unsigned long long)w->st.files, (unsigned long long)(w->st.bytes >> 20),
	       (unsigned long long)w->st.marked, (unsigned long long)w->st.skipped,
	       (unsigned long long)w->st.errors);
}

/* Whether path is under one of the roots (a mount mark sees the whole
 * mount). */
static int under_roots(const struct mg_cwatch *w, const char *path)
{
	for (size_t i = 0; i < w->nroots; i++) {
		size_t n = strlen(w->roots[i]);

		while (n > 1 && w->roots[i][n - 1] == '/')
			n--;
		if (!strncmp(path, w->roots[i], n) && (path[n] == '/' || path[n] == 0 || n == 1))
			return 1;
	}
	return 0;
}

/*
 * Files moved into a root (written elsewhere on the same filesystem, then
 * renamed in) never close-write there: a second group reports FAN_MOVED_TO
 * with the directory's handle and the new name (FAN_REPORT_DFID_NAME,
 * Linux 5.9, filesystem marks: a mount mark cannot carry directory-entry
 * events). A moved directory is walked like a root.
 */
static void watch_moves(struct mg_cwatch *w)
{
	w->fan_moved = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK |
					     FAN_REPORT_DFID_NAME,
				     O_RDONLY | O_LARGEFILE | O_CLOEXEC);
	w->root_fd = calloc(w->nroots ? w->nroots : 1, sizeof(*w->root_fd));
	if (w->fan_moved < 0 || !w->root_fd) {
		w->log(w->ctx, 1, "content scan: move notifications unavailable (%s): files renamed "
				  "into the scan roots are scanned only at the next start or reload",
		       w->root_fd ? strerror(errno) : "out of memory");
		if (w->fan_moved >= 0)
			close(w->fan_moved);
		w->fan_moved = -1;
		return;
	}
	for (size_t i = 0; i < w->nroots; i++) {
		/* not O_PATH: open_by_handle_at does not take an O_PATH fd */
		w->root_fd[i] = open(w->roots[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (w->root_fd[i] < 0)
			continue;
		if (fanotify_mark(w->fan_moved, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				  FAN_MOVED_TO | FAN_ONDIR, AT_FDCWD, w->roots[i]))
			w->log(w->ctx, 1, "content scan: watching moves into %s: %s", w->roots[i],
			       strerror(errno));
	}
}

/* The file (or directory) a DFID_NAME record names, opened; -1 if gone. */
static int open_moved(struct mg_cwatch *w, const struct fanotify_event_info_fid *fid, int *is_dir)
{
	struct file_handle *fh = (struct file_handle *)fid->handle;
	const char *name = (const char *)fh->f_handle + fh->handle_bytes;
	struct stat st;
	int dir = -1, fd = -1;

	for (size_t i = 0; dir < 0 && i < w->nroots; i++)
		if (w->root_fd[i] >= 0)
			dir = open_by_handle_at(w->root_fd[i], fh, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	if (!fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW)) {
		*is_dir = S_ISDIR(st.st_mode);
		if (*is_dir || S_ISREG(st.st_mode))
			fd = openat(dir, name, (*is_dir ? O_PATH | O_DIRECTORY : O_RDONLY | O_NONBLOCK |
							      O_NOATIME) | O_NOFOLLOW | O_CLOEXEC);
	}
	close(dir);
	return fd;
}

static void poll_moves(struct mg_cwatch *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
	struct fanotify_event_metadata *ev = (struct fanotify_event_metadata *)buf;
	ssize_t n;

	if (w->fan_moved < 0 || (n = read(w->fan_moved, buf, sizeof(buf))) <= 0)
		return;
	for (; FAN_EVENT_OK(ev, n); ev = FAN_EVENT_NEXT(ev, n)) {
		const struct fanotify_event_info_fid *fid = (const void *)(ev + 1);
		char link[64], path[4096];
		int fd, is_dir = 0;
		ssize_t len;

		if (ev->event_len < sizeof(*ev) + sizeof(*fid) ||
		    fid->hdr.info_type != FAN_EVENT_INFO_TYPE_DFID_NAME || ev->pid == getpid())
			continue;
		fd = open_moved(w, fid, &is_dir);
		if (fd < 0)
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		len = readlink(link, path, sizeof(path) - 1);
		path[len > 0 ? len : 0] = 0;
		if (len > 0 && under_roots(w, path)) {
			if (!is_dir) {
				judge_fd(w, fd, path, 1);
			} else {
				walking = w;
				nftw(path, walk_one, 32, FTW_PHYS | FTW_MOUNT);
				walking = NULL;
			}
		}
		close(fd);
	}
}

void mg_cwatch_poll(struct mg_cwatch *w)
{
	/* At most MG_CWATCH_BATCH files per call: the ring buffer of decisions
	 * is read between batches, so a burst of writes cannot make the
	 * daemon drop decisions; the rest wait in the fanotify queue. */
	char buf[MG_CWATCH_BATCH * sizeof(struct fanotify_event_metadata)]
		__attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
	ssize_t n;

	if (!w)
		return;
	poll_moves(w);
	if (w->fan < 0)
		return;
	if ((n = read(w->fan, buf, sizeof(buf))) > 0) {
		struct fanotify_event_metadata *ev = (struct fanotify_event_metadata *)buf;

		for (; FAN_EVENT_OK(ev, n); ev = FAN_EVENT_NEXT(ev, n)) {
			char link[64], path[4096];
			ssize_t len;

			if (ev->fd < 0)
				continue;
			snprintf(link, sizeof(link), "/proc/self/fd/%d", ev->fd);
			len = readlink(link, path, sizeof(path) - 1);
			path[len > 0 ? len : 0] = 0;
			if (ev->pid != getpid() && len > 0 && under_roots(w, path))
				judge_fd(w, ev->fd, path, 1);
			close(ev->fd);
		}
	}
}

const struct mg_cwatch_stats *mg_cwatch_stats(const struct mg_cwatch *w)
{
	return &w->st;
}
