/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/dp on a fake port: datagrams with chosen metadata (client, server
 * port, when they arrived) go in through the RX lcore's poll, a worker
 * runs the sessions, the main lcore opens files from a real cache, and
 * what the TX lcore sends is read back. All on this thread, so each case
 * says exactly which datagram arrives when, and checks what goes out and
 * the worker's counters.
 *
 * Requests and duplicates (docs/protocol.md, "Requests, copies and port
 * reuse"): a copy of a request arrives before its session heard from the
 * client; anything later from that address and port is a new request,
 * and ends the session before it.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>

#include "dp_internal.h"

#define SMALL_SIZE 600		/* two blocks of 512 */
#define BIG_SIZE (40 * 512 + 7)
#define TX_MAX 512

static struct {
	char root[64];
	struct rte_mempool *pool;
	struct dpt_cache *cache;
	struct dpt_conf conf;
	struct dpt_port port;
	struct dpt_port *ports[1];
	struct dpt_port_share share;
	unsigned int lcore;
	struct dpt_dp *dp;
	struct rte_mbuf *rx[64];
	unsigned int n_rx;
	struct rte_mbuf *tx[TX_MAX];	/* sent since the last clear */
	unsigned int n_tx;
} F;

static uint16_t
fake_rx(struct dpt_port *p, uint16_t q, struct rte_mbuf **m, uint16_t n)
{
	uint16_t k = (uint16_t)RTE_MIN((unsigned int)n, F.n_rx);

	memcpy(m, F.rx, k * sizeof(*m));
	memmove(F.rx, F.rx + k, (F.n_rx - k) * sizeof(*m));
	F.n_rx -= k;
	return k;
}

static uint16_t
fake_tx(struct dpt_port *p, uint16_t q, struct rte_mbuf **m, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (F.n_tx < TX_MAX)
			F.tx[F.n_tx++] = m[i];
		else
			rte_pktmbuf_free(m[i]);
	}
	return n;
}

static void
fake_stats(struct dpt_port *p, FILE *f, bool lifetime)
{
}

static const struct dpt_port_ops fake_ops = {
	.name = "fake",
	.rx_burst = fake_rx,
	.tx_burst = fake_tx,
	.stats = fake_stats,
};

/* A datagram from 10.0.0.2:cport to sport, taken in at TSC rx_tsc. */
static void
send_at(uint16_t cport, uint16_t sport, const void *payload, size_t len,
	uint64_t rx_tsc)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(F.pool);
	struct dpt_pkt_meta *meta;

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, (uint16_t)len), payload, len);
	meta = dpt_meta(m);
	memset(meta, 0, sizeof(*meta));
	meta->family = AF_INET;
	meta->client_ip[0] = 10;
	meta->client_ip[3] = 2;
	meta->server_ip[0] = 10;
	meta->server_ip[3] = 1;
	meta->client_port = cport;
	meta->server_port = sport;
	meta->rx_tsc = rx_tsc;
	assert_true(F.n_rx < RTE_DIM(F.rx));
	F.rx[F.n_rx++] = m;
}

/* An RRQ's bytes for name, octet, with "blksize 512" when opts. */
static size_t
rrq(uint8_t *buf, const char *name, bool opts)
{
	size_t n = 2;

	buf[0] = 0;
	buf[1] = DPT_TFTP_RRQ;
	n += (size_t)sprintf((char *)buf + n, "%s", name) + 1;
	n += (size_t)sprintf((char *)buf + n, "octet") + 1;
	if (opts) {
		n += (size_t)sprintf((char *)buf + n, "blksize") + 1;
		n += (size_t)sprintf((char *)buf + n, "512") + 1;
	}
	return n;
}

static void
ack(uint16_t cport, uint16_t sport, uint16_t block)
{
	uint8_t a[4] = { 0, DPT_TFTP_ACK, (uint8_t)(block >> 8),
			 (uint8_t)block };

	send_at(cport, sport, a, sizeof(a), rte_rdtsc());
}

static void
tx_clear(void)
{
	rte_pktmbuf_free_bulk(F.tx, F.n_tx);
	F.n_tx = 0;
}

/* Runs every stage until nothing moves (the main lcore opens files). */
static void
run(void)
{
	unsigned int round, idle = 0;

	for (round = 0; round < 1000 && idle < 3; round++) {
		unsigned int work = dp_rx_poll(F.dp) +
				    dp_worker_poll(&F.dp->workers[0]) +
				    dp_tx_poll(F.dp) + dpt_dp_main_poll(F.dp);

		idle = work == 0 ? idle + 1 : 0;
	}
}

/* The datagrams sent to cport since the last clear: how many, and the
 * last one's opcode, block and source port. */
static unsigned int
sent_to(uint16_t cport, uint16_t *op, uint16_t *block, uint16_t *sport)
{
	unsigned int i, n = 0;

	for (i = 0; i < F.n_tx; i++) {
		const struct dpt_pkt_meta *meta = dpt_meta(F.tx[i]);
		uint8_t hdr[4];
		const uint8_t *p = rte_pktmbuf_read(F.tx[i], 0, 4, hdr);

		if (meta->client_port != cport)
			continue;
		n++;
		if (op != NULL)
			*op = (uint16_t)(p[0] << 8 | p[1]);
		if (block != NULL)
			*block = (uint16_t)(p[2] << 8 | p[3]);
		if (sport != NULL)
			*sport = meta->server_port;
	}
	return n;
}

static struct dpt_worker_stats
stats(void)
{
	struct dpt_worker_stats st;

	dpt_dp_worker_stats(F.dp, 0, &st);
	return st;
}

static int
dp_up(void **state)
{
	struct dpt_dp_params p;
	char err[256];

	memset(&p, 0, sizeof(p));
	p.conf = &F.conf;
	p.ports = F.ports;
	p.n_ports = 1;
	p.shares = &F.share;
	p.cache = F.cache;
	p.pool = F.pool;
	p.n_workers = 1;
	p.compact = true;
	p.lcore_workers = &F.lcore;
	dpt_tftp_config_default(&p.tftp);
	F.dp = dpt_dp_create(&p, err, sizeof(err));
	if (F.dp == NULL)
		fail_msg("dpt_dp_create: %s", err);
	return 0;
}

static int
dp_down(void **state)
{
	dp_sessions_abort_all(&F.dp->workers[0]);
	run();
	tx_clear();
	dpt_dp_destroy(F.dp);
	F.dp = NULL;
	return 0;
}

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
	/* The same bytes again, after the client answered: a restart. */
	ack(30004, sport2, 1);
	run();
	tx_clear();
	send_at(30004, DPT_TFTP_PORT, other, n2, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30004, &op, &block, NULL), 1);
	assert_int_equal(block, 1);
	assert_int_equal(stats().sess_unacked, 1);	/* DATA 2 was final */
	assert_int_equal(stats().sess_started, 3);
	/* Nothing more from the ended ones, even past their timeouts. */
	tx_clear();
	t = dpt_dp_now_us();
	while (dpt_dp_now_us() < t + 1100000)
		run();
	assert_int_equal(sent_to(30004, &op, &block, &sport2), 1);
	assert_int_equal(block, 1);		/* the live one's resend */
}

/* Verifies: a transfer whose final DATA went out and whose final ACK
 * never came ends as unacked, not failed nor timed out. */
static void
final_ack_lost_counted(void **state)
{
	uint8_t req[64];
	size_t n = rrq(req, "small.bin", false);
	uint16_t sport;
	uint64_t t;

	F.dp->workers[0].tftp.timeout_us = 20000;
	F.dp->workers[0].tftp.retries = 1;
	send_at(30005, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(30005, NULL, NULL, &sport), 1);
	ack(30005, sport, 1);
	t = dpt_dp_now_us();
	while (stats().active != 0 && dpt_dp_now_us() < t + 2000000)
		run();
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

static void
error_pkt(uint16_t cport, uint16_t sport, uint16_t code, const char *msg)
{
	uint8_t e[64] = { 0, DPT_TFTP_ERROR, (uint8_t)(code >> 8),
			  (uint8_t)code };
	size_t n = 4 + (size_t)sprintf((char *)e + 4, "%s", msg) + 1;

	send_at(30010, sport, e, n, rte_rdtsc());
	(void)cport;
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
	error_pkt(30010, sport, DPT_TFTP_EACCESS, "no room\x1b");
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

int
main(int argc, char **argv)
{
	char prefix[64], path[128];
	char *eal[] = {
		argv[0], (char *)"--no-huge", (char *)"-m", (char *)"256",
		(char *)"--no-pci", (char *)"--no-telemetry",
		(char *)"--file-prefix", prefix, (char *)"--log-level",
		(char *)"*:error", (char *)"-l", (char *)"0",
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(copies_while_setting_up,
						dp_up, dp_down),
		cmocka_unit_test_setup_teardown(late_copy_is_a_copy, dp_up,
						dp_down),
		cmocka_unit_test_setup_teardown(same_bytes_after_end_are_new,
						dp_up, dp_down),
		cmocka_unit_test_setup_teardown(new_request_supersedes,
						dp_up, dp_down),
		cmocka_unit_test_setup_teardown(final_ack_lost_counted,
						dp_up, dp_down),
		cmocka_unit_test_setup_teardown(transfer_records,
						dp_up, dp_down),
	};
	const char *names[] = { "small.bin", "big.bin" };
	const size_t sizes[] = { SMALL_SIZE, BIG_SIZE };
	unsigned int i;
	int rc;

	snprintf(prefix, sizeof(prefix), "dpt-test-dp-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "test_dp: EAL failed\n");
		return 1;
	}
	snprintf(F.root, sizeof(F.root), "/tmp/dpt-test-dp-XXXXXX");
	if (mkdtemp(F.root) == NULL)
		return 1;
	for (i = 0; i < RTE_DIM(names); i++) {
		FILE *f;
		size_t k;

		snprintf(path, sizeof(path), "%s/%s", F.root, names[i]);
		f = fopen(path, "w");
		for (k = 0; f != NULL && k < sizes[i]; k++)
			fputc((int)(k * 11), f);
		if (f == NULL || fclose(f) != 0)
			return 1;
	}
	dpt_conf_defaults(&F.conf);
	F.conf.max_sessions = 64;
	F.pool = rte_pktmbuf_pool_create("tdp_mbuf", 4096, 0, DPT_META_SIZE,
					 RTE_MBUF_DEFAULT_BUF_SIZE,
					 rte_socket_id());
	F.cache = dpt_cache_create(F.root, 16u << 20);
	F.port.ops = &fake_ops;
	F.port.n_rxq = F.port.n_txq = 1;
	F.port.mtu = 1500;
	F.port.listen_port = DPT_TFTP_PORT;
	F.ports[0] = &F.port;
	F.share.n = 64;
	F.share.ports = rte_malloc(NULL, sizeof(uint16_t) * F.share.n, 0);
	if (F.pool == NULL || F.cache == NULL || F.share.ports == NULL)
		return 1;
	for (i = 0; i < F.share.n; i++)
		F.share.ports[i] = (uint16_t)(50000 + i);
	rc = cmocka_run_group_tests_name("dp", tests, NULL, NULL);
	for (i = 0; i < RTE_DIM(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", F.root, names[i]);
		unlink(path);
	}
	rmdir(F.root);
	return rc;
}
