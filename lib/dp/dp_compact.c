/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The compact layout: RX, every worker and TX run in turn on one lcore.
 * The stages and their rings are the same as in the pipeline; only the
 * threads differ. On a host with few CPUs this saves a thread wake-up per
 * hop (two per round trip), which in lock-step transfers is most of the
 * latency; on many cores the pipeline spreads the work instead.
 */

#include "dp_internal.h"

static int
compact_ready(void *arg)
{
	struct dpt_dp *dp = arg;
	unsigned int w;

	for (w = 0; w < dp->n_workers; w++)
		if (!rte_ring_empty(dp->workers[w].rx_ring) ||
		    !rte_ring_empty(dp->workers[w].from_main) ||
		    !rte_ring_empty(dp->workers[w].tx_ring))
			return 1;
	return 0;
}

int
dp_compact_main(void *arg)
{
	struct dpt_dp *dp = arg;
	struct dp_idle idle = { 0 };
	bool waits = dp->n_wait_fds != 0;
	unsigned int w;

	dp_lcore_init_thread();
	while (!dp->stop_rx) {
		unsigned int work = dp_rx_poll(dp);
		uint32_t us;

		for (w = 0; w < dp->n_workers; w++)
			work += dp_worker_poll(&dp->workers[w]);
		work += dp_tx_poll(dp);
		us = dp_idle_next(&idle, dp->conf, work, true);
		if (us == 0)
			continue;
		/* Without a port to wake us, sleep in short steps. */
		if (!waits && us > 50)
			us = 50;
		dp_wait(&dp->compact_bell, dp->wait_fds, dp->n_wait_fds, us,
			compact_ready, dp);
	}
	/* The staged shutdown, stage by stage on this one lcore. */
	dp_rx_last_look(dp);
	for (w = 0; w < dp->n_workers; w++) {
		dp_worker_shutdown(&dp->workers[w]);
		while (dp_tx_flush(&dp->workers[w]) < 0)
			dp_tx_poll(dp);
	}
	while (dp_tx_poll(dp) != 0)
		;
	return 0;
}
