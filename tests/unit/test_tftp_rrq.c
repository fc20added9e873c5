/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The sending side (RRQ): byte-exact DATA for every size class, RFC 7440
 * windows (slide on partial ACK, Sorcerer's Apprentice), stalls on data
 * not yet resident, and counters. The zero-copy path, errors and the end
 * of a download: test_tftp_rrq_end.c.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tftp_harness.h"

/*
 * Steps: read a file of size bytes with blksize bs (512: no option, so no
 * OACK), window 1, ACKing each block. Verifies: size / bs + 1 DATA, each
 * exact (last short or empty), one per ACK; COMPLETE only after the
 * final ACK; blocks, bytes and progress counters.
 */
static void
rrq_sizes(struct th *t, size_t size, unsigned int bs)
{
	uint64_t n = size / bs + 1, b;
	char bss[8];

	th_file_pattern(t, size);
	if (bs == DPT_TFTP_BLKSIZE_DEFAULT) {
		assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	} else {
		snprintf(bss, sizeof(bss), "%u", bs);
		assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize",
					  bss, NULL), 0);
		th_expect_oack(t, 0, "blksize", bss);
		th_clear(t);
		th_ack(t, 0);
	}
	for (b = 1; b <= n; b++) {
		th_expect_sent(t, 1);
		th_expect_blocks(t, 0, b, 1);
		assert_int_equal(t->pkt[0].len, 4 + (b < n ? bs : size % bs));
		assert_int_equal(th_end(t), DPT_TFTP_END_NONE);
		assert_false(dpt_tftp_session_done(t->s));
		th_clear(t);
		th_ack(t, (uint16_t)b);
	}
	th_expect_sent(t, 0);
	assert_true(dpt_tftp_session_done(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	assert_int_equal(th_stats(t)->blocks, n);
	assert_int_equal(th_stats(t)->bytes, size);
	assert_int_equal(th_stats(t)->retransmits, 0);
	assert_int_equal(th_stats(t)->dup_acks, 0);
	assert_int_equal(dpt_tftp_session_progress(t->s), size);
	assert_true(dpt_tftp_session_deadline(t->s) == UINT64_MAX);
}

#define SIZE_CASE(name, size, bs) \
static void \
name(void **state) \
{ \
	rrq_sizes(*state, size, bs); \
}

SIZE_CASE(size_0_bs512, 0, 512)
SIZE_CASE(size_1_bs512, 1, 512)
SIZE_CASE(size_511_bs512, 511, 512)
SIZE_CASE(size_512_bs512, 512, 512)
SIZE_CASE(size_513_bs512, 513, 512)
SIZE_CASE(size_3x512_bs512, 3 * 512, 512)
SIZE_CASE(size_0_bs1468, 0, 1468)
SIZE_CASE(size_1_bs1468, 1, 1468)
SIZE_CASE(size_1467_bs1468, 1467, 1468)
SIZE_CASE(size_1468_bs1468, 1468, 1468)
SIZE_CASE(size_1469_bs1468, 1469, 1468)
SIZE_CASE(size_3x1468_bs1468, 3 * 1468, 1468)

/* Verifies: a window of 4 goes out whole, then one window per ACK of its
 * last block, the final one cut at the short block. */
static void
window_bursts(void **state)
{
	struct th *t = *state;

	th_rrq_window(t, 10 * 512 + 100, "4");
	th_expect_sent(t, 4);
	th_expect_blocks(t, 0, 1, 4);
	th_clear(t);
	th_ack(t, 4);
	th_expect_sent(t, 4);
	th_expect_blocks(t, 0, 5, 4);
	th_clear(t);
	th_ack(t, 8);
	th_expect_sent(t, 3);
	th_expect_blocks(t, 0, 9, 3);
	th_clear(t);
	th_ack(t, 11);
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
}

/* Verifies: in a window 1..8, ACK 3 (loss of block 4) brings exactly
 * blocks 4..11, not a resend of the whole window. */
static void
window_partial_ack_slides(void **state)
{
	struct th *t = *state;

	th_rrq_window(t, 20 * 512, "8");
	th_expect_sent(t, 8);
	th_expect_blocks(t, 0, 1, 8);
	th_clear(t);
	th_ack(t, 3);
	th_expect_sent(t, 8);
	th_expect_blocks(t, 0, 4, 8);
	/* Blocks 4..8 went out again: stats.blocks counts first sends only.
	 * Whether such resends count in stats.retransmits ("sent again on
	 * timeout" in dpt_tftp.h) is left open: not asserted. */
	assert_int_equal(th_stats(t)->blocks, 11);
	assert_int_equal(th_stats(t)->bytes, 11 * 512);
}

/* Verifies: 100 duplicate ACKs of the last window's end cause no DATA at
 * all and leave the timer alone (Sorcerer's Apprentice). */
static void
dup_ack_storm_silent(void **state)
{
	struct th *t = *state;
	uint64_t deadline;
	int i;

	th_rrq_window(t, 20 * 512, "4");
	th_clear(t);
	th_ack(t, 4);
	th_expect_sent(t, 4);
	th_clear(t);
	deadline = dpt_tftp_session_deadline(t->s);
	for (i = 0; i < 100; i++) {
		t->now += 10;
		th_ack(t, 4);
	}
	th_expect_sent(t, 0);
	assert_int_equal(th_stats(t)->dup_acks, 100);
	assert_true(dpt_tftp_session_deadline(t->s) == deadline);
	th_ack(t, 8);
	th_expect_sent(t, 4);
	th_expect_blocks(t, 0, 9, 4);
}

/* Verifies: with window 1, a duplicate ACK never sends the next block a
 * second time. */
static void
dup_ack_lockstep_silent(void **state)
{
	struct th *t = *state;
	int i;

	th_file_pattern(t, 5 * 512);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_clear(t);
	th_ack(t, 1);
	th_expect_blocks(t, 0, 2, 1);
	th_clear(t);
	for (i = 0; i < 100; i++)
		th_ack(t, 1);
	th_expect_sent(t, 0);
	assert_int_equal(th_stats(t)->dup_acks, 100);
	th_ack(t, 2);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 3, 1);
}

/* Verifies: an ACK older than the window's base is ignored. */
static void
stale_ack_ignored(void **state)
{
	struct th *t = *state;

	th_rrq_window(t, 30 * 512, "4");
	th_clear(t);
	th_ack(t, 4);
	th_clear(t);
	th_ack(t, 2);
	th_ack(t, 0);
	th_expect_sent(t, 0);
	assert_int_equal(th_stats(t)->dup_acks, 2);
	th_ack(t, 8);
	th_expect_blocks(t, 0, 9, 4);
}

/* Verifies: an ACK for a block not sent yet is ignored and counted; the
 * window stays where it was. */
static void
ack_never_sent_ignored(void **state)
{
	struct th *t = *state;

	th_rrq_window(t, 30 * 512, "4");
	th_clear(t);
	th_ack(t, 7);
	th_ack(t, 40000);
	th_expect_sent(t, 0);
	assert_int_equal(th_stats(t)->dup_acks, 2);
	assert_false(dpt_tftp_session_done(t->s));
	assert_int_equal(th_stats(t)->blocks, 4);
	th_ack(t, 4);
	th_expect_sent(t, 4);
	th_expect_blocks(t, 0, 5, 4);
}

/* Verifies: a timeout resends exactly the unacknowledged window, from
 * its first block. */
static void
timeout_resends_from_base(void **state)
{
	struct th *t = *state;

	th_rrq_window(t, 30 * 512, "4");
	th_clear(t);
	th_ack(t, 4);
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 4);
	th_expect_blocks(t, 0, 5, 4);
	assert_int_equal(th_stats(t)->retransmits, 4);
	assert_int_equal(th_stats(t)->blocks, 8);
}

/* Verifies: the ACK of a window sent before a timeout, arriving after
 * the resend, is accepted and slides; its twin is then a duplicate. */
static void
late_ack_after_timeout(void **state)
{
	struct th *t = *state;

	th_rrq_window(t, 30 * 512, "4");
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_blocks(t, 0, 1, 4);
	th_clear(t);
	t->now += 5000;
	th_ack(t, 4);
	th_expect_sent(t, 4);
	th_expect_blocks(t, 0, 5, 4);
	th_clear(t);
	th_ack(t, 4);
	th_expect_sent(t, 0);
	assert_int_equal(th_stats(t)->dup_acks, 1);
}

/* Verifies: read() -EAGAIN sends nothing and polls at now + stall_us;
 * a poll before then does nothing; DATA 1 goes once data is resident. */
static void
stall_polls_on_timer(void **state)
{
	struct th *t = *state;
	uint64_t t0 = t->now;

	th_file_pattern(t, 1000);
	t->resident = 0;
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_expect_sent(t, 0);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t0 + t->cfg.stall_us);
	th_at(t, t0 + t->cfg.stall_us - 1);
	th_at(t, t0 + t->cfg.stall_us);
	th_expect_sent(t, 0);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t0 + 2 * t->cfg.stall_us);
	t->resident = t->file_size;
	th_at(t, t0 + 2 * t->cfg.stall_us);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t0 + 2 * t->cfg.stall_us + t->cfg.timeout_us);
	assert_int_equal(th_stats(t)->retransmits, 0);
}

/* Verifies: dpt_tftp_session_kick() sends at once when data arrives, and
 * does nothing to a session that is not stalled. */
static void
stall_kick(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 1000);
	t->resident = 0;
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	t->now += 10;
	dpt_tftp_session_kick(t->s, t->now);
	th_expect_sent(t, 0);
	t->resident = t->file_size;
	dpt_tftp_session_kick(t->s, t->now);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t->now + t->cfg.timeout_us);
	dpt_tftp_session_kick(t->s, t->now);
	th_expect_sent(t, 1);
}

/* Verifies: a stall inside a window sends the resident blocks, then the
 * rest when kicked. */
static void
stall_mid_window(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 4 * 512 + 10);
	t->resident = 1024;
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "windowsize", "4",
				  NULL), 0);
	th_expect_oack(t, 0, "windowsize", "4");
	th_clear(t);
	th_ack(t, 0);
	th_expect_sent(t, 2);
	th_expect_blocks(t, 0, 1, 2);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t->now + t->cfg.stall_us);
	th_clear(t);
	t->resident = t->file_size;
	dpt_tftp_session_kick(t->s, t->now);
	th_expect_sent(t, 2);
	th_expect_blocks(t, 0, 3, 2);
}

/* Verifies: no buffer from alloc() stalls like a read; nothing leaks. */
static void
alloc_failure_stalls(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 100);
	t->alloc_fail = true;
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_expect_sent(t, 0);
	assert_false(dpt_tftp_session_done(t->s));
	t->alloc_fail = false;
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
}

/* Verifies: every counter after a lossy lockstep transfer: one timeout,
 * one duplicate and one stale ACK. */
static void
stats_lossy_scenario(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 3 * 512 + 10);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_ack(t, 1);
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_ack(t, 2);
	th_ack(t, 2);
	th_ack(t, 1);
	assert_int_equal(dpt_tftp_session_progress(t->s), 1024);
	th_ack(t, 3);
	th_ack(t, 4);
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	th_expect_sent(t, 5);
	th_expect_blocks(t, 0, 1, 2);
	th_expect_blocks(t, 2, 2, 3);
	assert_int_equal(th_stats(t)->retransmits, 1);
	assert_int_equal(th_stats(t)->dup_acks, 2);
	assert_int_equal(th_stats(t)->blocks, 4);
	assert_int_equal(th_stats(t)->bytes, 3 * 512 + 10);
	assert_int_equal(th_err_sent(t), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TH_TEST(size_0_bs512),
		TH_TEST(size_1_bs512),
		TH_TEST(size_511_bs512),
		TH_TEST(size_512_bs512),
		TH_TEST(size_513_bs512),
		TH_TEST(size_3x512_bs512),
		TH_TEST(size_0_bs1468),
		TH_TEST(size_1_bs1468),
		TH_TEST(size_1467_bs1468),
		TH_TEST(size_1468_bs1468),
		TH_TEST(size_1469_bs1468),
		TH_TEST(size_3x1468_bs1468),
		TH_TEST(window_bursts),
		TH_TEST(window_partial_ack_slides),
		TH_TEST(dup_ack_storm_silent),
		TH_TEST(dup_ack_lockstep_silent),
		TH_TEST(stale_ack_ignored),
		TH_TEST(ack_never_sent_ignored),
		TH_TEST(timeout_resends_from_base),
		TH_TEST(late_ack_after_timeout),
		TH_TEST(stall_polls_on_timer),
		TH_TEST(stall_kick),
		TH_TEST(stall_mid_window),
		TH_TEST(alloc_failure_stalls),
		TH_TEST(stats_lossy_scenario),
	};

	return cmocka_run_group_tests_name("tftp_rrq", tests, NULL, NULL);
}
