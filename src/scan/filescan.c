// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Single-pass digest + content search over a stream of chunks. */
#include "filescan.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "sha256.h"

struct mg_file_scanner {
	const struct mg_content_engine *engine;
	struct mg_content_scan *cs;
	const struct mg_image_content **matched;
	unsigned char *buf;
	struct mg_sha256 sha;
	uint64_t fed;
	bool content;
};

struct mg_file_scanner *mg_fscan_new(const struct mg_content_engine *engine)
{
	struct mg_file_scanner *fs = calloc(1, sizeof(*fs));
	size_t n = engine ? mg_content_nrules(engine) : 0;

	if (!fs)
		return NULL;
	fs->engine = engine;
	fs->buf = malloc(MG_SCAN_CHUNK);
	fs->matched = calloc(n ? n : 1, sizeof(*fs->matched));
	if (engine)
		fs->cs = mg_content_scan_new(engine);
	if (!fs->buf || !fs->matched || (engine && !fs->cs)) {
		mg_fscan_free(fs);
		return NULL;
	}
	return fs;
}

void mg_fscan_free(struct mg_file_scanner *fs)
{
	if (!fs)
		return;
	mg_content_scan_free(fs->cs);
	free(fs->matched);
	free(fs->buf);
	free(fs);
}

void *mg_fscan_buffer(struct mg_file_scanner *fs)
{
	return fs->buf;
}

void mg_fscan_begin(struct mg_file_scanner *fs, uint64_t size)
{
	mg_sha256_init(&fs->sha);
	fs->fed = 0;
	fs->content = fs->cs && mg_content_nrules(fs->engine) &&
		      (size == UINT64_MAX || size <= mg_content_max_size(fs->engine));
	if (fs->content)
		mg_content_scan_reset(fs->cs);
}

void mg_fscan_feed(struct mg_file_scanner *fs, const void *buf, size_t len)
{
	mg_sha256_update(&fs->sha, buf, len);
	fs->fed += len;
	/* An unknown size that outgrew every rule: stop searching. */
	if (fs->content && fs->fed > mg_content_max_size(fs->engine))
		fs->content = false;
	if (fs->content)
		mg_content_scan_feed(fs->cs, buf, len);
}

void mg_fscan_end(struct mg_file_scanner *fs, struct mg_file_result *r)
{
	mg_sha256_final(&fs->sha, r->digest);
	mg_sha256_hex(r->digest, r->sha256);
	r->size = fs->fed;
	r->content_checked = fs->content;
	r->ncontent = fs->content ? mg_content_scan_result(fs->cs, fs->fed, fs->matched) : 0;
	r->content = fs->matched;
}

int mg_fscan_fd(struct mg_file_scanner *fs, int fd, uint64_t size, struct mg_file_result *r)
{
	mg_fscan_begin(fs, size);
	for (;;) {
		ssize_t n = read(fd, fs->buf, MG_SCAN_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		mg_fscan_feed(fs, fs->buf, (size_t)n);
	}
	mg_fscan_end(fs, r);
	return 0;
}
