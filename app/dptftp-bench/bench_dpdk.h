/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_BENCH_DPDK_H_
#define _DPT_BENCH_DPDK_H_

/*
 * The DPDK ethdev backend's threads, shared by its data path
 * (bench_dpdk.c) and its setup (bench_dpdk_setup.c). Each thread is an
 * EAL lcore with an RX and a TX queue of its own; it builds whole frames
 * (Ethernet, IPv4 or IPv6, UDP: lib/net) and answers ARP, neighbor
 * solicitations and ping itself, so one core drives a NIC without the
 * kernel. Source ports are split among the
 * threads: port p belongs to thread (p - port_lo) % threads. A frame that
 * RSS or a fanout delivered to another thread's queue goes to its owner
 * through that thread's ring.
 */

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "bench_loop.h"
#include "dpt_net.h"

#define DPT_BENCH_DPDK_BURST 32
#define DPT_BENCH_RXD 1024		/* descriptors per RX queue */
#define DPT_BENCH_TXD 1024		/* ... per TX queue */
#define DPT_BENCH_RING 4096		/* frames handed to another thread */
#define DPT_BENCH_MBUF_CACHE 256
#define DPT_BENCH_VDEV "net_af_packet_bench"	/* --iface's port */
#define DPT_BENCH_EAL_ARGS_MAX 64

struct dpdk_slot {
	struct dpt_bench_slot s;	/* first: the transfer's container */
	uint16_t sport;			/* our source port, host order */
	uint16_t tid;			/* the server's, 0 until known */
};

struct dpdk_run;

struct dpdk_thread {
	struct dpt_bench_loop l;	/* first: the slots and their timers */
	struct dpdk_run *run;
	unsigned int lcore;
	uint16_t queue;
	uint16_t ip_id;
	bool done_told;			/* counted in threads_done */
	struct rte_ring *in;		/* frames for our ports (MP/SC) */
	struct dpdk_slot **by_port;	/* 65536: the slot on a source port */
	uint32_t share, share_next;	/* our ports, and where to look next */
	uint16_t tx_n;
	struct rte_mbuf *tx[DPT_BENCH_DPDK_BURST];
	struct rte_mbuf *out;		/* handed out by tx_buf, not pushed */
	uint8_t *sink;			/* tx_buf's answer when no mbuf is
					 * left: the datagram is dropped */
	uint32_t empty_polls;
	uint64_t nap_us;
} __rte_cache_aligned;

/* What every thread reads and nobody writes once the run starts. */
struct dpdk_run {
	struct dpdk_thread *t;
	unsigned int n;
	uint16_t port_id;
	struct rte_mempool *pool;
	struct dpt_net_if ifc;		/* our MAC and address */
	struct rte_ether_addr next_hop;	/* the server's MAC, or the
					 * gateway's */
	int family;			/* AF_INET or AF_INET6 */
	uint32_t server_ip;		/* IPv4, network order */
	uint8_t server_ip6[16];		/* IPv6 */
	uint16_t server_port;		/* host order */
	uint16_t hdr_len;		/* Ethernet, IP and UDP headers */
	uint16_t port_lo;		/* source ports: port_lo + k */
	uint32_t port_span;
	unsigned int tx_flags;		/* DPT_NET_TX_*: offloaded checksums */
	unsigned int rx_flags;		/* DPT_NET_RX_* the NIC may vouch for */
	bool eal_up, port_up;
	struct dpt_bench_stats *stats;	/* thread 0's gets the port's */
};

/* Mbufs the backend's pool holds: every queue full, every ring full,
 * every lcore cache full, and some to spare. */
static inline uint32_t
dpt_bench_dpdk_mbufs(unsigned int threads)
{
	return threads * (DPT_BENCH_RXD + DPT_BENCH_TXD + DPT_BENCH_RING +
			  2 * DPT_BENCH_MBUF_CACHE) + 4096;
}

/* Data room of an mbuf for frames of up to frame bytes (net_af_packet
 * wants 2048 at least). */
static inline uint16_t
dpt_bench_dpdk_room(uint32_t frame)
{
	return (uint16_t)(RTE_PKTMBUF_HEADROOM + (frame < 2048 ? 2048 :
						  frame));
}

/* rte_eal_init()'s arguments; argv points into buf. */
struct dpt_bench_eal_args {
	int argc;
	char *argv[DPT_BENCH_EAL_ARGS_MAX + 1];
	char buf[4096];
	size_t used;
};

/* Builds them from o (bench_dpdk_eal.c); frame: the largest frame we
 * send. Returns -1 when they do not fit. */
int dpt_bench_dpdk_eal_args(struct dpt_bench_eal_args *e,
			    const struct dpt_bench_opts *o, uint32_t frame);

/* Finds the MAC of the server, or of --gateway when the server is off
 * --ip's link: ARP, or neighbor discovery over IPv6, answering the
 * other side's own questions meanwhile (bench_dpdk_hop.c). 0, or -1 with
 * one line in err. */
int dpt_bench_dpdk_resolve(struct dpdk_run *r, const struct dpt_bench_opts *o,
			   char *err, size_t err_len);

/* Turns an ARP request, neighbor solicitation or ping for us (k, parsed
 * from m) into its answer in place; false when m is none of these
 * (bench_dpdk.c). */
bool dpt_bench_dpdk_reply(const struct dpdk_run *r, struct rte_mbuf *m,
			  const struct dpt_net_pkt *k);

/* The lcore's loop (bench_dpdk.c). */
int dpt_bench_dpdk_thread(void *arg);

/* The slots' way out (bench_dpdk.c). */
extern const struct dpt_bench_loop_ops dpt_bench_dpdk_ops;
uint8_t *dpt_bench_dpdk_tx_buf(void *ctx, struct dpt_bench_xfer *x);
void dpt_bench_dpdk_tx_push(void *ctx, struct dpt_bench_xfer *x, size_t len);

/* Sends the frames queued on t's TX queue; frees and counts what the
 * queue would not take. */
void dpt_bench_dpdk_tx_flush(struct dpdk_thread *t);

#endif /* _DPT_BENCH_DPDK_H_ */
