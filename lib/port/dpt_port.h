/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_PORT_H_
#define _DPT_PORT_H_

/*
 * Port backends: the only code that knows where packets come from. A
 * backend hands the RX lcore mbufs whose data is the UDP payload, with the
 * addresses in the mbuf's private area (struct dpt_pkt_meta), and takes
 * replies built the same way. Workers cannot tell backends apart: they
 * call dpt_port_encap() on a reply and pass it on to the TX lcore.
 *
 *   socket  kernel UDP sockets: a listening socket and pre-bound session
 *           sockets, recvmmsg/sendmmsg, epoll for the idle wait.
 *   ethdev  DPDK ports (NICs, net_af_packet, net_tap, ...): whole frames,
 *           dptftp's own ARP/IPv4/IPv6/ND/UDP/ICMP/ICMPv6.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "dpt_conf.h"

/* What every packet carries besides its TFTP bytes. */
struct dpt_pkt_meta {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t flags;		/* DPT_META_* */
	uint16_t port_id;	/* index of the dpt_port it came in on */
	uint16_t queue;		/* RX queue it came in on */
	uint16_t vlan;		/* 802.1Q id, 0: untagged */
	uint16_t client_port;	/* host order */
	uint16_t server_port;	/* host order: 69 or a session port */
	uint16_t hdr_len;	/* ethdev: header bytes before the payload */
	uint16_t payload_sum;	/* DPT_META_SUM: one's-complement sum of the
				 * whole UDP payload, so encap pays O(1) */
	uint8_t client_ip[16];	/* IPv4 in the first 4 bytes */
	uint8_t server_ip[16];
	struct rte_ether_addr peer_mac;	/* ethdev: where replies go */
	uint64_t rx_tsc;	/* TSC when it arrived: the RX poll that took
				 * it; socket backend, requests: when the
				 * kernel took it in (SO_TIMESTAMPNS), which
				 * may be long before a deep queue hands it
				 * over */
};

#define DPT_META_SUM	0x1	/* payload_sum is set */

#define DPT_META_SIZE RTE_ALIGN(sizeof(struct dpt_pkt_meta), RTE_MBUF_PRIV_ALIGN)

static inline struct dpt_pkt_meta *
dpt_meta(struct rte_mbuf *m)
{
	return (struct dpt_pkt_meta *)rte_mbuf_to_priv(m);
}

/* Bytes in front of a TFTP payload that encap may need (Ethernet, one
 * VLAN tag, IPv6, UDP: 14 + 4 + 40 + 8). Replies are built this far into
 * the headroom. */
#define DPT_ENCAP_MAX 66

struct dpt_port;

struct dpt_port_ops {
	const char *name;
	/* Receives up to n datagrams from queue q. RX lcore only. */
	uint16_t (*rx_burst)(struct dpt_port *p, uint16_t q,
			     struct rte_mbuf **m, uint16_t n);
	/* Sends up to n replies on queue q; returns how many it took (the
	 * caller frees the rest). TX lcore only. */
	uint16_t (*tx_burst)(struct dpt_port *p, uint16_t q,
			     struct rte_mbuf **m, uint16_t n);
	/* Prepends what the wire needs to a reply; NULL: nothing to add
	 * (sockets: the kernel does it). */
	int (*encap)(struct dpt_port *p, struct rte_mbuf *m);
	/* A file descriptor that polls readable when traffic waits, so an
	 * idle RX lcore can sleep until it comes; -1 when there is none
	 * (the idle back-off then sleeps in short steps). Optional. */
	int (*wait_fd)(struct dpt_port *p);
	/* Frames the port made itself (ARP and ICMP replies), ready for
	 * tx_burst; TX lcore only. Optional. */
	uint16_t (*ctl_dequeue)(struct dpt_port *p, struct rte_mbuf **m,
				uint16_t n);
	/* A datagram to a UDP port nobody owns: answer it (ICMP port
	 * unreachable, rate-limited) or not. Takes m. RX lcore. Optional. */
	void (*unreachable)(struct dpt_port *p, struct rte_mbuf *m);
	/* Port counters as Key: value lines: since the last clear() (`show
	 * port stats`), or since the start when lifetime (the report at
	 * exit, SIGUSR1, metrics: a clear never changes those). */
	void (*stats)(struct dpt_port *p, FILE *f, bool lifetime);
	void (*close)(struct dpt_port *p);
	/* What the port is (device, address, link) as Key: value lines, for
	 * `show port info`. Main lcore. Optional. */
	void (*info)(struct dpt_port *p, FILE *f);
	/* The device's extended statistics as `name: value` lines, for
	 * `show port xstats`. Main lcore. Optional. */
	void (*xstats)(struct dpt_port *p, FILE *f);
	/* Zeroes the counters as stats() and dpt_port_counters_get() show
	 * them. The RX and TX lcores write the counters, so this never does:
	 * it keeps baselines to subtract (dpt_port_counters_rebase() for the
	 * common ones) and resets what the device counts itself. Main lcore.
	 * Optional. */
	void (*clear)(struct dpt_port *p);
	/* Called by the main lcore about once a second, to say what should
	 * be said (a link that went down, a run of drops with a known
	 * cause). Optional. */
	void (*watch)(struct dpt_port *p);
};

/* Port counters common to every backend (written by the RX and TX lcores). */
struct dpt_port_counters {
	uint64_t rx_pkts, rx_bytes, rx_errors, rx_nombuf, rx_truncated;
	uint64_t tx_pkts, tx_bytes, tx_errors;
};

/* The TX queue replies and the ports' own frames go out on: the one TX
 * lcore's (the others are set up idle). */
#define DPT_PORT_TXQ 0

struct dpt_port {
	const struct dpt_port_ops *ops;
	uint16_t id;
	uint16_t n_rxq, n_txq;
	uint16_t mtu;			/* for the blksize ceiling */
	bool multi_seg;			/* sends mbuf chains: zero-copy DATA */
	bool needs_sum;			/* checksums in software: give it
					 * payload_sum */
	uint16_t listen_port;		/* host order */
	bool rx_more;			/* rx_burst() knows input still waits
					 * (sockets: ready ones not read yet);
					 * RX lcore */
	uint32_t mbufs_kept;		/* mbufs its device keeps past its
					 * close(): net_af_xdp's fill ring,
					 * never given back (DPDK 22.11) */
	char name[32];
	struct dpt_port_counters cnt;
	struct dpt_port_counters base;	/* cnt at the last clear() */
	void *priv;
};

/*
 * The common counters since the last clear(), from any thread: each
 * counter has one writer (the RX or the TX lcore), so relaxed loads see
 * whole values; the baseline is stored the same way.
 */
static inline void
dpt_port_counters_get(const struct dpt_port *p, struct dpt_port_counters *out)
{
	const uint64_t *cnt = (const uint64_t *)&p->cnt;
	const uint64_t *base = (const uint64_t *)&p->base;
	uint64_t *dst = (uint64_t *)out;
	size_t i;

	for (i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&cnt[i], __ATOMIC_RELAXED) -
			 __atomic_load_n(&base[i], __ATOMIC_RELAXED);
}

/* The common counters since the start, whatever clear() did. */
static inline void
dpt_port_counters_lifetime(const struct dpt_port *p,
			   struct dpt_port_counters *out)
{
	const uint64_t *cnt = (const uint64_t *)&p->cnt;
	uint64_t *dst = (uint64_t *)out;
	size_t i;

	for (i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&cnt[i], __ATOMIC_RELAXED);
}

/* Makes the common counters read zero from now on (clear()'s share). */
static inline void
dpt_port_counters_rebase(struct dpt_port *p)
{
	const uint64_t *cnt = (const uint64_t *)&p->cnt;
	uint64_t *base = (uint64_t *)&p->base;
	size_t i;

	for (i = 0; i < sizeof(p->cnt) / sizeof(uint64_t); i++)
		__atomic_store_n(&base[i], __atomic_load_n(&cnt[i],
							   __ATOMIC_RELAXED),
				 __ATOMIC_RELAXED);
}

/*
 * Session ports a worker may hand out. The socket backend has bound one
 * socket to each; ethdev needs no socket. Ports of worker w come from its
 * share of the range: p with (p - lo) % n_workers == w.
 */
struct dpt_port_share {
	uint16_t *ports;	/* in random order (RFC 1350 TIDs) */
	uint32_t n;
};

/*
 * Opens the socket backend per conf: binds the listening socket and, for
 * each of n_workers, up to per_worker session sockets on random ports of
 * its share, filling shares[w] (per_worker 0: none, single-port mode). pool gives the RX mbufs. Returns NULL with
 * errno and one line in err ("cannot bind 0.0.0.0:69: Address in use").
 */
struct dpt_port *dpt_port_socket_open(const struct dpt_conf *conf,
				      unsigned int n_workers,
				      uint32_t per_worker,
				      struct dpt_port_share *shares,
				      struct rte_mempool *pool,
				      char *err, size_t errlen);

static inline int
dpt_port_encap(struct dpt_port *p, struct rte_mbuf *m)
{
	return p->ops->encap(p, m);
}

/* Frees a share's arrays. */
void dpt_port_share_free(struct dpt_port_share *s);

/*
 * Shares for a backend that binds nothing (ethdev): every port of the range
 * but the listening one, split among n_workers, each share shuffled.
 * Returns 0 or -ENOMEM.
 */
int dpt_port_shares_make(const struct dpt_conf *conf, unsigned int n_workers,
			 struct dpt_port_share *shares);

/*
 * Opens the ethdev backend on one interface of conf: the DPDK port named
 * ifc->name when EAL has one, else a net_af_packet port over the Linux
 * interface of that name (hot-plugged, a queue pair per RX queue).
 * Configures it the way DPDK's examples do (capabilities masked against
 * dev_info, descriptor counts adjusted): ifc->rx_queues RX queues (0 reads
 * as 1; refused when the device has fewer), spread by RSS on IP and UDP
 * where the device offers it; TX on queue 0 only (its pairs set up idle,
 * as net_tap wants); checksum offloads where offered, the MTU; and sends
 * a gratuitous ARP once the link is up (with IPv6: all-multicast on, and
 * an unsolicited neighbor advertisement). id is the index the dataplane
 * will know it by. Returns NULL with one line in err.
 */
struct dpt_port *dpt_port_ethdev_open(const struct dpt_conf *conf,
				      const struct dpt_conf_iface *ifc,
				      uint16_t id, struct rte_mempool *pool,
				      char *err, size_t errlen);

/* Descriptors of each ethdev RX queue and of each TX queue (the device
 * may adjust them to its limits). */
#define DPT_PORT_ETH_RXD 1024
#define DPT_PORT_ETH_TXD 1024

/* Mbufs the ethdev ports of conf may hold in their descriptors (a NIC
 * fills every RX descriptor at start): what the shared pool needs on top
 * of the dataplane's own. 0 for the socket backend. */
uint32_t dpt_port_ethdev_mbufs(const struct dpt_conf *conf);

/* Checksums the ethdev port leaves to its NIC (for benchmarks, tests). */
unsigned int dpt_port_ethdev_tx_flags(const struct dpt_port *p);

/* One number a backend's stats() shows: "Echo-limited: 3". */
struct dpt_port_stat {
	uint16_t port;		/* the dpt_port's id */
	char key[48];		/* "Echo-limited" */
	uint64_t value;
};

/*
 * The numeric `Key: value` lines of p's stats() (lifetime: since the
 * start, else since the last clear), in order, appended to out from
 * out[n] up to out[cap - 1]; returns the new count. Lines that are not
 * a whole number ("TX-checksum-offload: ip udp") are left out. Whoever
 * may call stats(): the main lcore.
 */
unsigned int dpt_port_stats_read(struct dpt_port *p, bool lifetime,
				 struct dpt_port_stat *out, unsigned int n,
				 unsigned int cap);

#endif /* _DPT_PORT_H_ */
