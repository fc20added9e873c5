/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/dp: transfer records on their way to the main lcore. A worker's
 * ring that the main lcore does not empty fills, and what does not fit
 * is dropped and counted (transfer-log-drops), never waited for; a
 * client that goes silent leaves a timeout record.
 */

#include "test_dp.h"

static struct dpt_transfer last;
static unsigned int taken;

static void
take(const struct dpt_transfer *r, void *arg)
{
	last = *r;
	taken++;
}

/* The RX lcore, the workers and the TX lcore until nothing moves; the
 * main lcore not at all (its records stay in their rings). */
static void
run_without_main(void)
{
	unsigned int round, idle = 0, w, work;

	for (round = 0; round < 1000 && idle < 3; round++) {
		work = dp_rx_poll(F.dp);
		for (w = 0; w < F.dp->n_workers; w++)
			work += dp_worker_poll(&F.dp->workers[w]);
		work += dp_tx_poll(F.dp);
		idle = work == 0 ? idle + 1 : 0;
	}
}

/* n WRQs (uploads are off: each refused on the worker, one record each)
 * from client ports first.. */
static void
refused_wrqs(uint16_t first, unsigned int n)
{
	uint8_t req[64];
	size_t len = wrq(req, "no.bin");
	unsigned int i;

	for (i = 0; i < n; i++) {
		send_at((uint16_t)(first + i), DPT_TFTP_PORT, req, len,
			rte_rdtsc());
		if (F.n_rx == 32 || i + 1 == n) {
			run_without_main();
			tx_clear();
		}
	}
}

/* `Total transfer-log-drops: N` of the report at exit. */
static uint64_t
reported_drops(void)
{
	char *buf = NULL;
	size_t len = 0;
	unsigned long long n = ~0ull;
	const char *at;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	dpt_dp_stats_report(F.dp, f);
	fclose(f);
	at = strstr(buf, "Total transfer-log-drops: ");
	assert_non_null(at);
	sscanf(at, "Total transfer-log-drops: %llu", &n);
	free(buf);
	return n;
}

/*
 * Verifies: with the main lcore not taking records, the worker's ring
 * holds as many as it can (about 1024) and the next 6 are dropped and
 * counted (xfer_log_drops, `transfer-log-drops` in the report), while
 * every request is still refused; once the main lcore runs it takes those
 * kept, and records flow again with no new drop.
 */
static void
ring_full_drops_counted(void **state)
{
	unsigned int cap = rte_ring_get_capacity(F.dp->workers[0].xfer_ring);

	assert_true(cap >= 1000);
	taken = 0;
	dpt_dp_set_transfer_fn(F.dp, take, NULL);
	refused_wrqs(20000, cap + 6);
	assert_int_equal(taken, 0);
	assert_int_equal(stats().requests, cap + 6);
	/* each refused: an ERROR 2, or one --reply-limit held back */
	assert_int_equal(stats().errors_sent[DPT_TFTP_EACCESS] +
			 stats().errors_limited, cap + 6);
	assert_int_equal(stats().xfer_log_drops, 6);
	assert_int_equal(reported_drops(), 6);
	run();
	assert_int_equal(taken, cap);
	assert_int_equal(last.client_port, 20000 + cap - 1);
	refused_wrqs(22000, 1);
	run();
	assert_int_equal(taken, cap + 1);
	assert_int_equal(last.client_port, 22000);
	assert_int_equal(last.result, DPT_XFER_REFUSED);
	assert_int_equal(stats().xfer_log_drops, 6);
	dpt_dp_set_transfer_fn(F.dp, NULL, NULL);
}

/*
 * Verifies: a download whose client takes DATA 1 and then says nothing
 * ends, after the retries, in one record: timeout, one block of 512
 * bytes, the retransmission counted, no ERROR; the session counts
 * timed out.
 */
static void
timeout_record(void **state)
{
	uint8_t req[64];
	size_t n = rrq(req, "big.bin", false);
	uint16_t op, block;
	uint64_t t;

	F.dp->workers[0].tftp.timeout_us = 20000;
	F.dp->workers[0].tftp.retries = 1;
	taken = 0;
	dpt_dp_set_transfer_fn(F.dp, take, NULL);
	send_at(30020, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30020, &op, &block, NULL), 1);
	assert_int_equal(op, DPT_TFTP_DATA);
	assert_int_equal(block, 1);
	t = dpt_dp_now_us();
	while (stats().active != 0 && dpt_dp_now_us() < t + 2000000)
		run();
	run();
	assert_int_equal(stats().sess_timed_out, 1);
	assert_int_equal(taken, 1);
	assert_int_equal(last.result, DPT_TFTP_END_TIMEOUT);
	assert_string_equal(dpt_dp_xfer_result_name(last.result), "timeout");
	assert_string_equal(last.file, "big.bin");
	assert_int_equal(last.client_port, 30020);
	assert_int_equal(last.blocks, 1);
	assert_int_equal(last.bytes, 512);
	assert_int_equal(last.retransmits, 1);
	assert_int_equal(last.err_dir, DPT_TFTP_ERR_NONE);
	assert_true(last.end_us - last.start_us >= 20000);
	dpt_dp_set_transfer_fn(F.dp, NULL, NULL);
}

const struct CMUnitTest tdp_xfer_tests[] = {
	TDP_TEST(ring_full_drops_counted),
	TDP_TEST(timeout_record),
};

const size_t tdp_xfer_count = TDP_DIM(tdp_xfer_tests);
