// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A tar reader written from the POSIX pax / ustar format description. */
#include "tar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Offsets and sizes of the ustar header fields used here. */
#define H_NAME 0
#define H_NAME_LEN 100
#define H_SIZE 124
#define H_SIZE_LEN 12
#define H_CHKSUM 148
#define H_CHKSUM_LEN 8
#define H_TYPE 156
#define H_MAGIC 257
#define H_PREFIX 345
#define H_PREFIX_LEN 155
#define META_MAX (1u << 20) /* longest 'L' or 'x' data we accept */

struct mg_tar {
	gzFile gz;
	uint64_t offset;  /* of the next byte in the decompressed stream */
	uint64_t left;    /* data bytes of the current member not yet read */
	uint64_t pad;     /* padding after them */
	char name[MG_TAR_NAME_MAX + 1];
	char long_name[MG_TAR_NAME_MAX + 1]; /* from 'L' or pax path=, for the next member */
	bool have_long_name;
	bool have_pax_size;
	uint64_t pax_size;
};

static uint64_t parse_octal(const unsigned char *p, size_t n, bool *ok)
{
	uint64_t v = 0;
	size_t i = 0;

	/* GNU base-256: the top bit of the first byte set, big-endian. */
	if (n && (p[0] & 0x80)) {
		v = p[0] & 0x7f;
		for (i = 1; i < n; i++)
			v = v << 8 | p[i];
		return v;
	}
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(p[i] - '0');
	if (i < n && p[i] != '\0' && p[i] != ' ')
		*ok = false;
	return v;
}

bool mg_tar_is_header(const unsigned char b[MG_TAR_BLOCK])
{
	uint64_t sum = 0;
	bool ok = true;
	uint64_t want = parse_octal(b + H_CHKSUM, H_CHKSUM_LEN, &ok);

	for (int i = 0; i < MG_TAR_BLOCK; i++)
		sum += (i >= H_CHKSUM && i < H_CHKSUM + H_CHKSUM_LEN) ? ' ' : b[i];
	return ok && b[H_CHKSUM] != '\0' && sum == want;
}

struct mg_tar *mg_tar_open(gzFile gz)
{
	struct mg_tar *t = calloc(1, sizeof(*t));

	if (!t) {
		gzclose(gz);
		return NULL;
	}
	t->gz = gz;
	gzbuffer(gz, 1u << 17);
	return t;
}

void mg_tar_close(struct mg_tar *t)
{
	if (!t)
		return;
	gzclose(t->gz);
	free(t);
}

/* Exactly n bytes, or -1. */
static int read_exact(struct mg_tar *t, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		int r = gzread(t->gz, (char *)buf + got, (unsigned)(n - got));

		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	t->offset += n;
	return 0;
}

static int skip(struct mg_tar *t, uint64_t n)
{
	char buf[8192];

	while (n > 0) {
		size_t k = n < sizeof(buf) ? (size_t)n : sizeof(buf);

		if (read_exact(t, buf, k))
			return -1;
		n -= k;
	}
	return 0;
}

static uint64_t padding(uint64_t size)
{
	return (MG_TAR_BLOCK - size % MG_TAR_BLOCK) % MG_TAR_BLOCK;
}

static void set_name(char *dst, const char *src, size_t n)
{
	if (n > MG_TAR_NAME_MAX)
		n = MG_TAR_NAME_MAX;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* "prefix/name" of a ustar header, or the plain name of an old one. */
static void header_name(struct mg_tar *t, const unsigned char *h)
{
	size_t nl = strnlen((const char *)h + H_NAME, H_NAME_LEN);
	size_t pl = 0;

	if (memcmp(h + H_MAGIC, "ustar", 5) == 0 && memcmp(h + H_MAGIC, "ustar  ", 7) != 0)
		pl = strnlen((const char *)h + H_PREFIX, H_PREFIX_LEN);
	if (pl) {
		set_name(t->name, (const char *)h + H_PREFIX, pl);
		t->name[pl] = '/';
		set_name(t->name + pl + 1, (const char *)h + H_NAME, nl);
	} else {
		set_name(t->name, (const char *)h + H_NAME, nl);
	}
}

/* pax records "LEN key=value\n": path= names the next member and size=
 * overrides its header size; other keys do not matter here. */
static int parse_pax(struct mg_tar *t, const char *p, size_t n)
{
	size_t at = 0;

	while (at < n) {
		size_t len = 0, i = at;
		const char *rec, *eq;

		while (i < n && p[i] >= '0' && p[i] <= '9')
			len = len * 10 + (size_t)(p[i++] - '0');
		if (i >= n || p[i] != ' ' || len == 0 || at + len > n || i + 1 >= at + len ||
		    p[at + len - 1] != '\n')
			return -1;
		rec = p + i + 1;
		eq = memchr(rec, '=', (size_t)(p + at + len - 1 - rec));
		if (eq && (size_t)(eq - rec) == 4 && memcmp(rec, "path", 4) == 0) {
			set_name(t->long_name, eq + 1, (size_t)(p + at + len - 1 - (eq + 1)));
			t->have_long_name = true;
		} else if (eq && (size_t)(eq - rec) == 4 && memcmp(rec, "size", 4) == 0) {
			t->pax_size = strtoull(eq + 1, NULL, 10);
			t->have_pax_size = true;
		}
		at += len;
	}
	return 0;
}

/* The data of an 'L' or 'x' entry, read whole (bounded by META_MAX). */
static int read_meta(struct mg_tar *t, char type, uint64_t size, char *err, size_t errlen)
{
	char *buf;
	int rc = 0;

	if (size > META_MAX) {
		snprintf(err, errlen, "tar: %c header of %llu bytes at offset %llu is too large", type,
			 (unsigned long long)size, (unsigned long long)t->offset);
		return -1;
	}
	buf = malloc(size + 1);
	if (!buf || read_exact(t, buf, size) || skip(t, padding(size))) {
		snprintf(err, errlen, "tar: archive ends inside a %c header", type);
		free(buf);
		return -1;
	}
	if (type == 'L') {
		set_name(t->long_name, buf, strnlen(buf, size));
		t->have_long_name = true;
	} else if (parse_pax(t, buf, size)) {
		snprintf(err, errlen, "tar: malformed pax header before offset %llu",
			 (unsigned long long)t->offset);
		rc = -1;
	}
	free(buf);
	return rc;
}

static bool all_zero(const unsigned char *b)
{
	for (int i = 0; i < MG_TAR_BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

int mg_tar_next(struct mg_tar *t, struct mg_tar_member *m, char *err, size_t errlen)
{
	unsigned char h[MG_TAR_BLOCK];

	if (skip(t, t->left + t->pad)) {
		snprintf(err, errlen, "tar: archive ends inside a member");
		return -1;
	}
	t->left = t->pad = 0;
	for (;;) {
		bool ok = true;
		uint64_t size;
		char type;

		if (read_exact(t, h, sizeof(h)) || all_zero(h))
			return 0; /* end-of-archive blocks, or a writer that left them out */
		if (!mg_tar_is_header(h)) {
			snprintf(err, errlen, "tar: bad header checksum at offset %llu",
				 (unsigned long long)(t->offset - MG_TAR_BLOCK));
			return -1;
		}
		size = parse_octal(h + H_SIZE, H_SIZE_LEN, &ok);
		type = (char)h[H_TYPE];
		if (type == 'L' || type == 'x') {
			if (read_meta(t, type, size, err, errlen))
				return -1;
			continue;
		}
		if (type == 'g' || type == 'K') { /* global pax, GNU long link: not needed */
			if (skip(t, size + padding(size))) {
				snprintf(err, errlen, "tar: archive ends inside a %c header", type);
				return -1;
			}
			continue;
		}
		if (t->have_pax_size)
			size = t->pax_size;
		if (t->have_long_name)
			strcpy(t->name, t->long_name);
		else
			header_name(t, h);
		t->have_long_name = t->have_pax_size = false;
		/* Links, directories and devices carry no data in the archive. */
		if (type == '1' || type == '2' || type == '3' || type == '4' || type == '5' ||
		    type == '6')
			size = 0;
		t->left = size;
		t->pad = padding(size);
		m->name = t->name;
		m->size = size;
		m->type = type;
		return 1;
	}
}

ssize_t mg_tar_read(struct mg_tar *t, void *buf, size_t cap)
{
	int r;

	if (t->left == 0)
		return 0;
	if (cap > t->left)
		cap = (size_t)t->left;
	if (cap > (1u << 30))
		cap = 1u << 30;
	r = gzread(t->gz, buf, (unsigned)cap);
	if (r <= 0)
		return -1;
	t->left -= (uint64_t)r;
	t->offset += (uint64_t)r;
	return r;
}

bool mg_tar_is_file(const struct mg_tar_member *m)
{
	return m->type == '0' || m->type == '\0' || m->type == '7';
}
