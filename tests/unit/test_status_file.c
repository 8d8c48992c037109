/* The status file (src/daemon/status_file.c) in a run directory of the
 * test's own ($MINERGUARD_RUN_DIR). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "fixture.h"
#include "image.h"
#include "json_check.h"
#include "status_file.h"

struct fx {
	char dir[64];
	struct mg_policy p;
	struct mg_image *img;
	char *files[1];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct mg_rule_def *r;
	char err[128];

	strcpy(f->dir, "/tmp/mg-status-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	setenv("MINERGUARD_RUN_DIR", f->dir, 1);
	r = fx_rule(&f->p, "xmrig", MG_ACTION_BLOCK, MG_RHOOK_OPEN);
	fx_add(r, MG_LIST_NAMES, "xmrig");
	f->files[0] = "/etc/minerguard/policies/x.lua";
	f->p.files = f->files;
	f->p.nfiles = 1;
	if (mg_image_build(&f->p, &f->img, err, sizeof(err)))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	mg_status_remove();
	rmdir(f->dir);
	unsetenv("MINERGUARD_RUN_DIR");
	mg_image_free(f->img);
	f->p.files = NULL;
	f->p.nfiles = 0;
	fx_free(&f->p);
	free(f);
	return 0;
}

static void test_written_in_run_dir(void **state)
{
	struct fx *f = *state;
	struct mg_status st = { .img = f->img, .reload_ok = 1 };
	char err[512], path[PATH_MAX], *doc;
	struct stat sb;

	assert_int_equal(mg_status_write(&st, err, sizeof(err)), 0);
	assert_int_equal(stat(mg_status_path(path, sizeof(path)), &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	assert_int_equal(strncmp(path, f->dir, strlen(f->dir)), 0);
	doc = mg_status_read();
	assert_non_null(doc);
	assert_true(json_valid(doc));
	assert_int_equal(mg_status_number(doc, "pid"), getpid());
	free(doc);
}

/* Others could swap the file under a reader or plant names there. */
static void test_shared_run_dir_refused(void **state)
{
	struct fx *f = *state;
	struct mg_status st = { .img = f->img };
	char err[512];

	assert_int_equal(chmod(f->dir, 0777), 0);
	assert_int_equal(mg_status_write(&st, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable by group or others"));
	assert_null(mg_status_read());
	assert_int_equal(chmod(f->dir, 0700), 0);
}

/* 2,500 rules with their counts: far past the old 64 KiB read cap. */
static void test_large_status_reads_whole(void **state)
{
	enum { N = 2500 };
	struct fx *f = *state;
	static struct mg_rule_count rc[N];
	static char names[N][48];
	struct mg_status st = { .img = f->img, .rules = rc, .nrules = N };
	char err[512], *doc;

	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "miner-family-%04zu-\"quoted\"-\\", i);
		rc[i] = (struct mg_rule_count){ .rule = names[i], .audit = i, .block = 2 * i };
	}
	st.reload_error = "policies/x.lua:3: rule \"a\": names[1] is empty";
	assert_int_equal(mg_status_write(&st, err, sizeof(err)), 0);
	doc = mg_status_read();
	assert_non_null(doc);
	assert_true(strlen(doc) > 65536);
	assert_true(json_valid(doc));
	{
		/* and `status --json` around it */
		static __u64 c[MG_CTR_COUNT];
		char *out = NULL;
		size_t outlen = 0;
		FILE *mem = open_memstream(&out, &outlen);

		assert_non_null(mem);
		mg_ctl_print_status_json(mem, MG_MODE_ENFORCE, MG_BACKEND_LSM, 1, MG_ABI_VERSION, c, doc, 1);
		fclose(mem);
		assert_true(outlen > 65536);
		assert_true(json_valid(out));
		free(out);
	}
	assert_non_null(strstr(doc, "\"name\":\"miner-family-2499-\\\"quoted\\\"-\\\\\",\"audited\":2499,\"blocked\":4998}"));
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_written_in_run_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_run_dir_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_status_reads_whole, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
