/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Balance strategies: where a new session (a request to the listening port)
 * lands. Every other datagram follows its session port to the worker that
 * owns it, so any strategy is correct; a strategy only spreads the load.
 * One const table, as l3fwd's lookup modes.
 */

#include <rte_hash_crc.h>

#include "dp_internal.h"

static unsigned int
pick_round_robin(struct dpt_dp *dp, struct dp_rx *rx,
		 const struct dpt_pkt_meta *m)
{
	unsigned int w = rx->rr_next;

	rx->rr_next = w + 1 == dp->n_workers ? 0 : w + 1;
	return w;
}

static unsigned int
pick_client_hash(struct dpt_dp *dp, struct dp_rx *rx,
		 const struct dpt_pkt_meta *m)
{
	uint32_t h = rte_hash_crc(m->client_ip,
				  m->family == AF_INET ? 4 : 16, 0x9e3779b9);

	return h % dp->n_workers;
}

/*
 * Fewest sessions, counting requests steered but not yet taken in; the
 * deeper ring breaks ties. Counting in-flight requests matters: a burst of
 * requests arrives before any worker has started a session.
 */
static unsigned int
pick_least_loaded(struct dpt_dp *dp, struct dp_rx *rx,
		  const struct dpt_pkt_meta *m)
{
	unsigned int w, best = 0;
	uint64_t best_load = UINT64_MAX, best_depth = UINT64_MAX;

	for (w = 0; w < dp->n_workers; w++) {
		struct dp_worker *wk = &dp->workers[w];
		uint64_t seen = __atomic_load_n(&wk->requests_seen,
						__ATOMIC_RELAXED);
		uint64_t load = __atomic_load_n(&wk->st.active,
						__ATOMIC_RELAXED) +
				(rx->steered[w] - seen);
		uint64_t depth = rte_ring_count(wk->rx_ring) + rx->n_buf[w];

		if (load < best_load || (load == best_load &&
					 depth < best_depth)) {
			best = w;
			best_load = load;
			best_depth = depth;
		}
	}
	return best;
}

static const struct {
	unsigned int (*pick)(struct dpt_dp *dp, struct dp_rx *rx,
			     const struct dpt_pkt_meta *m);
} strategies[DPT_BALANCE_COUNT] = {
	[DPT_BALANCE_ROUND_ROBIN] = { pick_round_robin },
	[DPT_BALANCE_CLIENT_HASH] = { pick_client_hash },
	[DPT_BALANCE_LEAST_LOADED] = { pick_least_loaded },
};

unsigned int
dp_balance_pick(struct dpt_dp *dp, struct dp_rx *rx,
		const struct dpt_pkt_meta *m)
{
	uint32_t b = __atomic_load_n(&dp->balance, __ATOMIC_RELAXED);

	if (dp->n_workers == 1)
		return 0;
	return strategies[b].pick(dp, rx, m);
}

int
dpt_dp_set_balance(struct dpt_dp *dp, enum dpt_conf_balance b)
{
	if ((unsigned int)b >= DPT_BALANCE_COUNT)
		return -EINVAL;
	__atomic_store_n(&dp->balance, (uint32_t)b, __ATOMIC_RELAXED);
	return 0;
}

enum dpt_conf_balance
dpt_dp_get_balance(const struct dpt_dp *dp)
{
	return (enum dpt_conf_balance)__atomic_load_n(&dp->balance,
						      __ATOMIC_RELAXED);
}
