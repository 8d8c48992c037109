/* The scan driver (src/scan/scan.c, walk.c, judge.c): a real tree with a
 * miner-named file, a content match hidden in a disguised tar.gz, a
 * symlink, a FIFO and an unreadable-size file, through a collecting sink. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "fixture.h"
#include "image.h"
#include "scan.h"

struct found {
	char lines[16][600];
	int n;
};

static void collect(void *ctx, const struct mg_finding *f)
{
	struct found *c = ctx;

	assert_true(c->n < 16);
	snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s|%s|%d|%s|%s", f->path, f->rule->name,
		 (int)f->kind, f->signature, f->sha256 ? "sha" : "-");
}

static bool has(const struct found *c, const char *line)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->lines[i], line))
			return true;
	return false;
}

static void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static void test_scan_tree(void **state)
{
	char root[] = "/tmp/mg-scan-XXXXXX", path[512], cmd[1024], want[700];
	struct mg_policy p = { 0 };
	struct mg_rule_def *r;
	struct mg_content_def *c = calloc(1, sizeof(*c));
	struct mg_image *img;
	struct mg_content_engine *e;
	struct found found = { 0 };
	struct mg_finding_sink sink = { .report = collect, .ctx = &found };
	struct mg_scan_stats st;
	char err[256];
	const char *roots[1];

	(void)state;
	fx_add(fx_rule(&p, "by-name", MG_ACTION_BLOCK, MG_RHOOK_OPEN | MG_RHOOK_EXEC),
	       MG_LIST_NAMES, "xmrig");
	r = fx_rule(&p, "by-content", MG_ACTION_AUDIT, MG_RHOOK_OPEN);
	c->strings = calloc(2, sizeof(*c->strings));
	c->strings[0] = (struct mg_bytes){ strdup("stratum+tcp://"), 14 };
	c->strings[1] = (struct mg_bytes){ strdup("donate.v2.xmrig.com"), 19 };
	c->nstrings = 2;
	c->min = 2;
	c->max_size = 1000;
	r->content = c;
	assert_int_equal(mg_image_build(&p, &img, err, sizeof(err)), 0);
	assert_int_equal(mg_content_build(img, &e, err, sizeof(err)), 0);

	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/pack", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/pack/notes.txt", root);
	write_file(path, "use stratum+tcp://x and donate.v2.xmrig.com");
	snprintf(path, sizeof(path), "%s/tree", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(cmd, sizeof(cmd), "tar -C %s/pack -czf %s/tree/cache.dat notes.txt", root, root);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/tree/XMRig", root);
	write_file(path, "binary");
	snprintf(path, sizeof(path), "%s/tree/fifo", root);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/tree/xmrig-link", root);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	snprintf(path, sizeof(path), "%s/tree/big", root);
	{
		char big[5000];

		memset(big, ' ', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big, "stratum+tcp://x donate.v2.xmrig.com", 35);
		write_file(path, big); /* over the scan's max_size: not read */
	}

	snprintf(path, sizeof(path), "%s/tree", root);
	roots[0] = path;
	struct mg_scan_opts o = { .img = img, .engine = e, .max_size = 4096, .jobs = 2, .sink = &sink };
	assert_int_equal(mg_scan_run(&o, roots, 1, &st), 0);

	snprintf(want, sizeof(want), "%s/XMRig|by-name|%d|xmrig|sha", path, MG_KIND_NAME);
	assert_true(has(&found, want));
	snprintf(want, sizeof(want), "%s/cache.dat!notes.txt|by-content|%d|by-content|sha", path,
		 MG_KIND_CONTENT);
	assert_true(has(&found, want));
	assert_int_equal(found.n, 2); /* not the link, the FIFO or the file over --max-size */
	assert_int_equal(st.findings, 2);
	assert_int_equal(st.special, 1);
	assert_int_equal(st.links, 1);
	assert_int_equal(st.archives, 1);
	assert_int_equal(st.members, 1);
	assert_int_equal(st.too_large, 1);
	assert_int_equal(st.errors, 0);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
	mg_content_free(e);
	mg_image_free(img);
	free(c->strings[0].p);
	free(c->strings[1].p);
	free(c->strings);
	free(c);
	fx_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
