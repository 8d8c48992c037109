// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The scan driver: the calling thread walks the trees and queues regular
 * files; reader threads open, read and judge them (each with its own
 * scanner and buffer); one thread prints progress. Findings reach the sink
 * one at a time, under a lock.
 */
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "filescan.h"
#include "judge.h"
#include "walk.h"

#define QUEUE_LEN 1024
#define PROGRESS_EVERY_S 2

struct job {
	char *path;
	uint64_t size;
};

struct scan {
	const struct mg_scan_opts *o;
	struct mg_finding_sink counted; /* wraps o->sink under the lock */
	pthread_mutex_t lock;           /* queue, sink and stderr */
	pthread_cond_t not_empty, not_full, progress_wake;
	struct job queue[QUEUE_LEN];
	size_t head, len;
	bool walk_done, all_done;
	double t0;
	_Atomic uint64_t files, bytes, archives, members, links, special, too_large, findings,
		errors;
};

struct worker {
	struct scan *s;
	struct mg_file_scanner *fs;
	const char *archive; /* path of the archive whose members are read */
	char *member_path;   /* "archive!member" */
	char *judge_path;    /* "/member" */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report_locked(void *ctx, const struct mg_finding *f)
{
	struct scan *s = ctx;

	pthread_mutex_lock(&s->lock);
	s->o->sink->report(s->o->sink->ctx, f);
	pthread_mutex_unlock(&s->lock);
	s->findings++;
}

static void scan_error(struct scan *s, const char *path, const char *what)
{
	pthread_mutex_lock(&s->lock);
	fprintf(stderr, "minerguard scan: %s: %s\n", path, what);
	pthread_mutex_unlock(&s->lock);
	s->errors++;
}

/* ---- archive members ------------------------------------------------------ */

/* "archive!member" for the report, "/member" for the decision: members
 * are judged as if unpacked at the root, the one place a relative name
 * maps to a path the kernel could see. */
static int member_paths(struct worker *w, const char *name)
{
	size_t alen = strlen(w->archive), nlen;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	nlen = strlen(name);
	free(w->member_path);
	free(w->judge_path);
	w->member_path = malloc(alen + 1 + nlen + 1);
	w->judge_path = malloc(nlen + 2);
	if (!w->member_path || !w->judge_path)
		return -1;
	snprintf(w->member_path, alen + nlen + 2, "%s!%s", w->archive, name);
	snprintf(w->judge_path, nlen + 2, "/%s", name);
	/* a directory member "dir/" is judged as the directory */
	if (nlen > 0 && w->judge_path[nlen] == '/')
		w->judge_path[nlen] = '\0';
	return 0;
}

static int on_member(void *ctx, const struct mg_tar_member *m, struct mg_tar *t)
{
	struct worker *w = ctx;
	struct scan *s = w->s;
	struct mg_file_result r;
	ssize_t n;

	if (member_paths(w, m->name)) {
		scan_error(s, w->archive, "out of memory");
		return 1;
	}
	if (!mg_tar_is_file(m) || m->size > s->o->max_size) {
		s->too_large += mg_tar_is_file(m);
		mg_judge_file(s->o->img, w->member_path, w->judge_path, m->size, NULL, &s->counted);
		return 0;
	}
	mg_fscan_begin(w->fs, m->size);
	while ((n = mg_tar_read(t, mg_fscan_buffer(w->fs), MG_SCAN_CHUNK)) > 0) {
		mg_fscan_feed(w->fs, mg_fscan_buffer(w->fs), (size_t)n);
		s->bytes += (uint64_t)n;
	}
	if (n < 0) {
		scan_error(s, w->member_path, "archive ends inside this member");
		return 1;
	}
	mg_fscan_end(w->fs, &r);
	s->files++;
	s->members++;
	mg_judge_file(s->o->img, w->member_path, w->judge_path, r.size, &r, &s->counted);
	return 0;
}

static void scan_archive(struct worker *w, int fd, const char *path)
{
	char err[256];

	w->archive = path;
	w->s->archives++;
	if (mg_archive_members(fd, on_member, w, err, sizeof(err)))
		scan_error(w->s, path, err);
}

/* ---- one file ------------------------------------------------------------- */

static int open_regular(const char *path, struct stat *st)
{
	/* O_NONBLOCK: should a FIFO replace the file after the walk saw it,
	 * the open must not hang; fstat below turns it away. */
	int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	int fd = open(path, flags | O_NOATIME);

	if (fd < 0 && errno == EPERM) /* O_NOATIME needs the file's owner */
		fd = open(path, flags);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return fd;
}

static void scan_file(struct worker *w, const char *path, uint64_t size)
{
	struct scan *s = w->s;
	struct mg_file_result r;
	struct stat st;
	int fd;

	if (size > s->o->max_size) {
		s->files++;
		s->too_large++;
		mg_judge_file(s->o->img, path, path, size, NULL, &s->counted);
		return;
	}
	fd = open_regular(path, &st);
	if (fd < 0) {
		scan_error(s, path, errno == EINVAL ? "no longer a regular file" : strerror(errno));
		return;
	}
	if (mg_fscan_fd(w->fs, fd, (uint64_t)st.st_size, &r) != 0) {
		scan_error(s, path, strerror(errno));
		close(fd);
		return;
	}
	s->files++;
	s->bytes += r.size;
	mg_judge_file(s->o->img, path, path, r.size, &r, &s->counted);
	if (mg_archive_probe(fd))
		scan_archive(w, fd, path);
	close(fd);
}

/* ---- queue and threads ---------------------------------------------------- */

static void *reader(void *arg)
{
	struct worker *w = arg;
	struct scan *s = w->s;

	for (;;) {
		struct job j;

		pthread_mutex_lock(&s->lock);
		while (s->len == 0 && !s->walk_done)
			pthread_cond_wait(&s->not_empty, &s->lock);
		if (s->len == 0) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		j = s->queue[s->head];
		s->head = (s->head + 1) % QUEUE_LEN;
		s->len--;
		pthread_cond_signal(&s->not_full);
		pthread_mutex_unlock(&s->lock);
		scan_file(w, j.path, j.size);
		free(j.path);
	}
}

static int enqueue(struct scan *s, const char *path, uint64_t size)
{
	char *copy = strdup(path);

	if (!copy)
		return -1;
	pthread_mutex_lock(&s->lock);
	while (s->len == QUEUE_LEN)
		pthread_cond_wait(&s->not_full, &s->lock);
	s->queue[(s->head + s->len) % QUEUE_LEN] = (struct job){ copy, size };
	s->len++;
	pthread_cond_signal(&s->not_empty);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static int on_entry(void *ctx, const char *path, enum mg_walk_type type, const struct stat *st,
		    int err)
{
	struct scan *s = ctx;

	switch (type) {
	case MG_WALK_FILE:
		if (enqueue(s, path, (uint64_t)st->st_size)) {
			scan_error(s, path, "out of memory");
			return 1;
		}
		break;
	case MG_WALK_LINK: /* its name is judged; the target is not followed */
		s->links++;
		mg_judge_link(s->o->img, path, &s->counted);
		break;
	case MG_WALK_SPECIAL:
		s->special++;
		break;
	case MG_WALK_ERROR:
		scan_error(s, path, strerror(err));
		break;
	}
	return 0;
}

static void print_progress(struct scan *s, double t)
{
	double secs = t - s->t0, mb = (double)s->bytes / 1e6;

	fprintf(stderr, "minerguard scan: %llu files, %.1f MB, %.1f MB/s, %llu findings\n",
		(unsigned long long)s->files, mb, secs > 0 ? mb / secs : 0.0,
		(unsigned long long)s->findings);
}

static void *progress(void *arg)
{
	struct scan *s = arg;

	pthread_mutex_lock(&s->lock);
	while (!s->all_done) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += PROGRESS_EVERY_S;
		if (pthread_cond_timedwait(&s->progress_wake, &s->lock, &ts) == ETIMEDOUT &&
		    !s->all_done)
			print_progress(s, now_s());
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void fill_stats(struct scan *s, struct mg_scan_stats *st)
{
	*st = (struct mg_scan_stats){
		.files = s->files, .bytes = s->bytes, .archives = s->archives,
		.members = s->members, .links = s->links, .special = s->special,
		.too_large = s->too_large, .findings = s->findings, .errors = s->errors,
		.secs = now_s() - s->t0,
	};
}

static void free_workers(struct worker *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		mg_fscan_free(w[i].fs);
		free(w[i].member_path);
		free(w[i].judge_path);
	}
	free(w);
}

int mg_scan_run(const struct mg_scan_opts *o, const char *const *roots, size_t nroots,
		struct mg_scan_stats *st)
{
	struct scan s = { .o = o };
	unsigned jobs = o->jobs ? o->jobs : 1, started = 0;
	struct worker *w = calloc(jobs, sizeof(*w));
	pthread_t *tid = calloc(jobs, sizeof(*tid)), ptid;
	bool have_progress = false;
	int rc = 0;

	if (!w || !tid) {
		free(w);
		free(tid);
		return -1;
	}
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.not_empty, NULL);
	pthread_cond_init(&s.not_full, NULL);
	pthread_cond_init(&s.progress_wake, NULL);
	s.counted = (struct mg_finding_sink){ .report = report_locked, .ctx = &s };
	s.t0 = now_s();
	for (unsigned i = 0; i < jobs; i++) {
		w[i].s = &s;
		if (!(w[i].fs = mg_fscan_new(o->engine)) ||
		    pthread_create(&tid[i], NULL, reader, &w[i]) != 0) {
			rc = -1;
			break;
		}
		started++;
	}
	if (rc == 0 && o->progress)
		have_progress = pthread_create(&ptid, NULL, progress, &s) == 0;
	for (size_t i = 0; rc == 0 && i < nroots; i++)
		mg_walk(roots[i], on_entry, &s);

	pthread_mutex_lock(&s.lock);
	s.walk_done = true;
	pthread_cond_broadcast(&s.not_empty);
	pthread_mutex_unlock(&s.lock);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_lock(&s.lock);
	s.all_done = true;
	pthread_cond_signal(&s.progress_wake);
	pthread_mutex_unlock(&s.lock);
	if (have_progress)
		pthread_join(ptid, NULL);
	if (o->sink->finish)
		o->sink->finish(o->sink->ctx);
	fill_stats(&s, st);
	free_workers(w, jobs);
	free(tid);
	pthread_cond_destroy(&s.not_empty);
	pthread_cond_destroy(&s.not_full);
	pthread_cond_destroy(&s.progress_wake);
	pthread_mutex_destroy(&s.lock);
	return rc;
}
