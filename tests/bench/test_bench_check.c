/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * CRC32C and the upload pattern: the standard check values, the hardware
 * and table versions agreeing at every length and alignment, pieces adding
 * up to the whole, and a pattern that is the same however it is cut.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench.h"

/* Verifies: the check values of RFC 3720 (iSCSI) and of the CRC catalogue
 * for CRC-32C, through both versions. */
static void
crc_known_values(void **state)
{
	static const struct {
		const char *data;
		size_t len;
		uint32_t crc;
	} cases[] = {
		{ "123456789", 9, 0xe3069283 },
		{ "", 0, 0 },
		{ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
		  "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 32, 0x8a9136aa },
	};
	uint8_t ones[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(dpt_bench_crc32c(0, cases[i].data,
						  cases[i].len), cases[i].crc);
		assert_int_equal(dpt_bench_crc32c_sw(0, cases[i].data,
						     cases[i].len),
				 cases[i].crc);
	}
	memset(ones, 0xff, sizeof(ones));
	assert_int_equal(dpt_bench_crc32c(0, ones, sizeof(ones)), 0x62a8ab43);
}

/* Steps: random bytes at every start offset 0..7 and length 0..300.
 * Verifies: the fast version equals the table version. */
static void
crc_versions_agree(void **state)
{
	uint8_t buf[320];
	size_t off, len;

	dpt_bench_pattern(7, 0, buf, sizeof(buf));
	for (off = 0; off < 8; off++)
		for (len = 0; len + off <= 308; len++)
			assert_int_equal(dpt_bench_crc32c(0, buf + off, len),
					 dpt_bench_crc32c_sw(0, buf + off,
							     len));
}

/* Verifies: feeding a buffer in pieces (as DATA blocks arrive) gives the
 * CRC of the whole. */
static void
crc_in_pieces(void **state)
{
	static const size_t cuts[] = { 1, 7, 8, 512, 1468, 3000 };
	uint8_t buf[8192];
	uint32_t whole, crc;
	size_t i, off, n;

	dpt_bench_pattern(1, 0, buf, sizeof(buf));
	whole = dpt_bench_crc32c(0, buf, sizeof(buf));
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		crc = 0;
		for (off = 0; off < sizeof(buf); off += n) {
			n = sizeof(buf) - off < cuts[i] ? sizeof(buf) - off :
							   cuts[i];
			crc = dpt_bench_crc32c(crc, buf + off, n);
		}
		assert_int_equal(crc, whole);
	}
}

/* Verifies: the pattern's first word for seed 0 is splitmix64(0),
 * little-endian, so any implementation can reproduce uploads. */
static void
pattern_first_bytes(void **state)
{
	static const uint8_t want[8] = { 0xaf, 0xcd, 0x1d, 0x7b,
					 0x39, 0xa8, 0x20, 0xe2 };
	uint8_t got[8], other[8];

	dpt_bench_pattern(0, 0, got, sizeof(got));
	assert_memory_equal(got, want, sizeof(want));
	dpt_bench_pattern(1, 0, other, sizeof(other));
	assert_memory_not_equal(got, other, sizeof(got));
}

/* Steps: fill 10,000 bytes whole, then in pieces cut at odd offsets.
 * Verifies: the same bytes either way. */
static void
pattern_any_split(void **state)
{
	static const size_t cuts[] = { 1, 3, 7, 8, 9, 511, 1468 };
	uint8_t whole[10000], parts[10000];
	size_t i, off, n;

	dpt_bench_pattern(42, 0, whole, sizeof(whole));
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		memset(parts, 0, sizeof(parts));
		for (off = 0; off < sizeof(parts); off += n) {
			n = sizeof(parts) - off < cuts[i] ?
			    sizeof(parts) - off : cuts[i];
			dpt_bench_pattern(42, off, parts + off, n);
		}
		assert_memory_equal(parts, whole, sizeof(whole));
	}
}

/* Steps: --make-pattern's writer, 3 MiB + 5 bytes (past its 1 MiB
 * chunks). Verifies: the file holds exactly the pattern. */
static void
pattern_file(void **state)
{
	char path[] = "/tmp/dpt-bench-pattern-XXXXXX";
	const size_t size = (3u << 20) + 5;
	uint8_t *want = malloc(size), *got = malloc(size + 1);
	FILE *f;
	int fd;

	assert_non_null(want);
	assert_non_null(got);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(dpt_bench_pattern_write(path, 9, size), 0);
	dpt_bench_pattern(9, 0, want, size);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, size + 1, f), size);
	fclose(f);
	unlink(path);
	assert_memory_equal(got, want, size);
	assert_int_equal(dpt_bench_pattern_write("/nonexistent/dir/x", 0, 1),
			 -ENOENT);
	free(want);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc_known_values),
		cmocka_unit_test(crc_versions_agree),
		cmocka_unit_test(crc_in_pieces),
		cmocka_unit_test(pattern_first_bytes),
		cmocka_unit_test(pattern_any_split),
		cmocka_unit_test(pattern_file),
	};

	return cmocka_run_group_tests_name("bench_check", tests, NULL, NULL);
}
