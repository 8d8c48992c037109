/* systemd/minerguard.service keeps its hardening (docs/hardening.md) and
 * what the daemon needs under it. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT "systemd/minerguard.service"

static char *read_unit(void)
{
	FILE *f = fopen(UNIT, "r");
	static char buf[65536];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The line "key=..." (not a comment), or NULL. */
static const char *setting(const char *unit, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = unit; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, key, n) && p[n] == '=')
			return p + n + 1;
	}
	return NULL;
}

static int value_is(const char *unit, const char *key, const char *want)
{
	const char *v = setting(unit, key);

	return v && !strncmp(v, want, strlen(want)) &&
	       (v[strlen(want)] == '\n' || v[strlen(want)] == '\0');
}

static void test_hardening_present(void **state)
{
	const char *u = read_unit();
	const char *yes[] = { "NoNewPrivileges", "PrivateDevices", "PrivateMounts", "LockPersonality",
			      "RestrictRealtime", "RestrictSUIDSGID", "MemoryDenyWriteExecute" };

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!value_is(u, yes[i], "yes"))
			fail_msg("%s=yes missing", yes[i]);
	assert_true(value_is(u, "ProtectSystem", "strict"));
	assert_true(value_is(u, "ProtectHome", "read-only"));
	assert_true(value_is(u, "RestrictAddressFamilies", "AF_UNIX"));
	assert_non_null(setting(u, "MemoryMax"));
	assert_true(value_is(u, "SystemCallErrorNumber", "EPERM"));
}

/* What a BPF daemon needs must stay allowed and writable. */
static void test_daemon_needs_kept(void **state)
{
	const char *u = read_unit();
	const char *f = setting(u, "SystemCallFilter");
	char line[512];

	(void)state;
	assert_non_null(f);
	snprintf(line, sizeof(line), " %.*s ", (int)strcspn(f, "\n"), f);
	assert_non_null(strstr(line, " @system-service "));
	assert_non_null(strstr(line, " bpf "));
	assert_non_null(strstr(line, " perf_event_open "));
	assert_non_null(strstr(line, " fanotify_init "));
	assert_non_null(strstr(line, " fanotify_mark "));
	assert_true(value_is(u, "ReadWritePaths", "/sys/fs/bpf"));
	assert_true(value_is(u, "RuntimeDirectory", "minerguard"));
	assert_true(value_is(u, "LogsDirectory", "minerguard"));
	/* these would make /sys/fs/bpf read-only or hide /proc/PID */
	assert_false(value_is(u, "ProtectKernelTunables", "yes"));
	assert_null(setting(u, "ProtectProc"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hardening_present),
		cmocka_unit_test(test_daemon_needs_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
