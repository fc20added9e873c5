/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/dp: requests and duplicates (docs/protocol.md, "Requests, copies
 * and port reuse"): a copy of a request arrives before its session heard
 * from the client; anything later from that address and port is a new
 * request, and ends the session before it. And the transfer records.
 */

#include "test_dp.h"

/* Verifies: a request sent again while its file is still being opened,
 * and again once the OACK went out (the client has not answered), is a
 * copy: one session, one OACK, dup-requests 2. */
static void
copies_while_setting_up(void **state)
{
	uint8_t req[64];
	size_t n = rrq(req, "big.bin", true);
	uint16_t op;

	send_at(30001, DPT_TFTP_PORT, req, n, rte_rdtsc());
	dp_rx_poll(F.dp);
	dp_worker_poll(&F.dp->workers[0]);	/* opening */
	send_at(30001, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	send_at(30001, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30001, &op, NULL, NULL), 1);
	assert_int_equal(op, DPT_TFTP_OACK);
	assert_int_equal(stats().sess_started, 1);
	assert_int_equal(stats().dup_requests, 2);
}

/*
 * Verifies: a copy of a request taken in before its session heard from
 * the client, but handed over late (a deep socket queue: the transfer
 * meanwhile went on, and even ended), never makes a second session: not
 * while the transfer runs, nor after it completed.
 */
static void
late_copy_is_a_copy(void **state)
{
	uint8_t req[64];
	size_t n = rrq(req, "small.bin", false);
	uint64_t t0 = rte_rdtsc();
	uint16_t op, block, sport;

	send_at(30002, DPT_TFTP_PORT, req, n, t0);
	run();
	assert_int_equal(sent_to(30002, &op, &block, &sport), 1);
	assert_int_equal(op, DPT_TFTP_DATA);
	tx_clear();
	ack(30002, sport, 1);			/* heard: DATA 2 */
	run();
	send_at(30002, DPT_TFTP_PORT, req, n, t0 + 1);
	run();
	assert_int_equal(sent_to(30002, &op, &block, NULL), 1);
	assert_int_equal(block, 2);		/* only the transfer's own */
	tx_clear();
	ack(30002, sport, 2);			/* complete */
	run();
	send_at(30002, DPT_TFTP_PORT, req, n, t0 + 2);
	run();
	assert_int_equal(sent_to(30002, NULL, NULL, NULL), 0);
	assert_int_equal(stats().sess_started, 1);
	assert_int_equal(stats().sess_completed, 1);
	assert_int_equal(stats().dup_requests, 2);
}

/* Verifies: the same bytes sent after the transfer ended (a client that
 * reused its port for the same file) are a new request: a second
 * session, served from DATA 1. */
static void
same_bytes_after_end_are_new(void **state)
{
	uint8_t req[64];
	size_t n = rrq(req, "small.bin", false);
	uint16_t op, block, sport;

	send_at(30003, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30003, NULL, NULL, &sport), 1);
	ack(30003, sport, 1);
	run();
	ack(30003, sport, 2);
	run();
	tx_clear();
	assert_int_equal(stats().sess_completed, 1);
	send_at(30003, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30003, &op, &block, NULL), 1);
	assert_int_equal(op, DPT_TFTP_DATA);
	assert_int_equal(block, 1);
	assert_int_equal(stats().sess_started, 2);
	assert_int_equal(stats().dup_requests, 0);
}

/*
 * Verifies: a new request from the address and port of a running
 * transfer (another file, or the same request sent after the client
 * answered) ends that transfer at once, without a word to the port (it
 * belongs to the new transfer): counted superseded, and it sends nothing
 * more, however long it would have retransmitted.
 */
static void
new_request_supersedes(void **state)
{
	uint8_t req[64], other[64];
	size_t n = rrq(req, "big.bin", false), n2 = rrq(other, "small.bin",
							false);
	uint16_t op, block, sport, sport2;
	uint64_t t;

	send_at(30004, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30004, NULL, NULL, &sport), 1);
	ack(30004, sport, 1);
	run();
	tx_clear();
	send_at(30004, DPT_TFTP_PORT, other, n2, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30004, &op, &block, &sport2), 1);
	assert_int_equal(op, DPT_TFTP_DATA);
	assert_int_equal(block, 1);
	assert_int_equal(stats().sess_superseded, 1);
	assert_int_equal(stats().sess_failed, 0);
	assert_int_equal(stats().active, 1);
	/* The old session's port answers nothing any more. */
	tx_clear();
	ack(30004, sport, 2);
	run();
	assert_int_equal(sent_to(30004, NULL, NULL, NULL), 0);
	/* The same bytes again, after the client answered: a restart (2 ms
	 * on: a copy may be stamped up to 1 ms after the answer). */
	ack(30004, sport2, 1);
	run();
	tx_clear();
	rte_delay_us_sleep(2000);
	send_at(30004, DPT_TFTP_PORT, other, n2, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30004, &op, &block, NULL), 1);
	assert_int_equal(block, 1);
	assert_int_equal(stats().sess_unacked, 1);	/* DATA 2 was final */
	assert_int_equal(stats().sess_completed, 0);
	assert_int_equal(stats().sess_started, 3);
	/* Nothing more from the ended ones, even past their timeouts. */
	tx_clear();
	t = dpt_dp_now_us();
	while (dpt_dp_now_us() < t + 1100000)
		run();
	assert_int_equal(sent_to(30004, &op, &block, &sport2), 1);
	assert_int_equal(block, 1);		/* the live one's resend */
}

/* small.bin (two blocks) to cport, whose client ACKs block 1 only: the
 * session ends waiting for the final ACK (20 ms, one retry). Returns its
 * port. */
static uint16_t
final_ack_never_sent(uint16_t cport)
{
	uint8_t req[64];
	size_t n = rrq(req, "small.bin", false);
	uint16_t sport;
	uint64_t t;

	F.dp->workers[0].tftp.timeout_us = 20000;
	F.dp->workers[0].tftp.retries = 1;
	send_at(cport, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(cport, NULL, NULL, &sport), 1);
	ack(cport, sport, 1);
	t = dpt_dp_now_us();
	while (stats().active != 0 && dpt_dp_now_us() < t + 2000000)
		run();
	return sport;
}

/* Verifies: a transfer whose final DATA went out and whose final ACK
 * never came ends as unacked, not failed nor timed out. */
static void
final_ack_lost_counted(void **state)
{
	final_ack_never_sent(30005);
	assert_int_equal(stats().sess_unacked, 1);
	assert_int_equal(stats().sess_timed_out, 0);
	assert_int_equal(stats().sess_failed, 0);
}

/* Transfer records taken by the main lcore. */
static struct dpt_transfer recs[8];
static unsigned int n_recs;

static void
take_rec(const struct dpt_transfer *r, void *arg)
{
	if (n_recs < RTE_DIM(recs))
		recs[n_recs++] = *r;
}

/*
 * Verifies: each transfer leaves one record when it ends: a complete
 * download (bytes, blocks, the options asked and granted, the result), a
 * missing file (refused, ERROR 1 sent), a client's ERROR (its code and
 * message), one the stop ends (stopped); and the histograms count the
 * transfers that ran, by duration and size.
 */
static void
transfer_records(void **state)
{
	uint8_t req[64];
	size_t n = rrq(req, "small.bin", true);
	struct dpt_worker_stats st;
	uint16_t sport;
	unsigned int i;
	uint64_t runs;

	n_recs = 0;
	dpt_dp_set_transfer_fn(F.dp, take_rec, NULL);
	send_at(30010, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30010, NULL, NULL, &sport), 1);	/* OACK */
	ack(30010, sport, 0);
	run();
	ack(30010, sport, 1);
	run();
	ack(30010, sport, 2);
	run();
	assert_int_equal(n_recs, 1);
	assert_int_equal(recs[0].result, DPT_TFTP_END_COMPLETE);
	assert_string_equal(recs[0].file, "small.bin");
	assert_int_equal(recs[0].bytes, SMALL_SIZE);
	assert_int_equal(recs[0].blocks, 2);
	assert_int_equal(recs[0].client_port, 30010);
	assert_int_equal(recs[0].server_port, sport);
	assert_true(recs[0].asked[DPT_TFTP_OPT_BLKSIZE].present);
	assert_int_equal(recs[0].asked[DPT_TFTP_OPT_BLKSIZE].value, 512);
	assert_true(recs[0].granted.accepted &
		    DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_BLKSIZE));
	assert_int_equal(recs[0].err_dir, DPT_TFTP_ERR_NONE);
	assert_true(recs[0].end_us >= recs[0].start_us);

	n = rrq(req, "missing.bin", false);
	send_at(30011, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(n_recs, 2);
	assert_int_equal(recs[1].result, DPT_XFER_REFUSED);
	assert_int_equal(recs[1].err_dir, DPT_TFTP_ERR_SENT);
	assert_int_equal(recs[1].err_code, DPT_TFTP_ENOTFOUND);
	assert_string_equal(recs[1].file, "missing.bin");

	n = rrq(req, "big.bin", false);
	tx_clear();
	send_at(30010, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30010, NULL, NULL, &sport), 1);
	error_to(30010, sport, DPT_TFTP_EACCESS, "no room\x1b");
	run();
	assert_int_equal(n_recs, 3);
	assert_int_equal(recs[2].result, DPT_TFTP_END_CLIENT_ERROR);
	assert_int_equal(recs[2].err_dir, DPT_TFTP_ERR_RECEIVED);
	assert_int_equal(recs[2].err_code, DPT_TFTP_EACCESS);
	assert_string_equal(recs[2].err_msg, "no room\x1b");

	send_at(30012, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	dp_worker_shutdown(&F.dp->workers[0]);
	while (dpt_dp_main_poll(F.dp) != 0)
		;
	assert_int_equal(n_recs, 4);
	assert_int_equal(recs[3].result, DPT_XFER_STOPPED);
	assert_int_equal(recs[3].client_port, 30012);
	assert_string_equal(dpt_dp_xfer_result_name(recs[3].result),
			    "stopped");

	st = stats();
	for (runs = 0, i = 0; i < DPT_DP_HIST_N; i++)
		runs += st.dur_hist[i];
	assert_int_equal(runs, 3);	/* refused: never ran */
	for (runs = 0, i = 0; i < DPT_DP_HIST_N; i++)
		runs += st.bytes_hist[i];
	assert_int_equal(runs, 3);
	assert_int_equal(st.bytes_hist[0], 3);	/* 600, 512, 512: <= 1K */
	assert_int_equal(st.bytes_sum, SMALL_SIZE + 2 * 512);
	assert_int_equal(st.xfer_log_drops, 0);
	dpt_dp_set_transfer_fn(F.dp, NULL, NULL);
}

/*
 * Verifies: a copy of the request taken in just before the client's
 * first answer (ACK 0 to the OACK) but handed to the worker after it, in
 * one poll that began before either was stamped, is a copy: the answer's
 * time is its own arrival stamp, not the poll's start; the transfer goes
 * on. The same bytes stamped after the answer are a new request, and end
 * the transfer.
 */
static void
copy_stamped_after_the_answer(void **state)
{
	uint8_t req[64], a0[4] = { 0, DPT_TFTP_ACK, 0, 0 };
	size_t n = rrq(req, "big.bin", true);
	uint64_t t = rte_rdtsc(), ms = rte_get_tsc_hz() / 1000;
	uint16_t sport, op;

	send_at(30011, DPT_TFTP_PORT, req, n, t);
	run();
	assert_int_equal(sent_to(30011, &op, NULL, &sport), 1);
	assert_int_equal(op, DPT_TFTP_OACK);
	tx_clear();
	/* The answer handed over first, the copy behind it (the socket
	 * backend reads session sockets first), stamped 2 and 1 ms from now:
	 * the poll that takes them in begins before either stamp. */
	send_at(30011, sport, a0, sizeof(a0), t + 2 * ms);	/* answered */
	send_at(30011, DPT_TFTP_PORT, req, n, t + ms);		/* copy */
	run();
	assert_int_equal(stats().dup_requests, 1);
	assert_int_equal(stats().sess_superseded, 0);
	assert_int_equal(stats().sess_started, 1);
	send_at(30011, DPT_TFTP_PORT, req, n, t + 3 * ms);	/* new */
	run();
	assert_int_equal(stats().sess_superseded, 1);
	assert_int_equal(stats().sess_started, 2);
}

/* Verifies: a final ACK that comes after its session ended unacked
 * counts it completed too, and late-final-acks; sessions-unacked keeps
 * it: every counter only grows (Prometheus counters). */
static void
late_final_ack_counts_completed(void **state)
{
	uint16_t sport = final_ack_never_sent(30012);

	assert_int_equal(stats().sess_unacked, 1);
	assert_int_equal(stats().sess_completed, 0);
	tx_clear();
	ack(30012, sport, 2);			/* the final ACK, late */
	run();
	assert_int_equal(sent_to(30012, NULL, NULL, NULL), 0);
	assert_int_equal(stats().late_final_acks, 1);
	assert_int_equal(stats().sess_completed, 1);
	assert_int_equal(stats().sess_unacked, 1);
	assert_int_equal(stats().drop_stale, 0);
}

const struct CMUnitTest tdp_request_tests[] = {
	TDP_TEST(copy_stamped_after_the_answer),
	TDP_TEST(late_final_ack_counts_completed),
	TDP_TEST(copies_while_setting_up),
	TDP_TEST(late_copy_is_a_copy),
	TDP_TEST(same_bytes_after_end_are_new),
	TDP_TEST(new_request_supersedes),
	TDP_TEST(final_ack_lost_counted),
	TDP_TEST(transfer_records),
};

const size_t tdp_request_count = TDP_DIM(tdp_request_tests);
