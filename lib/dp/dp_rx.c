/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The RX lcore: polls every port queue in bursts and steers each datagram
 * to one worker's ring. Requests (to the listening port) go where the
 * balance strategy says, except that a request from a client address and
 * port seen lately follows the one before (the affinity table): a copy
 * meets its first, a new request the session it ends; everything else
 * goes to the owner of its session port.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_hash_crc.h>

#include "dp_internal.h"

/* How long a client address and port stays with its worker after its
 * last request: a request is a copy or a new one only to the worker that
 * holds the session before it (lib/dp/dp_session.c), so the memory must
 * outlast most transfers. */
#define AFFINITY_TTL_S 120

static unsigned int
steer_request(struct dpt_dp *dp, struct dp_rx *rx,
	      const struct dpt_pkt_meta *m, uint64_t tsc)
{
	uint32_t h = rte_hash_crc(m->client_ip, 16,
				  rte_hash_crc_4byte(m->client_port, 0));
	struct dp_affinity *b = &rx->affinity[h & rx->affinity_mask];
	unsigned int i, victim = 0, w;

	for (i = 0; i < DP_AFFINITY_WAYS; i++) {
		if (b->way[i].expires > tsc &&
		    b->way[i].cport == m->client_port &&
		    memcmp(b->way[i].ip, m->client_ip, 16) == 0 &&
		    b->way[i].worker < dp->n_workers) {
			w = b->way[i].worker;
			b->way[i].expires = tsc + AFFINITY_TTL_S * dp->tsc_hz;
			goto out;
		}
		if (b->way[i].expires < b->way[victim].expires)
			victim = i;	/* expired or oldest: replaced */
	}
	w = dp_balance_pick(dp, rx, m);
	memcpy(b->way[victim].ip, m->client_ip, 16);
	b->way[victim].cport = m->client_port;
	b->way[victim].worker = (uint8_t)w;
	b->way[victim].expires = tsc + AFFINITY_TTL_S * dp->tsc_hz;
out:
	rx->steered[w]++;	/* matched by the worker's requests_seen */
	return w;
}

static void
flush(struct dpt_dp *dp, struct dp_rx *rx, unsigned int w)
{
	unsigned int n = rx->n_buf[w], sent;

	if (n == 0)
		return;
	sent = rte_ring_sp_enqueue_burst(dp->workers[w].rx_ring,
					 (void **)rx->buf[w], n, NULL);
	if (sent != 0)
		dp_bell_ring(dp->workers[w].bell);
	if (sent < n) {
		DP_STAT_ADD(rx->st.rx_ring_full, n - sent);
		rte_pktmbuf_free_bulk(&rx->buf[w][sent], n - sent);
	}
	rx->n_buf[w] = 0;
}

static unsigned int
poll_queue(struct dpt_dp *dp, struct dp_rx *rx, struct dpt_port *p,
	   uint16_t q, uint64_t tsc)
{
	struct rte_mbuf *m[DP_BURST];
	uint16_t n, i;

	n = p->ops->rx_burst(p, q, m, DP_BURST);
	for (i = 0; i < n; i++) {
		const struct dpt_pkt_meta *meta = dpt_meta(m[i]);
		unsigned int w;

		if (meta->server_port != dp->listen_port)
			w = dp->owner[meta->server_port];
		else if (dp->single_port)	/* all of a session, one worker */
			w = rte_hash_crc(meta->client_ip, 16,
					 meta->client_port) % dp->n_workers;
		else
			w = steer_request(dp, rx, meta, tsc);
		if (w == DP_NO_OWNER) {
			DP_STAT_INC(rx->st.rx_no_owner);
			if (p->ops->unreachable != NULL)
				p->ops->unreachable(p, m[i]);
			else
				rte_pktmbuf_free(m[i]);
			continue;
		}
		rx->buf[w][rx->n_buf[w]++] = m[i];
		if (rx->n_buf[w] == DP_BURST)
			flush(dp, rx, w);
	}
	DP_STAT_ADD(rx->st.rx_pkts, n);
	return n;
}

void
dp_rx_flush_all(struct dpt_dp *dp)
{
	unsigned int w;

	for (w = 0; w < dp->n_workers; w++)
		flush(dp, dp->rx, w);
}

unsigned int
dp_rx_poll(struct dpt_dp *dp)
{
	uint64_t tsc = rte_rdtsc();
	unsigned int work = 0, n;
	uint32_t backlog = 0;
	uint16_t pi, q;

	for (pi = 0; pi < dp->n_ports; pi++)
		for (q = 0; q < dp->ports[pi]->n_rxq; q++) {
			unsigned int b;

			/* A queue that fills bursts gets a few more at once:
			 * a device whose buffers run dry between polls
			 * (AF_XDP's fill ring) drops what comes meanwhile. */
			for (b = 0; b < DP_RX_BURSTS; b++) {
				n = poll_queue(dp, dp->rx, dp->ports[pi], q,
					       tsc);
				work += n;
				if (n < DP_BURST)
					break;
			}
			backlog |= n == DP_BURST || dp->ports[pi]->rx_more;
		}
	dp_rx_flush_all(dp);
	if (backlog != dp->rx->backlog)
		__atomic_store_n(&dp->rx->backlog, backlog, __ATOMIC_RELAXED);
	return work;
}

void
dp_rx_last_look(struct dpt_dp *dp)
{
	unsigned int round;

	for (round = 0; round < DP_LAST_LOOK && dp_rx_poll(dp) != 0; round++)
		;
	dp_rx_flush_all(dp);
}

static int
never_ready(void *arg)
{
	return 0;
}

int
dp_rx_main(void *arg)
{
	struct dpt_dp *dp = arg;
	struct dp_idle idle = { 0 };
	bool waits = dp->n_wait_fds != 0;

	dp_lcore_init_thread();
	while (!dp->stop_rx) {
		uint32_t us = dp_idle_next(&idle, dp->conf, dp_rx_poll(dp),
					   waits);

		if (us == 0)
			continue;
		if (waits)	/* the ports wake us when traffic comes */
			dp_wait(NULL, dp->wait_fds, dp->n_wait_fds, us,
				never_ready, NULL);
		else
			dp_idle_sleep(us);
	}
	dp_rx_last_look(dp);
	return 0;
}
