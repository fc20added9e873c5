/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Reply rate limits (dpt_rate): how many replies pass over a span of
 * time, per address and in all, on a clock the cases move by hand.
 */

#include <stdlib.h>
#include <string.h>

#include "test_net.h"

static struct dpt_rate *
rate_new(uint32_t per_addr, uint32_t all)
{
	struct dpt_rate *r = malloc(sizeof(*r));

	assert_non_null(r);
	dpt_rate_init(r, per_addr, all);
	return r;
}

/* Replies allowed to addr (4 bytes) for n requests spread evenly over
 * [t0, t0 + span_us). */
static unsigned int
offer(struct dpt_rate *r, uint32_t addr, unsigned int n, uint64_t t0,
      uint64_t span_us)
{
	unsigned int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += dpt_rate_allow(r, &addr, 4, t0 + span_us * i / n);
	return ok;
}

/* Verifies: 100 a second to one address: a burst of 10 at once, then one
 * every 10 ms; 2,000 requests over one second get at most 110 answers
 * and at least 100. */
static void
test_rate_per_address(void **state)
{
	struct dpt_rate *r = rate_new(100, 0);
	unsigned int ok;

	assert_int_equal(offer(r, 1, 50, 1000000, 0), 10);
	dpt_rate_init(r, 100, 0);
	ok = offer(r, 1, 2000, 5000000, 1000000);
	assert_true(ok >= 100 && ok <= 110);
	/* A second later the bucket is full again. */
	assert_int_equal(offer(r, 1, 50, 7000000, 0), 10);
	free(r);
}

/* Verifies: each address has its own bucket and the total caps them all:
 * 1,000 addresses asking at once get the total's burst (100), and 20,000
 * requests from them over one second about 1,000 answers. */
static void
test_rate_total(void **state)
{
	struct dpt_rate *r = rate_new(100, 1000);
	unsigned int a, ok = 0;

	for (a = 0; a < 1000; a++)
		ok += offer(r, a + 1, 1, 1000000, 0);
	assert_int_equal(ok, 100);
	dpt_rate_init(r, 100, 1000);
	ok = 0;
	for (a = 0; a < 20000; a++) {
		uint32_t addr = a % 1000 + 1;

		ok += dpt_rate_allow(r, &addr, 4,
				     3000000 + (uint64_t)a * 50);
	}
	assert_true(ok >= 1000 && ok <= 1100);
	free(r);
}

/* Verifies: a refusal by the total takes no token from the address's
 * bucket; addresses in other families (16 bytes) work the same; 0 means
 * no limit. */
static void
test_rate_refund_and_unlimited(void **state)
{
	uint8_t ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };
	struct dpt_rate *r = rate_new(100, 1);
	unsigned int i, ok = 0;

	assert_true(dpt_rate_allow(r, ip6, 16, 0));
	for (i = 0; i < 9; i++)
		assert_false(dpt_rate_allow(r, ip6, 16, 0));
	/* One second on: the total has a token, the address still nine. */
	for (i = 0; i < 9; i++)
		ok += dpt_rate_allow(r, ip6, 16, 1000000 + i * 1000000);
	assert_int_equal(ok, 9);
	dpt_rate_init(r, 0, 0);
	for (i = 0; i < 100000; i++)
		assert_true(dpt_rate_allow(r, ip6, 16, 0));
	free(r);
}

/* Verifies: a byte rate of 8 Mbit/s on a 1 GHz clock (1,000 ticks a
 * byte) passes its burst at once, then exactly the rate: over a simulated
 * second of 1,500-byte datagrams offered every microsecond, the bytes
 * passed are the second's million plus the burst, to a datagram; a
 * refused datagram takes nothing; 0 is no limit. */
static void
test_byte_rate(void **state)
{
	struct dpt_byte_rate r;
	uint64_t now, bytes = 0;
	unsigned int i;

	(void)state;
	dpt_byte_rate_init(&r, 8000000, 1000000000, 15000);
	for (i = 0; i < 11; i++)	/* the burst, and the one it may end on */
		assert_true(dpt_byte_rate_take(&r, 1500, 0));
	assert_false(dpt_byte_rate_take(&r, 1500, 0));
	assert_false(dpt_byte_rate_take(&r, 1, 0));
	/* 1,500 bytes later in time (1.5 ms), one more datagram fits */
	assert_true(dpt_byte_rate_take(&r, 1500, 1500000));
	assert_false(dpt_byte_rate_take(&r, 1500, 1500000));
	dpt_byte_rate_init(&r, 8000000, 1000000000, 15000);
	for (now = 0; now <= 1000000000; now += 1000)
		while (dpt_byte_rate_take(&r, 1500, now))
			bytes += 1500;
	assert_true(bytes >= 1000000 + 15000 - 1500);
	assert_true(bytes <= 1000000 + 15000 + 1500);
	dpt_byte_rate_init(&r, 0, 1000000000, 15000);
	for (i = 0; i < 100000; i++)
		assert_true(dpt_byte_rate_take(&r, 9000, 0));
}

const struct CMUnitTest tn_rate_tests[] = {
	cmocka_unit_test(test_byte_rate),
	cmocka_unit_test(test_rate_per_address),
	cmocka_unit_test(test_rate_total),
	cmocka_unit_test(test_rate_refund_and_unlimited),
};
const size_t tn_rate_count = RTE_DIM(tn_rate_tests);
