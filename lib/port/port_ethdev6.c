/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The ethdev backend's IPv6: what lib/net parsed, turned into answers on
 * the ctl ring (neighbor advertisements, echo replies) or into metadata
 * for the workers, and the headers of replies sent to IPv6 clients. The
 * listening port and the session ports are the same for both families:
 * a session is told apart by its client's address, family included.
 */

#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "port_ethdev.h"

void
eth6_start(struct eth_priv *ep)
{
	struct rte_mbuf *m;
	size_t len;
	int rc;

	dpt_net_ll6(ep->ifc.ll6, &ep->ifc.mac);
	if (ep->ifc.prefix6 == 0)
		return;
	/* A neighbor solicitation goes to a solicited-node group, which a
	 * NIC filters out unless told to take multicast. Without it,
	 * neighbours that already know our MAC (the advertisement below)
	 * still reach us; so say it, but go on. */
	rc = rte_eth_allmulticast_enable(ep->port_id);
	ep->allmulti = rc == 0;
	if (rc < 0)
		PORT_LOG(NOTICE, "%s: all-multicast refused (%s): neighbor "
			 "solicitations to our group may not arrive\n",
			 ep->ethdev_name, rte_strerror(-rc));
	m = rte_pktmbuf_alloc(ep->pool);
	if (m == NULL)
		return;
	len = dpt_net_nd_unsolicited(rte_pktmbuf_mtod(m, uint8_t *),
				     rte_pktmbuf_tailroom(m), &ep->ifc);
	if (len == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	eth_ctl_push(ep, m);
}

void
eth6_answer(struct eth_priv *ep, struct rte_mbuf *mb,
	    const struct dpt_net_pkt *k)
{
	uint8_t *frame = rte_pktmbuf_mtod(mb, uint8_t *);
	size_t len;

	if (k->kind == DPT_NET_ND_SOLICIT) {
		len = dpt_net_nd_advert(frame, mb->data_len, mb->data_len +
					rte_pktmbuf_tailroom(mb), k,
					&ep->ifc);
		ep->cnt.nd_adverts += len != 0;
	} else if (eth_echo_allowed(ep, k->src_ip6, 16)) {
		len = dpt_net_icmp6_echo_reply(frame, mb->data_len, k);
		ep->cnt.icmp6_echo += len != 0;
	} else {
		len = 0;
	}
	eth_ctl_reply(ep, mb, len);
}

void
eth6_meta(struct dpt_pkt_meta *meta, const struct dpt_net_pkt *k)
{
	meta->family = AF_INET6;
	memcpy(meta->client_ip, k->src_ip6, sizeof(meta->client_ip));
	/* Global or link-local, whichever the client used: the reply
	 * comes from it. */
	memcpy(meta->server_ip, k->dst_ip6, sizeof(meta->server_ip));
}

int
eth6_encap(const struct eth_priv *ep, struct rte_mbuf *m, uint16_t sum)
{
	const struct dpt_pkt_meta *meta = dpt_meta(m);
	uint16_t hl = (uint16_t)dpt_net_udp6_hdr_len(meta->vlan);
	uint16_t plen = (uint16_t)m->pkt_len;
	struct dpt_net_udp6 a;
	uint8_t *hdr;

	a.src_mac = ep->ifc.mac;
	a.dst_mac = meta->peer_mac;
	a.vlan = meta->vlan;
	memcpy(a.src_ip, meta->server_ip, sizeof(a.src_ip));
	memcpy(a.dst_ip, meta->client_ip, sizeof(a.dst_ip));
	a.src_port = meta->server_port;
	a.dst_port = meta->client_port;
	hdr = (uint8_t *)rte_pktmbuf_prepend(m, hl);
	if (hdr == NULL)
		return -ENOSPC;
	dpt_net_udp6_encap(hdr, &a, plen, sum, ep->tx_flags);
	/* IPv6 has no header checksum: only UDP's is the NIC's to do. */
	if (ep->tx_flags & DPT_NET_TX_UDP_CSUM) {
		m->l2_len = (uint64_t)hl - sizeof(struct rte_ipv6_hdr) -
			    sizeof(struct rte_udp_hdr);
		m->l3_len = sizeof(struct rte_ipv6_hdr);
		m->ol_flags |= RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_UDP_CKSUM;
	}
	return 0;
}

void
eth6_info(const struct eth_priv *ep, FILE *f)
{
	char a[INET6_ADDRSTRLEN], ll[INET6_ADDRSTRLEN];

	if (ep->ifc.prefix6 == 0)
		return;
	inet_ntop(AF_INET6, ep->ifc.ip6, a, sizeof(a));
	inet_ntop(AF_INET6, ep->ifc.ll6, ll, sizeof(ll));
	fprintf(f, "Address6: %s/%u\nLink-local: %s\nAll-multicast: %s\n", a,
		ep->ifc.prefix6, ll, ep->allmulti ? "on" : "refused");
}
