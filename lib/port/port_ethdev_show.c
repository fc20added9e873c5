/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What the ethdev backend shows the console (`show port stats`, `info`,
 * `xstats`) and how `clear port stats` zeroes it. Main lcore: the RX lcore
 * keeps writing the counters, so they are read whole, never reset, and a
 * clear keeps baselines to subtract.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>

#include <rte_ethdev.h>

#include "port_ethdev.h"

/* The RX lcore's counters, less the baseline unless lifetime, read as
 * eth_stats shows them. */
static void
eth_counters_get(const struct eth_priv *ep, struct eth_counters *out,
		 bool lifetime)
{
	const uint64_t *src = (const uint64_t *)&ep->cnt;
	const uint64_t *base = (const uint64_t *)&ep->base;
	uint64_t *dst = (uint64_t *)out;
	size_t i;

	for (i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED) -
			 (lifetime ? 0 : base[i]);
}

void
eth_stats(struct dpt_port *p, FILE *f, bool lifetime)
{
	struct eth_priv *ep = p->priv;
	struct eth_counters cnt;
	const struct eth_counters *c = &cnt;
	struct rte_eth_stats ds;
	int d;

	eth_counters_get(ep, &cnt, lifetime);
	fprintf(f, "Ethdev: %s\nMTU: %u\nTX-checksum-offload: %s%s\n",
		ep->ethdev_name, p->mtu,
		(ep->tx_flags & DPT_NET_TX_IP_CSUM) ? "ip " : "",
		(ep->tx_flags & DPT_NET_TX_UDP_CSUM) ? "udp" : "none");
	/* What the device dropped before we could poll it: a NIC's full RX
	 * ring, AF_PACKET's (tp_drops), AF_XDP's. */
	if (rte_eth_stats_get(ep->port_id, &ds) == 0)
		fprintf(f, "RX-missed: %llu\n", (unsigned long long)ds.imissed);
	fprintf(f, "ARP-replies: %llu\nICMP-echo-replies: %llu\n"
		"ICMP-unreachable: %llu\nICMP-unreachable-limited: %llu\n"
		"IP-fragments: %llu\nIP-reassembled: %llu\nMultiseg-drops: %llu\n"
		"Not-for-us: %llu\nCtl-ring-full: %llu\n",
		(unsigned long long)c->arp_replies,
		(unsigned long long)c->icmp_echo,
		(unsigned long long)c->icmp_unreach,
		(unsigned long long)c->unreach_limited,
		(unsigned long long)c->fragments,
		(unsigned long long)c->reassembled,
		(unsigned long long)c->multiseg, (unsigned long long)c->other,
		(unsigned long long)c->ctl_full);
	fprintf(f, "ND-adverts: %llu\nICMPv6-echo-replies: %llu\n"
		"ICMPv6-unreachable: %llu\n",
		(unsigned long long)c->nd_adverts,
		(unsigned long long)c->icmp6_echo,
		(unsigned long long)c->icmp6_unreach);
	fprintf(f, "Echo-limited: %llu\nFragments-dropped: %llu\n"
		"Reassembled-oversize: %llu\nReassembly-max: %u\n",
		(unsigned long long)c->echo_limited,
		(unsigned long long)c->frag_dropped,
		(unsigned long long)c->reasm_oversize, ep->frag_max);
	eth_xdp_stats(ep, f);
	for (d = 1; d < DPT_NET_DROP_COUNT; d++)
		fprintf(f, "Drop-%s: %llu\n", dpt_net_drop_name(d),
			(unsigned long long)c->drops[d]);
}

/* DPDK 22.11 names no hash function: testpmd's names for ours. */
static const struct {
	uint64_t bit;
	const char *name;
} rss_names[] = {
	{ RTE_ETH_RSS_IPV4, "ipv4" },
	{ RTE_ETH_RSS_FRAG_IPV4, "ipv4-frag" },
	{ RTE_ETH_RSS_NONFRAG_IPV4_UDP, "ipv4-udp" },
	{ RTE_ETH_RSS_NONFRAG_IPV4_OTHER, "ipv4-other" },
	{ RTE_ETH_RSS_IPV6, "ipv6" },
	{ RTE_ETH_RSS_FRAG_IPV6, "ipv6-frag" },
	{ RTE_ETH_RSS_NONFRAG_IPV6_UDP, "ipv6-udp" },
	{ RTE_ETH_RSS_NONFRAG_IPV6_OTHER, "ipv6-other" },
	{ RTE_ETH_RSS_IPV6_EX, "ipv6-ex" },
	{ RTE_ETH_RSS_IPV6_UDP_EX, "ipv6-udp-ex" },
};

/* `RSS-hash: ipv4 ipv4-udp ...` as configured, or none (one queue, or a
 * device that spreads flows its own way, as net_af_packet does). */
static void
rss_info(const struct eth_priv *ep, FILE *f)
{
	uint64_t left = ep->rss_hf;
	size_t i;

	fprintf(f, "RSS-hash:");
	for (i = 0; i < RTE_DIM(rss_names); i++) {
		if (left & rss_names[i].bit)
			fprintf(f, " %s", rss_names[i].name);
		left &= ~rss_names[i].bit;
	}
	if (left != 0)
		fprintf(f, " 0x%" PRIx64, left);
	fprintf(f, "%s\n", ep->rss_hf == 0 ? " none" : "");
}

void
eth_info(struct dpt_port *p, FILE *f)
{
	struct eth_priv *ep = p->priv;
	struct rte_eth_dev_info info;
	struct rte_eth_link link;
	char mac[RTE_ETHER_ADDR_FMT_SIZE], ip[INET_ADDRSTRLEN], a[32];

	rte_ether_format_addr(mac, sizeof(mac), &ep->ifc.mac);
	inet_ntop(AF_INET, &ep->ifc.ip, ip, sizeof(ip));
	snprintf(a, sizeof(a), "%s/%u", ip, ep->ifc.prefix);
	fprintf(f, "Ethdev: %s\nDriver: %s\nMAC: %s\nAddress: %s\n"
		"VLAN: %u\n", ep->ethdev_name,
		rte_eth_dev_info_get(ep->port_id, &info) == 0 ?
		info.driver_name : "unknown", mac,
		ep->ifc.prefix != 0 ? a : "none", ep->ifc.vlan);
	rss_info(ep, f);
	eth6_info(ep, f);
	eth_xdp_info(ep, f);
	/* Over a Linux interface, the kernel's link: net_af_packet's is
	 * always up. */
	if (ep->kif[0] != '\0')
		fprintf(f, "Link: %s\nLink-interface: %s\n",
			eth_link_name(eth_kernel_link(ep)), ep->kif);
	else if (rte_eth_link_get_nowait(ep->port_id, &link) == 0)
		fprintf(f, "Link: %s\nLink-speed: %s\n",
			link.link_status ? "up" : "down",
			rte_eth_link_speed_to_str(link.link_speed));
}

/* `name: value` for every xstat the PMD has; malloc is fine on main. */
void
eth_xstats(struct dpt_port *p, FILE *f)
{
	struct eth_priv *ep = p->priv;
	struct rte_eth_xstat_name *names = NULL;
	struct rte_eth_xstat *vals = NULL;
	int n = rte_eth_xstats_get_names(ep->port_id, NULL, 0), i;

	if (n > 0) {
		names = calloc((size_t)n, sizeof(*names));
		vals = calloc((size_t)n, sizeof(*vals));
	}
	if (n < 0 || (n > 0 && (names == NULL || vals == NULL ||
	    rte_eth_xstats_get_names(ep->port_id, names, (unsigned)n) != n ||
	    rte_eth_xstats_get(ep->port_id, vals, (unsigned)n) != n))) {
		fprintf(f, "xstats: unavailable (%s)\n",
			rte_strerror(n < 0 ? -n : EIO));
		n = 0;
	}
	for (i = 0; i < n; i++)
		if (vals[i].id < (uint64_t)n)
			fprintf(f, "%s: %" PRIu64 "\n", names[vals[i].id].name,
				vals[i].value);
	free(names);
	free(vals);
}

/* Baselines for our counters; the PMD's are its own to reset (testpmd
 * resets them while forwarding too). */
void
eth_clear(struct dpt_port *p)
{
	struct eth_priv *ep = p->priv;
	const uint64_t *src = (const uint64_t *)&ep->cnt;
	uint64_t *base = (uint64_t *)&ep->base;
	size_t i;

	dpt_port_counters_rebase(p);
	for (i = 0; i < sizeof(ep->cnt) / sizeof(uint64_t); i++)
		base[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	rte_eth_stats_reset(ep->port_id);
	rte_eth_xstats_reset(ep->port_id);
}
