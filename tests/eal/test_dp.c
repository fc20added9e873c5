/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/dp on a fake port (test_dp.h): the fixture, and every area's cases
 * run as one group.
 */

#include <sys/stat.h>

#include "test_dp.h"
#include "test_groups.h"

#define MAX_TESTS 64

struct tdp F;

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

void
tdp_create(const struct tdp_opts *o)
{
	unsigned int n = o->workers != 0 ? o->workers : 1, w;
	struct dpt_dp_params p;
	char err[256];

	assert_true(n <= TDP_WORKERS_MAX);
	for (w = 0; w < n; w++) {
		F.share[w].n = TDP_PORTS / n;
		F.share[w].ports = F.port_list + w * (TDP_PORTS / n);
		F.lcores[w] = rte_lcore_id();
	}
	memset(&p, 0, sizeof(p));
	p.conf = &F.conf;
	p.ports = F.ports;
	p.n_ports = 1;
	p.shares = F.share;
	p.cache = F.cache;
	p.pool = F.pool;
	p.n_workers = n;
	p.compact = true;
	p.lcore_rx = F.lcores[0];
	p.lcore_workers = F.lcores;
	p.max_per_client = o->max_per_client;
	if (o->upload != NULL)
		p.upload = *o->upload;
	dpt_tftp_config_default(&p.tftp);
	F.dp = dpt_dp_create(&p, err, sizeof(err));
	if (F.dp == NULL)
		fail_msg("dpt_dp_create: %s", err);
	F.msgs_free = rte_mempool_avail_count(F.dp->msg_pool);
}

int
dp_up(void **state)
{
	const struct tdp_opts o = { .workers = 1 };

	tdp_create(&o);
	return 0;
}

int
dp_none(void **state)
{
	return 0;
}

int
dp_down(void **state)
{
	unsigned int w;

	if (F.dp == NULL)
		return 0;
	for (w = 0; w < F.dp->n_workers; w++)
		dp_sessions_abort_all(&F.dp->workers[w]);
	run();
	tx_clear();
	rte_pktmbuf_free_bulk(F.rx, F.n_rx);
	F.n_rx = 0;
	dpt_dp_destroy(F.dp);
	F.dp = NULL;
	return 0;
}

void
send_from(uint8_t host, uint16_t cport, uint16_t sport, const void *payload,
	  size_t len, uint64_t rx_tsc)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(F.pool);
	struct dpt_pkt_meta *meta;

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, (uint16_t)len), payload, len);
	meta = dpt_meta(m);
	memset(meta, 0, sizeof(*meta));
	meta->family = AF_INET;
	meta->client_ip[0] = 10;
	meta->client_ip[3] = host;
	meta->server_ip[0] = 10;
	meta->server_ip[3] = 1;
	meta->client_port = cport;
	meta->server_port = sport;
	meta->rx_tsc = rx_tsc;
	assert_true(F.n_rx < RTE_DIM(F.rx));
	F.rx[F.n_rx++] = m;
}

void
send_at(uint16_t cport, uint16_t sport, const void *payload, size_t len,
	uint64_t rx_tsc)
{
	send_from(2, cport, sport, payload, len, rx_tsc);
}

static size_t
request(uint8_t *buf, uint16_t op, const char *name, bool opts)
{
	size_t n = 2;

	buf[0] = 0;
	buf[1] = (uint8_t)op;
	n += (size_t)sprintf((char *)buf + n, "%s", name) + 1;
	n += (size_t)sprintf((char *)buf + n, "octet") + 1;
	if (opts) {
		n += (size_t)sprintf((char *)buf + n, "blksize") + 1;
		n += (size_t)sprintf((char *)buf + n, "512") + 1;
	}
	return n;
}

size_t
rrq(uint8_t *buf, const char *name, bool opts)
{
	return request(buf, DPT_TFTP_RRQ, name, opts);
}

size_t
wrq(uint8_t *buf, const char *name)
{
	return request(buf, DPT_TFTP_WRQ, name, false);
}

void
ack(uint16_t cport, uint16_t sport, uint16_t block)
{
	uint8_t a[4] = { 0, DPT_TFTP_ACK, (uint8_t)(block >> 8),
			 (uint8_t)block };

	send_at(cport, sport, a, sizeof(a), rte_rdtsc());
}

void
data(uint16_t cport, uint16_t sport, uint16_t block, const void *p,
     size_t len)
{
	uint8_t d[4 + 512] = { 0, DPT_TFTP_DATA, (uint8_t)(block >> 8),
			       (uint8_t)block };

	assert_true(len <= 512);
	memcpy(d + 4, p, len);
	send_at(cport, sport, d, 4 + len, rte_rdtsc());
}

void
error_to(uint16_t cport, uint16_t sport, uint16_t code, const char *msg)
{
	uint8_t e[64] = { 0, DPT_TFTP_ERROR, (uint8_t)(code >> 8),
			  (uint8_t)code };
	size_t n = 4 + (size_t)snprintf((char *)e + 4, sizeof(e) - 4, "%s",
					msg) + 1;

	send_at(cport, sport, e, n, rte_rdtsc());
}

void
tx_clear(void)
{
	rte_pktmbuf_free_bulk(F.tx, F.n_tx);
	F.n_tx = 0;
}

void
run(void)
{
	unsigned int round, idle = 0, w;

	for (round = 0; round < 1000 && idle < 3; round++) {
		unsigned int work = dp_rx_poll(F.dp);

		for (w = 0; w < F.dp->n_workers; w++)
			work += dp_worker_poll(&F.dp->workers[w]);
		work += dp_tx_poll(F.dp) + dpt_dp_main_poll(F.dp);
		idle = work == 0 ? idle + 1 : 0;
	}
}

unsigned int
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

const char *
error_sent_to(uint16_t cport)
{
	static char msg[DPT_TFTP_ERRMSG_MAX];
	unsigned int i;

	msg[0] = '\0';
	for (i = 0; i < F.n_tx; i++) {
		struct rte_mbuf *m = F.tx[i];
		const char *p = rte_pktmbuf_mtod(m, const char *);

		if (dpt_meta(m)->client_port != cport ||
		    m->data_len <= DPT_TFTP_HDR_LEN ||
		    p[1] != DPT_TFTP_ERROR)
			continue;
		snprintf(msg, sizeof(msg), "%.*s",
			 (int)(m->data_len - DPT_TFTP_HDR_LEN - 1),
			 p + DPT_TFTP_HDR_LEN);
	}
	return msg;
}

struct dpt_worker_stats
stats_of(unsigned int w)
{
	struct dpt_worker_stats st;

	dpt_dp_worker_stats(F.dp, w, &st);
	return st;
}

struct dpt_worker_stats
stats(void)
{
	struct dpt_worker_stats sum, st;
	uint64_t *a = (uint64_t *)&sum;
	const uint64_t *b = (const uint64_t *)&st;
	unsigned int w;
	size_t i;

	memset(&sum, 0, sizeof(sum));
	for (w = 0; w < F.dp->n_workers; w++) {
		st = stats_of(w);
		for (i = 0; i < sizeof(sum) / sizeof(uint64_t); i++)
			a[i] += b[i];
	}
	return sum;
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
	static struct CMUnitTest tests[MAX_TESTS];
	const char *names[] = { "small.bin", "big.bin" };
	const size_t sizes[] = { SMALL_SIZE, BIG_SIZE };
	unsigned int i;
	size_t n = 0;
	int rc;

	n = dpt_test_add(tests, n, MAX_TESTS, tdp_request_tests,
			 tdp_request_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tdp_steer_tests,
			 tdp_steer_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tdp_upload_tests,
			 tdp_upload_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tdp_stop_tests, tdp_stop_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tdp_xfer_tests, tdp_xfer_count);
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
		chmod(path, 0644);	/* world-readable: served */
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
	F.port_list = rte_malloc(NULL, sizeof(uint16_t) * TDP_PORTS, 0);
	if (F.pool == NULL || F.cache == NULL || F.port_list == NULL)
		return 1;
	for (i = 0; i < TDP_PORTS; i++)
		F.port_list[i] = (uint16_t)(50000 + i);
	rc = _cmocka_run_group_tests("dp", tests, n, NULL, NULL);
	for (i = 0; i < RTE_DIM(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", F.root, names[i]);
		unlink(path);
	}
	rmdir(F.root);
	return rc;
}
