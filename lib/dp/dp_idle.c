/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Idle back-off shared by every poll loop: spin with pause while work may
 * be close, then sleep, doubling up to --idle-sleep-max. On a 2-core host
 * RX, TX, the workers and the main lcore share CPUs; without this, one
 * spinning lcore starves the others.
 */

#include <sys/prctl.h>
#include <time.h>

#include <rte_pause.h>

#include "dp_internal.h"

uint32_t
dp_idle_next(struct dp_idle *st, const struct dpt_conf *c, unsigned int work)
{
	if (work != 0) {
		st->empty = 0;
		st->sleep_us = 0;
		return 0;
	}
	if (st->empty < c->idle_spins) {
		st->empty++;
		rte_pause();
		return 0;
	}
	if (c->idle_sleep_max_us == 0)
		return 0;
	st->sleep_us = st->sleep_us == 0 ? 1 : st->sleep_us * 2;
	if (st->sleep_us > c->idle_sleep_max_us)
		st->sleep_us = c->idle_sleep_max_us;
	return st->sleep_us;
}

void
dp_idle_sleep(uint32_t us)
{
	struct timespec ts = {
		.tv_sec = us / 1000000,
		.tv_nsec = (long)(us % 1000000) * 1000,
	};

	if (us != 0)
		nanosleep(&ts, NULL);
}

void
dp_lcore_init_thread(void)
{
	/* Sleeps of a few microseconds need a small timer slack (the
	 * default, 50 us, would make every short sleep a long one). */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
}
