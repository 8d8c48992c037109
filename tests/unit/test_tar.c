/* The tar reader (src/scan/tar.c) and archive detection (archive.c), on
 * tarballs built here byte by byte: ustar names with a prefix, GNU long
 * names ('L'), pax path= and size=, gzip, and damaged archives. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "archive.h"
#include "tar.h"

/* An archive being built in memory. */
struct tarbuf {
	unsigned char *p;
	size_t len;
};

static void put(struct tarbuf *t, const void *data, size_t n)
{
	t->p = realloc(t->p, t->len + n);
	memcpy(t->p + t->len, data, n);
	t->len += n;
}

static void pad(struct tarbuf *t)
{
	static const unsigned char zero[MG_TAR_BLOCK];

	if (t->len % MG_TAR_BLOCK)
		put(t, zero, MG_TAR_BLOCK - t->len % MG_TAR_BLOCK);
}

/* One header; prefix != NULL makes it ustar with that prefix. */
static void header(struct tarbuf *t, const char *name, const char *prefix, size_t size, char type)
{
	unsigned char h[MG_TAR_BLOCK] = { 0 };
	unsigned sum = 0;

	strncpy((char *)h, name, 100);
	snprintf((char *)h + 100, 8, "%07o", 0644);
	assert_true(size < 077777777777ull);
	for (int i = 10; i >= 0; i--, size /= 8) /* 11 octal digits and a NUL */
		h[124 + i] = (unsigned char)('0' + size % 8);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar\0" "00", 8);
	if (prefix)
		strncpy((char *)h + 345, prefix, 155);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < MG_TAR_BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	put(t, h, sizeof(h));
}

static void member(struct tarbuf *t, const char *name, const char *prefix, const char *data,
		   size_t n)
{
	header(t, name, prefix, n, '0');
	put(t, data, n);
	pad(t);
}

static void finish(struct tarbuf *t)
{
	static const unsigned char zero[2 * MG_TAR_BLOCK];

	put(t, zero, sizeof(zero));
}

static char *long_name(size_t n, char c)
{
	char *s = malloc(n + 1);

	for (size_t i = 0; i < n; i++)
		s[i] = (i % 20 == 19) ? '/' : c;
	s[n] = '\0';
	return s;
}

/* Writes the archive to a temporary file, gzip'd or not; returns an fd. */
static int to_file(const struct tarbuf *t, int gz, char *path)
{
	int fd;

	strcpy(path, "/tmp/mg-tar-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	if (gz) {
		gzFile g = gzdopen(dup(fd), "wb");

		assert_non_null(g);
		assert_int_equal(gzwrite(g, t->p, (unsigned)t->len), (int)t->len);
		assert_int_equal(gzclose(g), Z_OK);
	} else {
		assert_int_equal(write(fd, t->p, t->len), (ssize_t)t->len);
	}
	return fd;
}

struct seen {
	char names[8][5000];
	char data[8][64];
	uint64_t sizes[8];
	char types[8];
	int n;
};

static int record(void *ctx, const struct mg_tar_member *m, struct mg_tar *t)
{
	struct seen *s = ctx;
	char buf[7]; /* small reads: the data comes in several pieces */
	size_t got = 0;
	ssize_t r;

	assert_true(s->n < 8);
	snprintf(s->names[s->n], sizeof(s->names[0]), "%s", m->name);
	s->sizes[s->n] = m->size;
	s->types[s->n] = m->type;
	while ((r = mg_tar_read(t, buf, sizeof(buf))) > 0) {
		assert_true(got + (size_t)r < sizeof(s->data[0]));
		memcpy(s->data[s->n] + got, buf, (size_t)r);
		got += (size_t)r;
	}
	assert_int_equal(r, 0);
	assert_int_equal(got, m->size);
	s->n++;
	return 0;
}

static void build_sample(struct tarbuf *t, char **gnu, char **pax)
{
	char rec[5200];

	*gnu = long_name(300, 'g');
	*pax = long_name(4000, 'p');
	member(t, "plain.txt", NULL, "hello", 5);
	member(t, "in/prefix.bin", "very/deep", "0123456789", 10);
	header(t, "dir/", NULL, 0, '5');
	/* GNU: a ././@LongLink entry whose data is the next member's name */
	header(t, "././@LongLink", NULL, strlen(*gnu) + 1, 'L');
	put(t, *gnu, strlen(*gnu) + 1);
	pad(t);
	member(t, "truncated-gnu-name", NULL, "gnu data", 8);
	/* pax: "LEN path=...\n" where LEN counts the whole record; size= too */
	{
		size_t body = strlen(" path=") + strlen(*pax) + 1, len = body;
		char sz[] = "10 size=3\n"; /* 10 bytes, so LEN "10" */

		while ((size_t)snprintf(NULL, 0, "%zu", len) + body != len)
			len = (size_t)snprintf(NULL, 0, "%zu", len) + body;
		snprintf(rec, sizeof(rec), "%zu path=%s\n%s", len, *pax, sz);
		header(t, "PaxHeaders/x", NULL, strlen(rec), 'x');
		put(t, rec, strlen(rec));
		pad(t);
		/* the header says 9 bytes; pax size=3 wins */
		header(t, "short-pax-name", NULL, 9, '0');
		put(t, "abc", 3);
		pad(t);
	}
	finish(t);
}

static void check_sample(const struct seen *s, const char *gnu, const char *pax)
{
	assert_int_equal(s->n, 5);
	assert_string_equal(s->names[0], "plain.txt");
	assert_string_equal(s->data[0], "hello");
	assert_string_equal(s->names[1], "very/deep/in/prefix.bin");
	assert_string_equal(s->data[1], "0123456789");
	assert_string_equal(s->names[2], "dir/");
	assert_int_equal(s->types[2], '5');
	assert_int_equal(s->sizes[2], 0);
	assert_string_equal(s->names[3], gnu);
	assert_string_equal(s->data[3], "gnu data");
	assert_string_equal(s->names[4], pax);
	assert_int_equal(s->sizes[4], 3);
	assert_string_equal(s->data[4], "abc");
	assert_true(mg_tar_is_file(&(struct mg_tar_member){ .type = s->types[4] }));
	assert_false(mg_tar_is_file(&(struct mg_tar_member){ .type = s->types[2] }));
}

static void run_sample(int gz)
{
	struct tarbuf t = { 0 };
	struct seen s;
	char *gnu, *pax, path[32], err[256];
	int fd;

	memset(&s, 0, sizeof(s));
	build_sample(&t, &gnu, &pax);
	fd = to_file(&t, gz, path);
	assert_true(mg_archive_probe(fd));
	if (mg_archive_members(fd, record, &s, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	check_sample(&s, gnu, pax);
	close(fd);
	unlink(path);
	free(gnu);
	free(pax);
	free(t.p);
}

static void test_plain_tar(void **state)
{
	(void)state;
	run_sample(0);
}

static void test_tar_gz(void **state)
{
	(void)state;
	run_sample(1);
}

/* Members whose data the caller does not read are skipped over. */
static int names_only(void *ctx, const struct mg_tar_member *m, struct mg_tar *t)
{
	(void)t;
	(*(int *)ctx)++;
	(void)m;
	return 0;
}

static void test_unread_members_are_skipped(void **state)
{
	struct tarbuf t = { 0 };
	char *gnu, *pax, path[32], err[256];
	int fd, n = 0;

	(void)state;
	build_sample(&t, &gnu, &pax);
	fd = to_file(&t, 1, path);
	assert_int_equal(mg_archive_members(fd, names_only, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 5);
	close(fd);
	unlink(path);
	free(gnu);
	free(pax);
	free(t.p);
}

static void test_damaged(void **state)
{
	struct tarbuf t = { 0 };
	struct seen s;
	char path[32], err[256];
	int fd;

	(void)state;
	memset(&s, 0, sizeof(s));
	member(&t, "first", NULL, "ok", 2);
	member(&t, "second", NULL, "ok", 2);
	t.p[MG_TAR_BLOCK * 2 + 10] ^= 0x55; /* the second header's name */
	fd = to_file(&t, 1, path);
	assert_int_equal(mg_archive_members(fd, record, &s, err, sizeof(err)), -1);
	assert_string_equal(err, "tar: bad header checksum at offset 1024");
	assert_int_equal(s.n, 1);
	close(fd);
	unlink(path);
	free(t.p);

	/* cut inside a member's data */
	t = (struct tarbuf){ 0 };
	memset(&s, 0, sizeof(s));
	header(&t, "big", NULL, 5000, '0');
	put(&t, "only this", 9);
	fd = to_file(&t, 0, path);
	assert_true(mg_archive_probe(fd));
	assert_int_equal(mg_archive_members(fd, names_only, &s.n, err, sizeof(err)), -1);
	assert_string_equal(err, "tar: archive ends inside a member");
	close(fd);
	unlink(path);
	free(t.p);
}

/* gzip of something else, and plain files, are not archives. */
static void test_probe_negative(void **state)
{
	struct tarbuf t = { 0 };
	char path[32];
	int fd;

	(void)state;
	for (int i = 0; i < 100; i++)
		put(&t, "not a tar archive at all, just some text\n", 41);
	fd = to_file(&t, 1, path);
	assert_false(mg_archive_probe(fd));
	close(fd);
	unlink(path);
	fd = to_file(&t, 0, path);
	assert_false(mg_archive_probe(fd));
	close(fd);
	unlink(path);
	free(t.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_tar),
		cmocka_unit_test(test_tar_gz),
		cmocka_unit_test(test_unread_members_are_skipped),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_probe_negative),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
