/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_BENCH_LOOP_H_
#define _DPT_BENCH_LOOP_H_

/*
 * What every backend's thread does with its slots, whatever moves the
 * datagrams: start a slot's next transfer when the plan says, wake it on
 * its deadline, end it, count it, retire it on a stop request. The
 * backend says how a slot reaches the server (open, close) and sends what
 * a transfer queued (flush); the loop never blocks and never sleeps.
 */

#include "bench_run.h"

struct dpt_bench_loop;

struct dpt_bench_loop_ops {
	/* Gives slot s a way to the server for its next transfer (a socket,
	 * a source port); 0 or -errno, which fails that transfer. */
	int (*open)(struct dpt_bench_loop *l, struct dpt_bench_slot *s);
	/* Takes it back once the transfer has ended. */
	void (*close)(struct dpt_bench_loop *l, struct dpt_bench_slot *s);
	/* Sends what s's transfer queued; may end it for a reason found
	 * there (dpt_bench_xfer_fail()). */
	void (*flush)(struct dpt_bench_loop *l, struct dpt_bench_slot *s,
		      uint64_t now);
};

/* One thread's slots; the backend's slot type starts with a struct
 * dpt_bench_slot and is slot_size bytes. */
struct dpt_bench_loop {
	struct dpt_bench_plan *p;
	struct dpt_bench_stats *st;
	const struct dpt_bench_loop_ops *ops;
	unsigned int idx;		/* the thread's number */
	uint8_t *slots;
	size_t slot_size;
	uint32_t n_slots, n_live;	/* live: not retired */
	uint64_t active;		/* transfers running */
	int stop_seen;
	struct dpt_bench_heap heap;
	struct dpt_bench_io io;		/* the backend fills tx_buf, tx_push,
					 * ctx */
	uint8_t *scratch;
};

static inline struct dpt_bench_slot *
dpt_bench_loop_slot(const struct dpt_bench_loop *l, uint32_t k)
{
	return (struct dpt_bench_slot *)(l->slots + (size_t)k * l->slot_size);
}

/* Sets up thread idx's slots (zeroed, then as the plan says) and their
 * timers, and zeroes its counters' histograms; 0 or -ENOMEM. */
int dpt_bench_loop_init(struct dpt_bench_loop *l, struct dpt_bench_plan *p,
			struct dpt_bench_stats *st, unsigned int idx,
			const struct dpt_bench_loop_ops *ops,
			size_t slot_size);
void dpt_bench_loop_fini(struct dpt_bench_loop *l);

/* After s's transfer was called: send what it queued, then end it or
 * re-arm its timer. */
void dpt_bench_loop_after(struct dpt_bench_loop *l, struct dpt_bench_slot *s,
			  uint64_t now);

/* Runs every slot whose time has come: retransmissions, next transfers. */
void dpt_bench_loop_timers(struct dpt_bench_loop *l, uint64_t now);

/* Acts on a new stop request: idle slots retire; on the second request
 * running transfers abort (telling the server). */
void dpt_bench_loop_see_stop(struct dpt_bench_loop *l, uint64_t now);

/* The thread is over: every slot retired. Tells main. */
void dpt_bench_loop_done(struct dpt_bench_loop *l);

#endif /* _DPT_BENCH_LOOP_H_ */
