/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/dp: the drain and the stop. While draining, requests get nothing
 * and running transfers go on; at the stop every client still in a
 * transfer gets ERROR 0 "Server shutting down", every session ends and
 * every mbuf and message goes back.
 */

#include "test_dp.h"

/*
 * Verifies: after dpt_dp_drain() a new request gets no answer (counted
 * drop-draining) while a running download goes on to the end, counted
 * completed.
 */
static void
drain_keeps_transfers(void **state)
{
	uint8_t req[64];
	size_t n = rrq(req, "small.bin", false);
	uint16_t sport, op, block;

	send_at(33001, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(33001, NULL, NULL, &sport), 1);
	dpt_dp_drain(F.dp);
	tx_clear();
	send_at(33002, DPT_TFTP_PORT, req, n, rte_rdtsc());
	ack(33001, sport, 1);
	run();
	assert_int_equal(sent_to(33002, NULL, NULL, NULL), 0);
	assert_int_equal(sent_to(33001, &op, &block, NULL), 1);
	assert_int_equal(op, DPT_TFTP_DATA);
	assert_int_equal(block, 2);
	ack(33001, sport, 2);
	run();
	assert_int_equal(stats().drop_draining, 1);
	assert_int_equal(stats().sess_completed, 1);
	assert_int_equal(dpt_dp_active(F.dp), 0);
}

/*
 * Verifies: the stop (as the compact lcore runs it) takes in what is
 * queued for sessions: a final ACK that came in time completes its
 * transfer; a request queued gets nothing; the download still running
 * ends and its client gets ERROR 0 "Server shutting down"; nothing is
 * active afterwards, and every mbuf and message is back in its pool.
 */
static void
stop_ends_sessions(void **state)
{
	unsigned int mbufs = rte_mempool_avail_count(F.pool);
	uint8_t req[64];
	size_t n = rrq(req, "small.bin", false);
	uint16_t sport1, sport2, op, code;

	send_at(33011, DPT_TFTP_PORT, req, n, rte_rdtsc());
	send_at(33012, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(33011, NULL, NULL, &sport1), 1);
	assert_int_equal(sent_to(33012, NULL, NULL, &sport2), 1);
	ack(33011, sport1, 1);
	run();
	tx_clear();
	ack(33011, sport1, 2);		/* final: queued for the worker */
	send_at(33013, DPT_TFTP_PORT, req, n, rte_rdtsc());
	dp_rx_poll(F.dp);
	dp_rx_flush_all(F.dp);
	dp_worker_shutdown(&F.dp->workers[0]);
	while (dp_tx_flush(&F.dp->workers[0]) < 0)
		dp_tx_poll(F.dp);
	while (dp_tx_poll(F.dp) + dpt_dp_main_poll(F.dp) != 0)
		;
	assert_int_equal(sent_to(33012, &op, &code, NULL), 1);
	assert_int_equal(op, DPT_TFTP_ERROR);
	assert_int_equal(code, DPT_TFTP_ENOTDEFINED);
	assert_string_equal(error_sent_to(33012), "Server shutting down");
	assert_int_equal(sent_to(33011, NULL, NULL, NULL), 0);
	assert_int_equal(sent_to(33013, NULL, NULL, NULL), 0);
	assert_int_equal(stats().sess_completed, 1);
	assert_int_equal(stats().sess_failed, 1);
	assert_int_equal(stats().active, 0);
	assert_int_equal(dpt_dp_active(F.dp), 0);
	tx_clear();
	assert_int_equal(rte_mempool_avail_count(F.pool), mbufs);
	assert_int_equal(rte_mempool_avail_count(F.dp->msg_pool), F.msgs_free);
}

const struct CMUnitTest tdp_stop_tests[] = {
	TDP_TEST(drain_keeps_transfers),
	TDP_TEST(stop_ends_sessions),
};

const size_t tdp_stop_count = TDP_DIM(tdp_stop_tests);
