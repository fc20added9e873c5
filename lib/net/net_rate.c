/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Reply rate limits as GCRA token buckets (the generic cell rate
 * algorithm of ATM, as rate limiters in routers use it): a bucket is the
 * time tat at which it would be full again. A reply at now may go when
 * tat - tolerance <= now; it then moves tat to max(tat, now) + interval.
 * One 64-bit word per bucket, taken with one compare-and-swap, so workers
 * share the limits without a lock.
 */

#include <string.h>

#include "dpt_net.h"

static uint64_t
interval_of(uint32_t per_s)
{
	return per_s == 0 ? 0 : (1000000 + per_s - 1) / per_s;
}

static uint64_t
tolerance_of(uint32_t per_s)
{
	uint32_t burst = per_s / 10;

	return burst <= 1 ? 0 : (uint64_t)(burst - 1) * interval_of(per_s);
}

void
dpt_rate_init(struct dpt_rate *r, uint32_t per_addr, uint32_t all)
{
	memset(r, 0, sizeof(*r));
	r->addr_interval = interval_of(per_addr);
	r->addr_tol = tolerance_of(per_addr);
	r->all_interval = interval_of(all);
	r->all_tol = tolerance_of(all);
}

/* One GCRA bucket: takes a token, or says no and leaves it. */
static bool
take(uint64_t *tat, uint64_t interval, uint64_t tol, uint64_t now)
{
	uint64_t t = __atomic_load_n(tat, __ATOMIC_RELAXED);

	for (;;) {
		uint64_t next;

		if (t > now + tol)
			return false;
		next = (t > now ? t : now) + interval;
		if (__atomic_compare_exchange_n(tat, &t, next, true,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return true;
	}
}

/* Gives back the token take() took (the other limit said no). */
static void
give_back(uint64_t *tat, uint64_t interval)
{
	__atomic_sub_fetch(tat, interval, __ATOMIC_RELAXED);
}

static uint32_t
addr_bucket(const void *addr, size_t len)
{
	const uint8_t *p = addr;
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return (h ^ (h >> 16)) % DPT_RATE_BUCKETS;
}

bool
dpt_rate_allow(struct dpt_rate *r, const void *addr, size_t len,
	       uint64_t now_us)
{
	uint64_t *tat = NULL;

	if (r->addr_interval != 0) {
		tat = &r->tat[addr_bucket(addr, len)];
		if (!take(tat, r->addr_interval, r->addr_tol, now_us))
			return false;
	}
	if (r->all_interval != 0 &&
	    !take(&r->all_tat, r->all_interval, r->all_tol, now_us)) {
		if (tat != NULL)
			give_back(tat, r->addr_interval);
		return false;
	}
	return true;
}

void
dpt_byte_rate_init(struct dpt_byte_rate *r, uint64_t bits_per_s, uint64_t hz,
		   uint64_t burst_bytes)
{
	uint64_t cost = 0, tol = 0;

	if (bits_per_s != 0 && hz != 0) {
		/* hz * 8 << 16 fits 64 bits for clocks up to 35 THz */
		cost = ((hz * 8) << 16) / bits_per_s;
		if (cost == 0)
			cost = 1;
		tol = (burst_bytes * cost) >> 16;
	}
	__atomic_store_n(&r->tol, tol, __ATOMIC_RELAXED);
	__atomic_store_n(&r->cost, cost, __ATOMIC_RELAXED);
	__atomic_store_n(&r->tat, 0, __ATOMIC_RELAXED);
}

bool
dpt_byte_rate_take(struct dpt_byte_rate *r, uint32_t bytes, uint64_t now)
{
	uint64_t cost = __atomic_load_n(&r->cost, __ATOMIC_RELAXED);
	uint64_t tol = __atomic_load_n(&r->tol, __ATOMIC_RELAXED);

	if (cost == 0)
		return true;
	return take(&r->tat, ((uint64_t)bytes * cost) >> 16, tol, now);
}
