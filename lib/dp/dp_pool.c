/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The mbuf pool the ports and workers share: how many mbufs the rings,
 * bursts, caches and descriptors hold, laid out back to back for AF_XDP;
 * and the largest block a reply of each family fits into one frame and
 * one mbuf.
 */

#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_udp.h>

#include "dp_internal.h"

uint32_t
dpt_dp_pool_count(const struct dpt_conf *conf, unsigned int n_workers)
{
	/* Every ring full, every worker's TX buffer and an RX burst per
	 * lcore, plus the per-lcore caches that hold mbufs out of reach,
	 * and what the ports' RX and TX descriptors hold (each RX queue of
	 * each --iface: a NIC fills them all at start). */
	return n_workers * (conf->worker_ring + conf->tx_ring + DP_TXB_MAX +
			    2 * DP_BURST) +
	       4 * DP_BURST + DPT_DP_POOL_CACHE * (n_workers + 3) + 1024 +
	       dpt_port_ethdev_mbufs(conf);
}

/*
 * net_af_xdp registers the pool's memory as its UMEM, one frame of the
 * pool's element size after another from the first object: mbufs must lie
 * back to back, with none skipped over a page boundary (the gaps a pool
 * leaves so that each mbuf is IOVA-contiguous would push the last ones
 * past the UMEM's end, and the kernel refuses them: XDP-tx-invalid). In
 * IOVA-as-VA mode any mbuf is contiguous anyway.
 */
static bool
pool_for_xdp(const struct dpt_conf *conf)
{
	unsigned int i;

	if (rte_eal_iova_mode() != RTE_IOVA_VA)
		return false;
	for (i = 0; i < conf->n_ifaces && i < DPT_CONF_MAX_IFACES; i++)
		if (conf->ifaces[i].xdp != DPT_XDP_OFF)
			return true;
	return false;
}

/*
 * The blksize ceilings of a port of this MTU, per family: the MTU less
 * the IP header (20 bytes; IPv6: 40), UDP's 8 and TFTP's 4 (for IPv4,
 * MTU - 32), 512 where the MTU says nothing, and no more than an mbuf of
 * pool holds (a copied DATA, or an upload's).
 */
void
dp_blksize_caps(uint16_t cap[2], uint16_t mtu, struct rte_mempool *pool)
{
	static const uint32_t hdrs[2] = {
		sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr) +
		DPT_TFTP_HDR_LEN,
		sizeof(struct rte_ipv6_hdr) + sizeof(struct rte_udp_hdr) +
		DPT_TFTP_HDR_LEN,
	};
	uint32_t room = rte_pktmbuf_data_room_size(pool) -
			RTE_PKTMBUF_HEADROOM - DPT_TFTP_HDR_LEN;
	unsigned int f;

	for (f = 0; f < 2; f++) {
		uint32_t c = mtu > hdrs[f] + DPT_TFTP_BLKSIZE_MIN ?
			     mtu - hdrs[f] : DPT_TFTP_BLKSIZE_DEFAULT;

		c = RTE_MIN(c, room);
		cap[f] = (uint16_t)RTE_MIN(c, (uint32_t)DPT_TFTP_BLKSIZE_MAX);
	}
}

struct rte_mempool *
dpt_dp_pool_create(const struct dpt_conf *conf, unsigned int n_workers,
		   uint16_t data_room)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = data_room,
		.mbuf_priv_size = DPT_META_SIZE,
	};
	uint32_t n = dpt_dp_pool_count(conf, n_workers);
	struct rte_mempool *mp;

	if (!pool_for_xdp(conf))
		return rte_pktmbuf_pool_create("dpt_mbuf", n,
					       DPT_DP_POOL_CACHE,
					       DPT_META_SIZE, data_room,
					       rte_socket_id());
	mp = rte_mempool_create_empty("dpt_mbuf", n, sizeof(struct rte_mbuf) +
				      DPT_META_SIZE + data_room,
				      DPT_DP_POOL_CACHE,
				      sizeof(priv), rte_socket_id(),
				      RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	if (mp == NULL)
		return NULL;
	if (rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(),
				       NULL) != 0)
		goto fail;
	rte_pktmbuf_pool_init(mp, &priv);
	if (rte_mempool_populate_default(mp) < 0 || mp->nb_mem_chunks != 1)
		goto fail;
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	return mp;
fail:
	rte_mempool_free(mp);
	rte_errno = ENOMEM;
	return NULL;
}
