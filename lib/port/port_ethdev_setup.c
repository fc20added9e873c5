/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Bringing an ethdev port up: finding it (or hot-plugging net_af_packet
 * over a Linux interface), configuring it the way DPDK's examples do
 * (capabilities masked against dev_info, descriptor counts adjusted) with
 * --rx-queues RX queues, and starting it. Several RX queues are spread by
 * RSS where the device hashes; net_af_packet hashes in the kernel instead
 * (PACKET_FANOUT), one socket per queue. The one RX lcore polls every
 * queue, so nothing downstream changes. The one TX lcore sends on queue 0
 * only, but TX queues are set up in pairs with the RX ones as far as the
 * device has them: net_tap refuses counts that differ, and an idle TX
 * queue holds no mbuf.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include "port_ethdev.h"

/* What a reply or a request may ask of the NIC: checksums both ways, and
 * chains on TX for zero-copy DATA. */
#define WANT_RX (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM)
#define WANT_TX (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | \
		 RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
/* A session is a UDP flow: hash on its addresses and ports. */
#define WANT_RSS (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP)

static uint16_t
rx_queues(const struct dpt_conf_iface *ifc)
{
	return ifc->rx_queues != 0 ? ifc->rx_queues : 1;
}

uint32_t
dpt_port_ethdev_mbufs(const struct dpt_conf *conf)
{
	uint32_t n = 0;
	unsigned int i;

	if (conf->backend != DPT_BACKEND_ETHDEV)
		return 0;
	/* Only TX queue 0 sends: the idle ones hold nothing. An AF_XDP
	 * queue's fill ring holds ETH_XDP_FILL mbufs of the pool, and its TX
	 * ring, its completions not yet reaped, up to as many. */
	for (i = 0; i < conf->n_ifaces && i < DPT_CONF_MAX_IFACES; i++)
		n += conf->ifaces[i].xdp != DPT_XDP_OFF ?
		     rx_queues(&conf->ifaces[i]) * 2 * ETH_XDP_FILL :
		     rx_queues(&conf->ifaces[i]) * DPT_PORT_ETH_RXD +
		     DPT_PORT_ETH_TXD;
	return n;
}

int
eth_find_port(struct eth_priv *ep, const struct dpt_conf_iface *ifc,
	      uint16_t id, char *err, size_t errlen)
{
	char devargs[192];
	int rc;

	if (rte_eth_dev_get_port_by_name(ifc->name, &ep->port_id) == 0) {
		snprintf(ep->ethdev_name, sizeof(ep->ethdev_name), "%s",
			 ifc->name);
		return 0;
	}
	/* A Linux interface: up, or we say why not (a down one would serve
	 * nobody while we print `ready`). */
	rc = eth_kernel_up(ep, ifc->name, err, errlen);
	if (rc < 0)
		return rc;
	if (ifc->xdp != DPT_XDP_OFF)
		return eth_xdp_probe(ep, ifc, id, err, errlen);
	snprintf(ep->ethdev_name, sizeof(ep->ethdev_name), "net_af_packet%u",
		 id);
	/* A socket per queue pair, in one fanout group: the kernel's hash
	 * spreads flows across our RX queues. Rings of ETH_AFP_FRAMES frames
	 * (the PMD's 512 drop the ACKs of a few thousand clients answering
	 * at once while the RX lcore shares its CPU). */
	snprintf(devargs, sizeof(devargs), "%s,iface=%s,qpairs=%u,"
		 "framecnt=%u", ep->ethdev_name, ifc->name, rx_queues(ifc),
		 ETH_AFP_FRAMES);
	rc = rte_dev_probe(devargs);
	if (rc < 0 || rte_eth_dev_get_port_by_name(ep->ethdev_name,
						   &ep->port_id) != 0) {
		snprintf(err, errlen, "%s: no DPDK port of that name, and "
			 "AF_PACKET on it failed%s%s (does the interface "
			 "exist? are we root?)", ifc->name, rc < -1 ? ": " : "",
			 rc < -1 ? rte_strerror(-rc) : "");
		return rc < 0 ? rc : -ENODEV;
	}
	ep->probed = true;
	return 0;
}

/*
 * The device configuration for ifc: offloads it offers, the MTU, and RSS
 * when there are several RX queues and the device hashes what we want. A
 * device without RSS (net_af_packet, net_ring) still gets its queues: it
 * spreads them its own way, or the caller fills them.
 */
static int
eth_conf_make(struct eth_priv *ep, const struct dpt_conf_iface *ifc,
	      const struct rte_eth_dev_info *info, struct rte_eth_conf *conf,
	      char *err, size_t errlen)
{
	uint16_t n = rx_queues(ifc);

	if (n > info->max_rx_queues) {
		snprintf(err, errlen, "%s (%s): %u RX queues asked, the device "
			 "has at most %u", ifc->name, ep->ethdev_name, n,
			 info->max_rx_queues);
		return -EINVAL;
	}
	memset(conf, 0, sizeof(*conf));
	conf->rxmode.offloads = WANT_RX & info->rx_offload_capa;
	conf->txmode.offloads = WANT_TX & info->tx_offload_capa;
	if (ifc->mtu != 0)
		conf->rxmode.mtu = ifc->mtu;
	ep->rss_hf = 0;
	if (n > 1)
		ep->rss_hf = WANT_RSS & info->flow_type_rss_offloads;
	if (ep->rss_hf != 0) {
		conf->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf->rx_adv_conf.rss_conf.rss_key = NULL; /* the PMD's */
		conf->rx_adv_conf.rss_conf.rss_hf = ep->rss_hf;
	}
	return 0;
}

/* Every RX queue on the one pool (descriptors counted in
 * dpt_port_ethdev_mbufs), then the TX queues. Returns 0, or a negative
 * errno with *what set. */
static int
eth_queues_setup(struct eth_priv *ep, uint16_t n_rxq, uint16_t n_txq,
		 const struct rte_eth_dev_info *info,
		 const struct rte_eth_conf *conf, struct rte_mempool *pool,
		 const char **what)
{
	uint16_t nb_rxd = DPT_PORT_ETH_RXD, nb_txd = DPT_PORT_ETH_TXD, q;

	/* AF_XDP: an RX ring as deep as the buffers its fill ring lends, so
	 * a burst the RX lcore has not polled yet waits there, not dropped
	 * (XDP-rx-ring-full). */
	if (ep->xdp != DPT_XDP_OFF)
		nb_rxd = nb_txd = ETH_XDP_FILL;
	int socket = rte_eth_dev_socket_id(ep->port_id), rc;
	struct rte_eth_rxconf rxc = info->default_rxconf;
	struct rte_eth_txconf txc = info->default_txconf;

	if (socket < 0)
		socket = (int)rte_socket_id();
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(ep->port_id, &nb_rxd, &nb_txd);
	if (rc < 0) {
		*what = "descriptors";
		return rc;
	}
	rxc.offloads = conf->rxmode.offloads;
	for (q = 0; q < n_rxq; q++) {
		rc = rte_eth_rx_queue_setup(ep->port_id, q, nb_rxd,
					    (unsigned int)socket, &rxc, pool);
		if (rc < 0) {
			*what = "RX queue";
			return rc;
		}
	}
	txc.offloads = conf->txmode.offloads;
	for (q = 0; q < n_txq; q++) {
		rc = rte_eth_tx_queue_setup(ep->port_id, q, nb_txd,
					    (unsigned int)socket, &txc);
		if (rc < 0) {
			*what = "TX queue";
			return rc;
		}
	}
	return 0;
}

/* What the started port does for us, from what was configured. */
static void
eth_offloads_note(struct dpt_port *p, struct eth_priv *ep,
		  const struct rte_eth_conf *conf)
{
	if (conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)
		ep->rx_flags_ok |= DPT_NET_RX_IP_CSUM_GOOD;
	if (conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_UDP_CKSUM)
		ep->rx_flags_ok |= DPT_NET_RX_L4_CSUM_GOOD;
	if (conf->txmode.offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
		ep->tx_flags |= DPT_NET_TX_IP_CSUM;
	if (conf->txmode.offloads & RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
		ep->tx_flags |= DPT_NET_TX_UDP_CSUM;
	ep->tx_prepare = ep->tx_flags != 0;
	p->multi_seg = (conf->txmode.offloads &
			RTE_ETH_TX_OFFLOAD_MULTI_SEGS) != 0;
	p->needs_sum = (ep->tx_flags & DPT_NET_TX_UDP_CSUM) == 0;
}

int
eth_setup_port(struct dpt_port *p, struct eth_priv *ep,
	       const struct dpt_conf_iface *ifc, struct rte_mempool *pool,
	       char *err, size_t errlen)
{
	uint16_t n_rxq = rx_queues(ifc), n_txq, mtu;
	unsigned int in_use = rte_mempool_in_use_count(pool);
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	const char *what;
	int rc;

	rc = rte_eth_dev_info_get(ep->port_id, &info);
	if (rc < 0) {
		what = "dev_info";
		goto fail;
	}
	rc = eth_conf_make(ep, ifc, &info, &conf, err, errlen);
	if (rc < 0)
		return rc;
	n_txq = RTE_MIN(n_rxq, info.max_tx_queues);
	if (n_txq == 0)
		n_txq = 1;	/* let configure say what is wrong */
	rc = rte_eth_dev_configure(ep->port_id, n_rxq, n_txq, &conf);
	if (rc < 0) {
		what = "configure";
		goto fail;
	}
	rc = eth_queues_setup(ep, n_rxq, n_txq, &info, &conf, pool, &what);
	if (rc < 0)
		goto fail;
	if (ifc->mtu != 0 && (rc = rte_eth_dev_set_mtu(ep->port_id,
						       ifc->mtu)) < 0) {
		what = "MTU";
		goto fail;
	}
	rc = rte_eth_dev_start(ep->port_id);
	if (rc < 0) {
		what = "start";
		goto fail;
	}
	ep->started = true;
	if (rte_eth_dev_get_mtu(ep->port_id, &mtu) < 0 || mtu < 576)
		mtu = 1500;
	p->mtu = mtu;
	p->n_rxq = n_rxq;
	p->n_txq = 1;		/* the others stay idle */
	if (ep->xdp != DPT_XDP_OFF) {
		/* Its fill ring, filled at the queues' set-up, stays taken
		 * after the close: the exit's count of mbufs in use leaves
		 * them out. */
		p->mbufs_kept = rte_mempool_in_use_count(pool) - in_use;
		rc = eth_xdp_started(ep, ifc, err, errlen);
		if (rc < 0)
			return rc;
	}
	rte_eth_macaddr_get(ep->port_id, &ep->ifc.mac);
	if (rte_is_zero_ether_addr(&ep->ifc.mac)) {
		/* A device with no address of its own (net_ring, net_null):
		 * a random locally administered one, as the kernel gives a
		 * veth, since peers drop frames from 00:00:00:00:00:00. */
		rte_eth_random_addr(ep->ifc.mac.addr_bytes);
		rte_eth_dev_default_mac_addr_set(ep->port_id, &ep->ifc.mac);
	}
	eth_offloads_note(p, ep, &conf);
	return 0;
fail:
	snprintf(err, errlen, "%s (%s): %s failed: %s", ifc->name,
		 ep->ethdev_name, what, rte_strerror(-rc));
	return rc;
}
