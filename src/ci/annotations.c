// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Workflow-command escaping and the annotation cap, see annotations.h. */
#include "annotations.h"

#include <stdlib.h>
#include <string.h>

char *mg_gh_escape(const char *s, int property)
{
	size_t n = 0;
	char *out, *o;

	for (const char *p = s; *p; p++)
		n++;
	out = malloc(n * 3 + 1); /* every byte at most "%XX" */
	if (!out)
		return NULL;
	for (o = out; *s; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '%': rep = "%25"; break;
		case '\r': rep = "%0D"; break;
		case '\n': rep = "%0A"; break;
		case ':': rep = property ? "%3A" : NULL; break;
		case ',': rep = property ? "%2C" : NULL; break;
		}
		if (rep) {
			memcpy(o, rep, 3);
			o += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

void mg_annotator_init(struct mg_annotator *a, FILE *out, unsigned max)
{
	a->out = out;
	a->max = max;
	a->emitted = 0;
	a->dropped = 0;
}

int mg_annotate(struct mg_annotator *a, const struct mg_annotation *an)
{
	char *file = NULL, *title = NULL, *msg = NULL;
	int rc = -1;

	if (a->emitted >= a->max) {
		a->dropped++;
		return 0;
	}
	msg = mg_gh_escape(an->message ? an->message : "", 0);
	if (an->file)
		file = mg_gh_escape(an->file, 1);
	if (an->title)
		title = mg_gh_escape(an->title, 1);
	if (!msg || (an->file && !file) || (an->title && !title)) {
		a->dropped++;
		goto out;
	}
	fprintf(a->out, "::%s%s", an->error ? "error" : "warning", file || title ? " " : "");
	if (file)
		fprintf(a->out, "file=%s,line=%u%s", file, an->line ? an->line : 1, title ? "," : "");
	if (title)
		fprintf(a->out, "title=%s", title);
	fprintf(a->out, "::%s\n", msg);
	a->emitted++;
	rc = 0;
out:
	free(file);
	free(title);
	free(msg);
	return rc;
}
