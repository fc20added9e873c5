/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Block-number rollover (RFC 1350 leaves it open; we wrap 65535 -> 0 so
 * files of any size move): block 65536 travels as wire number 0, both
 * ways, lockstep and windowed.
 */

#include <stdlib.h>
#include <string.h>

#include "tftp_harness.h"

/* Verifies: block 65536 goes out as wire block 0, its ACK 0 is accepted,
 * and 65537 (wire 1, empty: the file is 65536 blocks of 8) ends it. */
static void
rollover_lockstep(void **state)
{
	struct th *t = *state;
	uint64_t b;

	th_file_pattern(t, 65536 * 8);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "8",
				  NULL), 0);
	th_clear(t);
	th_ack(t, 0);
	for (b = 1; b <= 65537; b++) {
		assert_int_equal(t->n_pkt, 1);
		assert_int_equal(th_num(t, 0), (uint16_t)b);
		if (b >= 65534)
			th_expect_blocks(t, 0, b, 1);
		th_clear(t);
		th_ack(t, (uint16_t)b);
	}
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	assert_int_equal(th_stats(t)->blocks, 65537);
	assert_int_equal(th_stats(t)->bytes, 65536 * 8);
	assert_int_equal(th_stats(t)->dup_acks, 0);
}

/* Verifies: with window 16 across the wrap the bytes still arrive whole. */
static void
rollover_windowed(void **state)
{
	struct th *t = *state;
	size_t size = 65540 * 8 + 5, len;
	uint64_t n;
	uint8_t *got;

	th_file_pattern(t, size);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "8",
				  "windowsize", "16", NULL), 0);
	th_clear(t);
	th_ack(t, 0);
	got = th_client_read(t, &len, &n);
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	assert_int_equal(n, 65541);
	assert_int_equal(len, size);
	assert_memory_equal(got, t->file, size);
}

/* Steps: an RRQ lockstep of 65536 blocks of 8 (then an empty 65537th)
 * read up to and including ACK `upto`. */
static void
rrq_lockstep_to(struct th *t, uint64_t upto)
{
	uint64_t b;

	th_file_pattern(t, 65536 * 8);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "8",
				  NULL), 0);
	th_clear(t);
	th_ack(t, 0);
	for (b = 1; b <= upto; b++) {
		th_clear(t);
		th_ack(t, (uint16_t)b);
	}
}

/* Verifies: after the wrap, ACK 65535 (stale) and ACK 0 (duplicate of
 * block 65536) send nothing; ACK 1 (block 65537) completes. */
static void
rollover_stale_acks(void **state)
{
	struct th *t = *state;

	rrq_lockstep_to(t, 65536);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 65537, 1);
	th_clear(t);
	th_ack(t, 65535);
	th_ack(t, 0);
	th_expect_sent(t, 0);
	assert_int_equal(th_stats(t)->dup_acks, 2);
	assert_false(dpt_tftp_session_done(t->s));
	th_ack(t, 1);
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
}

/* Verifies: windows of 4 across the wrap: a partial ACK (65534), a
 * partial ACK that is wire 0 (block 65536) and a window-end ACK past the
 * wrap (wire 4, block 65540) each slide the window once; fifty repeats
 * of each send nothing (the Sorcerer's Apprentice, windowed); the file
 * then ends complete. */
static void
rollover_windowed_repeats(void **state)
{
	struct th *t = *state;
	uint64_t b;
	int i;

	th_file_pattern(t, 65544 * 8 + 3);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "8",
				  "windowsize", "4", NULL), 0);
	th_clear(t);
	th_ack(t, 0);
	for (b = 4; b <= 65532; b += 4) {
		th_clear(t);
		th_ack(t, (uint16_t)b);
	}
	th_expect_blocks(t, 0, 65533, 4);		/* wire 65533..0 */
	th_clear(t);
	th_ack(t, 65534);				/* partial */
	th_expect_sent(t, 4);
	th_expect_blocks(t, 0, 65535, 4);		/* wire 65535..2 */
	th_clear(t);
	for (i = 0; i < 50; i++)
		th_ack(t, 65534);
	th_expect_sent(t, 0);
	th_ack(t, 0);					/* block 65536 */
	th_expect_sent(t, 4);
	th_expect_blocks(t, 0, 65537, 4);		/* wire 1..4 */
	th_clear(t);
	for (i = 0; i < 50; i++)
		th_ack(t, 0);
	th_expect_sent(t, 0);
	th_ack(t, 4);					/* block 65540 */
	th_expect_sent(t, 4);
	th_expect_blocks(t, 0, 65541, 4);
	th_clear(t);
	for (i = 0; i < 50; i++)
		th_ack(t, 4);
	th_expect_sent(t, 0);
	assert_int_equal(th_stats(t)->dup_acks, 150);
	th_ack(t, 8);					/* block 65544 */
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 65545, 1);
	th_clear(t);
	th_ack(t, 9);
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
}

/* Verifies: a timeout after the wrap resends block 65536 as wire 0. */
static void
rollover_timeout_resend(void **state)
{
	struct th *t = *state;

	rrq_lockstep_to(t, 65535);
	th_expect_blocks(t, 0, 65536, 1);
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 65536, 1);
	assert_int_equal(th_num(t, 0), 0);
}

/* Steps: WRQ with blksize 8 and window w; size bytes of the pattern sent
 * by th_client_write(). Verifies: the file whole, 65537 blocks. */
static void
wrq_across_wrap(struct th *t, const char *w, size_t size)
{
	uint8_t *p = malloc(size);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < size; i++)
		p[i] = th_pattern_byte(i);
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "blksize", "8",
				  "windowsize", w, NULL), 0);
	th_expect_oack(t, 0, "blksize", "8", "windowsize", w);
	th_client_write(t, p, size);
	assert_int_equal(t->wlen, size);
	assert_int_equal(t->w_bytes, size);
	assert_memory_equal(t->wbuf, p, size);
	assert_int_equal(th_stats(t)->blocks, size / 8 + 1);
	assert_int_equal(th_stats(t)->dup_data, 0);
	assert_int_equal(th_state(t), DPT_TFTP_S_DALLY);
	free(p);
}

/* Verifies: block 65536 arrives as wire 0 and is ACKed as 0; the file of
 * 65536 blocks of 8 plus 3 bytes is stored whole. */
static void
rollover_upload(void **state)
{
	wrq_across_wrap(*state, "1", 65536 * 8 + 3);
}

/* Verifies: a windowed upload (8) across the wrap: ACK 0 ends the window
 * of blocks 65529..65536. */
static void
rollover_upload_windowed(void **state)
{
	wrq_across_wrap(*state, "8", 65536 * 8 + 3);
}

/* Verifies: after the wrap a resent wire 0 (block 65536) is re-ACKed and
 * not written; a stray wire 65535 draws nothing. */
static void
rollover_upload_duplicates(void **state)
{
	struct th *t = *state;
	uint8_t blk[8];
	uint64_t b;

	memset(blk, 'r', sizeof(blk));
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "blksize", "8",
				  NULL), 0);
	for (b = 1; b <= 65536; b++)
		th_data(t, (uint16_t)b, blk, sizeof(blk));
	th_clear(t);
	th_data(t, 0, blk, sizeof(blk));
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 0);
	th_clear(t);
	th_data(t, 65535, blk, sizeof(blk));
	th_expect_sent(t, 0);
	assert_int_equal(th_stats(t)->dup_data, 2);
	assert_int_equal(t->n_write, 65536);
	assert_int_equal(t->wlen, 65536 * 8);
	th_data(t, 1, blk, 2);
	th_expect_ack(t, 0, 1);
	assert_int_equal(t->wlen, 65536 * 8 + 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TH_TEST(rollover_lockstep),
		TH_TEST(rollover_windowed),
		TH_TEST(rollover_upload),
		TH_TEST(rollover_stale_acks),
		TH_TEST(rollover_windowed_repeats),
		TH_TEST(rollover_timeout_resend),
		TH_TEST(rollover_upload_windowed),
		TH_TEST(rollover_upload_duplicates),
	};

	return cmocka_run_group_tests_name("tftp_rollover", tests, NULL, NULL);
}
