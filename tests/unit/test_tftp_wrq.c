/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The receiving side (WRQ): in-order storage written once, ACK per window
 * (RFC 7440), gaps and lost ACKs, the final ACK held until commit(),
 * write and commit failures, the dally and counters.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tftp_harness.h"

/* The upload's bytes: the harness pattern, so any offset is checkable. */
static uint8_t *
upload(size_t len)
{
	uint8_t *p = malloc(len + 1);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = th_pattern_byte(i);
	return p;
}

/* Sends DATA b (1-based, bs-byte blocks) of the pattern, len bytes. */
static void
send_blk(struct th *t, uint64_t b, size_t bs, size_t len)
{
	uint8_t *p = upload((size_t)(b - 1) * bs + len);

	th_data(t, (uint16_t)b, p + (b - 1) * bs, len);
	free(p);
}

/* Verifies: the stored file is the first len bytes of the pattern. */
static void
expect_file(struct th *t, size_t len)
{
	uint8_t *p = upload(len);

	assert_int_equal(t->wlen, len);
	assert_int_equal(t->w_bytes, len);
	if (len > 0)
		assert_memory_equal(t->wbuf, p, len);
	free(p);
}

/* Steps: a WRQ without options; ACK 0 cleared. */
static void
wrq_plain(struct th *t)
{
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", NULL), 0);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 0);
	th_clear(t);
}

/* Steps: a WRQ with windowsize w (blksize 512); the OACK cleared. */
static void
wrq_window(struct th *t, const char *w)
{
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "windowsize", w,
				  NULL), 0);
	th_expect_oack(t, 0, "windowsize", w);
	th_clear(t);
}

/* Verifies: lockstep upload: ACK n per DATA n, the final ACK after
 * commit, then the dally; the file and counters. */
static void
lockstep_upload(void **state)
{
	struct th *t = *state;

	wrq_plain(t);
	send_blk(t, 1, 512, 512);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 1);
	assert_int_equal(t->n_commit, 0);
	th_clear(t);
	send_blk(t, 2, 512, 100);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 2);
	assert_int_equal(t->n_commit, 1);
	assert_int_equal(th_state(t), DPT_TFTP_S_DALLY);
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	assert_int_equal(t->n_write, 2);
	expect_file(t, 612);
	assert_int_equal(th_stats(t)->blocks, 2);
	assert_int_equal(th_stats(t)->bytes, 612);
	assert_int_equal(th_stats(t)->dup_data, 0);
	assert_int_equal(dpt_tftp_session_progress(t->s), 612);
}

/* Steps: upload size bytes with th_client_write(). Verifies: the file,
 * size / 512 + 1 blocks, one commit. */
static void
wrq_size(struct th *t, size_t size)
{
	uint8_t *p = upload(size);

	wrq_plain(t);
	th_client_write(t, p, size);
	expect_file(t, size);
	assert_int_equal(t->n_commit, 1);
	assert_int_equal(th_stats(t)->blocks, size / 512 + 1);
	assert_int_equal(th_state(t), DPT_TFTP_S_DALLY);
	free(p);
}

#define WRQ_SIZE(name, size) \
static void \
name(void **state) \
{ \
	wrq_size(*state, size); \
}

WRQ_SIZE(upload_0, 0)
WRQ_SIZE(upload_1, 1)
WRQ_SIZE(upload_512, 512)
WRQ_SIZE(upload_3x512, 3 * 512)
WRQ_SIZE(upload_3x512_plus_1, 3 * 512 + 1)

/* Verifies: a duplicate of the block just ACKed is ACKed again and never
 * written twice. */
static void
dup_data_reacked_not_written(void **state)
{
	struct th *t = *state;

	wrq_plain(t);
	send_blk(t, 1, 512, 512);
	send_blk(t, 1, 512, 512);
	th_expect_sent(t, 2);
	th_expect_ack(t, 0, 1);
	th_expect_ack(t, 1, 1);
	assert_int_equal(t->n_write, 1);
	assert_int_equal(th_stats(t)->dup_data, 1);
	assert_int_equal(th_stats(t)->blocks, 1);
	expect_file(t, 512);
}

/* Verifies: a stray copy of an older block is not written, is counted,
 * and draws no ACK: only a copy of the block last ACKed means that ACK
 * was lost (docs/protocol.md). */
static void
old_dup_silent(void **state)
{
	struct th *t = *state;

	wrq_plain(t);
	send_blk(t, 1, 512, 512);
	send_blk(t, 2, 512, 512);
	th_clear(t);
	send_blk(t, 1, 512, 512);
	th_expect_sent(t, 0);
	assert_false(dpt_tftp_session_done(t->s));
	assert_int_equal(t->n_write, 2);
	assert_int_equal(th_stats(t)->dup_data, 1);
	expect_file(t, 1024);
}

/* Verifies: with commit() -EINPROGRESS the final ACK waits (a resent final
 * DATA changes nothing) until commit_done(0), then goes once. */
static void
final_ack_waits_for_commit(void **state)
{
	struct th *t = *state;

	t->commit_rc = -EINPROGRESS;
	wrq_plain(t);
	send_blk(t, 1, 512, 100);
	th_expect_sent(t, 0);
	assert_int_equal(th_state(t), DPT_TFTP_S_COMMITTING);
	assert_true(dpt_tftp_session_deadline(t->s) == UINT64_MAX);
	send_blk(t, 1, 512, 100);
	th_expect_sent(t, 0);
	assert_int_equal(t->n_write, 1);
	assert_int_equal(t->n_commit, 1);
	dpt_tftp_session_commit_done(t->s, 0, t->now);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 1);
	assert_int_equal(th_state(t), DPT_TFTP_S_DALLY);
	expect_file(t, 100);
}

/* Verifies: an asynchronous commit failing with -ENOSPC gives ERROR 3 and
 * no final ACK. */
static void
commit_done_error(void **state)
{
	struct th *t = *state;

	t->commit_rc = -EINPROGRESS;
	wrq_plain(t);
	send_blk(t, 1, 512, 10);
	dpt_tftp_session_commit_done(t->s, -ENOSPC, t->now);
	th_expect_sent(t, 1);
	th_expect_error(t, 0, DPT_TFTP_ENOSPACE, NULL);
	assert_int_equal(th_end(t), DPT_TFTP_END_IO);
	assert_int_equal(th_err_sent(t), 1 + DPT_TFTP_ENOSPACE);
}

/* Verifies: commit() -ENOSPC gives ERROR 3 with its default text, and no
 * final ACK. */
static void
commit_enospc(void **state)
{
	struct th *t = *state;

	t->commit_rc = -ENOSPC;
	wrq_plain(t);
	send_blk(t, 1, 512, 512);
	th_clear(t);
	send_blk(t, 2, 512, 0);
	th_expect_sent(t, 1);
	th_expect_error(t, 0, DPT_TFTP_ENOSPACE,
			"Disk full or allocation exceeded");
	assert_true(dpt_tftp_session_done(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_IO);
	assert_int_equal(th_err_sent(t), 4);
}

/* Verifies: write() -ENOSPC gives ERROR 3; the block is not ACKed. */
static void
write_enospc(void **state)
{
	struct th *t = *state;

	t->write_enospc_at = 600;
	wrq_plain(t);
	send_blk(t, 1, 512, 512);
	th_clear(t);
	send_blk(t, 2, 512, 512);
	th_expect_sent(t, 1);
	th_expect_error(t, 0, DPT_TFTP_ENOSPACE, NULL);
	assert_int_equal(th_end(t), DPT_TFTP_END_IO);
	expect_file(t, 512);
}

/* Verifies: write() -EAGAIN leaves the DATA unACKed and unwritten; the
 * resent DATA is then stored and ACKed, not counted as a duplicate. */
static void
write_eagain_then_resent(void **state)
{
	struct th *t = *state;

	wrq_plain(t);
	t->write_eagain_once = true;
	send_blk(t, 1, 512, 512);
	th_expect_sent(t, 0);
	assert_int_equal(t->wlen, 0);
	send_blk(t, 1, 512, 512);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 1);
	assert_int_equal(t->n_write, 1);
	assert_int_equal(th_stats(t)->dup_data, 0);
	expect_file(t, 512);
}

/* Verifies: other write() errors give ERROR 0; -EACCES gives ERROR 2. */
static void
write_other_errors(void **state)
{
	struct th *t = *state;

	t->write_err = -EIO;
	wrq_plain(t);
	send_blk(t, 1, 512, 512);
	th_expect_error(t, 0, DPT_TFTP_ENOTDEFINED, "I/O error");
	assert_int_equal(th_end(t), DPT_TFTP_END_IO);
	th_clear(t);
	t->write_err = -EACCES;
	wrq_plain(t);
	send_blk(t, 1, 512, 5);
	th_expect_error(t, 0, DPT_TFTP_EACCESS, NULL);
}

/* Verifies: without tsize, an upload growing past cfg.upload_max is cut
 * with ERROR 3 before the write. */
static void
upload_max_enforced(void **state)
{
	struct th *t = *state;

	t->cfg.upload_max = 700;
	wrq_plain(t);
	send_blk(t, 1, 512, 512);
	th_clear(t);
	send_blk(t, 2, 512, 512);
	th_expect_sent(t, 1);
	th_expect_error(t, 0, DPT_TFTP_ENOSPACE, NULL);
	expect_file(t, 512);
}

/* Verifies: in the dally a resent final DATA is ACKed again (not
 * written); the session ends complete exactly at dally_us; the transfer
 * was done when the final ACK first went out, not at the dally's end. */
static void
dally_reacks_then_ends(void **state)
{
	struct th *t = *state;
	uint64_t t_final;

	wrq_plain(t);
	assert_int_equal(dpt_tftp_session_done_at(t->s), 0);
	send_blk(t, 1, 512, 200);
	t_final = t->now;
	assert_int_equal(dpt_tftp_session_done_at(t->s), t_final);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t_final + t->cfg.dally_us);
	th_clear(t);
	t->now += 1000;
	send_blk(t, 1, 512, 200);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 1);
	assert_int_equal(t->n_write, 1);
	assert_int_equal(th_stats(t)->dup_data, 1);
	th_clear(t);
	th_at(t, t_final + t->cfg.dally_us - 1);
	assert_int_equal(th_state(t), DPT_TFTP_S_DALLY);
	th_at(t, t_final + t->cfg.dally_us);
	th_expect_sent(t, 0);
	assert_true(dpt_tftp_session_done(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	assert_int_equal(dpt_tftp_session_done_at(t->s), t_final);
}

/* Verifies: aborting a session that is only dallying (the upload is
 * complete) sends no ERROR and ends it complete (a server shutting down
 * must not make a client doubt a file it has delivered). */
static void
abort_in_dally_is_silent(void **state)
{
	struct th *t = *state;

	wrq_plain(t);
	send_blk(t, 1, 512, 200);
	assert_int_equal(th_state(t), DPT_TFTP_S_DALLY);
	th_clear(t);
	dpt_tftp_session_abort(t->s, DPT_TFTP_ENOTDEFINED, "shutting down",
			       DPT_TFTP_END_ABORTED);
	th_expect_sent(t, 0);
	assert_true(dpt_tftp_session_done(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	assert_int_equal(th_err_sent(t), 0);
}

/* Verifies: with windowsize 4, an ACK only after blocks 4, 8 and the
 * final 9 (th_client_write checks each step). */
static void
window_one_ack_per_window(void **state)
{
	struct th *t = *state;
	uint8_t *p = upload(8 * 512 + 77);

	wrq_window(t, "4");
	th_client_write(t, p, 8 * 512 + 77);
	expect_file(t, 8 * 512 + 77);
	assert_int_equal(t->n_write, 9);
	free(p);
}

/* Verifies: on a gap (3 lost, 4..6 arrive) block 2 is ACKed once, not per
 * early block; early blocks are not stored; the refill is ACKed at the
 * window's end. */
static void
window_gap_reacked_once(void **state)
{
	struct th *t = *state;

	wrq_window(t, "4");
	send_blk(t, 1, 512, 512);
	send_blk(t, 2, 512, 512);
	th_expect_sent(t, 0);
	send_blk(t, 4, 512, 512);
	send_blk(t, 5, 512, 512);
	send_blk(t, 6, 512, 512);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 2);
	assert_int_equal(t->n_write, 2);
	th_clear(t);
	send_blk(t, 3, 512, 512);
	send_blk(t, 4, 512, 512);
	send_blk(t, 5, 512, 512);
	th_expect_sent(t, 0);
	send_blk(t, 6, 512, 512);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 6);
	expect_file(t, 6 * 512);
}

/* Verifies: when a window's ACK is lost and the sender resends the
 * window, the copies are not written and ACK 4 goes once more. */
static void
window_lost_ack(void **state)
{
	struct th *t = *state;
	uint64_t b;

	wrq_window(t, "4");
	for (b = 1; b <= 4; b++)
		send_blk(t, b, 512, 512);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 4);
	th_clear(t);
	for (b = 1; b <= 4; b++)
		send_blk(t, b, 512, 512);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 4);
	assert_int_equal(th_stats(t)->dup_data, 4);
	assert_int_equal(t->n_write, 4);
	expect_file(t, 4 * 512);
}

/* Verifies: silence after an ACK resends it at cfg.timeout_us. */
static void
timeout_reacks(void **state)
{
	struct th *t = *state;

	t->cfg.rtt_adapt = false;	/* DATA 1 comes back in 0 us */
	wrq_plain(t);
	send_blk(t, 1, 512, 512);
	th_clear(t);
	th_at(t, t->now + t->cfg.timeout_us - 1);
	th_expect_sent(t, 0);
	th_at(t, t->now + 1);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 1);
	assert_int_equal(th_stats(t)->retransmits, 1);
}

/* Verifies: after the OACK, DATA other than 1 is ignored; DATA 1 starts. */
static void
oack_waits_for_data1(void **state)
{
	struct th *t = *state;

	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "tsize", "600",
				  NULL), 0);
	th_clear(t);
	send_blk(t, 2, 512, 88);
	th_expect_sent(t, 0);
	assert_int_equal(th_state(t), DPT_TFTP_S_OACK_SENT);
	assert_int_equal(t->n_write, 0);
	send_blk(t, 1, 512, 512);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 1);
}

/* Verifies: a client ERROR ends an upload quietly; in the dally it is
 * just the end of a complete transfer. */
static void
client_error_quiet(void **state)
{
	struct th *t = *state;

	wrq_plain(t);
	send_blk(t, 1, 512, 512);
	th_clear(t);
	th_error(t, DPT_TFTP_ENOTDEFINED, "cancelled");
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_CLIENT_ERROR);
	assert_int_equal(t->n_commit, 0);
	t->wlen = 0;
	t->w_bytes = 0;
	wrq_plain(t);
	send_blk(t, 1, 512, 1);
	th_clear(t);
	th_error(t, DPT_TFTP_ENOTDEFINED, "");
	th_expect_sent(t, 0);
	assert_true(dpt_tftp_session_done(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
}

/* Verifies: abort during an upload sends the ERROR and ends aborted. */
static void
abort_upload(void **state)
{
	struct th *t = *state;

	wrq_plain(t);
	dpt_tftp_session_abort(t->s, DPT_TFTP_ENOSPACE, "Quota",
			       DPT_TFTP_END_ABORTED);
	th_expect_error(t, 0, DPT_TFTP_ENOSPACE, "Quota");
	assert_int_equal(th_end(t), DPT_TFTP_END_ABORTED);
	assert_int_equal(th_err_sent(t), 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TH_TEST(lockstep_upload),
		TH_TEST(upload_0),
		TH_TEST(upload_1),
		TH_TEST(upload_512),
		TH_TEST(upload_3x512),
		TH_TEST(upload_3x512_plus_1),
		TH_TEST(dup_data_reacked_not_written),
		TH_TEST(old_dup_silent),
		TH_TEST(final_ack_waits_for_commit),
		TH_TEST(commit_done_error),
		TH_TEST(commit_enospc),
		TH_TEST(write_enospc),
		TH_TEST(write_eagain_then_resent),
		TH_TEST(write_other_errors),
		TH_TEST(upload_max_enforced),
		TH_TEST(dally_reacks_then_ends),
		TH_TEST(abort_in_dally_is_silent),
		TH_TEST(window_one_ack_per_window),
		TH_TEST(window_gap_reacked_once),
		TH_TEST(window_lost_ack),
		TH_TEST(timeout_reacks),
		TH_TEST(oack_waits_for_data1),
		TH_TEST(client_error_quiet),
		TH_TEST(abort_upload),
	};

	return cmocka_run_group_tests_name("tftp_wrq", tests, NULL, NULL);
}
