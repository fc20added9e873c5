/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Zero copy: DATA mbufs attached to a chunk's memory (external buffers
 * with the chunk's shared info) keep that memory alive after the cache
 * lets go of the chunk, whichever lcore frees them, and the chunk is freed
 * on the main lcore once the last of them is gone. Whether a chunk's
 * memory was freed is read from the DPDK heap's count of allocated
 * elements (a chunk is two: its header and its bytes). The worker lcore
 * (lcore 1) frees mbufs and takes references of its own.
 */

#define _GNU_SOURCE	/* rte_cpuset_t, CPU_EQUAL() */

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_pause.h>

#include "test_cache.h"
#include "dpt_net.h"

#define N_MBUFS 1023	/* in the pool */
#define N_ZC 64		/* attached to one chunk */
#define BLK 1468

/* A pool of mbufs without data room, for external buffers only. */
static struct rte_mempool *
zc_pool(void)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("tc_zc", N_MBUFS, 0,
							 0, 0,
							 rte_socket_id());

	assert_non_null(mp);
	return mp;
}

/* Frees the pool, which must have all its mbufs back. */
static void
zc_pool_done(struct rte_mempool *mp)
{
	assert_int_equal(rte_mempool_avail_count(mp), N_MBUFS);
	rte_mempool_free(mp);
}

/* An mbuf pointing at [off, off+len) of e, as zero-copy DATA does; its
 * sum agrees with dpt_cache_sum(). */
static struct rte_mbuf *
zc_mbuf(struct rte_mempool *mp, const struct dpt_cache_entry *e,
	uint64_t off, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct dpt_cache_zc z;
	uint16_t sum;

	assert_non_null(m);
	assert_int_equal(dpt_cache_zc(e, off, len, true, &z), 0);
	assert_int_equal(dpt_cache_sum(e, off, len, &sum), 0);
	assert_int_equal(z.sum, sum);
	rte_pktmbuf_attach_extbuf(m, z.addr, z.iova, len, z.shinfo);
	m->data_len = len;
	m->pkt_len = len;
	return m;
}

/* Where block k of a chunk starts: every other one at an odd offset. */
static uint64_t
blk_off(uint64_t chunk, unsigned int k)
{
	return chunk * CHUNK + (uint64_t)k * (BLK + 1) + (k & 1);
}

/* Checks that mbufs m[first, first+n), each made with blk_off(chunk, k),
 * still hold the file's bytes. */
static void
assert_mbufs_intact(struct rte_mbuf **m, unsigned int first, unsigned int n,
		    uint64_t chunk, unsigned int seed)
{
	unsigned int k, i;

	for (k = first; k < first + n; k++) {
		const uint8_t *p = rte_pktmbuf_mtod(m[k], const uint8_t *);
		uint64_t off = blk_off(chunk, k);

		for (i = 0; i < m[k]->data_len; i++)
			if (p[i] != tc_pattern(off + i, seed))
				fail_msg("mbuf %u byte %u changed", k, i);
	}
}

struct free_job {
	struct rte_mbuf **m;
	unsigned int n;
};

static int
free_mbufs(void *arg)
{
	struct free_job *job = arg;
	unsigned int i;

	for (i = 0; i < job->n; i++)
		rte_pktmbuf_free(job->m[i]);
	return 0;
}

static unsigned int
worker_lcore(void)
{
	unsigned int w = rte_get_next_lcore(-1, 1, 0);

	assert_true(w < RTE_MAX_LCORE);
	return w;
}

/* Frees n mbufs on the worker lcore, and waits for it. */
static void
free_on_worker(struct rte_mbuf **m, unsigned int n)
{
	struct free_job job = { .m = m, .n = n };
	unsigned int w = worker_lcore();

	assert_int_equal(rte_eal_remote_launch(free_mbufs, &job, w), 0);
	assert_int_equal(rte_eal_wait_lcore(w), 0);
}

/* Loads a file, opens and reads other files through the cache and drops
 * them: freed memory is handed out again and written. */
static void
churn(struct dpt_cache *c, unsigned int seed)
{
	struct dpt_cache_entry *e;

	tc_write_pattern("churn", 3 * CHUNK, seed);
	assert_int_equal(dpt_cache_open(c, "churn", &e), 0);
	tc_pump_all_checked(c, UINT64_MAX);
	tc_assert_pattern(e, 0, 3 * CHUNK, seed);
	dpt_cache_put(e);
	assert_int_equal(dpt_cache_evict(c, "churn"), 1);
}

/* Steps: 64 mbufs attached to blocks of chunk 0 of a two-chunk file; the
 * window let go and the entry put and flushed; other files loaded through
 * freed memory; half the mbufs freed on the worker lcore, a pump; the rest
 * freed, the last on the worker, a pump. Verifies: each mbuf took one
 * reference; the flush freed chunk 1 at once and deferred chunk 0
 * (chunk_frees_deferred 1); the mbufs' bytes stay intact throughout; the
 * chunk's memory is not freed while one mbuf remains, nor before the pump
 * after the last went, and that pump frees it (two heap elements); the
 * pool gets every mbuf back. */
static void
zc_chunk_outlives_flush(void **state)
{
	struct dpt_cache *c = *state;
	struct rte_mempool *mp = zc_pool();
	struct rte_mbuf *m[N_ZC];
	struct rte_mbuf_ext_shared_info *shinfo;
	struct dpt_cache_entry *e;
	struct dpt_cache_stats st;
	unsigned int k, allocs;

	tc_write_pattern("zcf", 2 * CHUNK, 70);
	assert_int_equal(dpt_cache_open(c, "zcf", &e), 0);
	dpt_cache_hold(e, 0, CHUNK);
	tc_pump_all_checked(c, UINT64_MAX);
	for (k = 0; k < N_ZC; k++)
		m[k] = zc_mbuf(mp, e, blk_off(0, k), BLK);
	shinfo = m[0]->shinfo;
	for (k = 1; k < N_ZC; k++)
		assert_ptr_equal(m[k]->shinfo, shinfo);
	assert_int_equal(rte_mbuf_ext_refcnt_read(shinfo), N_ZC + 1);
	assert_mbufs_intact(m, 0, N_ZC, 0, 70);

	dpt_cache_unhold(e, 0, CHUNK);
	dpt_cache_put(e);
	assert_int_equal(dpt_cache_flush(c), 1);
	st = tc_stats(c);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes_resident, 0);
	assert_int_equal(st.chunk_frees_deferred, 1);
	assert_int_equal(rte_mbuf_ext_refcnt_read(shinfo), N_ZC);
	churn(c, 71);
	churn(c, 72);
	assert_mbufs_intact(m, 0, N_ZC, 0, 70);

	free_on_worker(m, N_ZC / 2);
	assert_int_equal(rte_mbuf_ext_refcnt_read(shinfo), N_ZC / 2);
	allocs = tc_heap_allocs();
	dpt_cache_pump(c, 0);
	assert_int_equal(tc_heap_allocs(), allocs);
	churn(c, 73);
	assert_mbufs_intact(m, N_ZC / 2, N_ZC / 2, 0, 70);

	for (k = N_ZC / 2; k < N_ZC - 1; k++)
		rte_pktmbuf_free(m[k]);
	allocs = tc_heap_allocs();
	free_on_worker(&m[N_ZC - 1], 1);
	assert_int_equal(tc_heap_allocs(), allocs);
	dpt_cache_pump(c, 0);
	assert_int_equal(tc_heap_allocs(), allocs - 2);
	dpt_cache_pump(c, 0);
	assert_int_equal(tc_heap_allocs(), allocs - 2);
	assert_int_equal(tc_stats(c).chunk_frees_deferred, 1);
	zc_pool_done(mp);
}

/* Steps: a session's window on chunk 0 of a three-chunk file, mbufs on
 * chunks 0 and 2; the window moves to chunk 1; another session holds a
 * two-chunk file (room comes from chunk 0); the first window moves back
 * over the end of chunk 0 (room comes from chunk 2). Verifies: evicting a
 * chunk under budget pressure defers its free while mbufs point into it
 * (chunk_frees_deferred 1, then 2); those mbufs keep the bytes, while
 * chunk 0 loaded again is new memory with the same bytes; once all mbufs
 * are freed, a pump frees both old chunks and the pool is full. */
static void
zc_chunk_outlives_eviction(void **state)
{
	struct dpt_cache *c = *state;
	struct rte_mempool *mp = zc_pool();
	struct rte_mbuf *m0[N_ZC], *m2[8];
	struct dpt_cache_entry *e, *other;
	struct dpt_cache_zc z;
	unsigned int k, allocs;

	tc_write_pattern("zcw", 3 * CHUNK, 74);
	tc_write_pattern("zcw_other", 2 * CHUNK, 75);
	assert_int_equal(dpt_cache_open(c, "zcw", &e), 0);
	dpt_cache_hold(e, 0, CHUNK);
	dpt_cache_hold(e, 2 * CHUNK, CHUNK);
	tc_pump_all_checked(c, UINT64_MAX);
	for (k = 0; k < N_ZC; k++)
		m0[k] = zc_mbuf(mp, e, blk_off(0, k), BLK);
	for (k = 0; k < RTE_DIM(m2); k++)
		m2[k] = zc_mbuf(mp, e, blk_off(2, k), BLK);
	dpt_cache_hold(e, CHUNK, CHUNK);
	dpt_cache_unhold(e, 0, CHUNK);
	dpt_cache_unhold(e, 2 * CHUNK, CHUNK);

	assert_int_equal(dpt_cache_open(c, "zcw_other", &other), 0);
	dpt_cache_hold(other, 0, 2 * CHUNK);
	tc_pump_all_checked(c, UINT64_MAX);
	tc_assert_pattern(other, 0, 2 * CHUNK, 75);
	assert_false(tc_chunk_resident(e, 0));
	assert_int_equal(tc_stats(c).chunk_frees_deferred, 1);
	assert_mbufs_intact(m0, 0, N_ZC, 0, 74);

	dpt_cache_hold(e, CHUNK - 4096, 8192);
	dpt_cache_unhold(e, CHUNK, CHUNK);
	tc_pump_all_checked(c, UINT64_MAX);
	assert_true(tc_chunk_resident(e, 1));
	assert_false(tc_chunk_resident(e, 2));
	assert_int_equal(tc_stats(c).chunk_frees_deferred, 2);
	tc_assert_pattern(e, 0, CHUNK, 74);
	assert_int_equal(dpt_cache_zc(e, blk_off(0, 0), BLK, false, &z), 0);
	assert_ptr_not_equal(z.shinfo, m0[0]->shinfo);
	assert_ptr_not_equal(z.addr, rte_pktmbuf_mtod(m0[0], void *));
	rte_mbuf_ext_refcnt_update(z.shinfo, -1);
	assert_mbufs_intact(m0, 0, N_ZC, 0, 74);
	assert_mbufs_intact(m2, 0, RTE_DIM(m2), 2, 74);

	allocs = tc_heap_allocs();
	free_on_worker(m0, N_ZC);
	for (k = 0; k < RTE_DIM(m2); k++)
		rte_pktmbuf_free(m2[k]);
	assert_int_equal(tc_heap_allocs(), allocs);
	dpt_cache_pump(c, 0);
	assert_int_equal(tc_heap_allocs(), allocs - 4);
	tc_assert_pattern(e, 0, CHUNK, 74);
	dpt_cache_unhold(e, CHUNK - 4096, 8192);
	dpt_cache_unhold(other, 0, 2 * CHUNK);
	dpt_cache_put(e);
	dpt_cache_put(other);
	zc_pool_done(mp);
}

/* Two lcores taking references on the same chunk at the same moment, as
 * two sessions sending the same file do. */
struct zc_race {
	const struct dpt_cache_entry *e;
	uint32_t go;		/* the round the worker may run */
	uint32_t done;		/* the round the worker finished */
	uint32_t rounds;
	bool one_cpu;		/* both lcores on one CPU: yield, not spin */
	int err;
	struct rte_mbuf_ext_shared_info *shinfo;
};

#define RACE_OFF 4096	/* the worker's block; lcore 0 takes block 0 */

/* Waits until *at is k. */
static void
race_wait(const struct zc_race *r, const uint32_t *at, uint32_t k)
{
	while (__atomic_load_n(at, __ATOMIC_ACQUIRE) != k) {
		if (r->one_cpu)
			sched_yield();
		else
			rte_pause();
	}
}

static int
race_worker(void *arg)
{
	struct zc_race *r = arg;
	struct dpt_cache_zc z;
	uint32_t k;

	for (k = 1; k <= r->rounds; k++) {
		race_wait(r, &r->go, k);
		if (dpt_cache_zc(r->e, RACE_OFF, BLK, false, &z) != 0)
			r->err = 1;
		__atomic_store_n(&r->done, k, __ATOMIC_RELEASE);
	}
	return 0;
}

/* Steps: for many rounds, both lcores take a reference on the same chunk
 * at once (lcore 0 after a delay that varies, so the two meet at every
 * distance), then both are given back. Verifies: after each round's two
 * takes the count is exactly three (the cache's and two), so no reference
 * is lost (a lost one frees the chunk under the mbufs still on it); after
 * the round, one again. (Where both lcores share one CPU, a short run:
 * it rarely races there.) */
static void
zc_refs_from_two_lcores(void **state)
{
	struct dpt_cache *c = *state;
	struct zc_race r = { .rounds = 200000 };
	struct dpt_cache_entry *e;
	struct dpt_cache_zc z;
	unsigned int w = worker_lcore(), lost = 0;
	rte_cpuset_t main_cpus = rte_lcore_cpuset(rte_get_main_lcore());
	rte_cpuset_t worker_cpus = rte_lcore_cpuset(w);
	uint32_t k, j;

	/* On one CPU the two meet only when one is preempted: fewer
	 * rounds, handed over rather than spun for. */
	if (CPU_EQUAL(&main_cpus, &worker_cpus)) {
		r.one_cpu = true;
		r.rounds = 1000;
	}
	tc_write_pattern("race", CHUNK, 76);
	assert_int_equal(dpt_cache_open(c, "race", &e), 0);
	dpt_cache_hold(e, 0, CHUNK);
	tc_pump_all_checked(c, UINT64_MAX);
	r.e = e;
	assert_int_equal(dpt_cache_zc(e, 0, BLK, false, &z), 0);
	r.shinfo = z.shinfo;
	rte_mbuf_ext_refcnt_update(r.shinfo, -1);
	assert_int_equal(rte_mbuf_ext_refcnt_read(r.shinfo), 1);

	assert_int_equal(rte_eal_remote_launch(race_worker, &r, w), 0);
	for (k = 1; k <= r.rounds; k++) {
		__atomic_store_n(&r.go, k, __ATOMIC_RELEASE);
		for (j = 0; j < k % 97; j++)
			rte_pause();
		assert_int_equal(dpt_cache_zc(e, 0, BLK, false, &z), 0);
		race_wait(&r, &r.done, k);
		if (rte_mbuf_ext_refcnt_read(r.shinfo) != 3) {
			lost++;
			rte_mbuf_ext_refcnt_set(r.shinfo, 3);
		}
		rte_mbuf_ext_refcnt_update(r.shinfo, -1);
		rte_mbuf_ext_refcnt_update(r.shinfo, -1);
	}
	assert_int_equal(rte_eal_wait_lcore(w), 0);
	assert_int_equal(r.err, 0);
	if (lost != 0)
		fail_msg("%u of %u rounds lost a reference", lost, r.rounds);
	assert_int_equal(rte_mbuf_ext_refcnt_read(r.shinfo), 1);
	tc_assert_pattern(e, 0, CHUNK, 76);
	dpt_cache_unhold(e, 0, CHUNK);
	dpt_cache_put(e);
}

const struct CMUnitTest tc_zc_tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tc_setup, tc_teardown)
	T(zc_chunk_outlives_flush),
	cmocka_unit_test_setup_teardown(zc_chunk_outlives_eviction,
					tc_setup_small, tc_teardown),
	T(zc_refs_from_two_lcores),
#undef T
};
const size_t tc_zc_count = RTE_DIM(tc_zc_tests);
