/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Block checksums from the chunks' prefix sums: dpt_cache_sum() and the
 * sum dpt_cache_zc() hands out must be what dpt_net_sum() gives over a
 * copy of the same bytes (the payload of a DATA packet starts at an even
 * offset), whatever the parity of the block's offset and length and
 * wherever it falls against the sum steps and the chunks.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_mbuf.h>

#include "test_cache.h"
#include "dpt_net.h"

#define STEP CACHE_SUM_STEP
#define SUM_SIZE (3 * CHUNK + 1001)	/* the last chunk ends mid-step */

/* dpt_net_sum() of len bytes at p, for any len: it is rte_raw_cksum(),
 * whose 32-bit total overflows past some 128 KiB, so longer runs are
 * summed in pieces of an even length and added. */
static uint16_t
net_sum(const uint8_t *p, size_t len)
{
	const size_t piece = 65536;
	uint16_t s = 0;
	size_t done;

	for (done = 0; done < len; done += piece)
		s = dpt_net_sum_add(s, dpt_net_sum(p + done,
						   RTE_MIN(piece, len - done)));
	return s;
}

/* The one's-complement sum of bytes [off, off+len) with byte off at an odd
 * place of its word when off is odd: the file's own alignment. */
static uint16_t
file_aligned_sum(const uint8_t *copy, uint64_t off, uint32_t len)
{
	uint8_t *b;
	uint16_t s;

	if ((off & 1) == 0)
		return net_sum(copy, len);
	b = malloc((size_t)len + 1);
	assert_non_null(b);
	b[0] = 0;
	memcpy(b + 1, copy, len);
	s = net_sum(b, (size_t)len + 1);
	free(b);
	return s;
}

/* Checks the sum of one range against the bytes, and the zero-copy sum
 * where the range is a block inside one chunk. */
static void
check_range(const struct dpt_cache_entry *e, uint8_t *copy, uint64_t off,
	    uint32_t len)
{
	uint16_t sum, want;
	struct dpt_cache_zc z;
	int rc;

	assert_int_equal(dpt_cache_read(e, off, copy, len), (ssize_t)len);
	want = net_sum(copy, len);
	assert_int_equal(dpt_cache_sum(e, off, len, &sum), 0);
	if (sum != want)
		fail_msg("sum of [%" PRIu64 ", +%u) is %#x, want %#x", off, len,
			 sum, want);
	/* Documented: as if the block started at an even offset, so for an
	 * odd off it is the file-aligned sum byte-swapped. */
	if (off & 1)
		assert_int_equal(rte_bswap16(sum),
				 file_aligned_sum(copy, off, len));

	rc = dpt_cache_zc(e, off, len, true, &z);
	if (len == 0) {		/* no block: refused, whatever the word */
		assert_true(rc < 0);
		return;
	}
	if (off / CHUNK != (off + len - 1) / CHUNK) {
		assert_int_equal(rc, -ERANGE);
		return;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(z.sum, sum);
	assert_memory_equal(z.addr, copy, len);
	rte_mbuf_ext_refcnt_update(z.shinfo, -1);
	assert_int_equal(rte_mbuf_ext_refcnt_read(z.shinfo), 1);
}

/* A small generator of its own, so a failing range can be replayed. */
static uint64_t
next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Steps: a file of three chunks and a bit, resident; ranges chosen at
 * every edge (inside one sum step, across steps, across a chunk boundary,
 * whole chunks, the file's tail, empty), then 20000 random ones, a few of
 * them up to the whole file. Verifies:
 * each sum equals dpt_net_sum() over a copy read from the cache (for odd
 * offsets the file-aligned sum swapped); dpt_cache_zc() gives the same sum
 * and the same bytes for a block within one chunk, -ERANGE for one
 * spanning two, and takes no reference when it refuses. */
static void
sum_matches_net_sum(void **state)
{
	static const struct { uint64_t off; uint32_t len; } edges[] = {
		{ 0, 0 }, { 1, 0 }, { 0, 1 }, { 1, 1 }, { 5, 3 }, { 4, 20 },
		{ STEP - 1, 1 }, { STEP - 2, 2 }, { 3, STEP - 4 },
		{ 0, STEP }, { 1, STEP }, { STEP + 1, STEP - 1 },
		{ 3, 200 }, { STEP, 2 * STEP }, { STEP - 1, 2 * STEP + 2 },
		{ 7, 1468 }, { 2 * STEP + 1, 513 }, { 100, 512 },
		{ CHUNK - 1, 2 }, { CHUNK - 2, 2 }, { CHUNK - 513, 1024 },
		{ CHUNK - 100, 513 }, { CHUNK - STEP, 2 * STEP },
		{ CHUNK - 1468, 1468 }, { CHUNK - 1467, 1468 },
		{ 2 * CHUNK - 1, CHUNK + 1 }, { CHUNK - 1, CHUNK + 2 },
		{ 0, CHUNK }, { CHUNK, CHUNK }, { 1, CHUNK - 1 },
		{ 0, SUM_SIZE }, { 1, SUM_SIZE - 1 },
		{ SUM_SIZE - 7, 7 }, { SUM_SIZE - 1001, 1001 },
		{ SUM_SIZE - 1000, 1000 }, { SUM_SIZE - 1, 1 },
		{ SUM_SIZE, 0 }, { 3 * CHUNK - 31, 63 },
	};
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e;
	uint8_t *copy = malloc(SUM_SIZE);
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	uint16_t sum;
	unsigned int i;

	assert_non_null(copy);
	tc_write_pattern("sums", SUM_SIZE, 80);
	assert_int_equal(dpt_cache_open(c, "sums", &e), 0);
	assert_int_equal(dpt_cache_sum(e, 0, 2, &sum), -EAGAIN);
	dpt_cache_hold(e, 0, SUM_SIZE);
	tc_pump_all(c, UINT64_MAX);
	for (i = 0; i < RTE_DIM(edges); i++)
		check_range(e, copy, edges[i].off, edges[i].len);
	for (i = 0; i < 20000; i++) {
		/* Mostly up to a packet or two; one in 256 up to the file. */
		static const uint64_t most[] = { STEP, 1500, 70000 };
		uint64_t off = next_rand(&x) % SUM_SIZE;
		uint64_t cap = RTE_MIN(i % 256 == 0 ? SUM_SIZE :
				       most[i % RTE_DIM(most)], SUM_SIZE - off);

		check_range(e, copy, off,
			    (uint32_t)(next_rand(&x) % (cap + 1)));
	}
	assert_int_equal(dpt_cache_sum(e, SUM_SIZE - 1, 2, &sum), -EINVAL);
	free(copy);
	dpt_cache_unhold(e, 0, SUM_SIZE);
	dpt_cache_put(e);
}

/* Verifies: over bytes that are all zero the sum may come out as 0xffff
 * where dpt_net_sum() gives 0 (prefix sums subtract); both are the one's
 * complement zero, and added to any non-zero sum (a packet's headers
 * always are) they give the same. */
static void
sum_of_zeros_is_zero(void **state)
{
	struct dpt_cache *c = *state;
	struct dpt_cache_entry *e;
	uint8_t *zeros = calloc(1, CHUNK);
	uint32_t lens[] = { 1, STEP, 3 * STEP + 1, 1468, CHUNK - 8 };
	uint16_t sum;
	unsigned int i;

	assert_non_null(zeros);
	assert_int_equal(tc_write(tc_root, "zeros", zeros, CHUNK), 0);
	free(zeros);
	assert_int_equal(dpt_cache_open(c, "zeros", &e), 0);
	dpt_cache_hold(e, 0, CHUNK);
	tc_pump_all(c, UINT64_MAX);
	for (i = 0; i < RTE_DIM(lens); i++) {
		assert_int_equal(dpt_cache_sum(e, i, lens[i], &sum), 0);
		assert_true(sum == 0 || sum == 0xffff);
		assert_int_equal(dpt_net_sum_add(0x1234, sum), 0x1234);
	}
	dpt_cache_unhold(e, 0, CHUNK);
	dpt_cache_put(e);
}

const struct CMUnitTest tc_sum_tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tc_setup, tc_teardown)
	T(sum_matches_net_sum),
	T(sum_of_zeros_is_zero),
#undef T
};
const size_t tc_sum_count = RTE_DIM(tc_sum_tests);
