/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The sending side (RRQ), continued: read errors, the zero-copy path, and
 * how a download ends: the client's ERROR, an abort (with the reason the
 * caller gives), the final ACK lost, a silent end.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tftp_harness.h"

/* Verifies: read() errors end the session with the matching ERROR:
 * -EIO -> 0, -ENOENT -> 1, -EACCES -> 2; end reason io, err_sent. */
static void
read_errors(void **state)
{
	static const struct {
		int err;
		uint16_t code;
		const char *msg;
	} cases[] = {
		{ -EIO, DPT_TFTP_ENOTDEFINED, "I/O error" },
		{ -ENOENT, DPT_TFTP_ENOTFOUND, "File not found" },
		{ -EACCES, DPT_TFTP_EACCESS, "Access violation" },
	};
	struct th *t = *state;
	size_t i;

	th_file_pattern(t, 2000);
	for (i = 0; i < 3; i++) {
		th_clear(t);
		t->read_err = 0;
		assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
		th_clear(t);
		t->read_err = cases[i].err;
		th_ack(t, 1);
		th_expect_sent(t, 1);
		th_expect_error(t, 0, cases[i].code, cases[i].msg);
		assert_int_equal(th_end(t), DPT_TFTP_END_IO);
		assert_int_equal(th_err_sent(t), cases[i].code + 1);
	}
}

/* Verifies: the zero-copy path gets (block, off, len) for every DATA and
 * no datagram goes through alloc()/send(). */
static void
zero_copy_records(void **state)
{
	struct th *t = *state;
	uint16_t b;

	t->zero_copy = true;
	th_file_pattern(t, 1300);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	for (b = 1; b <= 3; b++)
		th_ack(t, b);
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	th_expect_sent(t, 0);
	assert_int_equal(t->n_alloc, 0);
	assert_int_equal(t->n_zc, 3);
	assert_int_equal(t->zc[0].block, 1);
	assert_int_equal(t->zc[0].off, 0);
	assert_int_equal(t->zc[0].len, 512);
	assert_int_equal(t->zc[1].block, 2);
	assert_int_equal(t->zc[1].off, 512);
	assert_int_equal(t->zc[1].len, 512);
	assert_int_equal(t->zc[2].block, 3);
	assert_int_equal(t->zc[2].off, 1024);
	assert_int_equal(t->zc[2].len, 276);
	assert_int_equal(th_stats(t)->bytes, 1300);
}

/* Verifies: zero-copy with a window, an empty final block, and a resend
 * after a timeout with the same arguments. */
static void
zero_copy_window_and_resend(void **state)
{
	struct th *t = *state;

	t->zero_copy = true;
	th_rrq_window(t, 1024, "4");
	assert_int_equal(t->n_zc, 3);
	assert_int_equal(t->zc[2].block, 3);
	assert_int_equal(t->zc[2].off, 1024);
	assert_int_equal(t->zc[2].len, 0);
	th_at(t, dpt_tftp_session_deadline(t->s));
	assert_int_equal(t->n_zc, 6);
	assert_int_equal(t->zc[3].block, 1);
	assert_int_equal(t->zc[3].off, 0);
	assert_int_equal(t->zc[3].len, 512);
	assert_int_equal(th_stats(t)->retransmits, 3);
}

/* Verifies: send_data() -EAGAIN / -ENOBUFS stalls and retries; another
 * error ends the session with ERROR 0. */
static void
zero_copy_errors(void **state)
{
	struct th *t = *state;

	t->zero_copy = true;
	th_file_pattern(t, 700);
	t->send_data_rc = -ENOBUFS;
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	assert_int_equal(t->n_zc, 0);
	t->send_data_rc = -EAGAIN;
	th_at(t, dpt_tftp_session_deadline(t->s));
	assert_int_equal(t->n_zc, 0);
	t->send_data_rc = 0;
	th_at(t, dpt_tftp_session_deadline(t->s));
	assert_int_equal(t->n_zc, 1);
	t->send_data_rc = -EIO;
	th_ack(t, 1);
	th_expect_sent(t, 1);
	th_expect_error(t, 0, DPT_TFTP_ENOTDEFINED, "I/O error");
	assert_int_equal(th_end(t), DPT_TFTP_END_IO);
}

/* Verifies: a client ERROR ends the transfer with nothing sent back. */
static void
client_error_quiet(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 3000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_clear(t);
	th_error(t, DPT_TFTP_EOPTNEG, "late");
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_CLIENT_ERROR);
	assert_int_equal(th_err_sent(t), 0);
	th_at(t, t->now + 60000000);
	th_expect_sent(t, 0);
}

/* Verifies: abort sends the ERROR given (default text with NULL) and
 * ends as aborted; a second abort sends nothing. */
static void
abort_sends_error(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 3000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_clear(t);
	dpt_tftp_session_abort(t->s, DPT_TFTP_EACCESS, NULL,
			       DPT_TFTP_END_ABORTED);
	th_expect_sent(t, 1);
	th_expect_error(t, 0, DPT_TFTP_EACCESS, "Access violation");
	assert_int_equal(th_end(t), DPT_TFTP_END_ABORTED);
	assert_int_equal(th_err_sent(t), 3);
	dpt_tftp_session_abort(t->s, 0, "again",
			       DPT_TFTP_END_ABORTED);
	th_expect_sent(t, 1);
	th_clear(t);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_clear(t);
	dpt_tftp_session_abort(t->s, 0, "Server shutting down",
			       DPT_TFTP_END_ABORTED);
	th_expect_error(t, 0, 0, "Server shutting down");
	assert_int_equal(th_err_sent(t), 1);
}

/* Verifies: the final DATA out, its ACK never coming, the session ends
 * as final-ack-lost (not timeout), sending no ERROR; a one-block file and
 * a windowed one alike. */
static void
final_ack_lost_on_timeout(void **state)
{
	struct th *t = *state;
	int n;

	th_file_pattern(t, 100);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	assert_true(dpt_tftp_session_final_sent(t->s));
	th_clear(t);
	for (n = 0; n < 20 && !dpt_tftp_session_done(t->s); n++)
		th_at(t, dpt_tftp_session_deadline(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_UNACKED);
	assert_int_equal(th_err_sent(t), 0);
	assert_string_equal(dpt_tftp_end_name(th_end(t)), "final-ack-lost");

	th_clear(t);
	th_rrq_window(t, 6 * 512 + 10, "4");
	assert_false(dpt_tftp_session_final_sent(t->s));
	th_ack(t, 4);
	assert_true(dpt_tftp_session_final_sent(t->s));
	for (n = 0; n < 20 && !dpt_tftp_session_done(t->s); n++)
		th_at(t, dpt_tftp_session_deadline(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_UNACKED);
}

/* Verifies: an abort (the stop, an operator's kill) once the final DATA
 * went out sends no ERROR (the client most likely has the file) and ends
 * final-ack-lost; before it, ERROR and aborted as ever. */
static void
abort_after_final_is_silent(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 600);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	assert_false(dpt_tftp_session_final_sent(t->s));
	th_ack(t, 1);
	th_clear(t);
	dpt_tftp_session_abort(t->s, 0, "Server shutting down",
			       DPT_TFTP_END_ABORTED);
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_UNACKED);
	assert_int_equal(th_err_sent(t), 0);
}

/* Verifies: dpt_tftp_session_end() never sends: mid-transfer the session
 * ends with the reason given (superseded), before any DATA too, and with
 * the final DATA out as final-ack-lost. */
static void
end_is_silent(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 5 * 512);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_ack(t, 1);
	th_clear(t);
	dpt_tftp_session_end(t->s, DPT_TFTP_END_SUPERSEDED);
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_SUPERSEDED);
	assert_true(dpt_tftp_session_deadline(t->s) == UINT64_MAX);

	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "1024",
				  NULL), 0);
	assert_int_equal(th_state(t), DPT_TFTP_S_OACK_SENT);
	th_clear(t);
	dpt_tftp_session_end(t->s, DPT_TFTP_END_SUPERSEDED);
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_SUPERSEDED);

	th_file_pattern(t, 700);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_ack(t, 1);
	th_clear(t);
	dpt_tftp_session_end(t->s, DPT_TFTP_END_SUPERSEDED);
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_UNACKED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TH_TEST(read_errors),
		TH_TEST(zero_copy_records),
		TH_TEST(zero_copy_window_and_resend),
		TH_TEST(zero_copy_errors),
		TH_TEST(client_error_quiet),
		TH_TEST(abort_sends_error),
		TH_TEST(final_ack_lost_on_timeout),
		TH_TEST(abort_after_final_is_silent),
		TH_TEST(end_is_silent),
	};

	return cmocka_run_group_tests_name("tftp_rrq_end", tests, NULL, NULL);
}
