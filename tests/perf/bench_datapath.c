/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The DATA path in memory: RX steering, one worker and TX, driven on one
 * core by a fake port whose clients ACK every window at once. Prints DATA
 * packets per second of that core and, under callgrind, instructions per
 * DATA packet: the benchmark counts only inside the dataplane's own poll
 * functions (the fake clients' work is outside), and the work is fixed, so
 * the count repeats exactly run after run.
 *
 *   bench_datapath [--blksize N] [--windowsize N] [--zero-copy-min N]
 *                  [--sessions N] [--packets N]
 *   valgrind --tool=callgrind --collect-atstart=no bench_datapath ...
 *
 * scripts/bench-datapath runs the matrix of docs/performance.md.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef DPT_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#else
/* No valgrind headers: the figures per second only. */
#define CALLGRIND_TOGGLE_COLLECT do { } while (0)
#endif

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>

#include "dp_internal.h"

#define FILE_SIZE (64u << 20)
#define MAX_CLIENTS 1024
#define CLIENT_PORT0 20000

struct fake_client {
	uint16_t server_port;	/* learnt from its first DATA */
	uint16_t last;		/* last block received (wire) */
	uint16_t in_window;
	bool done;
};

static struct {
	struct rte_mempool *pool;
	struct rte_mbuf *rx[8192];	/* what the clients send next */
	unsigned int n_rx;
	struct rte_mbuf *tx[8192];	/* what the server sent */
	unsigned int n_tx;
	struct fake_client cl[MAX_CLIENTS];
	unsigned int n_clients;
	uint16_t windowsize, blksize;
	uint64_t data_pkts;
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
	uint16_t k = (uint16_t)RTE_MIN((unsigned int)n,
				       RTE_DIM(F.tx) - F.n_tx);

	memcpy(F.tx + F.n_tx, m, k * sizeof(*m));
	F.n_tx += k;
	return k;
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

/* A datagram from client c to server port sport. */
static void
client_send(unsigned int c, uint16_t sport, const void *payload, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(F.pool);
	struct dpt_pkt_meta *meta;

	if (m == NULL) {
		fprintf(stderr, "bench: out of mbufs\n");
		exit(1);
	}
	memcpy(rte_pktmbuf_append(m, (uint16_t)len), payload, len);
	meta = dpt_meta(m);
	memset(meta, 0, sizeof(*meta));
	meta->family = AF_INET;
	meta->client_ip[0] = 10;
	meta->client_ip[3] = 2;
	meta->server_ip[0] = 10;
	meta->server_ip[3] = 1;
	meta->client_port = (uint16_t)(CLIENT_PORT0 + c);
	meta->server_port = sport;
	F.rx[F.n_rx++] = m;
}

static void
client_request(unsigned int c)
{
	char req[128];
	int n = snprintf(req + 2, sizeof(req) - 2,
			 "bench.bin%coctet%cblksize%c%u%cwindowsize%c%u%c",
			 0, 0, 0, F.blksize, 0, 0, F.windowsize, 0);

	req[0] = 0;
	req[1] = DPT_TFTP_RRQ;
	memset(&F.cl[c], 0, sizeof(F.cl[c]));
	client_send(c, DPT_TFTP_PORT, req, (size_t)n + 2);
}

static void
client_ack(unsigned int c, uint16_t block)
{
	uint8_t ack[4] = { 0, DPT_TFTP_ACK, (uint8_t)(block >> 8),
			   (uint8_t)block };

	client_send(c, F.cl[c].server_port, ack, sizeof(ack));
}

/* The clients read what the server sent: ACK each whole window (and the
 * OACK), start over at the end of the file. */
static void
clients_run(void)
{
	unsigned int i;

	for (i = 0; i < F.n_tx; i++) {
		struct rte_mbuf *m = F.tx[i];
		const struct dpt_pkt_meta *meta = dpt_meta(m);
		const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
		unsigned int c = meta->client_port - CLIENT_PORT0;
		struct fake_client *cl = &F.cl[c];
		uint16_t block = (uint16_t)(p[2] << 8 | p[3]);

		cl->server_port = meta->server_port;
		if (p[1] == DPT_TFTP_OACK) {
			client_ack(c, 0);
		} else if (p[1] == DPT_TFTP_DATA) {
			F.data_pkts++;
			cl->last = block;
			if (m->pkt_len - 4 < F.blksize) {
				client_ack(c, block);
				cl->done = true;
			} else if (++cl->in_window == F.windowsize) {
				cl->in_window = 0;
				client_ack(c, block);
			}
		}
		rte_pktmbuf_free(m);
	}
	F.n_tx = 0;
	for (i = 0; i < F.n_clients; i++)
		if (F.cl[i].done)
			client_request(i);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_datapath [--blksize N] [--windowsize N] "
		"[--zero-copy-min N] [--sessions N] [--packets N]\n");
	exit(1);
}

/* The command line into F, *packets and *zc_min. */
static void
parse_args(int argc, char **argv, uint64_t *packets, uint32_t *zc_min)
{
	static const struct option opts[] = {
		{ "blksize", required_argument, NULL, 'b' },
		{ "windowsize", required_argument, NULL, 'w' },
		{ "zero-copy-min", required_argument, NULL, 'z' },
		{ "sessions", required_argument, NULL, 's' },
		{ "packets", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	F.blksize = 1468;
	F.windowsize = 16;
	F.n_clients = 64;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'b': F.blksize = (uint16_t)atoi(optarg); break;
		case 'w': F.windowsize = (uint16_t)atoi(optarg); break;
		case 'z': *zc_min = (uint32_t)atoi(optarg); break;
		case 's': F.n_clients = (unsigned int)atoi(optarg); break;
		case 'p': *packets = strtoull(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (F.blksize < 8 || F.windowsize == 0 || F.n_clients == 0 ||
	    F.n_clients > MAX_CLIENTS || F.n_clients * F.windowsize > 4096)
		usage();
}

/* The file every client fetches, FILE_SIZE bytes at path. */
static int
make_file(const char *path)
{
	FILE *f = fopen(path, "w");
	int i;

	for (i = 0; f != NULL && i < (int)(FILE_SIZE / 4096); i++) {
		uint8_t page[4096];

		memset(page, i, sizeof(page));
		fwrite(page, 1, sizeof(page), f);
	}
	return f == NULL || fclose(f) != 0 ? -1 : 0;
}

/* The dataplane on the fake port, one worker, compact; NULL on failure
 * (said on stderr). */
static struct dpt_dp *
make_dp(const char *root, uint32_t zc_min)
{
	/* The dataplane keeps pointers to these. */
	static struct dpt_conf conf;
	static struct dpt_port_share share;
	static struct dpt_port port;
	static struct dpt_port *ports[1] = { &port };
	static unsigned int lcore;
	struct dpt_cache *cache;
	struct dpt_dp_params p;
	struct dpt_dp *dp = NULL;
	char err[256] = "out of memory";
	unsigned int w;

	dpt_conf_defaults(&conf);
	conf.max_sessions = F.n_clients;
	conf.worker_ring = 8192;
	conf.tx_ring = 8192;
	conf.idle_sleep_max_us = 0;
	F.pool = rte_pktmbuf_pool_create("bench_mbuf", 65535, DPT_DP_POOL_CACHE,
					 DPT_META_SIZE,
					 RTE_PKTMBUF_HEADROOM + 4 + F.blksize,
					 rte_socket_id());
	cache = dpt_cache_create(root, 256u << 20);
	port.ops = &fake_ops;
	port.n_rxq = port.n_txq = 1;
	port.mtu = (uint16_t)RTE_MIN(65535, F.blksize + 32);
	port.multi_seg = true;
	port.listen_port = DPT_TFTP_PORT;
	share.n = F.n_clients;
	share.ports = rte_malloc(NULL, sizeof(uint16_t) * share.n, 0);
	for (w = 0; share.ports != NULL && w < share.n; w++)
		share.ports[w] = (uint16_t)(40000 + w);
	memset(&p, 0, sizeof(p));
	p.conf = &conf;
	p.ports = ports;
	p.n_ports = 1;
	p.shares = &share;
	p.cache = cache;
	p.pool = F.pool;
	p.n_workers = 1;
	p.compact = true;
	p.lcore_rx = p.lcore_tx = 0;
	p.lcore_workers = &lcore;
	p.zc_min = zc_min;
	dpt_tftp_config_default(&p.tftp);
	p.tftp.windowsize_max = F.windowsize;
	p.tftp.blksize_max = F.blksize;
	if (F.pool != NULL && cache != NULL && share.ports != NULL)
		dp = dpt_dp_create(&p, err, sizeof(err));
	if (dp == NULL)
		fprintf(stderr, "bench: setup failed: %s\n", err);
	return dp;
}

/* Warms up, then counts: DATA packets per second of this core, and
 * under callgrind the dataplane's instructions only. */
static void
run_bench(struct dpt_dp *dp, uint64_t packets, uint32_t zc_min)
{
	uint64_t t0, t1, d0;
	unsigned int w;

	for (w = 0; w < F.n_clients; w++)
		client_request(w);
	/* Warm up: opens answered, the file resident, windows flowing. */
	while (F.data_pkts < packets / 10 + F.n_clients * F.windowsize) {
		dp_rx_poll(dp);
		dp_worker_poll(&dp->workers[0]);
		dp_tx_poll(dp);
		dpt_dp_main_poll(dp);
		clients_run();
	}
	d0 = F.data_pkts;
	t0 = rte_rdtsc();
	while (F.data_pkts - d0 < packets) {
		CALLGRIND_TOGGLE_COLLECT;
		dp_rx_poll(dp);
		dp_worker_poll(&dp->workers[0]);
		dp_tx_poll(dp);
		CALLGRIND_TOGGLE_COLLECT;
		dpt_dp_main_poll(dp);
		clients_run();
	}
	t1 = rte_rdtsc();
	printf("blksize: %u\nwindowsize: %u\nzero-copy: %s\nsessions: %u\n"
	       "data-packets: %llu\ndata-packets-per-s: %.0f\n", F.blksize,
	       F.windowsize, zc_min != 0 && F.blksize >= zc_min ? "yes" : "no",
	       F.n_clients, (unsigned long long)(F.data_pkts - d0),
	       (double)(F.data_pkts - d0) * (double)rte_get_tsc_hz() /
	       (double)(t1 - t0));
}

int
main(int argc, char **argv)
{
	char prefix[64], root[] = "/tmp/dpt-bench-XXXXXX", path[128];
	char *eal[] = {
		argv[0], (char *)"--no-huge", (char *)"-m", (char *)"1024",
		(char *)"--no-pci", (char *)"--no-telemetry",
		(char *)"--file-prefix", prefix, (char *)"--log-level",
		(char *)"*:error", (char *)"-l", (char *)"0",
	};
	uint64_t packets = 200000;
	uint32_t zc_min = 1024;
	struct dpt_dp *dp;

	parse_args(argc, argv, &packets, &zc_min);
	snprintf(prefix, sizeof(prefix), "dpt-bench-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0 || mkdtemp(root) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/bench.bin", root);
	if (make_file(path) < 0)
		return 1;
	dp = make_dp(root, zc_min);
	if (dp == NULL)
		return 1;
	run_bench(dp, packets, zc_min);
	unlink(path);
	rmdir(root);
	return 0;
}
