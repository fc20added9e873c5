/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Idle back-off shared by every poll loop: spin with pause while work may
 * be close, then sleep, doubling up to --idle-sleep-max. On a 2-core host
 * RX, TX, the workers and the main lcore share CPUs; without this, one
 * spinning lcore starves the others.
 */

#define _GNU_SOURCE	/* ppoll() */

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <rte_pause.h>

#include "dp_internal.h"

uint32_t
dp_idle_next(struct dp_idle *st, const struct dpt_conf *c, unsigned int work,
	     bool wakeable)
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
	/* Something wakes us when work comes: sleep the whole bound, one
	 * wake-up instead of a ladder of short ones. */
	if (wakeable)
		return c->idle_sleep_max_us;
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

int
dp_bell_init(struct dp_bell *b)
{
	b->asleep = 0;
	b->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return b->fd < 0 ? -errno : 0;
}

void
dp_bell_fini(struct dp_bell *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

void
dp_bell_wake(struct dp_bell *b)
{
	uint64_t one = 1;
	ssize_t r = write(b->fd, &one, sizeof(one));

	(void)r;	/* EAGAIN: the counter is full, so it is rung already */
}

void
dp_wait(struct dp_bell *b, const int *fds, unsigned int n, uint32_t us,
	int (*ready)(void *), void *arg)
{
	struct pollfd pfd[DPT_CONF_MAX_IFACES + 1];	/* and the bell */
	struct timespec ts = {
		.tv_sec = us / 1000000,
		.tv_nsec = (long)(us % 1000000) * 1000,
	};
	unsigned int i, k = 0;
	uint64_t v;

	if (n > DPT_CONF_MAX_IFACES)
		n = DPT_CONF_MAX_IFACES;
	for (i = 0; i < n; i++)
		pfd[k++] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	if (b != NULL) {
		pfd[k++] = (struct pollfd){ .fd = b->fd, .events = POLLIN };
		__atomic_store_n(&b->asleep, 1, __ATOMIC_SEQ_CST);
	}
	if (!ready(arg) && ppoll(pfd, k, &ts, NULL) > 0 && b != NULL &&
	    (pfd[k - 1].revents & POLLIN) && read(b->fd, &v, sizeof(v)) < 0)
		v = 0;
	if (b != NULL)
		__atomic_store_n(&b->asleep, 0, __ATOMIC_RELAXED);
}
