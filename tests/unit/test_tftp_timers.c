/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Retransmission timers on the fake clock: the first interval (cfg,
 * negotiated timeout, RTT-adapted), exponential back-off and its cap, the
 * retry limit, Karn's rule, and silence before a deadline.
 */

#include <string.h>

#include "tftp_harness.h"

#define SEC 1000000ull

/* Steps: an RRQ of 5 blocks without options; DATA 1 left in t. */
static uint64_t
rrq_plain(struct th *t)
{
	th_file_pattern(t, 5 * 512 + 1);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
	return t->now;
}

/* Verifies: a timer call before the deadline sends nothing and changes
 * nothing; at the deadline (cfg.timeout_us) DATA 1 goes again. */
static void
nothing_before_deadline(void **state)
{
	struct th *t = *state;
	uint64_t t0 = rrq_plain(t);

	th_clear(t);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t0 + SEC);
	th_at(t, t0);
	th_at(t, t0 + SEC - 1);
	th_expect_sent(t, 0);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t0 + SEC);
	assert_int_equal(th_stats(t)->retransmits, 0);
	th_at(t, t0 + SEC);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(th_stats(t)->retransmits, 1);
}

/*
 * Steps: from a first send at t0, let every deadline pass. Verifies: a
 * resend (check()) exactly at t0 + each of at[0..n), nothing one
 * microsecond before, then at t0 + end the session ends with
 * DPT_TFTP_END_TIMEOUT and no ERROR.
 */
static void
expect_schedule(struct th *t, uint64_t t0, const uint64_t *at, size_t n,
		uint64_t end, void (*check)(struct th *t))
{
	size_t i;

	for (i = 0; i < n; i++) {
		th_clear(t);
		assert_int_equal(dpt_tftp_session_deadline(t->s), t0 + at[i]);
		th_at(t, t0 + at[i] - 1);
		th_expect_sent(t, 0);
		th_at(t, t0 + at[i]);
		th_expect_sent(t, 1);
		check(t);
		assert_int_equal(th_stats(t)->retransmits, i + 1);
	}
	th_clear(t);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t0 + end);
	th_at(t, t0 + end - 1);
	assert_false(dpt_tftp_session_done(t->s));
	th_at(t, t0 + end);
	th_expect_sent(t, 0);
	assert_true(dpt_tftp_session_done(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_TIMEOUT);
	assert_int_equal(th_err_sent(t), 0);
	assert_true(dpt_tftp_session_deadline(t->s) == UINT64_MAX);
}

static void
check_data1(struct th *t)
{
	th_expect_blocks(t, 0, 1, 1);
}

static void
check_ack0(struct th *t)
{
	th_expect_ack(t, 0, 0);
}

static void
check_ack1(struct th *t)
{
	th_expect_ack(t, 0, 1);
}

static void
check_oack_timeout10(struct th *t)
{
	th_expect_oack(t, 0, "timeout", "10");
}

/* Verifies: the default schedule 1, 2, 4, 8, 8 s (doubling, capped at
 * timeout_max_us 8 s), 5 retries, then the end at 31 s. */
static void
backoff_default_schedule(void **state)
{
	static const uint64_t at[] = { 1 * SEC, 3 * SEC, 7 * SEC, 15 * SEC,
				       23 * SEC };
	struct th *t = *state;
	uint64_t t0 = rrq_plain(t);

	expect_schedule(t, t0, at, 5, 31 * SEC, check_data1);
}

/* Verifies: a configured schedule 0.3, 0.6, 1.0 (cap), 1.0 s with 4
 * retries on a WRQ's ACK 0. */
static void
backoff_configured_cap(void **state)
{
	static const uint64_t at[] = { 300000, 900000, 1900000, 2900000 };
	struct th *t = *state;
	uint64_t t0 = t->now;

	t->cfg.timeout_us = 300000;
	t->cfg.timeout_max_us = 1000000;
	t->cfg.retries = 4;
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", NULL), 0);
	th_expect_ack(t, 0, 0);
	expect_schedule(t, t0, at, 4, 3900000, check_ack0);
}

/* Verifies: a negotiated timeout above timeout_max_us is the cap itself:
 * 10, 10, 10 s (the OACK resent each time). */
static void
backoff_cap_at_least_current(void **state)
{
	static const uint64_t at[] = { 10 * SEC, 20 * SEC, 30 * SEC };
	struct th *t = *state;
	uint64_t t0 = t->now;

	t->cfg.retries = 3;
	th_file_pattern(t, 100);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "timeout", "10",
				  NULL), 0);
	th_expect_oack(t, 0, "timeout", "10");
	expect_schedule(t, t0, at, 3, 40 * SEC, check_oack_timeout10);
}

/* Verifies: with retries 0 the first timeout ends the session. */
static void
retries_zero(void **state)
{
	struct th *t = *state;
	uint64_t t0;

	t->cfg.retries = 0;
	t0 = rrq_plain(t);
	expect_schedule(t, t0, NULL, 0, SEC, check_data1);
}

/* Verifies: negotiated timeout 3: the OACK's first retransmission is due
 * 3 000 000 us after it, and so is DATA 1's after ACK 0, RTT or not. */
static void
negotiated_timeout_3(void **state)
{
	struct th *t = *state;
	uint64_t t0 = t->now;

	t->cfg.timeout_min_us = 1000;
	th_file_pattern(t, 2000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "timeout", "3",
				  NULL), 0);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t0 + 3 * SEC);
	th_clear(t);
	t->now = t0 + 1000;
	th_ack(t, 0);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(th_stats(t)->rtt_us, 1000);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t0 + 1000 + 3 * SEC);
	th_clear(t);
	th_at(t, t0 + 1000 + 3 * SEC - 1);
	th_expect_sent(t, 0);
	th_at(t, t0 + 1000 + 3 * SEC);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t0 + 1000 + 9 * SEC);
}

/*
 * Steps: DATA 1 at t0, its ACK rtt later. Returns the deadline after
 * DATA 2 went out, relative to that ACK.
 */
static uint64_t
first_retry_after_rtt(struct th *t, uint64_t rtt)
{
	uint64_t t0 = rrq_plain(t);

	th_clear(t);
	t->now = t0 + rtt;
	th_ack(t, 1);
	th_expect_blocks(t, 0, 2, 1);
	return dpt_tftp_session_deadline(t->s) - t->now;
}

/* Verifies: after an RTT of 20 ms, the first retry is srtt + 4 rttvar =
 * 20 + 4 * 10 = 60 ms. */
static void
rtt_adapted_first_retry(void **state)
{
	struct th *t = *state;

	t->cfg.timeout_min_us = 1000;
	assert_int_equal(first_retry_after_rtt(t, 20000), 60000);
	assert_int_equal(th_stats(t)->rtt_us, 20000);
}

/* Verifies: the RTT-adapted interval is raised to timeout_min_us (50 ms
 * by default). */
static void
rtt_clamped_to_min(void **state)
{
	struct th *t = *state;

	assert_int_equal(t->cfg.timeout_min_us, 50000);
	assert_int_equal(first_retry_after_rtt(t, 100), 50000);
}

/* Verifies: the RTT-adapted interval is lowered to timeout_us. */
static void
rtt_clamped_to_timeout(void **state)
{
	struct th *t = *state;

	assert_int_equal(first_retry_after_rtt(t, 600000), t->cfg.timeout_us);
}

/* Verifies: with rtt_adapt off the interval stays cfg.timeout_us. */
static void
rtt_adapt_off(void **state)
{
	struct th *t = *state;

	t->cfg.rtt_adapt = false;
	t->cfg.timeout_min_us = 1000;
	assert_int_equal(first_retry_after_rtt(t, 20000), t->cfg.timeout_us);
}

/* Verifies: a second sample follows RFC 6298: rttvar 3/4 + |d|/4,
 * srtt 7/8 + r/8 (20 ms then 40 ms: srtt 22.5, rttvar 12.5 -> 72.5 ms). */
static void
rtt_second_sample(void **state)
{
	struct th *t = *state;

	t->cfg.timeout_min_us = 1000;
	assert_int_equal(first_retry_after_rtt(t, 20000), 60000);
	t->now += 40000;
	th_ack(t, 2);
	assert_int_equal(th_stats(t)->rtt_us, 22500);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t->now + 72500);
}

/* Verifies: Karn's rule: an ACK after a retransmission gives no sample;
 * the next block starts again from timeout_us, not the backed-off value. */
static void
karn_and_reset_after_progress(void **state)
{
	struct th *t = *state;
	uint64_t t0 = rrq_plain(t);

	th_at(t, t0 + SEC);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t0 + 3 * SEC);
	th_clear(t);
	t->now = t0 + SEC + 10000;
	th_ack(t, 1);
	th_expect_blocks(t, 0, 2, 1);
	assert_int_equal(th_stats(t)->rtt_us, 0);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t->now + SEC);
	assert_int_equal(dpt_tftp_session_tries(t->s), 0);
}

/* Verifies: the OACK is resent whole on timeout and counted; ACK 0 to the
 * resent OACK gives no RTT sample. */
static void
oack_retransmitted(void **state)
{
	struct th *t = *state;
	uint64_t t0 = t->now;

	th_file_pattern(t, 5000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "1024",
				  "tsize", "0", NULL), 0);
	th_clear(t);
	th_at(t, t0 + SEC);
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "blksize", "1024", "tsize", "5000");
	assert_int_equal(th_stats(t)->retransmits, 1);
	th_clear(t);
	t->now += 500;
	th_ack(t, 0);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(th_stats(t)->rtt_us, 0);
}

/* Verifies: the OACK round trip is an RTT sample for DATA 1's timer. */
static void
oack_rtt_sample(void **state)
{
	struct th *t = *state;
	uint64_t t0 = t->now;

	t->cfg.timeout_min_us = 1000;
	th_file_pattern(t, 5000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "1024",
				  NULL), 0);
	t->now = t0 + 30000;
	th_ack(t, 0);
	assert_int_equal(th_stats(t)->rtt_us, 30000);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t->now + 90000);
}

/* Verifies: a WRQ measures the RTT from ACK 0 to DATA 1 and uses it. */
static void
wrq_rtt_sample(void **state)
{
	struct th *t = *state;
	uint8_t blk[512];
	uint64_t t0 = t->now;

	memset(blk, 7, sizeof(blk));
	t->cfg.timeout_min_us = 1000;
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", NULL), 0);
	t->now = t0 + 20000;
	th_data(t, 1, blk, sizeof(blk));
	assert_int_equal(th_stats(t)->rtt_us, 20000);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t->now + 60000);
}

/* Verifies: a WRQ's negotiated timeout 2 rules its OACK and ACK timers. */
static void
wrq_negotiated_timeout(void **state)
{
	struct th *t = *state;
	uint8_t blk[512];
	uint64_t t0 = t->now;

	memset(blk, 1, sizeof(blk));
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "timeout", "2",
				  NULL), 0);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t0 + 2 * SEC);
	th_clear(t);
	th_at(t, t0 + 2 * SEC);
	th_expect_oack(t, 0, "timeout", "2");
	th_clear(t);
	th_data(t, 1, blk, sizeof(blk));
	th_expect_ack(t, 0, 1);
	assert_int_equal(dpt_tftp_session_deadline(t->s), t->now + 2 * SEC);
}

/* Verifies: a WRQ re-ACKs its last block at 1 and 3 s after it, then
 * with retries 2 ends at 7 s without an ERROR. */
static void
wrq_retries_exhausted(void **state)
{
	static const uint64_t at[] = { 1 * SEC, 3 * SEC };
	struct th *t = *state;
	uint8_t blk[512];
	uint64_t t0;

	memset(blk, 2, sizeof(blk));
	t->cfg.retries = 2;
	t->cfg.rtt_adapt = false;	/* DATA 1 came back in 0 us */
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", NULL), 0);
	th_data(t, 1, blk, sizeof(blk));
	t0 = t->now;
	expect_schedule(t, t0, at, 2, 7 * SEC, check_ack1);
}

/* Verifies: a session whose first answer finds no buffer (the TX side
 * full under load) is not lost: the OACK (RRQ) or ACK 0 (WRQ) goes at the
 * first stall poll once buffers are back, and the transfer runs; it was
 * never counted a retransmission. */
static void
first_answer_waits_for_a_buffer(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 3000);
	t->alloc_fail = true;
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "1024",
				  NULL), 0);
	th_expect_sent(t, 0);
	assert_false(dpt_tftp_session_done(t->s));
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t->now + t->cfg.stall_us);
	th_at(t, dpt_tftp_session_deadline(t->s));	/* still none */
	th_expect_sent(t, 0);
	t->alloc_fail = false;
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "blksize", "1024");
	th_clear(t);
	th_ack(t, 0);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(th_stats(t)->retransmits, 0);

	th_clear(t);
	t->alloc_fail = true;
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", NULL), 0);
	th_expect_sent(t, 0);
	assert_false(dpt_tftp_session_done(t->s));
	t->alloc_fail = false;
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 0);
	assert_int_equal(th_stats(t)->retransmits, 0);
}

/* Verifies: an OACK retransmission that finds no buffer is owed, not
 * forgotten: it goes at the stall poll once buffers are back, and no DATA
 * leaves before ACK 0 (the stall poll never pumps a transfer not begun). */
static void
oack_resend_waits_for_a_buffer(void **state)
{
	struct th *t = *state;
	int i;

	th_file_pattern(t, 3000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "1024",
				  NULL), 0);
	th_clear(t);
	t->alloc_fail = true;
	th_at(t, dpt_tftp_session_deadline(t->s));	/* the timeout */
	th_expect_sent(t, 0);
	for (i = 0; i < 3; i++)
		th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 0);
	t->alloc_fail = false;
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "blksize", "1024");
	th_clear(t);
	th_at(t, t->now + t->cfg.stall_us);
	th_expect_sent(t, 0);
	th_ack(t, 0);
	th_expect_blocks(t, 0, 1, 1);
}

/*
 * Verifies: an OACK retransmission owed (no buffer at the timeout) is
 * owed no more once the client answers the first OACK: ACK 0 starts the
 * transfer, and the stall polls that follow send DATA only, never the
 * WRQ's first answer (an ACK 0 to a reader: seen under load, the client
 * ended with "Unexpected opcode 4"). The same for a WRQ: DATA 1 after
 * the first OACK, the owed OACK is not sent, nor an extra ACK 0.
 */
static void
owed_oack_forgotten_once_answered(void **state)
{
	struct th *t = *state;
	uint8_t blk[100] = { 7 };
	size_t i;

	th_file_pattern(t, 3000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "1024",
				  NULL), 0);
	th_clear(t);
	t->alloc_fail = true;
	th_at(t, dpt_tftp_session_deadline(t->s));	/* resend: owed */
	th_expect_sent(t, 0);
	t->alloc_fail = false;
	th_ack(t, 0);				/* the first OACK's answer */
	th_expect_blocks(t, 0, 1, 1);
	th_clear(t);
	for (i = 0; i < 5; i++)
		th_at(t, t->now + t->cfg.stall_us);
	for (i = 0; i < t->n_pkt; i++)
		assert_int_equal(th_op(t, i), DPT_TFTP_DATA);

	th_clear(t);
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "blksize", "100",
				  NULL), 0);
	th_expect_sent(t, 1);
	th_clear(t);
	t->alloc_fail = true;
	th_at(t, dpt_tftp_session_deadline(t->s));	/* resend: owed */
	th_expect_sent(t, 0);
	t->alloc_fail = false;
	th_data(t, 1, blk, sizeof(blk));	/* the first OACK's answer */
	th_expect_ack(t, 0, 1);
	th_clear(t);
	for (i = 0; i < 5; i++)
		th_at(t, t->now + t->cfg.stall_us);
	th_expect_sent(t, 0);
}

/* Verifies: with an RTT measured (the adapted timeout at its 50 ms
 * floor), a block's retransmission waits the adapted timeout, but the
 * final block's waits the whole first timeout (1 s): a client that has it
 * may have reused its port for its next request already. */
static void
final_block_waits_the_full_timeout(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 3 * 512 + 10);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	t->now += 1000;
	th_ack(t, 1);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t->now + t->cfg.timeout_min_us);
	t->now += 1000;
	th_ack(t, 2);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t->now + t->cfg.timeout_min_us);
	t->now += 1000;
	th_clear(t);
	th_ack(t, 3);
	th_expect_blocks(t, 0, 4, 1);		/* the final, short block */
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t->now + t->cfg.timeout_us);
	th_clear(t);
	th_at(t, t->now + t->cfg.timeout_us);
	th_expect_blocks(t, 0, 4, 1);		/* resent after 1 s */
}

/* Verifies: with buffers never back, the first answer's session ends by
 * the retransmit timer's rules (timeout), not at once. */
static void
first_answer_bounded(void **state)
{
	struct th *t = *state;
	int n;

	th_file_pattern(t, 3000);
	t->alloc_fail = true;
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "1024",
				  NULL), 0);
	for (n = 0; n < 100000 && !dpt_tftp_session_done(t->s); n++)
		th_at(t, dpt_tftp_session_deadline(t->s));
	assert_true(dpt_tftp_session_done(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_TIMEOUT);
	assert_true(t->now > 1000000 + t->cfg.timeout_us);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TH_TEST(first_answer_waits_for_a_buffer),
		TH_TEST(first_answer_bounded),
		TH_TEST(oack_resend_waits_for_a_buffer),
		TH_TEST(final_block_waits_the_full_timeout),
		TH_TEST(nothing_before_deadline),
		TH_TEST(backoff_default_schedule),
		TH_TEST(backoff_configured_cap),
		TH_TEST(backoff_cap_at_least_current),
		TH_TEST(retries_zero),
		TH_TEST(negotiated_timeout_3),
		TH_TEST(rtt_adapted_first_retry),
		TH_TEST(rtt_clamped_to_min),
		TH_TEST(rtt_clamped_to_timeout),
		TH_TEST(rtt_adapt_off),
		TH_TEST(rtt_second_sample),
		TH_TEST(karn_and_reset_after_progress),
		TH_TEST(oack_retransmitted),
		TH_TEST(oack_rtt_sample),
		TH_TEST(wrq_rtt_sample),
		TH_TEST(wrq_negotiated_timeout),
		TH_TEST(wrq_retries_exhausted),
		TH_TEST(owed_oack_forgotten_once_answered),
	};

	return cmocka_run_group_tests_name("tftp_timers", tests, NULL, NULL);
}
