/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Pacing of RRQ windows (cfg.pace): whole windows at once on a clean path;
 * after a loss (a timeout, a partial ACK) the burst halves, once per loss
 * event, and the window's blocks leave in bursts spread over about the
 * RTT (not where the gap would be under a timer tick); each window
 * acknowledged whole doubles the burst back.
 */

#include <stdlib.h>
#include <string.h>

#include "tftp_harness.h"

#define RTE_DIM(a) (sizeof(a) / sizeof((a)[0]))

#define RTT 1000	/* us: the ACK of the OACK comes this late */

/* An RRQ of size bytes, windowsize w, pacing on or off; the OACK
 * answered RTT later (srtt = RTT), the first window sent. */
static void
start_window(struct th *t, size_t size, const char *w, bool pace)
{
	t->cfg.pace = pace;
	th_file_pattern(t, size);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "512",
				  "windowsize", w, NULL), 0);
	th_clear(t);
	t->now += RTT;
	th_ack(t, 0);
	assert_int_equal(th_stats(t)->rtt_us, RTT);
}

static void
start_paced(struct th *t, size_t size, const char *w)
{
	start_window(t, size, w, true);
}

/* Verifies: on a clean path every window leaves whole at once and no
 * paced wake-up is ever set: pacing costs nothing. */
static void
clean_path_whole_windows(void **state)
{
	struct th *t = *state;
	uint16_t b;

	start_paced(t, 100 * 512, "16");
	th_expect_sent(t, 16);
	th_expect_blocks(t, 0, 1, 16);
	for (b = 16; b <= 64; b += 16) {
		th_clear(t);
		t->now += RTT;
		th_ack(t, b);
		th_expect_sent(t, 16);
		th_expect_blocks(t, 0, b + 1, 16);
		assert_true(dpt_tftp_session_pace_at(t->s) == UINT64_MAX);
		assert_int_equal(dpt_tftp_session_burst(t->s), 16);
	}
	assert_int_equal(th_stats(t)->pace_cuts, 0);
}

/* Verifies: a timeout halves the burst: the window goes again as 8
 * blocks at once, then, RTT * 8 / 16 later (not a microsecond sooner),
 * the other 8. */
static void
timeout_halves_and_spreads(void **state)
{
	struct th *t = *state;
	uint64_t at;

	start_paced(t, 100 * 512, "16");
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 8);
	th_expect_blocks(t, 0, 1, 8);
	assert_int_equal(dpt_tftp_session_burst(t->s), 8);
	assert_int_equal(th_stats(t)->pace_cuts, 1);
	at = t->now + RTT * 8 / 16;
	assert_int_equal(dpt_tftp_session_deadline(t->s), at);
	th_clear(t);
	th_at(t, at - 1);
	th_expect_sent(t, 0);
	th_at(t, at);
	th_expect_sent(t, 8);
	th_expect_blocks(t, 0, 9, 8);
	assert_int_equal(th_stats(t)->retransmits, 16);
}

/*
 * Verifies: a partial ACK (block 5 lost) halves the burst once; a second
 * partial ACK for blocks sent before the cut is the same loss event and
 * cuts nothing more; the window slides on each as ever.
 */
static void
partial_ack_cuts_once(void **state)
{
	struct th *t = *state;

	start_paced(t, 100 * 512, "16");
	th_clear(t);
	t->now += RTT;
	th_ack(t, 4);
	th_expect_sent(t, 8);
	th_expect_blocks(t, 0, 5, 8);
	assert_int_equal(dpt_tftp_session_burst(t->s), 8);
	th_clear(t);
	th_ack(t, 6);		/* 7 lost too, from the same burst */
	assert_int_equal(dpt_tftp_session_burst(t->s), 8);
	assert_int_equal(th_stats(t)->pace_cuts, 1);
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_blocks(t, 0, 7, 8);
}

/* Verifies: after cuts (a timeout to 8, a second timeout to 4), each
 * window acknowledged whole doubles the burst back, 4, 8, 16; from then on
 * windows leave whole at once again. */
static void
grows_back_to_the_window(void **state)
{
	struct th *t = *state;
	static const uint16_t want[] = { 8, 16, 16 };
	uint64_t next = 17;
	unsigned int round;

	start_paced(t, 1000 * 512, "16");
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));	/* cut to 8 */
	while (dpt_tftp_session_pace_at(t->s) != UINT64_MAX)
		th_at(t, dpt_tftp_session_pace_at(t->s));
	th_at(t, dpt_tftp_session_deadline(t->s));	/* cut to 4 */
	assert_int_equal(dpt_tftp_session_burst(t->s), 4);
	for (round = 0; round < RTE_DIM(want); round++) {
		/* let the paced bursts of the window out, then ACK its end */
		while (dpt_tftp_session_pace_at(t->s) != UINT64_MAX)
			th_at(t, dpt_tftp_session_pace_at(t->s));
		th_clear(t);
		t->now += RTT;
		th_ack(t, (uint16_t)(next - 1));
		assert_int_equal(dpt_tftp_session_burst(t->s), want[round]);
		next += 16;
	}
	th_expect_sent(t, 16);		/* the last window, whole */
	assert_true(dpt_tftp_session_pace_at(t->s) == UINT64_MAX);
}

/* Verifies: where the RTT is so short that the gap between bursts would
 * be under pace_min_us (a timer tick), the window goes whole at once even
 * after a cut: pacing costs nothing on fast paths. */
static void
fast_path_never_paced(void **state)
{
	struct th *t = *state;

	t->cfg.pace_min_us = 250;
	t->cfg.pace = true;
	th_file_pattern(t, 100 * 512);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "512",
				  "windowsize", "16", NULL), 0);
	th_clear(t);
	t->now += 100;			/* an RTT of 100 us */
	th_ack(t, 0);
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));
	assert_int_equal(dpt_tftp_session_burst(t->s), 8);
	th_expect_sent(t, 16);		/* 50 us apart would be: no pacing */
	assert_true(dpt_tftp_session_pace_at(t->s) == UINT64_MAX);
}

/* Verifies: with pacing off a timeout resends the whole window at once;
 * lock-step transfers never pace (a window of one). */
static void
off_and_lockstep_unpaced(void **state)
{
	struct th *t = *state;

	start_window(t, 100 * 512, "16", false);
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 16);
	assert_int_equal(th_stats(t)->pace_cuts, 0);

	th_clear(t);
	t->cfg.pace = true;
	th_file_pattern(t, 10 * 512);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 1);
	assert_int_equal(dpt_tftp_session_burst(t->s), 1);
	assert_int_equal(th_stats(t)->pace_cuts, 0);
}

/*
 * Verifies: a paced transfer runs to its end with every byte in order:
 * a client that ACKs what it has whenever the server goes quiet (a paced
 * burst left, the next not due yet: the clock moves to the next wake-up)
 * gets the whole file, the window always slid forward.
 */
static void
paced_transfer_whole(void **state)
{
	struct th *t = *state;
	size_t size = 300 * 512 + 77, n = 0, i;
	uint8_t *got = malloc(size);
	uint16_t expect = 1;
	int turns = 0;

	assert_non_null(got);
	start_paced(t, size, "8");
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));	/* a loss: paced */
	while (!dpt_tftp_session_done(t->s)) {
		assert_true(++turns < 100000);
		for (i = 0; i < t->n_pkt; i++) {
			if (th_num(t, i) != expect)
				continue;	/* a copy already had */
			assert_true(n + t->pkt[i].len - 4 <= size);
			memcpy(got + n, t->pkt[i].buf + 4, t->pkt[i].len - 4);
			n += t->pkt[i].len - 4;
			expect++;
		}
		if (t->n_pkt == 0) {
			th_at(t, dpt_tftp_session_deadline(t->s));
			continue;
		}
		th_clear(t);
		t->now += RTT;
		th_ack(t, (uint16_t)(expect - 1));
	}
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	assert_int_equal(n, size);
	assert_memory_equal(got, t->file, size);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TH_TEST(clean_path_whole_windows),
		TH_TEST(timeout_halves_and_spreads),
		TH_TEST(partial_ack_cuts_once),
		TH_TEST(grows_back_to_the_window),
		TH_TEST(fast_path_never_paced),
		TH_TEST(off_and_lockstep_unpaced),
		TH_TEST(paced_transfer_whole),
	};

	return cmocka_run_group_tests_name("tftp_pace", tests, NULL, NULL);
}
