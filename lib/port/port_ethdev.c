/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The ethdev backend: whole frames from a DPDK port (a NIC, net_af_packet
 * over any Linux interface, net_tap, ...). The RX side parses with lib/net,
 * answers ARP, neighbor solicitations and ICMP/ICMPv6 echo itself (through
 * a ring the TX lcore drains), reassembles IPv4 fragments and hands the
 * workers UDP payloads of either family; a reply's headers are written by
 * encap() on the worker, with the checksums the NIC does not take computed
 * in software. Bringing the port up is port_ethdev_setup.c, the IPv6 half
 * port_ethdev6.c. However many RX queues the port has, one RX lcore polls
 * them all: the reassembly table, the counters and the ctl ring's producer
 * side stay single-threaded, and fragments meet whichever queue each took.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_ip_frag.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "port_ethdev.h"

#define CTL_RING 512
#define FRAG_TTL_MS 2000	/* an incomplete datagram's life */
#define FRAG_PER_BUCKET 4
#define UNREACH_PER_S 100	/* ICMP port unreachable, RFC 1812 4.3.2.8 */
/* Frames one poll takes. Reassembly puts what it lets go on the death
 * row, emptied once a poll: DPDK sizes that for RTE_IP_FRAG_DEATH_ROW_LEN
 * fragments (each may free a whole datagram's), and overruns it unchecked
 * beyond. */
#define ETH_RX_BURST 32

/* A UDP datagram for us from queue q: strip to the payload and say who
 * sent it. */
static void
deliver(struct dpt_port *p, uint16_t q, struct rte_mbuf *m,
	const struct dpt_net_pkt *k, uint64_t tsc)
{
	struct dpt_pkt_meta *meta = dpt_meta(m);

	memset(meta, 0, sizeof(*meta));
	meta->rx_tsc = tsc;
	meta->port_id = p->id;
	meta->queue = q;
	meta->vlan = k->vlan;
	meta->client_port = k->src_port;
	meta->server_port = k->dst_port;
	meta->hdr_len = k->payload_off;
	meta->peer_mac = k->src_mac;
	if (k->kind == DPT_NET_UDP6) {
		eth6_meta(meta, k);
	} else {
		meta->family = AF_INET;
		memcpy(meta->client_ip, &k->src_ip, 4);
		memcpy(meta->server_ip, &k->dst_ip, 4);
	}
	rte_pktmbuf_adj(m, k->payload_off);
	if (m->pkt_len > k->payload_len)	/* Ethernet padding */
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - k->payload_len));
}

/*
 * A fragment: into the table; when it completes a datagram, make that
 * datagram one flat mbuf (workers read whole datagrams, never the first
 * fragment's share), check it whole and deliver it. Returns it or NULL.
 * A datagram longer than an mbuf holds is longer than any block this
 * server grants (blksize follows the mbuf's room), so it is dropped.
 */
static struct rte_mbuf *
reassemble(struct dpt_port *p, struct eth_priv *ep, struct rte_mbuf *m,
	   const struct dpt_net_pkt *k, uint64_t tsc, struct dpt_net_pkt *out)
{
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *r;

	ep->cnt.fragments++;
	m->l2_len = k->l2_len;
	m->l3_len = k->l3_len;
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, k->l2_len);
	r = rte_ipv4_frag_reassemble_packet(ep->frags, &ep->dr, m, tsc, ip);
	if (r == NULL)
		return NULL;		/* kept for now, or dropped */
	ep->cnt.reassembled++;
	if (r->nb_segs > 1 && rte_pktmbuf_linearize(r) < 0) {
		ep->cnt.reasm_oversize++;
		rte_pktmbuf_free(r);
		return NULL;
	}
	/* Each fragment's IP header was checked; reassembly rewrote the
	 * first one's and zeroed its checksum. The UDP checksum covers the
	 * whole datagram: check it now. */
	if (dpt_net_parse(rte_pktmbuf_mtod(r, const uint8_t *), r->data_len,
			  &ep->ifc, DPT_NET_RX_IP_CSUM_GOOD, out) !=
	    DPT_NET_UDP) {
		ep->cnt.drops[out->drop]++;
		rte_pktmbuf_free(r);
		return NULL;
	}
	return r;
}

bool
eth_echo_allowed(struct eth_priv *ep, const void *addr, size_t len)
{
	if (dpt_rate_allow(ep->echo_rate, addr, len,
			   rte_rdtsc() / (ep->tsc_hz / 1000000)))
		return true;
	ep->cnt.echo_limited++;
	return false;
}

/* Every fragment reassembly let go (table full, expired, overlapping,
 * too many) lands on the death row: count them as they are freed. */
static void
frags_reap(struct eth_priv *ep, uint64_t tsc)
{
	rte_ip_frag_table_del_expired_entries(ep->frags, &ep->dr, tsc);
	ep->cnt.frag_dropped += ep->dr.cnt;
	rte_ip_frag_free_death_row(&ep->dr, 3);
}

/* An ARP request for our address: the frame turned into the reply, on
 * the TX lcore's control ring. */
static void
answer_arp(struct eth_priv *ep, struct rte_mbuf *mb,
	   const struct dpt_net_pkt *k)
{
	size_t len = dpt_net_arp_reply(rte_pktmbuf_mtod(mb, uint8_t *),
				       mb->data_len, mb->data_len +
				       rte_pktmbuf_tailroom(mb), k, &ep->ifc);

	ep->cnt.arp_replies += len != 0;
	eth_ctl_reply(ep, mb, len);
}

/* An ICMP echo request to our address: the reply, within the rate. */
static void
answer_echo(struct eth_priv *ep, struct rte_mbuf *mb,
	    const struct dpt_net_pkt *k)
{
	size_t len;

	if (!eth_echo_allowed(ep, &k->src_ip, 4)) {
		rte_pktmbuf_free(mb);
		return;
	}
	len = dpt_net_icmp_echo_reply(rte_pktmbuf_mtod(mb, uint8_t *),
				      mb->data_len, k);
	ep->cnt.icmp_echo += len != 0;
	eth_ctl_reply(ep, mb, len);
}

static uint16_t
eth_rx_burst(struct dpt_port *p, uint16_t q, struct rte_mbuf **out,
	     uint16_t n)
{
	struct eth_priv *ep = p->priv;
	struct rte_mbuf *m[ETH_RX_BURST];
	uint16_t nb, i, got = 0;
	uint64_t tsc = rte_rdtsc();

	RTE_BUILD_BUG_ON(ETH_RX_BURST > RTE_IP_FRAG_DEATH_ROW_LEN);
	nb = rte_eth_rx_burst(ep->port_id, q, m, RTE_MIN(n, RTE_DIM(m)));
	/* Frames, as TX counts them (and the kernel and NICs do): every one
	 * that came in, whole, whatever becomes of it. */
	p->cnt.rx_pkts += nb;
	for (i = 0; i < nb; i++) {
		struct rte_mbuf *mb = m[i];
		struct dpt_net_pkt k;

		p->cnt.rx_bytes += mb->pkt_len;
		if (mb->nb_segs > 1 && rte_pktmbuf_linearize(mb) < 0) {
			ep->cnt.multiseg++;
			rte_pktmbuf_free(mb);
			continue;
		}
		switch (dpt_net_parse(rte_pktmbuf_mtod(mb, uint8_t *),
				      mb->data_len, &ep->ifc,
				      dpt_net_rx_flags(mb->ol_flags) & ep->rx_flags_ok,
				      &k)) {
		case DPT_NET_UDP:
		case DPT_NET_UDP6:
			deliver(p, q, mb, &k, tsc);
			out[got++] = mb;
			break;
		case DPT_NET_ND_SOLICIT:
		case DPT_NET_ICMP6_ECHO:
			eth6_answer(ep, mb, &k);
			break;
		case DPT_NET_IPV4_FRAGMENT:
			mb = reassemble(p, ep, mb, &k, tsc, &k);
			if (mb != NULL) {
				deliver(p, q, mb, &k, tsc);
				out[got++] = mb;
			}
			break;
		case DPT_NET_ARP_REQUEST:
			answer_arp(ep, mb, &k);
			break;
		case DPT_NET_ICMP_ECHO:
			answer_echo(ep, mb, &k);
			break;
		case DPT_NET_DROP:
			ep->cnt.drops[k.drop]++;
			p->cnt.rx_errors++;
			rte_pktmbuf_free(mb);
			break;
		default:
			ep->cnt.other++;
			rte_pktmbuf_free(mb);
			break;
		}
	}
	frags_reap(ep, tsc);
	ep->cnt.udp_rx += got;
	return got;
}

/* ICMP or ICMPv6 port unreachable for a datagram no worker owns:
 * rate-limited, the two families together. */
static void
eth_unreachable(struct dpt_port *p, struct rte_mbuf *m)
{
	struct eth_priv *ep = p->priv;
	const struct dpt_pkt_meta *meta = dpt_meta(m);
	uint64_t tsc = rte_rdtsc();
	const uint8_t *frame;
	struct dpt_net_pkt k;
	struct rte_mbuf *r;
	size_t len = 0;

	if (rte_pktmbuf_data_len(m) + meta->hdr_len > m->buf_len ||
	    !dpt_rate_allow(ep->unreach_rate, NULL, 0,
			    tsc / (ep->tsc_hz / 1000000))) {
		ep->cnt.unreach_limited++;
		rte_pktmbuf_free(m);
		return;
	}
	frame = rte_pktmbuf_mtod(m, const uint8_t *) - meta->hdr_len;
	r = rte_pktmbuf_alloc(ep->pool);
	if (r != NULL)
		dpt_net_parse(frame, meta->hdr_len + m->data_len, &ep->ifc,
			      DPT_NET_RX_IP_CSUM_GOOD | DPT_NET_RX_L4_CSUM_GOOD,
			      &k);
	if (r != NULL && k.kind == DPT_NET_UDP) {
		len = dpt_net_icmp_port_unreach(rte_pktmbuf_mtod(r, uint8_t *),
						rte_pktmbuf_tailroom(r), frame,
						&k, &ep->ifc);
		ep->cnt.icmp_unreach += len != 0;
	} else if (r != NULL && k.kind == DPT_NET_UDP6) {
		len = dpt_net_icmp6_port_unreach(
			rte_pktmbuf_mtod(r, uint8_t *),
			rte_pktmbuf_tailroom(r), frame, &k, &ep->ifc);
		ep->cnt.icmp6_unreach += len != 0;
	}
	if (len != 0) {
		r->data_len = (uint16_t)len;
		r->pkt_len = (uint32_t)len;
		eth_ctl_push(ep, r);
		r = NULL;
	}
	rte_pktmbuf_free(r);
	rte_pktmbuf_free(m);
}

static uint16_t
eth_tx_burst(struct dpt_port *p, uint16_t q, struct rte_mbuf **m, uint16_t n)
{
	struct eth_priv *ep = p->priv;
	uint16_t ok = n, sent, i;

	if (ep->tx_prepare)
		ok = rte_eth_tx_prepare(ep->port_id, q, m, n);
	sent = rte_eth_tx_burst(ep->port_id, q, m, ok);
	for (i = 0; i < sent; i++)
		p->cnt.tx_bytes += m[i]->pkt_len;
	p->cnt.tx_pkts += sent;
	if (ok < n && sent == ok) {
		/* rte_eth_tx_prepare refused m[ok]: it will never go. */
		p->cnt.tx_errors++;
		rte_pktmbuf_free(m[ok]);
		sent++;
	}
	return sent;
}

/* The one's-complement sum of an mbuf chain's payload, in wire order. */
static uint16_t
chain_sum(const struct rte_mbuf *m)
{
	uint32_t sum = 0;
	bool odd = false;

	for (; m != NULL; m = m->next) {
		uint32_t s = dpt_net_sum(rte_pktmbuf_mtod(m, const void *),
					 m->data_len);

		if (odd)	/* this segment starts mid-word */
			s = ((s & 0xff) << 8) | (s >> 8);
		sum += s;
		odd ^= m->data_len & 1;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static int
eth_encap(struct dpt_port *p, struct rte_mbuf *m)
{
	struct eth_priv *ep = p->priv;
	const struct dpt_pkt_meta *meta = dpt_meta(m);
	struct dpt_net_udp4 a;
	uint16_t hl = (uint16_t)dpt_net_udp4_hdr_len(meta->vlan);
	uint16_t plen = (uint16_t)m->pkt_len;
	uint16_t sum = (ep->tx_flags & DPT_NET_TX_UDP_CSUM) ? 0 :
		       (meta->flags & DPT_META_SUM) ? meta->payload_sum :
		       chain_sum(m);
	uint8_t *hdr;

	if (meta->family == AF_INET6)
		return eth6_encap(ep, m, sum);

	a.src_mac = ep->ifc.mac;
	a.dst_mac = meta->peer_mac;
	a.vlan = meta->vlan;
	memcpy(&a.src_ip, meta->server_ip, 4);
	memcpy(&a.dst_ip, meta->client_ip, 4);
	a.src_port = meta->server_port;
	a.dst_port = meta->client_port;
	a.ip_id = 0;		/* DF datagrams: any id will do (RFC 6864) */
	hdr = (uint8_t *)rte_pktmbuf_prepend(m, hl);
	if (hdr == NULL)
		return -ENOSPC;
	dpt_net_udp4_encap(hdr, &a, plen, sum, ep->tx_flags);
	if (ep->tx_flags != 0) {
		m->l2_len = (uint64_t)hl - sizeof(struct rte_ipv4_hdr) -
			    sizeof(struct rte_udp_hdr);
		m->l3_len = sizeof(struct rte_ipv4_hdr);
		m->ol_flags |= RTE_MBUF_F_TX_IPV4;
		if (ep->tx_flags & DPT_NET_TX_IP_CSUM)
			m->ol_flags |= RTE_MBUF_F_TX_IP_CKSUM;
		if (ep->tx_flags & DPT_NET_TX_UDP_CSUM)
			m->ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM;
	}
	return 0;
}

static uint16_t
eth_ctl_dequeue(struct dpt_port *p, struct rte_mbuf **m, uint16_t n)
{
	struct eth_priv *ep = p->priv;

	return (uint16_t)rte_ring_sc_dequeue_burst(ep->ctl, (void **)m, n,
						   NULL);
}

static void
eth_close(struct dpt_port *p)
{
	struct eth_priv *ep = p->priv;
	struct rte_mbuf *m;

	if (ep == NULL) {
		rte_free(p);
		return;
	}
	if (ep->ctl != NULL) {
		while (rte_ring_dequeue(ep->ctl, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(ep->ctl);
	}
	if (ep->frags != NULL) {
		rte_ip_frag_table_destroy(ep->frags);
		rte_ip_frag_free_death_row(&ep->dr, 0);
	}
	if (ep->started && ep->xdp != DPT_XDP_OFF) {
		struct rte_mbuf *none[1];

		/* net_af_xdp frees what it sent at its next burst only: an
		 * empty one gives the last replies' mbufs back. */
		rte_eth_tx_burst(ep->port_id, DPT_PORT_TXQ, none, 0);
	}
	if (ep->started)
		rte_eth_dev_stop(ep->port_id);
	rte_eth_dev_close(ep->port_id);
	if (ep->probed)		/* what we plugged in, we unplug */
		rte_eal_hotplug_remove("vdev", ep->ethdev_name);
	rte_free(ep->unreach_rate);
	rte_free(ep->echo_rate);
	rte_free(ep);
	rte_free(p);
}

static const struct dpt_port_ops eth_ops = {
	.name = "ethdev",
	.rx_burst = eth_rx_burst,
	.tx_burst = eth_tx_burst,
	.encap = eth_encap,
	.ctl_dequeue = eth_ctl_dequeue,
	.unreachable = eth_unreachable,
	.stats = eth_stats,
	.close = eth_close,
	.info = eth_info,
	.xstats = eth_xstats,
	.clear = eth_clear,
	.watch = eth_watch,
};

unsigned int
dpt_port_ethdev_tx_flags(const struct dpt_port *p)
{
	const struct eth_priv *ep = p->priv;

	return ep->tx_flags;
}

static void
send_garp(struct eth_priv *ep)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(ep->pool);
	size_t len;

	if (m == NULL)
		return;
	len = dpt_net_garp(rte_pktmbuf_mtod(m, uint8_t *),
			   rte_pktmbuf_tailroom(m), &ep->ifc);
	if (len == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	eth_ctl_push(ep, m);
}

/*
 * The reassembly table. librte_ip_frag says "allocated N bytes" at INFO
 * under USER1, the application's own log type, which no --log-level of
 * ours reaches: a stray line at every start. It is said at our debug
 * level only.
 */
static struct rte_ip_frag_tbl *
frag_table_create(uint32_t max, uint64_t hz)
{
	int level = rte_log_get_level(RTE_LOGTYPE_USER1);
	struct rte_ip_frag_tbl *t;

	if (!rte_log_can_log(dpt_port_logtype, RTE_LOG_DEBUG) && level >= 0 &&
	    level > (int)RTE_LOG_NOTICE)
		rte_log_set_level(RTE_LOGTYPE_USER1, RTE_LOG_NOTICE);
	t = rte_ip_frag_table_create(rte_align32pow2(max), FRAG_PER_BUCKET,
				     max, hz / 1000 * FRAG_TTL_MS,
				     rte_socket_id());
	if (level >= 0)
		rte_log_set_level(RTE_LOGTYPE_USER1, (uint32_t)level);
	return t;
}

struct dpt_port *
dpt_port_ethdev_open(const struct dpt_conf *conf,
		     const struct dpt_conf_iface *ifc, uint16_t id,
		     struct rte_mempool *pool, char *err, size_t errlen)
{
	struct dpt_port *p = rte_zmalloc("dpt_port", sizeof(*p), 0);
	struct eth_priv *ep = rte_zmalloc("dpt_eth", sizeof(*ep),
					  RTE_CACHE_LINE_SIZE);
	char name[RTE_RING_NAMESIZE];
	uint64_t hz = rte_get_tsc_hz();

	if (p == NULL || ep == NULL) {
		rte_free(p);
		rte_free(ep);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->ops = &eth_ops;
	p->priv = ep;
	p->id = id;
	p->listen_port = conf->listen.port;
	snprintf(p->name, sizeof(p->name), "%s", ifc->name);
	ep->pool = pool;
	ep->tsc_hz = hz;
	ep->ifc.ip = ifc->ip.s_addr;
	ep->ifc.prefix = ifc->prefix;
	ep->ifc.vlan = ifc->vlan;
	memcpy(ep->ifc.ip6, &ifc->ip6, sizeof(ep->ifc.ip6));
	ep->ifc.prefix6 = ifc->prefix6;
	if (eth_find_port(ep, ifc, id, err, errlen) < 0) {
		rte_free(ep);
		rte_free(p);
		return NULL;
	}
	if (eth_setup_port(p, ep, ifc, pool, err, errlen) < 0)
		goto fail;
	snprintf(name, sizeof(name), "dpt_ctl_%u", id);
	ep->ctl = rte_ring_create(name, CTL_RING, rte_socket_id(),
				  RING_F_SP_ENQ | RING_F_SC_DEQ);
	/* Each datagram in the table holds up to MAX_FRAG mbufs. */
	ep->frag_max = pool->size / ETH_FRAG_POOL_SHARE /
		       (conf->n_ifaces > 1 ? conf->n_ifaces : 1) /
		       RTE_LIBRTE_IP_FRAG_MAX_FRAG;
	if (ep->frag_max < 16)
		ep->frag_max = 16;
	ep->frags = frag_table_create(ep->frag_max, hz);
	ep->unreach_rate = rte_malloc("dpt_unreach", sizeof(struct dpt_rate),
				      0);
	ep->echo_rate = rte_malloc("dpt_echo", sizeof(struct dpt_rate), 0);
	if (ep->ctl == NULL || ep->frags == NULL || ep->unreach_rate == NULL ||
	    ep->echo_rate == NULL) {
		snprintf(err, errlen, "%s: out of memory", ifc->name);
		goto fail;
	}
	dpt_rate_init(ep->unreach_rate, 0, UNREACH_PER_S);
	dpt_rate_init(ep->echo_rate, conf->reply_limit,
		      conf->reply_limit_total);
	send_garp(ep);
	eth6_start(ep);
	eth_kernel_addr_check(ep, ifc->name);
	return p;
fail:
	eth_close(p);
	return NULL;
}
