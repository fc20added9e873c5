/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The per-session rate limit (cfg.rate_bps): a bucket of bytes, two timer
 * ticks deep (two datagrams at least), paid a datagram (header and
 * blksize) before each DATA. What it cannot pay waits for the time the
 * bucket will hold it; lock-step and windows alike; a window that takes
 * longer than a timeout to leave is not taken for a loss.
 */

#include <stdlib.h>
#include <string.h>

#include "tftp_harness.h"

#define DGRAM 516	/* blksize 512 and the DATA header */

/* An RRQ of size bytes, windowsize w, at rate bits a second (pacing off:
 * test_tftp_pace.c has it); the OACK answered 1 ms later. */
static void
start_limited(struct th *t, size_t size, const char *w, uint64_t rate)
{
	t->cfg.rate_bps = rate;
	t->cfg.pace_min_us = 250;
	th_file_pattern(t, size);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "512",
				  "windowsize", w, NULL), 0);
	th_clear(t);
	t->now += 1000;
	th_ack(t, 0);
}

/* The microseconds the bucket needs for one more datagram at rate. */
static uint64_t
one_dgram_us(uint64_t rate)
{
	return (DGRAM * 8 * UINT64_C(1000000) + rate - 1) / rate;
}

/* Verifies: lock-step at 1 Mbit/s: the bucket starts with two
 * datagrams, so DATA 1 and 2 leave at once; DATA 3 waits exactly the
 * time one datagram takes at the rate (not a microsecond less), then
 * leaves on the session's timer. */
static void
lockstep_waits_for_the_rate(void **state)
{
	struct th *t = *state;
	uint64_t at;

	start_limited(t, 10 * 512, "1", 1000000);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
	th_clear(t);
	th_ack(t, 1);
	th_expect_blocks(t, 0, 2, 1);
	th_clear(t);
	th_ack(t, 2);
	th_expect_sent(t, 0);
	at = t->now + one_dgram_us(1000000);
	assert_true(dpt_tftp_session_pace_at(t->s) == at);
	assert_true(dpt_tftp_session_deadline(t->s) == at);
	th_ack(t, 2);			/* a repeat sends nothing either */
	th_expect_sent(t, 0);
	th_at(t, at - 1);
	th_expect_sent(t, 0);
	th_at(t, at);
	th_expect_blocks(t, 0, 3, 1);
	assert_int_equal(th_stats(t)->rate_waits, 1);
	assert_int_equal(th_stats(t)->retransmits, 0);
}

/* Verifies: a window of 16 at 10 Mbit/s leaves two blocks at once, then
 * one block each datagram's time: the whole window takes the rate's
 * time for 14 datagrams, and never goes faster than the rate after the
 * bucket's first two. */
static void
window_spread_at_the_rate(void **state)
{
	struct th *t = *state;
	const uint64_t rate = 10000000;
	uint64_t start = 0, sent = 0;
	int turns = 0;

	start_limited(t, 100 * 512, "16", rate);
	start = t->now;
	sent = t->n_pkt;
	assert_int_equal(sent, 2);
	while (sent < 16) {
		uint64_t at = dpt_tftp_session_pace_at(t->s);

		assert_true(++turns < 100);
		assert_true(at != UINT64_MAX);
		th_clear(t);
		th_at(t, at);
		sent += t->n_pkt;
		/* bytes past the bucket's first two, never ahead of time */
		assert_true((sent - 2) * DGRAM * 8 * UINT64_C(1000000) <=
			    (t->now - start) * rate);
	}
	assert_int_equal(sent, 16);
	assert_true(t->now - start <= 14 * one_dgram_us(rate));
	assert_true(t->now - start >= 14 * one_dgram_us(rate) - 14);
	assert_int_equal(th_stats(t)->retransmits, 0);
}

/*
 * Verifies: at 64 kbit/s a window of 16 takes about a second to leave,
 * longer than the first timeout from its first block: the timeout counts
 * from the last block sent, so nothing is resent; the file arrives whole
 * and the session completes.
 */
static void
slow_window_no_timeout(void **state)
{
	struct th *t = *state;
	size_t size = 40 * 512 + 9, n = 0, i;
	uint8_t *got = malloc(size);
	uint16_t expect = 1, acked = 0;
	int turns = 0;

	assert_non_null(got);
	t->cfg.timeout_us = 300000;
	t->cfg.rtt_adapt = false;
	start_limited(t, size, "16", 64000);
	while (!dpt_tftp_session_done(t->s)) {
		uint64_t at = dpt_tftp_session_deadline(t->s);

		assert_true(++turns < 10000);
		for (i = 0; i < t->n_pkt; i++) {
			assert_int_equal(th_num(t, i), expect);
			memcpy(got + n, t->pkt[i].buf + 4, t->pkt[i].len - 4);
			n += t->pkt[i].len - 4;
			expect++;
		}
		th_clear(t);
		/* the client ACKs each window's end, and the last block */
		if (expect - 1 != acked && ((expect - 1) % 16 == 0 ||
					    (size_t)(expect - 1) * 512 > size)) {
			acked = (uint16_t)(expect - 1);
			th_ack(t, acked);
			continue;
		}
		assert_true(at != UINT64_MAX);
		th_at(t, at);
	}
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	assert_int_equal(n, size);
	assert_memory_equal(got, t->file, size);
	assert_int_equal(th_stats(t)->retransmits, 0);
	assert_true(th_stats(t)->rate_waits > 30);
	free(got);
}

/* Verifies: a block that could not be sent (no buffer: the TX side full,
 * or a port's own limit) is not paid for: at the stall poll it goes at
 * once, with no wait for the rate. */
static void
unsent_block_not_paid(void **state)
{
	struct th *t = *state;

	start_limited(t, 10 * 512, "1", 1000000);
	th_expect_blocks(t, 0, 1, 1);		/* one datagram left */
	th_clear(t);
	t->alloc_fail = true;
	th_ack(t, 1);
	th_expect_sent(t, 0);
	t->alloc_fail = false;
	th_at(t, dpt_tftp_session_deadline(t->s));	/* the stall poll */
	th_expect_blocks(t, 0, 2, 1);
	assert_int_equal(th_stats(t)->rate_waits, 0);
}

/* A lock-step download of blocks of blksize `bs` at `rate`, the client
 * ACKing each block at once and the clock moving to each wake-up; returns
 * the time from the first ACK to the last. */
static uint64_t
lockstep_run(struct th *t, size_t size, const char *bs, uint64_t rate)
{
	uint64_t t0;
	int turns = 0;

	t->cfg.rate_bps = rate;
	t->cfg.pace_min_us = 250;
	th_file_pattern(t, size);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", bs,
				  NULL), 0);
	th_clear(t);
	t->now += 1000;
	t0 = t->now;
	th_ack(t, 0);
	while (!dpt_tftp_session_done(t->s)) {
		assert_true(++turns < 1000);
		if (t->n_pkt != 0) {
			uint16_t b = th_num(t, t->n_pkt - 1);

			th_clear(t);
			th_ack(t, b);
			continue;
		}
		th_at(t, dpt_tftp_session_deadline(t->s));
	}
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	return t->now - t0;
}

/* Verifies: a wait for the rate longer than the retransmission timeout
 * and its one back-off together (8 kbit/s: 516 ms a 512-byte block;
 * timeout 100 ms, one retry: 300 ms) is no loss: nothing resent, the
 * download completes instead of timing out. */
static void
rate_wait_past_timeout_no_loss(void **state)
{
	struct th *t = *state;

	t->cfg.timeout_us = 100000;
	t->cfg.timeout_min_us = 100000;
	t->cfg.rtt_adapt = false;
	t->cfg.retries = 1;
	lockstep_run(t, 10 * 512, "512", 8000);
	assert_int_equal(th_stats(t)->retransmits, 0);
	assert_true(th_stats(t)->rate_waits >= 8);
}

/* Verifies: where one datagram takes longer than a second of the rate
 * (16 kbit/s, blksize 8192: 4.1 s each), the rate still holds: after
 * the bucket's first two, each block waits its own time once, not that
 * and more (the bucket fills for as long as it was waited for). */
static void
slow_rate_holds(void **state)
{
	struct th *t = *state;
	uint64_t took, one = (8196 * 8 * UINT64_C(1000000) + 15999) / 16000;

	t->cfg.blksize_max = 8192;
	took = lockstep_run(t, 5 * 8192 - 1, "8192", 16000);
	assert_int_equal(th_stats(t)->rate_waits, 3);
	assert_true(took <= 3 * one + 3 * 1000);
	assert_true(took >= 3 * one - 3);
	assert_int_equal(th_stats(t)->retransmits, 0);
}

/* Verifies: with no rate (0) a window leaves whole at once and nothing
 * waits: the limit costs nothing when off. */
static void
no_rate_no_wait(void **state)
{
	struct th *t = *state;

	start_limited(t, 100 * 512, "16", 0);
	th_expect_sent(t, 16);
	assert_true(dpt_tftp_session_pace_at(t->s) == UINT64_MAX);
	assert_int_equal(th_stats(t)->rate_waits, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TH_TEST(lockstep_waits_for_the_rate),
		TH_TEST(window_spread_at_the_rate),
		TH_TEST(slow_window_no_timeout),
		TH_TEST(unsent_block_not_paid),
		TH_TEST(rate_wait_past_timeout_no_loss),
		TH_TEST(slow_rate_holds),
		TH_TEST(no_rate_no_wait),
	};

	return cmocka_run_group_tests_name("tftp_rate", tests, NULL, NULL);
}
