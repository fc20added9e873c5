/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_PORT_ETHDEV_H_
#define _DPT_PORT_ETHDEV_H_

/*
 * What the ethdev backend's files share: the port's private state, what
 * the console is shown (port_ethdev_show.c), bringing the port up
 * (port_ethdev_setup.c), and the IPv6 half
 * (port_ethdev6.c) that the rest (port_ethdev.c) calls. Not part of
 * lib/port's interface.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <net/if.h>

#include <rte_ethdev.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dpt_net.h"
#include "port_internal.h"

/* Written by the RX lcore only (ctl_full by whoever pushes: RX, or the
 * main lcore at open); all uint64_t, read whole by stats(). */
struct eth_counters {
	uint64_t drops[DPT_NET_DROP_COUNT];
	uint64_t arp_replies, icmp_echo, icmp_unreach, unreach_limited;
	uint64_t fragments, reassembled, multiseg, other, ctl_full;
	uint64_t nd_adverts, icmp6_echo, icmp6_unreach;
	uint64_t echo_limited;		/* echo requests over --reply-limit */
	uint64_t frag_dropped;		/* fragments reassembly let go: table
					 * full, expired, overlapping, ... */
	uint64_t reasm_oversize;	/* reassembled, longer than an mbuf */
	uint64_t udp_rx;		/* UDP datagrams handed on, whole */
};

/* Frames of each net_af_packet ring (RX and TX of each queue pair), of
 * the PMD's 2048 bytes: 8 MiB of kernel memory a ring. */
#define ETH_AFP_FRAMES 4096

/* net_af_xdp fills each queue's fill ring with this many mbufs of the
 * pool (its default ring size, DPDK 22.11). */
#define ETH_XDP_FILL 2048

/* Descriptors looked at for AF_XDP sockets (port_ethdev_xdp.c). */
#define ETH_XDP_FD_MAX 4096

/* Fragments being reassembled hold at most this share of the mbuf pool
 * (split between the ports), so a flood of first fragments never starves
 * the datagrams that arrive whole. */
#define ETH_FRAG_POOL_SHARE 8

/* UDP checksum drops within ETH_CSUM_WINDOW_MS that make a run worth a
 * warning (port_ethdev_link.c). */
#define ETH_CSUM_RUN 3
#define ETH_CSUM_WINDOW_MS 60000

struct eth_priv {
	uint16_t port_id;		/* DPDK's */
	struct dpt_net_if ifc;
	unsigned int tx_flags;		/* DPT_NET_TX_* the NIC does */
	unsigned int rx_flags_ok;	/* offloads enabled on RX */
	uint64_t rss_hf;		/* RSS hash functions; 0: none */
	bool tx_prepare;
	bool allmulti;			/* solicited-node groups reach us */
	struct rte_mempool *pool;
	struct rte_ring *ctl;		/* RX -> TX: ARP, ND and ICMP replies */
	struct rte_ip_frag_tbl *frags;
	struct rte_ip_frag_death_row dr;
	uint32_t frag_max;		/* datagrams reassembled at once */
	uint64_t tsc_hz;
	struct dpt_rate *unreach_rate;	/* ICMP port unreachable, in all */
	struct dpt_rate *echo_rate;	/* echo replies: --reply-limit */
	struct eth_counters cnt;
	struct eth_counters base;	/* cnt at the last clear (main lcore) */
	char ethdev_name[RTE_ETH_NAME_MAX_LEN];
	bool probed;			/* we hot-plugged it: unplug on close */
	uint8_t xdp;			/* enum dpt_conf_xdp: how it was asked */
	bool xdp_zc;			/* every XDP socket runs zero-copy */
	bool xdp_bpffs;			/* libxdp had bpffs (a dispatcher) */
	uint16_t xdp_busy;		/* busy-poll budget; 0: off */
	unsigned int xdp_sockets;	/* ours on the interface */
	int xdp_fd[DPT_CONF_MAX_RX_QUEUES];	/* their descriptors */
	uint8_t xdp_fds_before[ETH_XDP_FD_MAX / 8];	/* AF_XDP fds before
							 * the hot-plug */
	bool started;			/* stop on close (else ethdev logs) */
	/* over a Linux interface (AF_PACKET, AF_XDP): its name, and what
	 * eth_watch() saw last (main lcore) */
	char kif[IF_NAMESIZE];
	bool watched;
	bool csum_warned;
	unsigned int csum_quiet;
	unsigned int csum_n;		/* of csum_at[] that are set */
	uint64_t csum_at[ETH_CSUM_RUN];	/* the last UDP checksum drops'
					 * times, ms, oldest first */
	int watch_link;
	uint64_t watch_drops[DPT_NET_DROP_COUNT];
	uint64_t watch_udp_rx;
};

/* A frame the port made itself, for the TX lcore; counted and freed when
 * the ring is full. */
static inline void
eth_ctl_push(struct eth_priv *ep, struct rte_mbuf *m)
{
	if (rte_ring_sp_enqueue(ep->ctl, m) < 0) {
		ep->cnt.ctl_full++;
		rte_pktmbuf_free(m);
	}
}

/* A frame received, rewritten in place into our answer of len bytes
 * (0: none, the frame is freed): to the TX lcore. */
static inline void
eth_ctl_reply(struct eth_priv *ep, struct rte_mbuf *m, size_t len)
{
	if (len == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	m->ol_flags = 0;
	eth_ctl_push(ep, m);
}

/*
 * port_ethdev_setup.c. eth_find_port() sets ep->port_id to the DPDK port
 * named ifc->name, or hot-plugs net_af_packet over the Linux interface of
 * that name with a queue pair per RX queue. eth_setup_port() configures
 * it with ifc->rx_queues RX queues (RSS where the device hashes) and as
 * many TX queues as it has, up to that (only queue 0 sends), starts it,
 * and fills in what p and ep learn (MTU, MAC, queue counts, offloads).
 * Both return 0, or a negative errno with one line in err. Main lcore.
 */
int eth_find_port(struct eth_priv *ep, const struct dpt_conf_iface *ifc,
		  uint16_t id, char *err, size_t errlen);
int eth_setup_port(struct dpt_port *p, struct eth_priv *ep,
		   const struct dpt_conf_iface *ifc, struct rte_mempool *pool,
		   char *err, size_t errlen);

/*
 * port_ethdev_xdp.c (--xdp). eth_xdp_probe() hot-plugs net_af_xdp over
 * ifc (what is missing said in one line: the interface, AF_XDP sockets;
 * bpffs warned about); eth_xdp_started() reads back the mode each XDP
 * socket runs in and refuses --xdp zero-copy without it. Both return 0
 * or a negative errno with one line in err. Main lcore.
 */
int eth_xdp_probe(struct eth_priv *ep, const struct dpt_conf_iface *ifc,
		  uint16_t id, char *err, size_t errlen);
int eth_xdp_started(struct eth_priv *ep, const struct dpt_conf_iface *ifc,
		    char *err, size_t errlen);
/* Notes the AF_XDP sockets there are before this port makes its own. */
void eth_xdp_before(struct eth_priv *ep);
/* XDP lines of `show port info` (none without --xdp). */
void eth_xdp_info(const struct eth_priv *ep, FILE *f);
/* The kernel's counters of the XDP sockets (XDP_STATISTICS), lines of
 * `show port stats` (none without --xdp). */
void eth_xdp_stats(const struct eth_priv *ep, FILE *f);

/*
 * port_ethdev_link.c: the kernel's side of a port over a Linux interface.
 * eth_kernel_up() notes the interface (ep->kif) and brings it up, or
 * says in err why it cannot (0 when there is no such interface: the
 * probe says so); eth_kernel_addr_check() warns about an address of ours
 * the kernel holds too; eth_kernel_link() is the kernel's link state;
 * eth_watch() is the port's watch op. Main lcore.
 */
enum {
	ETH_LINK_UNKNOWN = -2,	/* not over a Linux interface */
	ETH_LINK_ADMIN_DOWN = -1,
	ETH_LINK_NO_CARRIER = 0,
	ETH_LINK_UP = 1,
};
int eth_kernel_up(struct eth_priv *ep, const char *name, char *err,
		  size_t errlen);
void eth_kernel_addr_check(const struct eth_priv *ep, const char *iface);
int eth_kernel_link(const struct eth_priv *ep);
const char *eth_link_name(int link);
void eth_watch(struct dpt_port *p);

/* port_ethdev_show.c: the dpt_port_ops of the console. Main lcore. */
void eth_stats(struct dpt_port *p, FILE *f, bool lifetime);
void eth_info(struct dpt_port *p, FILE *f);
void eth_xstats(struct dpt_port *p, FILE *f);
void eth_clear(struct dpt_port *p);

/*
 * port_ethdev6.c. IPv6 at open, once the port has started: the link-local
 * address from the port's MAC, all-multicast (solicited-node groups), an
 * unsolicited neighbor advertisement for our address. Nothing when the
 * interface has no IPv6. Main lcore.
 */
void eth6_start(struct eth_priv *ep);

/* May the RX lcore answer an echo request from addr (4 or 16 bytes) now?
 * Counts the ones it may not. */
bool eth_echo_allowed(struct eth_priv *ep, const void *addr, size_t len);

/* Answers the neighbor solicitation or ICMPv6 echo request k in mb, in
 * place, onto the ctl ring (an echo within --reply-limit only); takes mb.
 * RX lcore. */
void eth6_answer(struct eth_priv *ep, struct rte_mbuf *mb,
		 const struct dpt_net_pkt *k);

/* The addresses of the UDP6 datagram k, into meta. RX lcore. */
void eth6_meta(struct dpt_pkt_meta *meta, const struct dpt_net_pkt *k);

/* encap() of an AF_INET6 reply whose payload sums to sum (when the
 * checksum is ours). Worker lcores. */
int eth6_encap(const struct eth_priv *ep, struct rte_mbuf *m, uint16_t sum);

/* IPv6 lines of `show port info` (none without IPv6). Main lcore. */
void eth6_info(const struct eth_priv *ep, FILE *f);

#endif /* _DPT_PORT_ETHDEV_H_ */
