// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The Markdown job summary, see summary.h. */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Room kept after the table for the closing lines (notes are cut to fit). */
#define FOOTER_ROOM 16384
#define NOTE_MAX 512
#define CELL_MAX 300

/* s as the text of one table cell: Markdown and HTML specials escaped,
 * control characters as spaces, cut at CELL_MAX bytes. */
static void cell(struct mg_sb *b, const char *s)
{
	size_t n = 0;

	if (!s || !*s) {
		mg_sb_puts(b, "–");
		return;
	}
	/* the cut never splits a UTF-8 sequence */
	for (; *s && (n < CELL_MAX || ((unsigned char)*s & 0xc0) == 0x80); s++, n++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			mg_sb_puts(b, " ");
		else if (c == '&')
			mg_sb_puts(b, "&amp;");
		else if (c == '<')
			mg_sb_puts(b, "&lt;");
		else if (c == '>')
			mg_sb_puts(b, "&gt;");
		else if (strchr("\\`*_[]|#~!", c)) {
			char e[2] = { '\\', (char)c };

			mg_sb_add(b, e, 2);
		} else {
			mg_sb_add(b, (const char *)&c, 1);
		}
	}
	if (*s)
		mg_sb_puts(b, "…");
}

/* "2026-12-04T21:03:04.123456789Z" as "2026-12-04 21:03:04" */
static void when(struct mg_sb *b, const char *ts)
{
	char t[20];

	if (!ts || strlen(ts) < 19) {
		mg_sb_puts(b, "–");
		return;
	}
	memcpy(t, ts, 19);
	t[10] = ' ';
	t[19] = '\0';
	cell(b, t);
}

static void header(struct mg_sb *b, const struct mg_ci_report *r, const struct mg_ci_meta *m)
{
	const char *mode = r->mode ? r->mode : m->mode;
	const char *backend = r->backend ? r->backend : m->backend;
	const char *ver = r->policy_version ? r->policy_version : m->policy_version;
	const char *sha = r->policy_sha256 ? r->policy_sha256 : m->policy_sha256;
	long long rules = r->rules >= 0 ? r->rules : m->rules;

	mg_sb_puts(b, "Mode: **");
	cell(b, mode ? mode : "unknown");
	mg_sb_puts(b, "** · backend: **");
	cell(b, backend ? backend : "not reported");
	mg_sb_puts(b, "** · policy version ");
	cell(b, ver ? ver : "unknown");
	if (sha) {
		mg_sb_puts(b, ", sha256 ");
		mg_sb_printf(b, "%.12s", sha);
	}
	if (rules >= 0)
		mg_sb_printf(b, ", %lld rules", rules);
	mg_sb_puts(b, "\n\n");
}

static void title(struct mg_sb *b, const struct mg_ci_report *r, const struct mg_ci_meta *m)
{
	unsigned long long blocked = 0, audited = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		if (r->rows[i].verdict == MG_CI_V_BLOCK)
			blocked += r->rows[i].count;
		else if (r->rows[i].verdict == MG_CI_V_AUDIT)
			audited += r->rows[i].count;
	}
	if (!m->monitored)
		mg_sb_puts(b, "### minerguard: not monitored");
	else if (!r->nrows)
		mg_sb_puts(b, "### minerguard: no miner activity");
	else
		mg_sb_printf(b, "### minerguard: %llu blocked, %llu audited", blocked, audited);
	if (r->findings)
		mg_sb_printf(b, "%s%llu found by scans", m->monitored && r->nrows ? ", " : " · ",
			     r->findings);
	mg_sb_puts(b, "\n\n");
}

static void process_cell(struct mg_sb *b, const struct mg_ci_row *w)
{
	if (w->verdict == MG_CI_V_FOUND) {
		mg_sb_puts(b, "scan of ");
		cell(b, w->scan_root);
		if (w->sha256)
			mg_sb_printf(b, ", sha256 %.12s", w->sha256);
		return;
	}
	if (w->ancestry) {
		/* "mg-probe(123) ← sh(120) ← Runner.Worker(50)": what started it */
		cell(b, w->ancestry);
		mg_sb_puts(b, " ·");
	} else {
		cell(b, w->process ? w->process : "?");
		mg_sb_printf(b, " (pid %lld, parent %lld)", w->pid, w->ppid);
	}
	if (w->executable) {
		mg_sb_puts(b, " ");
		cell(b, w->executable);
	}
	if (w->args) {
		mg_sb_puts(b, " · args: ");
		cell(b, w->args);
	}
	if (w->parent_executable) {
		mg_sb_puts(b, " · parent: ");
		cell(b, w->parent_executable);
	}
	if (w->other_pids)
		mg_sb_printf(b, " · %llu more by other processes", w->other_pids);
}

/* The step that did it: GitHub's GITHUB_ACTION ("__run_2", a step id or
 * an action) and the job, or GitLab's job name. */
static void step_cell(struct mg_sb *b, const struct mg_ci_row *w)
{
	if (!w->step && !w->job) {
		mg_sb_puts(b, "–");
		return;
	}
	if (w->step)
		cell(b, w->step);
	if (w->job) {
		mg_sb_puts(b, w->step ? " (job " : "job ");
		cell(b, w->job);
		if (w->step)
			mg_sb_puts(b, ")");
	}
}

static void row(struct mg_sb *b, const struct mg_ci_row *w)
{
	mg_sb_printf(b, "| %s%s | ", mg_ci_verdict_name(w->verdict),
		     w->verdict == MG_CI_V_AUDIT && w->blocks ? " (would block)" : "");
	cell(b, w->rule);
	mg_sb_puts(b, " | ");
	cell(b, w->path);
	mg_sb_printf(b, " | %llu | ", w->count);
	when(b, w->first[0] ? w->first : NULL);
	mg_sb_puts(b, " | ");
	when(b, w->last[0] ? w->last : NULL);
	mg_sb_puts(b, " | ");
	cell(b, w->hook);
	mg_sb_puts(b, " | ");
	step_cell(b, w);
	mg_sb_puts(b, " | ");
	process_cell(b, w);
	mg_sb_puts(b, " |\n");
}

/* Rows while they fit in cap - FOOTER_ROOM; returns how many were left out. */
static size_t table(struct mg_sb *b, const struct mg_ci_report *r, size_t cap)
{
	size_t i;

	if (!r->nrows)
		return 0;
	mg_sb_puts(b, "| verdict | rule | file | count | first | last | hook | step | process |\n"
		      "|---|---|---|---:|---|---|---|---|---|\n");
	for (i = 0; i < r->nrows; i++) {
		struct mg_sb one = { 0 };

		row(&one, &r->rows[i]);
		if (one.oom || b->len + one.len + FOOTER_ROOM > cap) {
			mg_sb_free(&one);
			break;
		}
		mg_sb_add(b, one.s, one.len);
		mg_sb_free(&one);
	}
	return r->nrows - i;
}

static void note(struct mg_sb *b, const char *s)
{
	char buf[NOTE_MAX + 1];

	snprintf(buf, sizeof(buf), "%s", s);
	mg_sb_puts(b, "- ");
	cell(b, buf);
	mg_sb_puts(b, "\n");
}

static void footer(struct mg_sb *b, const struct mg_ci_report *r, const struct mg_ci_meta *m,
		   size_t left_out, size_t cap)
{
	size_t i;

	mg_sb_puts(b, "\n");
	if (left_out)
		mg_sb_printf(b, "**%zu more rows not shown** (the summary stays under 1 MiB)%s%s.\n\n",
			     left_out, m->log_path ? "; every decision is in " : "",
			     m->log_path ? m->log_path : "");
	if (m->annotations_dropped)
		mg_sb_printf(b, "%u more annotations not shown (at most 10 per job step).\n\n",
			     m->annotations_dropped);
	if (r->dropped)
		mg_sb_printf(b, "%llu decisions were not logged (ring buffer full); their verdicts "
				"still applied.\n\n", r->dropped);
	if (r->suppressed)
		mg_sb_printf(b, "%llu decision lines were suppressed by the rate limit.\n\n",
			     r->suppressed);
	if (r->bad_lines)
		mg_sb_printf(b, "%llu unreadable log lines were skipped.\n\n", r->bad_lines);
	if (r->decisions)
		mg_sb_puts(b, "Processes: the first decision's process per row (pid, parent pid, "
			      "name and executable from the kernel; arguments, parent executable "
			      "and ancestry, process ← parent ← ..., read from /proc afterwards, "
			      "when the processes still ran). Step: `GITHUB_ACTION` (`__run`, "
			      "`__run_2`, ...: the job's first, second, ... `run` step without an "
			      "`id`; else the step's `id` or the action) and the job (`GITHUB_JOB`, "
			      "or GitLab's `CI_JOB_NAME`), from the environment of the process or "
			      "of its nearest ancestor; – when neither was left to read.\n\n");
	/* an escaped note takes at most 5 bytes per byte ("&amp;") */
	for (i = 0; i < m->nnotes && b->len + NOTE_MAX * 5 + 1024 <= cap; i++)
		note(b, m->notes[i]);
	if (m->nnotes)
		mg_sb_puts(b, "\n");
	if (m->fail_on)
		mg_sb_printf(b, "Failing policy `--fail-on %s`: %s.\n\n", m->fail_on,
			     m->failing ? "**the job fails**" : "the job passes");
}

char *mg_ci_summary(const struct mg_ci_report *r, const struct mg_ci_meta *m, size_t cap,
		    size_t *len)
{
	struct mg_sb b = { 0 };
	size_t left_out;

	title(&b, r, m);
	header(&b, r, m);
	if (!m->monitored) {
		mg_sb_puts(&b, m->start_failed ? "`minerguard ci start` failed"
					       : "The runner's kernel could not host minerguard");
		if (m->reason) {
			mg_sb_puts(&b, ": ");
			cell(&b, m->reason);
		}
		mg_sb_puts(&b, ". Nothing was blocked or recorded while the job ran.\n\n");
	} else if (!r->decisions) {
		mg_sb_puts(&b, "No miner file was opened, executed, mapped or created while the "
			       "job ran.\n\n");
	}
	left_out = table(&b, r, cap);
	footer(&b, r, m, left_out, cap);
	if (b.oom || b.len > cap) {
		mg_sb_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.s;
}
