/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Setting the DPDK backend up and down: EAL (bench_dpdk_eal.c), the port
 * with one queue pair per thread, the next hop's MAC (bench_dpdk_hop.c),
 * the lcores.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "bench_dpdk.h"


/* ------------------------------------------------------------------ */
/* The port                                                            */
/* ------------------------------------------------------------------ */

static int
find_port(struct dpdk_run *r, const struct dpt_bench_opts *o, char *err,
	  size_t err_len)
{
	if (o->iface != NULL) {
		if (rte_eth_dev_get_port_by_name(DPT_BENCH_VDEV, &r->port_id) == 0)
			return 0;
		snprintf(err, err_len, "--iface %s: no net_af_packet port "
			 "(does the interface exist? are we root?)", o->iface);
		return -1;
	}
	if (!rte_eth_dev_is_valid_port(o->port_id)) {
		snprintf(err, err_len, "--port-id %u: EAL found %u port(s); "
			 "name a device with --eal '-a PCI' or --iface",
			 o->port_id, rte_eth_dev_count_avail());
		return -1;
	}
	r->port_id = o->port_id;
	return 0;
}

static int
port_fail(char *err, size_t err_len, const char *what, int rc)
{
	snprintf(err, err_len, "port: %s failed: %s", what,
		 rte_strerror(rc < 0 ? -rc : rc));
	return -1;
}

/* A started port: its MTU checked against the frames, its MAC (and
 * link-local address), the offloads it took as flags. */
static int
port_started(struct dpdk_run *r, const struct rte_eth_conf *conf,
	     uint32_t frame, char *err, size_t err_len)
{
	uint16_t mtu;

	if (rte_eth_dev_get_mtu(r->port_id, &mtu) < 0 || mtu < 576)
		mtu = 1500;
	if (frame - sizeof(struct rte_ether_hdr) > mtu) {
		snprintf(err, err_len, "datagrams of %u bytes need an MTU of "
			 "%u; the port's is %u (this backend neither sends nor "
			 "reassembles IP fragments: lower --blksize)",
			 (unsigned int)(frame - r->hdr_len),
			 (unsigned int)(frame - sizeof(struct rte_ether_hdr)),
			 mtu);
		return -1;
	}
	rte_eth_macaddr_get(r->port_id, &r->ifc.mac);
	if (r->family == AF_INET6) {
		dpt_net_ll6(r->ifc.ll6, &r->ifc.mac);
		/* neighbor solicitations come to a multicast MAC */
		(void)rte_eth_allmulticast_enable(r->port_id);
	}
	if (conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)
		r->rx_flags |= DPT_NET_RX_IP_CSUM_GOOD;
	if (conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_UDP_CKSUM)
		r->rx_flags |= DPT_NET_RX_L4_CSUM_GOOD;
	if (conf->txmode.offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
		r->tx_flags |= DPT_NET_TX_IP_CSUM;
	if (conf->txmode.offloads & RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
		r->tx_flags |= DPT_NET_TX_UDP_CSUM;
	return 0;
}

/* One queue pair per thread; checksums offloaded where offered; RSS over
 * addresses and UDP ports when there are several queues. */
static int
setup_port(struct dpdk_run *r, const struct dpt_bench_opts *o, uint32_t frame,
	   char *err, size_t err_len)
{
	uint64_t want_rx = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
			   RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
	uint64_t want_tx = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
			   RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	uint16_t nb_rxd = DPT_BENCH_RXD, nb_txd = DPT_BENCH_TXD, q;
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_eth_rxconf rxc;
	struct rte_eth_txconf txc;
	int socket = rte_eth_dev_socket_id(r->port_id), rc;

	if (socket < 0)
		socket = (int)rte_socket_id();
	rc = rte_eth_dev_info_get(r->port_id, &info);
	if (rc < 0)
		return port_fail(err, err_len, "dev_info", rc);
	if (info.max_rx_queues < r->n || info.max_tx_queues < r->n) {
		snprintf(err, err_len, "port %u (%s) has %u RX and %u TX "
			 "queues; --threads %u needs one pair per thread",
			 r->port_id, info.driver_name, info.max_rx_queues,
			 info.max_tx_queues, r->n);
		return -1;
	}
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = want_rx & info.rx_offload_capa;
	conf.txmode.offloads = want_tx & info.tx_offload_capa;
	if (r->n > 1 && (info.flow_type_rss_offloads &
			 (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP)) != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP |
						    RTE_ETH_RSS_UDP) &
						   info.flow_type_rss_offloads;
	}
	rc = rte_eth_dev_configure(r->port_id, (uint16_t)r->n,
				   (uint16_t)r->n, &conf);
	if (rc < 0)
		return port_fail(err, err_len, "configure", rc);
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(r->port_id, &nb_rxd, &nb_txd);
	if (rc < 0)
		return port_fail(err, err_len, "descriptors", rc);
	rxc = info.default_rxconf;
	rxc.offloads = conf.rxmode.offloads;
	txc = info.default_txconf;
	txc.offloads = conf.txmode.offloads;
	for (q = 0; q < r->n; q++) {
		rc = rte_eth_rx_queue_setup(r->port_id, q, nb_rxd,
					    (unsigned int)socket, &rxc,
					    r->pool);
		if (rc < 0)
			return port_fail(err, err_len, "RX queue", rc);
		rc = rte_eth_tx_queue_setup(r->port_id, q, nb_txd,
					    (unsigned int)socket, &txc);
		if (rc < 0)
			return port_fail(err, err_len, "TX queue", rc);
	}
	rc = rte_eth_dev_start(r->port_id);
	if (rc < 0)
		return port_fail(err, err_len, "start", rc);
	r->port_up = true;
	return port_started(r, &conf, frame, err, err_len);
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */
/* ------------------------------------------------------------------ */

static int
thread_init(struct dpdk_run *r, struct dpdk_thread *t,
	    struct dpt_bench_plan *p, struct dpt_bench_stats *st,
	    unsigned int idx)
{
	char name[RTE_RING_NAMESIZE];
	int rc;

	rc = dpt_bench_loop_init(&t->l, p, st, idx, &dpt_bench_dpdk_ops,
				 sizeof(struct dpdk_slot));
	if (rc < 0)
		return rc;
	t->run = r;
	t->queue = (uint16_t)idx;
	t->share = (r->port_span - idx + r->n - 1) / r->n;
	t->by_port = calloc(65536, sizeof(*t->by_port));
	t->sink = malloc(DPT_TFTP_HDR_LEN + p->xcfg.payload_max + 8);
	snprintf(name, sizeof(name), "dptb_in%u", idx);
	t->in = rte_ring_create(name, DPT_BENCH_RING, (int)rte_socket_id(),
				RING_F_SC_DEQ);
	if (t->by_port == NULL || t->sink == NULL || t->in == NULL)
		return -ENOMEM;
	if (t->share < t->l.n_slots)
		return -EADDRINUSE;
	t->l.io.tx_buf = dpt_bench_dpdk_tx_buf;
	t->l.io.tx_push = dpt_bench_dpdk_tx_push;
	t->l.io.ctx = t;
	return 0;
}

static void
thread_fini(struct dpdk_thread *t)
{
	void *m;

	if (t->in != NULL) {
		while (rte_ring_dequeue(t->in, &m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(t->in);
	}
	rte_pktmbuf_free_bulk(t->tx, t->tx_n);
	free(t->by_port);
	free(t->sink);
	dpt_bench_loop_fini(&t->l);
}

static int
run_init(struct dpdk_run *r, struct dpt_bench_plan *p, uint32_t frame,
	 char *err, size_t err_len)
{
	const struct dpt_bench_opts *o = p->o;
	const struct sockaddr_in *sin =
		(const struct sockaddr_in *)&o->server_addr;
	unsigned int mbufs;

	r->n = p->n_threads;
	r->family = o->ip_family;
	r->server_port = ntohs(sin->sin_port);	/* at one offset in both */
	if (r->family == AF_INET6) {
		memcpy(r->server_ip6, &((const struct sockaddr_in6 *)
					&o->server_addr)->sin6_addr, 16);
		memcpy(r->ifc.ip6, o->ip6, 16);
		r->ifc.prefix6 = o->ip_prefix;
		r->hdr_len = (uint16_t)dpt_net_udp6_hdr_len(0);
	} else {
		r->server_ip = sin->sin_addr.s_addr;
		r->ifc.ip = o->ip_addr;
		r->ifc.prefix = o->ip_prefix;
		r->hdr_len = (uint16_t)dpt_net_udp4_hdr_len(0);
	}
	r->port_lo = 32768;
	r->port_span = 61000 - 32768;
	if (rte_lcore_count() < r->n + 1) {
		snprintf(err, err_len, "EAL has %u lcores; --threads %u needs "
			 "%u (main and one per thread)", rte_lcore_count(),
			 r->n, r->n + 1);
		return -1;
	}
	mbufs = dpt_bench_dpdk_mbufs(r->n);
	r->pool = rte_pktmbuf_pool_create("dptb_pool", mbufs,
					  DPT_BENCH_MBUF_CACHE, 0,
					  dpt_bench_dpdk_room(frame),
					  (int)rte_socket_id());
	if (r->pool == NULL) {
		snprintf(err, err_len, "mbuf pool of %u: %s (more memory: "
			 "--eal '-m MB')", mbufs, rte_strerror(rte_errno));
		return -1;
	}
	if (find_port(r, o, err, err_len) < 0 ||
	    setup_port(r, o, frame, err, err_len) < 0)
		return -1;
	return dpt_bench_dpdk_resolve(r, o, err, err_len);
}

int
dpt_bench_dpdk_start(struct dpt_bench_plan *p, struct dpt_bench_stats *stats,
		     char *err, size_t err_len)
{
	const struct dpt_bench_opts *o = p->o;
	uint32_t frame = (uint32_t)((o->ip_family == AF_INET6 ?
				     dpt_net_udp6_hdr_len(0) :
				     dpt_net_udp4_hdr_len(0)) +
				    DPT_TFTP_HDR_LEN + p->xcfg.payload_max);
	struct dpt_bench_eal_args e;
	struct dpdk_run *r;
	unsigned int i, lcore;
	int rc;

	if (dpt_bench_dpdk_eal_args(&e, o, frame) < 0) {
		snprintf(err, err_len, "--eal: too many or too long "
			 "arguments");
		return -1;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	p->backend_ctx = r;
	r->stats = stats;
	if (rte_eal_init(e.argc, e.argv) < 0) {
		snprintf(err, err_len, "EAL: %s", rte_strerror(rte_errno));
		return -1;
	}
	r->eal_up = true;
	r->t = rte_zmalloc("dptb_threads", p->n_threads * sizeof(*r->t),
			   RTE_CACHE_LINE_SIZE);
	if (r->t == NULL) {
		snprintf(err, err_len, "out of memory for %u threads",
			 p->n_threads);
		return -1;
	}
	if (run_init(r, p, frame, err, err_len) < 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		rc = thread_init(r, &r->t[i], p, &stats[i], i);
		if (rc < 0) {
			snprintf(err, err_len, "thread %u: %s", i,
				 rc == -EADDRINUSE ? "more transfers at once "
				 "than source ports" : strerror(-rc));
			return -1;
		}
	}
	i = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (i == r->n)
			break;
		r->t[i].lcore = lcore;
		rc = rte_eal_remote_launch(dpt_bench_dpdk_thread, &r->t[i],
					   lcore);
		if (rc < 0) {
			snprintf(err, err_len, "lcore %u: launch failed: %s",
				 lcore, rte_strerror(-rc));
			/* The threads launched wait for every thread to be
			 * done: count the others so they can end. */
			__atomic_fetch_add(&p->threads_done, r->n - i,
					   __ATOMIC_RELEASE);
			__atomic_store_n(&p->stop, DPT_BENCH_STOP_NOW,
					 __ATOMIC_RELAXED);
			return -1;
		}
		i++;
	}
	return 0;
}

/* What the port itself counted: drops the generator cannot see. */
static void
port_counters(struct dpdk_run *r)
{
	struct rte_eth_stats es;

	if (r->stats == NULL || rte_eth_stats_get(r->port_id, &es) != 0)
		return;
	r->stats[0].port_missed = es.imissed;
	r->stats[0].port_rx_errors = es.ierrors;
	r->stats[0].port_tx_errors = es.oerrors;
	r->stats[0].port_rx_nombuf = es.rx_nombuf;
}

void
dpt_bench_dpdk_wait(struct dpt_bench_plan *p)
{
	struct dpdk_run *r = p->backend_ctx;
	unsigned int i;

	if (r == NULL)
		return;
	if (r->eal_up)
		rte_eal_mp_wait_lcore();
	for (i = 0; r->t != NULL && i < r->n; i++)
		thread_fini(&r->t[i]);
	if (r->port_up) {
		port_counters(r);
		(void)rte_eth_dev_stop(r->port_id);
		(void)rte_eth_dev_close(r->port_id);
	}
	rte_free(r->t);
	rte_mempool_free(r->pool);
	if (r->eal_up)
		(void)rte_eal_cleanup();
	free(r);
	p->backend_ctx = NULL;
}
