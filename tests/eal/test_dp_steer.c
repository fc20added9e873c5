/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/dp with two workers: steering (a copy of a request follows its
 * first, whatever the strategy; session ports to their owner) and the
 * limits on sessions (--max-sessions, --max-per-client across workers).
 */

#include "test_dp.h"

#define TOO_MANY "Too many sessions, try again later"
#define TOO_MANY_HERE "Too many sessions from this address, try again later"

/*
 * Verifies: round robin puts two clients on two workers; a copy of a
 * request, steered while its first is still being set up, goes to the
 * first's worker (RX's affinity) and is counted a copy there, not a
 * second session on the other worker; each transfer then completes on
 * its own worker through its session port.
 */
static void
copy_follows_first(void **state)
{
	const struct tdp_opts o = { .workers = 2 };
	uint8_t req[64];
	size_t n = rrq(req, "small.bin", false);
	uint16_t sport1, sport2, op;
	unsigned int w;

	tdp_create(&o);
	send_at(31001, DPT_TFTP_PORT, req, n, rte_rdtsc());
	send_at(31001, DPT_TFTP_PORT, req, n, rte_rdtsc());
	send_at(31002, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(31001, &op, NULL, &sport1), 1);
	assert_int_equal(op, DPT_TFTP_DATA);
	assert_int_equal(sent_to(31002, &op, NULL, &sport2), 1);
	for (w = 0; w < 2; w++)
		assert_int_equal(stats_of(w).sess_started, 1);
	assert_int_equal(stats().dup_requests, 1);
	/* the copy was counted where its first went */
	w = F.dp->owner[sport1];
	assert_int_equal(stats_of(w).dup_requests, 1);
	assert_int_not_equal(F.dp->owner[sport2], w);
	ack(31001, sport1, 1);
	ack(31002, sport2, 1);
	run();
	ack(31001, sport1, 2);
	ack(31002, sport2, 2);
	run();
	for (w = 0; w < 2; w++)
		assert_int_equal(stats_of(w).sess_completed, 1);
}

/* Verifies: a datagram to a port no worker owns is dropped by RX and
 * counted no-owner, never answered. */
static void
no_owner_dropped(void **state)
{
	const struct tdp_opts o = { .workers = 2 };
	struct dpt_io_stats io;

	tdp_create(&o);
	ack(31003, 40000, 1);
	run();
	dpt_dp_io_stats(F.dp, &io);
	assert_int_equal(io.rx_no_owner, 1);
	assert_int_equal(sent_to(31003, NULL, NULL, NULL), 0);
}

/*
 * Verifies: --max-per-client 2 holds across workers: two downloads from
 * 10.0.0.2 (one per worker, round robin) run, a third from that address
 * gets ERROR 3 "Too many sessions from this address" while 10.0.0.3 is
 * served; once one of the two ends, 10.0.0.2 is served again;
 * refused-client 1.
 */
static void
per_client_across_workers(void **state)
{
	const struct tdp_opts o = { .workers = 2, .max_per_client = 2 };
	uint8_t req[64];
	size_t n = rrq(req, "big.bin", false);
	uint16_t sport1, sport2, op, code;

	tdp_create(&o);
	send_at(31011, DPT_TFTP_PORT, req, n, rte_rdtsc());
	send_at(31012, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(31011, NULL, NULL, &sport1), 1);
	assert_int_equal(sent_to(31012, NULL, NULL, &sport2), 1);
	assert_int_not_equal(F.dp->owner[sport1], F.dp->owner[sport2]);
	send_at(31013, DPT_TFTP_PORT, req, n, rte_rdtsc());
	send_from(3, 31014, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(31013, &op, &code, NULL), 1);
	assert_int_equal(op, DPT_TFTP_ERROR);
	assert_int_equal(code, DPT_TFTP_ENOSPACE);
	assert_string_equal(error_sent_to(31013), TOO_MANY_HERE);
	assert_int_equal(sent_to(31014, &op, NULL, NULL), 1);
	assert_int_equal(op, DPT_TFTP_DATA);
	error_to(31011, sport1, DPT_TFTP_ENOTDEFINED, "enough");
	run();
	tx_clear();
	send_at(31015, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(31015, &op, NULL, NULL), 1);
	assert_int_equal(op, DPT_TFTP_DATA);
	assert_int_equal(stats().refused_client, 1);
	assert_int_equal(stats().sess_started, 4);
}

/* Verifies: at --max-sessions (lowered at run time to 1) a second
 * request gets ERROR 3 "Too many sessions, try again later" and no
 * session, refused-busy 1; when the first ends, a request is served. */
static void
max_sessions_refused(void **state)
{
	const struct tdp_opts o = { .workers = 2 };
	uint8_t req[64];
	size_t n = rrq(req, "big.bin", false);
	uint16_t sport, op, code;

	tdp_create(&o);
	dpt_dp_set_max_sessions(F.dp, 1);
	run();
	send_at(31021, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(31021, NULL, NULL, &sport), 1);
	send_from(3, 31022, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(31022, &op, &code, NULL), 1);
	assert_int_equal(op, DPT_TFTP_ERROR);
	assert_int_equal(code, DPT_TFTP_ENOSPACE);
	assert_string_equal(error_sent_to(31022), TOO_MANY);
	assert_int_equal(stats().refused_busy, 1);
	assert_int_equal(dpt_dp_active(F.dp), 1);
	error_to(31021, sport, DPT_TFTP_ENOTDEFINED, "enough");
	run();
	tx_clear();
	send_from(3, 31023, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(31023, &op, NULL, NULL), 1);
	assert_int_equal(op, DPT_TFTP_DATA);
}

/*
 * Verifies: --port-rate: a block the port's bucket cannot pay for is not
 * sent, its session waits (port-rate-waits) and loses nothing; once the
 * limit is lifted the next stall poll sends that same block, and the
 * download completes with nothing resent.
 */
static void
port_rate_holds_blocks(void **state)
{
	uint8_t req[64];
	size_t n = rrq(req, "big.bin", false);
	uint16_t sport, op, block = 0, b;

	/* 1,000 bytes a second, a burst of 1,000: two DATA of 516 pass */
	dpt_byte_rate_init(&F.dp->port_rate[0].r, 8000, F.dp->tsc_hz, 1000);
	send_at(31031, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(31031, &op, &block, &sport), 1);
	assert_int_equal(block, 1);
	tx_clear();
	ack(31031, sport, 1);
	run();
	assert_int_equal(sent_to(31031, NULL, &block, NULL), 1);
	assert_int_equal(block, 2);
	tx_clear();
	ack(31031, sport, 2);
	run();
	assert_int_equal(sent_to(31031, NULL, NULL, NULL), 0);
	assert_true(stats().port_rate_waits >= 1);
	dpt_dp_set_port_rate(F.dp, 0);
	assert_true(dpt_dp_get_port_rate(F.dp) == 0);
	rte_delay_us_sleep(2000);	/* past the stall poll */
	run();
	assert_int_equal(sent_to(31031, NULL, &block, NULL), 1);
	assert_int_equal(block, 3);
	for (b = 3; b <= BIG_SIZE / 512 + 1; b++) {
		tx_clear();
		ack(31031, sport, b);
		run();
	}
	assert_int_equal(stats().sess_completed, 1);
	assert_int_equal(stats().retransmits, 0);
}

const struct CMUnitTest tdp_steer_tests[] = {
	TDP_TEST(port_rate_holds_blocks),
	TDP_TEST_OWN(copy_follows_first),
	TDP_TEST_OWN(no_owner_dropped),
	TDP_TEST_OWN(per_client_across_workers),
	TDP_TEST_OWN(max_sessions_refused),
};

const size_t tdp_steer_count = TDP_DIM(tdp_steer_tests);
