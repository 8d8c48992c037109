/* SHA-256 (src/util/sha256.c) against the FIPS 180-4 / NIST example vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "sha256_impl.h"

static void expect_digest(const void *data, size_t len, const char *want)
{
	char hex[65];

	mg_sha256_hex_of(data, len, hex);
	assert_string_equal(hex, want);
}

static void test_empty(void **state)
{
	(void)state;
	expect_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	(void)state;
	expect_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_two_blocks(void **state)
{
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	expect_digest(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* One million 'a', fed in uneven pieces: block boundaries must not matter. */
static void test_million_a_in_pieces(void **state)
{
	struct mg_sha256 c;
	uint8_t digest[32];
	char hex[65];
	char *a = malloc(1000000);
	size_t done = 0, step = 1;

	(void)state;
	assert_non_null(a);
	memset(a, 'a', 1000000);
	mg_sha256_init(&c);
	while (done < 1000000) {
		size_t n = step < 1000000 - done ? step : 1000000 - done;

		mg_sha256_update(&c, a + done, n);
		done += n;
		step = step * 7 % 997 + 1;
	}
	mg_sha256_final(&c, digest);
	mg_sha256_hex(digest, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	expect_digest(a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* 55 and 56 bytes: the padding needs one block, then two. */
static void test_padding_edges(void **state)
{
	char m[64];

	(void)state;
	memset(m, 'a', sizeof(m));
	expect_digest(m, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	expect_digest(m, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	expect_digest(m, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

/* The SHA-NI blocks give the state the FIPS vectors above imply; checked
 * directly so a CPU without SHA-NI still tests the dispatch's other path. */
static void test_shani_matches_portable(void **state)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	uint8_t data[64 * 5];
	uint32_t st[8], want[8];

	(void)state;
	if (!mg_sha256_have_shani())
		skip();
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 131 + 7);
	memcpy(st, iv, sizeof(st));
	mg_sha256_blocks_shani(st, data, 5);
	memcpy(want, iv, sizeof(want));
	mg_sha256_blocks_portable(want, data, 5);
	assert_memory_equal(st, want, sizeof(st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_two_blocks),
		cmocka_unit_test(test_million_a_in_pieces),
		cmocka_unit_test(test_padding_edges),
		cmocka_unit_test(test_shani_matches_portable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
