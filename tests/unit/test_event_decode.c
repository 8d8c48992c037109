// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Ring buffer records: header, path and exe as long as they are. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

/* A wire record as the programs build it. */
static size_t wire(unsigned char *buf, const char *path, const char *exe)
{
	struct mg_event h;
	size_t plen = strlen(path) + 1, elen = strlen(exe) + 1;

	memset(&h, 0, sizeof(h));
	h.pid = 42;
	h.rule = 7;
	h.path_len = (__u16)plen;
	h.exe_len = (__u16)elen;
	memcpy(h.comm, "xmrig", 6);
	memcpy(buf, &h, MG_EVENT_HDR_SIZE);
	memcpy(buf + MG_EVENT_HDR_SIZE, path, plen);
	memcpy(buf + MG_EVENT_HDR_SIZE + plen, exe, elen);
	return MG_EVENT_HDR_SIZE + plen + elen;
}

static void decodes_short_record(void **state)
{
	static unsigned char buf[sizeof(struct mg_event)];
	struct mg_event *ev = malloc(sizeof(*ev));
	size_t n = wire(buf, "/tmp/x/xmrig", "/usr/bin/sh");

	(void)state;
	assert_true(n < 200);
	assert_int_equal(mg_event_decode(ev, buf, n), 0);
	assert_int_equal(ev->pid, 42);
	assert_int_equal(ev->rule, 7);
	assert_string_equal(ev->comm, "xmrig");
	assert_string_equal(ev->path, "/tmp/x/xmrig");
	assert_string_equal(ev->exe, "/usr/bin/sh");
	free(ev);
}

static void decodes_longest_record(void **state)
{
	static unsigned char buf[sizeof(struct mg_event)];
	static char path[MG_PATH_MAX], exe[MG_PATH_MAX];
	struct mg_event *ev = malloc(sizeof(*ev));
	size_t n;

	(void)state;
	memset(path, 'p', sizeof(path) - 1);
	memset(exe, 'e', sizeof(exe) - 1);
	n = wire(buf, path, exe);
	assert_int_equal(n, sizeof(struct mg_event));
	assert_int_equal(mg_event_decode(ev, buf, n), 0);
	assert_int_equal(strlen(ev->path), MG_PATH_MAX - 1);
	assert_int_equal(strlen(ev->exe), MG_PATH_MAX - 1);
	free(ev);
}

/* Lengths that do not fit the record, or none: refused, nothing read past
 * the end (ASan watches). */
static void refuses_bad_lengths(void **state)
{
	unsigned char *buf;
	struct mg_event *ev = malloc(sizeof(*ev)), *h;
	size_t n;

	(void)state;
	buf = malloc(sizeof(struct mg_event));
	n = wire(buf, "/a", "/b");
	assert_int_equal(mg_event_decode(ev, buf, n - 1), -1);
	assert_int_equal(mg_event_decode(ev, buf, MG_EVENT_HDR_SIZE - 1), -1);
	h = (struct mg_event *)buf;
	h->path_len = 0;
	assert_int_equal(mg_event_decode(ev, buf, n), -1);
	h->path_len = MG_PATH_MAX + 1;
	assert_int_equal(mg_event_decode(ev, buf, n), -1);
	h->path_len = 3;
	h->exe_len = 0;
	assert_int_equal(mg_event_decode(ev, buf, n), -1);
	/* a path without its NUL is cut, never read on */
	h->exe_len = 3;
	buf[MG_EVENT_HDR_SIZE + 2] = 'x';
	assert_int_equal(mg_event_decode(ev, buf, n), 0);
	assert_string_equal(ev->path, "/a");
	free(buf);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_short_record),
		cmocka_unit_test(decodes_longest_record),
		cmocka_unit_test(refuses_bad_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
