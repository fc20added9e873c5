/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_BENCH_RUN_H_
#define _DPT_BENCH_RUN_H_

/*
 * A run: slots (each a client doing one transfer at a time), the plan that
 * says what each slot does next, the per-thread timer heap, and the
 * backends that move the datagrams.
 */

#include "bench_xfer.h"

#define DPT_BENCH_HEAP_NONE UINT32_MAX

/* A client: one transfer at a time, then the next the plan gives it. */
struct dpt_bench_slot {
	struct dpt_bench_xfer x;
	uint32_t client;	/* storm: the client's number */
	uint32_t step;		/* storm: files it has fetched */
	uint64_t t_arrive;	/* storm: when it arrives */
	uint64_t wake;		/* idle: when to start; UINT64_MAX: never */
	bool busy;		/* x is running */
	bool retired;		/* nothing more to do */
	bool client_failed;	/* storm: a file failed, the boot is over */
	uint32_t heap_idx;	/* DPT_BENCH_HEAP_NONE: not in the heap */
	uint64_t heap_key;
};

/* When the slot wants to be woken: its transfer's deadline, or when it
 * starts its next one. */
static inline uint64_t
dpt_bench_slot_deadline(const struct dpt_bench_slot *s)
{
	if (s->retired)
		return UINT64_MAX;
	return s->busy ? s->x.deadline : s->wake;
}

enum dpt_bench_stop {
	DPT_BENCH_GO = 0,
	DPT_BENCH_STOP_NEW,	/* start nothing new, finish what runs */
	DPT_BENCH_STOP_NOW,	/* abort what runs */
};

struct dpt_bench_plan {
	const struct dpt_bench_opts *o;
	const struct dpt_bench_file *files;
	struct dpt_bench_xcfg xcfg;
	unsigned int n_threads;
	uint64_t t0;			/* the run's start, dpt_bench_now() */
	uint64_t t_stop;		/* --duration: no start from then on */
	uint64_t issued;		/* transfers handed out (atomic) */
	int stop;			/* enum dpt_bench_stop (atomic) */
	unsigned int threads_done;	/* (atomic) */
	void *backend_ctx;
};

/* Microseconds on the monotonic clock. */
uint64_t dpt_bench_now(void);

/* Number of slots thread t runs. */
uint32_t dpt_bench_plan_slots(const struct dpt_bench_plan *p, unsigned int t);

/* Sets up the k-th slot of thread t. */
void dpt_bench_plan_slot_init(const struct dpt_bench_plan *p,
			      struct dpt_bench_slot *s, unsigned int t,
			      uint32_t k);

/* The slot's next transfer into job; false when it has none (retire it). */
bool dpt_bench_plan_next(struct dpt_bench_plan *p, struct dpt_bench_slot *s,
			 uint64_t now, struct dpt_bench_job *job);

/* Counts the slot's finished transfer into st. */
void dpt_bench_plan_account(const struct dpt_bench_plan *p,
			    struct dpt_bench_slot *s,
			    struct dpt_bench_stats *st, unsigned int thread);

/* Expands "{n}" (transfer number) and "{c}" (client) in tmpl; returns -1
 * when the result does not fit. */
int dpt_bench_expand_name(const char *tmpl, uint64_t id, uint32_t client,
			  char *out, size_t cap);

/* A min-heap of slots by wake-up time; a slot is in it at most once and
 * re-armed lazily (the key may be earlier than the slot's deadline). */
struct dpt_bench_heap {
	struct dpt_bench_slot **v;
	uint32_t n, cap;
};

int dpt_bench_heap_init(struct dpt_bench_heap *h, uint32_t cap);
void dpt_bench_heap_fini(struct dpt_bench_heap *h);
/* Makes sure s is woken no later than when. */
void dpt_bench_heap_arm(struct dpt_bench_heap *h, struct dpt_bench_slot *s,
			uint64_t when);
/* The earliest key, UINT64_MAX when empty. */
uint64_t dpt_bench_heap_next(const struct dpt_bench_heap *h);
/* Removes and returns a slot whose key is <= now, or NULL. */
struct dpt_bench_slot *dpt_bench_heap_pop(struct dpt_bench_heap *h,
					  uint64_t now);

/* A way to move datagrams. start() launches the run and returns; wait()
 * returns when every thread has finished (stats filled). */
struct dpt_bench_backend {
	const char *name;
	const char *help;
	int (*start)(struct dpt_bench_plan *p, struct dpt_bench_stats *stats,
		     char *err, size_t err_len);
	void (*wait)(struct dpt_bench_plan *p);
	bool dpdk;	/* takes --iface, --ip, --gateway, --eal, --port-id */
};

extern const struct dpt_bench_backend dpt_bench_backends[];
extern const unsigned int dpt_bench_n_backends;

/* bench_sock.c */
int dpt_bench_sock_start(struct dpt_bench_plan *p,
			 struct dpt_bench_stats *stats, char *err,
			 size_t err_len);
void dpt_bench_sock_wait(struct dpt_bench_plan *p);

#ifdef DPT_BENCH_DPDK
/* bench_dpdk_setup.c */
int dpt_bench_dpdk_start(struct dpt_bench_plan *p,
			 struct dpt_bench_stats *stats, char *err,
			 size_t err_len);
void dpt_bench_dpdk_wait(struct dpt_bench_plan *p);
#endif

#endif /* _DPT_BENCH_RUN_H_ */
