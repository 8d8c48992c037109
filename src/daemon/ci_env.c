// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The CI step from /proc/PID/environ, see ci_env.h. */
#include "ci_env.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Runners' environments are tens of KiB; this bounds the work per event. */
#define ENVIRON_READ_MAX (1u << 20)

enum { V_STEP, V_JOB, V_WORKFLOW, V_GITLAB_JOB, V_COUNT };

static const char *const names[V_COUNT] = {
	[V_STEP] = "GITHUB_ACTION",
	[V_JOB] = "GITHUB_JOB",
	[V_WORKFLOW] = "GITHUB_WORKFLOW",
	[V_GITLAB_JOB] = "CI_JOB_NAME",
};

/* An entry at a time, whatever the pieces: only the name is buffered, and
 * only the values of the names above are ever copied. */
struct scan {
	struct mg_ci_env *e;
	char key[16];
	size_t klen;
	enum { IN_KEY, IN_VALUE, SKIP } st;
	char *dst;
	size_t dlen;
	bool cut;
	bool seen[V_COUNT];
};

static void scan_init(struct scan *s, struct mg_ci_env *e)
{
	memset(e, 0, sizeof(*e));
	memset(s, 0, sizeof(*s));
	s->e = e;
}

/* Bytes of s[0..n) that end on a whole UTF-8 character. */
static size_t utf8_whole(const char *s, size_t n)
{
	size_t i = n, cont = 0, need;
	unsigned char lead;

	while (cont < 3 && i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80) {
		i--;
		cont++;
	}
	if (i == 0)
		return n;
	lead = (unsigned char)s[i - 1];
	need = (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : (lead & 0xf8) == 0xf0 ? 4 : 1;
	return need > cont + 1 ? i - 1 : n;
}

static char *field(struct mg_ci_env *e, int v)
{
	return v == V_STEP ? e->step : v == V_WORKFLOW ? e->workflow : e->job;
}

static void name_done(struct scan *s)
{
	int v;

	s->st = SKIP;
	for (v = 0; v < V_COUNT; v++)
		if (strlen(names[v]) == s->klen && !memcmp(names[v], s->key, s->klen))
			break;
	if (v == V_COUNT || s->seen[v])
		return;
	s->seen[v] = true;
	/* GitHub's job name wins over GitLab's (a GitLab job run by act...) */
	if (v == V_GITLAB_JOB && s->seen[V_JOB])
		return;
	s->dst = field(s->e, v);
	s->dlen = 0;
	s->cut = false;
	s->st = IN_VALUE;
}

static void entry_done(struct scan *s)
{
	if (s->st == IN_VALUE)
		s->dst[s->cut ? utf8_whole(s->dst, s->dlen) : s->dlen] = '\0';
	s->st = IN_KEY;
	s->klen = 0;
}

static void scan_feed(struct scan *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == '\0') {
			entry_done(s);
		} else if (s->st == IN_KEY) {
			if (c == '=')
				name_done(s);
			else if (s->klen < sizeof(s->key))
				s->key[s->klen++] = c;
			else
				s->st = SKIP; /* longer than any name we want */
		} else if (s->st == IN_VALUE) {
			if (s->dlen < MG_CI_ENV_VALUE_BYTES - 1)
				s->dst[s->dlen++] = c;
			else
				s->cut = true;
		}
	}
}

static void scan_end(struct scan *s)
{
	entry_done(s);
	explicit_bzero(s->key, sizeof(s->key));
}

void mg_ci_env_parse(const char *block, size_t len, struct mg_ci_env *e)
{
	struct scan s;

	scan_init(&s, e);
	scan_feed(&s, block, len);
	scan_end(&s);
}

bool mg_ci_env_read(const char *proc_root, pid_t pid, struct mg_ci_env *e)
{
	char path[PATH_MAX], buf[4096];
	size_t total = 0;
	struct scan s;
	ssize_t n;
	int fd;

	scan_init(&s, e);
	snprintf(path, sizeof(path), "%s/%d/environ", proc_root, (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (total < ENVIRON_READ_MAX && (n = read(fd, buf, sizeof(buf))) > 0) {
		scan_feed(&s, buf, (size_t)n);
		total += (size_t)n;
	}
	close(fd);
	/* the buffer held the job's secrets: leave none on the stack */
	explicit_bzero(buf, sizeof(buf));
	scan_end(&s);
	return mg_ci_env_any(e);
}
