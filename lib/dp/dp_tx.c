/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The TX lcore: drains each worker's ring and bursts to the ports. What a
 * burst does not take is offered once more, then freed and counted.
 */

#include "dp_internal.h"

static void
send_burst(struct dpt_dp *dp, struct rte_mbuf **m, uint16_t n)
{
	uint16_t i = 0;

	while (i < n) {
		uint16_t port_id = dpt_meta(m[i])->port_id, j = i + 1, sent;
		struct dpt_port *p;

		while (j < n && dpt_meta(m[j])->port_id == port_id)
			j++;
		if (port_id >= dp->n_ports) {
			DP_STAT_ADD(dp->tx_st.tx_dropped, j - i);
			rte_pktmbuf_free_bulk(m + i, j - i);
			i = j;
			continue;
		}
		p = dp->ports[port_id];
		sent = p->ops->tx_burst(p, DPT_PORT_TXQ, m + i, j - i);
		if (sent < j - i)
			sent += p->ops->tx_burst(p, DPT_PORT_TXQ, m + i + sent,
						 j - i - sent);
		DP_STAT_ADD(dp->tx_st.tx_pkts, sent);
		if (sent < j - i) {
			DP_STAT_ADD(dp->tx_st.tx_dropped, j - i - sent);
			rte_pktmbuf_free_bulk(m + i + sent, j - i - sent);
		}
		i = j;
	}
}

/* Frames the ports made themselves: ARP and ICMP replies. */
static unsigned int
send_ctl(struct dpt_dp *dp)
{
	struct rte_mbuf *m[DP_BURST];
	unsigned int work = 0;
	uint16_t pi, n, sent;

	for (pi = 0; pi < dp->n_ports; pi++) {
		struct dpt_port *p = dp->ports[pi];

		if (p->ops->ctl_dequeue == NULL)
			continue;
		n = p->ops->ctl_dequeue(p, m, DP_BURST);
		if (n == 0)
			continue;
		sent = p->ops->tx_burst(p, DPT_PORT_TXQ, m, n);
		DP_STAT_ADD(dp->tx_st.tx_pkts, sent);
		if (sent < n) {
			DP_STAT_ADD(dp->tx_st.tx_dropped, n - sent);
			rte_pktmbuf_free_bulk(m + sent, n - sent);
		}
		work += n;
	}
	return work;
}

unsigned int
dp_tx_poll(struct dpt_dp *dp)
{
	struct rte_mbuf *m[DP_BURST];
	unsigned int w, work = send_ctl(dp);

	for (w = 0; w < dp->n_workers; w++) {
		unsigned int n = rte_ring_sc_dequeue_burst(
			dp->workers[w].tx_ring, (void **)m, DP_BURST, NULL);

		if (n != 0)
			send_burst(dp, m, (uint16_t)n);
		work += n;
	}
	return work;
}

static int
tx_ready(void *arg)
{
	struct dpt_dp *dp = arg;
	unsigned int w;

	for (w = 0; w < dp->n_workers; w++)
		if (!rte_ring_empty(dp->workers[w].tx_ring))
			return 1;
	return 0;
}

int
dp_tx_main(void *arg)
{
	struct dpt_dp *dp = arg;
	struct dp_idle idle = { 0 };

	dp_lcore_init_thread();
	while (!dp->stop_tx) {
		uint32_t us = dp_idle_next(&idle, dp->conf, dp_tx_poll(dp), true);

		if (us != 0)
			dp_bell_sleep(&dp->tx_bell, us, tx_ready, dp);
	}
	while (dp_tx_poll(dp) != 0)	/* what the workers left on their way out */
		;
	return 0;
}
