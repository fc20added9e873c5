/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * A worker lcore: takes datagrams from its ring, runs their sessions,
 * answers the main lcore's file replies, fires timers, and passes replies
 * to the TX lcore. It owns its sessions outright: no locks.
 */

#include <stddef.h>

#include "dp_internal.h"

static void
on_timer(struct dp_wheel_link *l, void *arg, uint64_t now)
{
	struct dp_session *s = (struct dp_session *)
		((char *)l - offsetof(struct dp_session, tw));

	dp_session_fire(arg, s, now);
}

static inline bool
is_request(const struct rte_mbuf *m)
{
	/* The opcode is in the first segment whatever the chain. */
	return dp_is_request(rte_pktmbuf_mtod(m, const void *),
			     rte_pktmbuf_data_len(m));
}

unsigned int
dp_worker_poll(struct dp_worker *w)
{
	struct rte_mbuf *m[DP_BURST];
	void *msgs[DP_BURST];
	uint64_t now = dpt_dp_now_us();
	unsigned int n, n_all, i, r, work, rounds = 0;
	bool full;

	n = rte_ring_sc_dequeue_burst(w->rx_ring, (void **)m, DP_BURST, NULL);
	n_all = n;
more:
	for (i = 0; i < n; i++) {
		if (dpt_meta(m[i])->server_port != w->dp->listen_port) {
			dp_session_input(w, m[i], now);
		} else if (w->dp->single_port && !is_request(m[i])) {
			dp_shared_input(w, m[i], now);
		} else {
			DP_STAT_INC(w->requests_seen);
			if (unlikely(__atomic_load_n(&w->dp->draining,
						     __ATOMIC_RELAXED)))
				DP_STAT_INC(w->st.drop_draining);
			else
				dp_request(w, m[i], now);
		}
	}
	if (n != 0) {
		rte_pktmbuf_free_bulk(m, n);
		DP_STAT_ADD(w->st.pkts_in, n);
	}
	/* A full ring gets a few bursts at once, as RX hands them over. */
	full = n == DP_BURST;
	if (full && ++rounds < DP_RX_BURSTS) {
		n = rte_ring_sc_dequeue_burst(w->rx_ring, (void **)m, DP_BURST,
					      NULL);
		n_all += n;
		goto more;
	}
	r = rte_ring_sc_dequeue_burst(w->from_main, msgs, DP_BURST, NULL);
	for (i = 0; i < r; i++) {
		struct dp_msg *msg = msgs[i];

		if (msg->type == DP_MSG_OPEN)
			dp_open_reply(w, msg, now);
		else if (msg->type == DP_MSG_WRITE_FAILED ||
			 msg->type == DP_MSG_COMMITTED)
			dp_upload_reply(w, msg, now);
		else
			dp_worker_ctl(w, msg, now);
	}
	work = n_all + r;
	/*
	 * Input before timers: while input is backed up (a full burst in the
	 * ring, or the RX lcore finding full bursts), the ACK that makes a
	 * retransmission needless may be waiting in it, and a retransmission
	 * our own queue caused is pure load, and a stray datagram to a client
	 * that may have moved on. Timers wait for the input, DP_TIMER_DEFER_US
	 * at most.
	 */
	if ((!full &&
	     !__atomic_load_n(&w->dp->rx->backlog, __ATOMIC_RELAXED)) ||
	    now - w->timers_at >= DP_TIMER_DEFER_US) {
		/* A bounded batch: thousands of sessions due at once would
		 * keep RX from its queues (an AF_XDP fill ring runs dry) and
		 * send one burst the TX rings cannot hold. */
		work += dp_wheel_expire(&w->wheel, now, on_timer, w,
					DP_TIMERS_PER_POLL);
		w->timers_at = now;
	}
	dp_tx_flush(w);
	return work;
}

static int
worker_ready(void *arg)
{
	struct dp_worker *w = arg;

	return !rte_ring_empty(w->rx_ring) || !rte_ring_empty(w->from_main);
}

/*
 * RX has stopped: what it handed over still counts for transfers that
 * run (a final ACK there completes its transfer instead of failing it at
 * the stop); new requests are dropped, no session starts now. Then every
 * client still in a transfer is told, and the last replies go to TX
 * (still running). RX adds nothing to the ring any more, so this ends.
 */
void
dp_worker_shutdown(struct dp_worker *w)
{
	struct rte_mbuf *m[DP_BURST];
	uint64_t now = dpt_dp_now_us();
	unsigned int n, i;

	w->stopping = true;	/* what ends now ends at the stop */
	while ((n = rte_ring_sc_dequeue_burst(w->rx_ring, (void **)m,
					      DP_BURST, NULL)) != 0) {
		for (i = 0; i < n; i++) {
			if (dpt_meta(m[i])->server_port != w->dp->listen_port)
				dp_session_input(w, m[i], now);
			else if (w->dp->single_port && !is_request(m[i]))
				dp_shared_input(w, m[i], now);
		}
		rte_pktmbuf_free_bulk(m, n);
		DP_STAT_ADD(w->st.pkts_in, n);
	}
	dp_sessions_abort_all(w);
}

int
dp_worker_main(void *arg)
{
	struct dp_worker *w = arg;
	struct dpt_dp *dp = w->dp;
	struct dp_idle idle = { 0 };

	dp_lcore_init_thread();
	while (!dp->stop_workers) {
		uint32_t us = dp_idle_next(&idle, dp->conf, dp_worker_poll(w),
					   true);

		if (us != 0)
			dp_bell_sleep(w->bell, us, worker_ready, w);
	}
	dp_worker_shutdown(w);
	while (dp_tx_flush(w) < 0)
		dp_idle_sleep(10);
	return 0;
}
