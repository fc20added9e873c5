/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The DPDK ethdev backend's data path: one lcore per thread, polling its
 * own RX queue, demultiplexing UDP by destination port to its slots,
 * building the transfers' datagrams straight into mbufs and sending them
 * in bursts on its own TX queue. No system call of its own while datagrams
 * flow (a PMD may make one: net_af_packet's TX kicks the kernel per
 * burst); when nothing does, it naps in growing steps so a shared host
 * keeps its CPUs (--busy-poll: never).
 */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_pause.h>

#include "bench_dpdk.h"

#define SPIN_POLLS 256		/* empty polls before the first nap */
#define NAP_MIN_US 1
#define NAP_MAX_US 1000		/* longest nap */
#define ICMP_HDR_LEN 8

static struct dpdk_slot *
slot_of(struct dpt_bench_xfer *x)
{
	return (struct dpdk_slot *)((char *)x -
				    offsetof(struct dpdk_slot, s.x));
}

/* ------------------------------------------------------------------ */
/* Transmit                                                            */
/* ------------------------------------------------------------------ */

/*
 * Offloads may need the frames adjusted for this NIC (rte_eth_tx_prepare);
 * a frame it refuses is dropped and counted, and the rest go on.
 */
static void
tx_prepare(struct dpdk_thread *t)
{
	uint16_t ok = 0, n;

	while (ok < t->tx_n) {
		n = rte_eth_tx_prepare(t->run->port_id, t->queue, t->tx + ok,
				       (uint16_t)(t->tx_n - ok));
		ok = (uint16_t)(ok + n);
		if (ok == t->tx_n)
			break;
		rte_pktmbuf_free(t->tx[ok]);
		t->l.st->tx_dropped++;
		memmove(t->tx + ok, t->tx + ok + 1,
			(size_t)(t->tx_n - ok - 1) * sizeof(t->tx[0]));
		t->tx_n--;
	}
}

void
dpt_bench_dpdk_tx_flush(struct dpdk_thread *t)
{
	uint16_t sent = 0, r;

	if (t->run->tx_flags != 0)
		tx_prepare(t);

	while (sent < t->tx_n) {
		r = rte_eth_tx_burst(t->run->port_id, t->queue, t->tx + sent,
				     (uint16_t)(t->tx_n - sent));
		if (r == 0)
			break;
		sent = (uint16_t)(sent + r);
	}
	t->l.st->pkts_out += sent;
	if (sent < t->tx_n) {
		/* A full queue: the retransmission timer recovers, as after
		 * a loss on the wire. */
		t->l.st->tx_dropped += (uint64_t)(t->tx_n - sent);
		rte_pktmbuf_free_bulk(t->tx + sent, (unsigned int)(t->tx_n -
								   sent));
	}
	t->tx_n = 0;
}

static void
tx_queue(struct dpdk_thread *t, struct rte_mbuf *m)
{
	if (t->tx_n == DPT_BENCH_DPDK_BURST)
		dpt_bench_dpdk_tx_flush(t);
	t->tx[t->tx_n++] = m;
}

uint8_t *
dpt_bench_dpdk_tx_buf(void *ctx, struct dpt_bench_xfer *x)
{
	struct dpdk_thread *t = ctx;

	t->out = rte_pktmbuf_alloc(t->run->pool);
	if (t->out == NULL)
		return t->sink;
	return rte_pktmbuf_mtod_offset(t->out, uint8_t *, t->run->hdr_len);
}

/* Ethernet, IP and UDP in front of the payload; the offload flags. */
static void
encap(const struct dpdk_run *r, struct dpdk_thread *t,
      const struct dpdk_slot *ds, struct rte_mbuf *m, size_t len)
{
	uint8_t *hdr = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t sum = 0, dport = ds->tid != 0 ? ds->tid : r->server_port;
	struct dpt_net_udp4 a4;
	struct dpt_net_udp6 a6;

	if (!(r->tx_flags & DPT_NET_TX_UDP_CSUM))
		sum = dpt_net_sum(hdr + r->hdr_len, len);
	m->l2_len = sizeof(struct rte_ether_hdr);
	m->ol_flags = 0;
	if (r->family == AF_INET6) {
		memset(&a6, 0, sizeof(a6));
		a6.src_mac = r->ifc.mac;
		a6.dst_mac = r->next_hop;
		memcpy(a6.src_ip, r->ifc.ip6, 16);
		memcpy(a6.dst_ip, r->server_ip6, 16);
		a6.src_port = ds->sport;
		a6.dst_port = dport;
		dpt_net_udp6_encap(hdr, &a6, (uint16_t)len, sum, r->tx_flags);
		m->l3_len = sizeof(struct rte_ipv6_hdr);
		if (r->tx_flags & DPT_NET_TX_UDP_CSUM)
			m->ol_flags = RTE_MBUF_F_TX_IPV6 |
				      RTE_MBUF_F_TX_UDP_CKSUM;
		return;
	}
	memset(&a4, 0, sizeof(a4));
	a4.src_mac = r->ifc.mac;
	a4.dst_mac = r->next_hop;
	a4.src_ip = r->ifc.ip;
	a4.dst_ip = r->server_ip;
	a4.src_port = ds->sport;
	a4.dst_port = dport;
	a4.ip_id = t->ip_id++;
	dpt_net_udp4_encap(hdr, &a4, (uint16_t)len, sum, r->tx_flags);
	m->l3_len = sizeof(struct rte_ipv4_hdr);
	if (r->tx_flags != 0)
		m->ol_flags |= RTE_MBUF_F_TX_IPV4;
	if (r->tx_flags & DPT_NET_TX_IP_CSUM)
		m->ol_flags |= RTE_MBUF_F_TX_IP_CKSUM;
	if (r->tx_flags & DPT_NET_TX_UDP_CSUM)
		m->ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM;
}

void
dpt_bench_dpdk_tx_push(void *ctx, struct dpt_bench_xfer *x, size_t len)
{
	struct dpdk_thread *t = ctx;
	struct rte_mbuf *m = t->out;

	t->out = NULL;
	if (m == NULL) {
		t->l.st->tx_dropped++;
		return;
	}
	encap(t->run, t, slot_of(x), m, len);
	m->data_len = (uint16_t)(t->run->hdr_len + len);
	m->pkt_len = m->data_len;
	tx_queue(t, m);
}

/* ------------------------------------------------------------------ */
/* Slots                                                               */
/* ------------------------------------------------------------------ */

/*
 * The thread's next free source port. Ports go round the thread's whole
 * share before one comes back, so a server's late datagrams for a
 * finished transfer rarely meet the next one.
 */
static int
dpdk_open(struct dpt_bench_loop *l, struct dpt_bench_slot *s)
{
	struct dpdk_thread *t = (struct dpdk_thread *)l;
	const struct dpdk_run *r = t->run;
	struct dpdk_slot *ds = (struct dpdk_slot *)s;
	uint32_t tries, k;
	uint16_t port;

	for (tries = 0; tries < t->share; tries++) {
		k = t->share_next++ % t->share;
		port = (uint16_t)(r->port_lo + l->idx + k * r->n);
		if (t->by_port[port] == NULL) {
			t->by_port[port] = ds;
			ds->sport = port;
			ds->tid = 0;
			return 0;
		}
	}
	return -EADDRINUSE;
}

static void
dpdk_close(struct dpt_bench_loop *l, struct dpt_bench_slot *s)
{
	struct dpdk_thread *t = (struct dpdk_thread *)l;
	struct dpdk_slot *ds = (struct dpdk_slot *)s;

	t->by_port[ds->sport] = NULL;
}

static void
dpdk_flush(struct dpt_bench_loop *l, struct dpt_bench_slot *s, uint64_t now)
{
	/* Frames go out in bursts from the loop, not per transfer. */
}

const struct dpt_bench_loop_ops dpt_bench_dpdk_ops = {
	.open = dpdk_open,
	.close = dpdk_close,
	.flush = dpdk_flush,
};

/* ------------------------------------------------------------------ */
/* Receive                                                             */
/* ------------------------------------------------------------------ */

/* The thread that owns source port p, or -1 when p is none of ours. */
static int
owner_of(const struct dpdk_run *r, uint16_t p)
{
	if (p < r->port_lo || (uint32_t)(p - r->port_lo) >= r->port_span)
		return -1;
	return (int)((uint32_t)(p - r->port_lo) % r->n);
}

static bool
from_server(const struct dpdk_run *r, const struct dpt_net_pkt *k)
{
	if (r->family == AF_INET6)
		return memcmp(k->src_ip6, r->server_ip6, 16) == 0;
	return k->src_ip == r->server_ip;
}

/* A datagram from the server to one of our ports. */
static void
udp_in(struct dpdk_thread *t, const struct dpt_net_pkt *k, const uint8_t *pl,
       uint64_t now)
{
	struct dpdk_slot *ds = t->by_port[k->dst_port];
	struct dpt_bench_xfer *x;

	t->l.st->pkts_in++;
	if (ds == NULL || !ds->s.busy || !from_server(t->run, k)) {
		t->l.st->stray++;
		return;
	}
	x = &ds->s.x;
	if (ds->tid == 0) {
		if (!dpt_bench_xfer_first_reply(x, pl, k->payload_len)) {
			t->l.st->stray++;
			return;
		}
		ds->tid = k->src_port;
	} else if (k->src_port != ds->tid) {
		t->l.st->stray++;
		return;
	}
	dpt_bench_xfer_input(x, &t->l.io, pl, k->payload_len, now);
	dpt_bench_loop_after(&t->l, &ds->s, now);
}

/*
 * Whether the ICMP (or ICMPv6) message of len bytes at icmp is a port
 * unreachable quoting a UDP datagram we sent the server; its ports into
 * *sport (ours) and *dport. IPv6: the quoted header must be followed by
 * UDP straight away (we send no extension headers).
 */
static bool
quoted_udp(const struct dpdk_run *r, const uint8_t *icmp, size_t len,
	   uint16_t *sport, uint16_t *dport)
{
	const uint8_t *ip = icmp + ICMP_HDR_LEN, *udp;
	size_t ihl;

	if (r->family == AF_INET6) {
		if (len < ICMP_HDR_LEN + sizeof(struct rte_ipv6_hdr) + 8 ||
		    icmp[0] != 1 || icmp[1] != 4 || ip[6] != IPPROTO_UDP ||
		    memcmp(ip + 24, r->server_ip6, 16) != 0)
			return false;
		udp = ip + sizeof(struct rte_ipv6_hdr);
	} else {
		if (len < ICMP_HDR_LEN + sizeof(struct rte_ipv4_hdr) + 8 ||
		    icmp[0] != 3 || icmp[1] != 3)
			return false;
		ihl = (size_t)(ip[0] & 0xf) * 4;
		if (ihl < sizeof(struct rte_ipv4_hdr) ||
		    ICMP_HDR_LEN + ihl + 8 > len || ip[9] != IPPROTO_UDP ||
		    memcmp(ip + 16, &r->server_ip, 4) != 0)
			return false;
		udp = ip + ihl;
	}
	*sport = (uint16_t)(udp[0] << 8 | udp[1]);
	*dport = (uint16_t)(udp[2] << 8 | udp[3]);
	return true;
}

/*
 * A port unreachable quoting one of our requests: nobody listens where we
 * sent it, so the transfer fails now instead of after every
 * retransmission (what a connected socket's ECONNREFUSED tells the socket
 * backend). Anything else ICMP is ignored.
 */
static void
icmp_in(struct dpdk_thread *t, const uint8_t *icmp, size_t len, uint64_t now)
{
	const struct dpdk_run *r = t->run;
	struct dpdk_slot *ds;
	uint16_t sport, dport;

	if (!quoted_udp(r, icmp, len, &sport, &dport) ||
	    owner_of(r, sport) != (int)t->l.idx)
		return;
	ds = t->by_port[sport];
	if (ds == NULL || !ds->s.busy ||
	    dport != (ds->tid != 0 ? ds->tid : r->server_port))
		return;
	dpt_bench_xfer_fail(&ds->s.x, &t->l.io, DPT_BENCH_UNREACHABLE, false,
			    now);
	dpt_bench_loop_after(&t->l, &ds->s, now);
}

/* The source port a frame concerns: UDP's destination, or the source
 * port a port unreachable quotes; 0 for neither. */
static uint16_t
port_of(const struct dpdk_run *r, const uint8_t *frame,
	const struct dpt_net_pkt *k)
{
	uint16_t sport, dport;

	if (k->kind == DPT_NET_UDP || k->kind == DPT_NET_UDP6)
		return k->dst_port;
	if (k->kind == DPT_NET_ICMP_OTHER &&
	    quoted_udp(r, frame + k->payload_off, k->payload_len, &sport,
		       &dport))
		return sport;
	return 0;
}

bool
dpt_bench_dpdk_reply(const struct dpdk_run *r, struct rte_mbuf *m,
		     const struct dpt_net_pkt *k)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	size_t cap = rte_pktmbuf_tailroom(m) + m->data_len;
	size_t len;

	if (k->kind == DPT_NET_ARP_REQUEST)
		len = dpt_net_arp_reply(f, m->data_len, cap, k, &r->ifc);
	else if (k->kind == DPT_NET_ND_SOLICIT)
		len = dpt_net_nd_advert(f, m->data_len, cap, k, &r->ifc);
	else if (k->kind == DPT_NET_ICMP6_ECHO)
		len = dpt_net_icmp6_echo_reply(f, m->data_len, k);
	else if (k->kind == DPT_NET_ICMP_ECHO)
		len = dpt_net_icmp_echo_reply(f, m->data_len, k);
	else
		len = 0;
	if (len == 0)
		return false;
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	m->ol_flags = 0;
	return true;
}

/* One frame from the wire or from another thread's ring; takes m. */
static void
frame_in(struct dpdk_thread *t, struct rte_mbuf *m, uint64_t now)
{
	const struct dpdk_run *r = t->run;
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	struct dpt_net_pkt k;
	uint16_t port;
	int owner;

	if (!rte_pktmbuf_is_contiguous(m) ||
	    dpt_net_parse(f, m->data_len, &r->ifc,
			  dpt_net_rx_flags(m->ol_flags) & r->rx_flags, &k) ==
	    DPT_NET_DROP) {
		t->l.st->bad_frames++;
		rte_pktmbuf_free(m);
		return;
	}
	switch (k.kind) {
	case DPT_NET_ARP_REQUEST:
	case DPT_NET_ICMP_ECHO:
	case DPT_NET_ND_SOLICIT:
	case DPT_NET_ICMP6_ECHO:
		if (dpt_bench_dpdk_reply(r, m, &k))
			tx_queue(t, m);
		else
			rte_pktmbuf_free(m);
		return;
	case DPT_NET_UDP:
	case DPT_NET_UDP6:
	case DPT_NET_ICMP_OTHER:
		port = port_of(r, f, &k);
		owner = owner_of(r, port);
		if (owner < 0) {
			if (k.kind != DPT_NET_ICMP_OTHER)
				t->l.st->stray++;
			break;
		}
		if (owner != (int)t->l.idx) {
			if (rte_ring_enqueue(r->t[owner].in, m) != 0) {
				t->l.st->stray++;
				break;
			}
			return;
		}
		if (k.kind != DPT_NET_ICMP_OTHER)
			udp_in(t, &k, f + k.payload_off, now);
		else
			icmp_in(t, f + k.payload_off, k.payload_len, now);
		break;
	default:
		/* Fragments (we never ask for a blksize above the MTU),
		 * other ARP, traffic for someone else. */
		break;
	}
	rte_pktmbuf_free(m);
}

/* ------------------------------------------------------------------ */
/* The lcore                                                           */
/* ------------------------------------------------------------------ */

static void
nap(uint64_t us)
{
	struct timespec ts = {
		.tv_sec = (time_t)(us / 1000000),
		.tv_nsec = (long)(us % 1000000) * 1000,
	};

	nanosleep(&ts, NULL);
}

/*
 * Nothing came and nothing was due: spin a while (a window's next
 * datagram is microseconds away), then sleep in doubling steps, never
 * past the next timer, so an idle generator leaves the CPU to the server
 * it shares a host with.
 */
static void
idle(struct dpdk_thread *t, uint64_t now)
{
	uint64_t next = dpt_bench_heap_next(&t->l.heap);

	if (++t->empty_polls < SPIN_POLLS) {
		rte_pause();
		return;
	}
	/* Doubling: a datagram that comes while we nap waits at most as
	 * long again as the silence before it. */
	t->nap_us = t->nap_us == 0 ? NAP_MIN_US : t->nap_us * 2;
	if (t->nap_us > NAP_MAX_US)
		t->nap_us = NAP_MAX_US;
	if (next > now && next - now < t->nap_us)
		t->nap_us = next - now;
	if (next > now)
		nap(t->nap_us);
}

int
dpt_bench_dpdk_thread(void *arg)
{
	struct dpdk_thread *t = arg;
	struct dpdk_run *r = t->run;
	struct rte_mbuf *m[DPT_BENCH_DPDK_BURST];
	bool spin = t->l.p->o->busy_poll;
	uint64_t now = dpt_bench_now(), turn = 0;
	unsigned int n, i, got;

	/* Naps of a microsecond mean a microsecond, not the 50 us slack. */
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	/* A thread whose slots are all done keeps polling: its queue may
	 * carry the others' frames until every thread is done. */
	while (__atomic_load_n(&t->l.p->threads_done, __ATOMIC_ACQUIRE) <
	       r->n) {
		dpt_bench_loop_see_stop(&t->l, now);
		if (spin)	/* a clock read a turn only when it counts */
			turn = dpt_bench_now();
		n = rte_eth_rx_burst(r->port_id, t->queue, m,
				     DPT_BENCH_DPDK_BURST);
		got = n;
		now = dpt_bench_now();
		for (i = 0; i < n; i++)
			frame_in(t, m[i], now);
		n = rte_ring_dequeue_burst(t->in, (void **)m,
					   DPT_BENCH_DPDK_BURST, NULL);
		got += n;
		for (i = 0; i < n; i++)
			frame_in(t, m[i], now);
		dpt_bench_loop_timers(&t->l, now);
		if (t->tx_n != 0) {
			got++;
			dpt_bench_dpdk_tx_flush(t);
		}
		if (t->l.n_live == 0 && !t->done_told) {
			t->done_told = true;
			dpt_bench_loop_done(&t->l);
		}
		if (got != 0) {
			t->empty_polls = 0;
			t->nap_us = 0;
			continue;
		}
		if (spin) {
			/* An empty turn's time is idle, not load. */
			if (dpt_bench_heap_next(&t->l.heap) > now)
				t->l.st->idle_us += dpt_bench_now() - turn;
			continue;
		}
		idle(t, now);
		now = dpt_bench_now();
	}
	return 0;
}
