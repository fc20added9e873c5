/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Chunks: loading one (with its prefix sums), publishing, evicting and
 * freeing it, and the workers' ways in (read, sum, zero-copy, hold).
 *
 * The one race that matters is a worker starting to use a chunk while the
 * main lcore evicts it. Workers use only chunks their session holds, and
 * both sides follow Dekker's order: a worker raises the hold, then reads
 * the chunk pointer; the main lcore clears the pointer, then reads the
 * hold, and puts the pointer back if it finds one. Whichever comes second
 * sees the other.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_eal.h>
#include <rte_memory.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "cache_internal.h"
#include "dpt_net.h"

static inline uint16_t
swap16(uint16_t v)
{
	return (uint16_t)(v << 8 | v >> 8);
}

/* The sum of len bytes at p, placed at offset `at` of the file (the byte
 * order of a piece starting at an odd offset is swapped). */
static inline uint16_t
sum_at(const uint8_t *p, uint64_t at, size_t len)
{
	uint16_t s = dpt_net_sum(p, len);

	return (at & 1) ? swap16(s) : s;
}

static void
chunk_free_now(struct dpt_cache_chunk *ch)
{
	rte_free(ch->data);
	rte_free(ch);
}

/* The last mbuf on a chunk the cache let go of was freed, on any lcore:
 * queue it for the main lcore, which alone frees heap memory. */
static void
chunk_free_cb(void *addr, void *opaque)
{
	struct dpt_cache_chunk *ch = opaque;

	RTE_SET_USED(addr);
	if (rte_ring_mp_enqueue(ch->cache->dead, ch) < 0)
		chunk_free_now(ch);	/* cannot happen: sized for all */
}

int64_t
cache_chunk_load(struct dpt_cache *c, struct cache_entry *ce, uint32_t i)
{
	uint64_t off = (uint64_t)i * DPT_CACHE_CHUNK;
	uint32_t len = (uint32_t)RTE_MIN(DPT_CACHE_CHUNK, ce->pub.size - off);
	uint32_t steps = len / CACHE_SUM_STEP, k, done = 0;
	struct dpt_cache_chunk *ch;
	uint16_t acc = 0;
	ssize_t n;
	int fd = cache_entry_fd(c, ce);

	if (fd < 0)
		return fd;
	ch = rte_zmalloc("dpt_chunk", sizeof(*ch) +
			 sizeof(uint16_t) * (steps + 1), RTE_CACHE_LINE_SIZE);
	if (ch == NULL)
		return -ENOMEM;
	/* Cache-line aligned only: aligning to the chunk size would waste up
	 * to a chunk per chunk. IOVA contiguity is checked below instead. */
	ch->data = rte_malloc("dpt_chunk_data", len, RTE_CACHE_LINE_SIZE);
	if (ch->data == NULL) {
		rte_free(ch);
		return -ENOMEM;
	}
	while (done < len) {
		n = pread(fd, ch->data + done, len - done,
			  (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {	/* an error, or the file shrank under us */
			chunk_free_now(ch);
			return n < 0 ? -errno : -EIO;
		}
		done += (uint32_t)n;
	}
	for (k = 0; k < steps; k++) {
		ch->psum[k] = acc;
		acc = dpt_net_sum_add(acc, dpt_net_sum(ch->data +
				      (size_t)k * CACHE_SUM_STEP,
				      CACHE_SUM_STEP));
	}
	ch->psum[steps] = acc;
	ch->len = len;
	ch->index = i;
	ch->cache = c;
	ch->iova = rte_malloc_virt2iova(ch->data);
	/* With physical addresses a chunk may straddle two hugepages that
	 * are not neighbours: a NIC cannot DMA a block across that, so such a
	 * chunk is only ever copied (dpt_cache_zc says -ERANGE). */
	if (rte_eal_iova_mode() == RTE_IOVA_PA && ch->iova != RTE_BAD_IOVA) {
		rte_iova_t first = rte_mem_virt2iova(ch->data);

		ch->iova_split = first == RTE_BAD_IOVA ||
			rte_mem_virt2iova(ch->data + len - 1) !=
			first + len - 1;
	}
	ch->shinfo.free_cb = chunk_free_cb;
	ch->shinfo.fcb_opaque = ch;
	rte_mbuf_ext_refcnt_set(&ch->shinfo, 1);	/* the cache's own */
	/* Release: a worker that sees the pointer sees the bytes. */
	__atomic_store_n(&ce->pub.chunks[i], ch, __ATOMIC_RELEASE);
	ce->n_resident++;
	c->resident += len;
	c->st.chunks_loaded++;
	__atomic_store_n(&ce->pub.loaded, ce->pub.loaded + len,
			 __ATOMIC_RELEASE);
	return len;
}

/* Drops the cache's reference: the memory goes now or with its last mbuf. */
static void
chunk_release(struct dpt_cache *c, struct dpt_cache_chunk *ch)
{
	if (rte_mbuf_ext_refcnt_update(&ch->shinfo, -1) == 0)
		chunk_free_now(ch);
	else
		c->st.chunk_frees_deferred++;
}

int
cache_chunk_evict(struct dpt_cache *c, struct cache_entry *ce, uint32_t i)
{
	struct dpt_cache_chunk *ch = ce->pub.chunks[i];

	if (ch == NULL)
		return -ENOENT;
	if (__atomic_load_n(&ce->pub.holds[i], __ATOMIC_SEQ_CST) != 0)
		return -EBUSY;
	__atomic_store_n(&ce->pub.chunks[i], NULL, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&ce->pub.holds[i], __ATOMIC_SEQ_CST) != 0) {
		/* A session came for it meanwhile: it stays. */
		__atomic_store_n(&ce->pub.chunks[i], ch, __ATOMIC_RELEASE);
		return -EBUSY;
	}
	ce->n_resident--;
	c->resident -= ch->len;
	__atomic_store_n(&ce->pub.loaded, ce->pub.loaded - ch->len,
			 __ATOMIC_RELEASE);
	chunk_release(c, ch);
	return 0;
}

unsigned int
cache_chunk_reap(struct dpt_cache *c)
{
	void *dead[64];
	unsigned int n, i, total = 0;

	while ((n = rte_ring_sc_dequeue_burst(c->dead, dead, RTE_DIM(dead),
					      NULL)) != 0) {
		for (i = 0; i < n; i++)
			chunk_free_now(dead[i]);
		total += n;
	}
	return total;
}

/* ---- the workers' side ----------------------------------------------- */

static void
hold_range(struct dpt_cache_entry *e, uint64_t off, uint64_t len, int d)
{
	uint64_t i, last;

	if (len == 0 || off >= e->size)
		return;
	last = (RTE_MIN(off + len, e->size) - 1) / DPT_CACHE_CHUNK;
	for (i = off / DPT_CACHE_CHUNK; i <= last; i++)
		__atomic_fetch_add(&e->holds[i], (uint32_t)d, __ATOMIC_SEQ_CST);
}

void
dpt_cache_hold(struct dpt_cache_entry *e, uint64_t off, uint64_t len)
{
	hold_range(e, off, len, 1);
}

void
dpt_cache_unhold(struct dpt_cache_entry *e, uint64_t off, uint64_t len)
{
	hold_range(e, off, len, -1);
}

/*
 * -Dcheck_holds=true (the test build) with DPT_CACHE_CHECK_HOLDS=1 in the
 * environment (the dts framework sets it for dptftpd): every read of a
 * chunk proves the reader holds it, since a chunk read without a hold may
 * be evicted and freed under the read. The cache's own tests read outside
 * windows on purpose, so the check is the server's, not theirs.
 */
#ifdef DPT_CACHE_CHECK_HOLDS
static int check_holds = -1;	/* -1: the environment not read yet */

static inline void
chunk_check_held(const struct dpt_cache_entry *e, uint64_t i)
{
	int on = __atomic_load_n(&check_holds, __ATOMIC_RELAXED);

	if (unlikely(on < 0)) {
		const char *v = getenv("DPT_CACHE_CHECK_HOLDS");

		on = v != NULL && strcmp(v, "1") == 0;
		__atomic_store_n(&check_holds, on, __ATOMIC_RELAXED);
	}
	if (on && __atomic_load_n(&e->holds[i], __ATOMIC_SEQ_CST) == 0)
		rte_panic("dptftp.cache: chunk %" PRIu64 " of a %" PRIu64
			  "-byte file read without a hold\n", i, e->size);
}
#else
static inline void
chunk_check_held(const struct dpt_cache_entry *e, uint64_t i)
{
	RTE_SET_USED(e);
	RTE_SET_USED(i);
}
#endif

static inline struct dpt_cache_chunk *
chunk_get(const struct dpt_cache_entry *e, uint64_t i)
{
	chunk_check_held(e, i);
	return __atomic_load_n(&e->chunks[i], __ATOMIC_ACQUIRE);
}

static inline int
range_check(const struct dpt_cache_entry *e, uint64_t off, uint64_t len)
{
	int err;

	if (off > e->size || len > e->size - off)
		return -EINVAL;
	err = __atomic_load_n(&e->load_err, __ATOMIC_ACQUIRE);
	return err;
}

ssize_t
dpt_cache_read(const struct dpt_cache_entry *e, uint64_t off, void *dst,
	       size_t len)
{
	uint8_t *out = dst;
	size_t done = 0;
	int err;

	if (e == NULL || (dst == NULL && len > 0) || len > SSIZE_MAX)
		return -EINVAL;
	err = range_check(e, off, len);
	if (err != 0)
		return err;
	while (done < len) {
		uint64_t at = off + done;
		const struct dpt_cache_chunk *ch =
			chunk_get(e, at / DPT_CACHE_CHUNK);
		uint64_t in = at % DPT_CACHE_CHUNK;
		size_t n = (size_t)RTE_MIN((uint64_t)(len - done),
					   ch == NULL ? 0 : ch->len - in);

		if (ch == NULL)
			return -EAGAIN;
		memcpy(out + done, ch->data + in, n);
		done += n;
	}
	return (ssize_t)len;
}

/* The file-aligned sum of [a, b) of one resident chunk (chunk offsets). */
static uint16_t
chunk_sum(const struct dpt_cache_chunk *ch, uint32_t a, uint32_t b)
{
	uint32_t A = RTE_ALIGN_CEIL(a, CACHE_SUM_STEP);
	uint32_t B = RTE_ALIGN_FLOOR(b, CACHE_SUM_STEP);
	uint16_t s;

	if (A >= B)		/* inside one step: sum the bytes */
		return sum_at(ch->data + a, a, b - a);
	/* psum[B] - psum[A], one's complement: add the complement. */
	s = dpt_net_sum_add(ch->psum[B / CACHE_SUM_STEP],
			    (uint16_t)~ch->psum[A / CACHE_SUM_STEP]);
	s = dpt_net_sum_add(s, sum_at(ch->data + a, a, A - a));
	return dpt_net_sum_add(s, sum_at(ch->data + B, B, b - B));
}

int
dpt_cache_sum(const struct dpt_cache_entry *e, uint64_t off, uint32_t len,
	      uint16_t *sum)
{
	uint64_t at = off, end = off + len;
	uint16_t s = 0;
	int err = range_check(e, off, len);

	if (err != 0)
		return err;
	while (at < end) {
		const struct dpt_cache_chunk *ch =
			chunk_get(e, at / DPT_CACHE_CHUNK);
		uint64_t base = at - at % DPT_CACHE_CHUNK;
		uint64_t stop = RTE_MIN(end, base + DPT_CACHE_CHUNK);

		if (ch == NULL)
			return -EAGAIN;
		s = dpt_net_sum_add(s, chunk_sum(ch, (uint32_t)(at - base),
						 (uint32_t)(stop - base)));
		at = stop;
	}
	/* As if the block began at an even offset of the packet. */
	*sum = (off & 1) ? swap16(s) : s;
	return 0;
}

int
dpt_cache_zc(const struct dpt_cache_entry *e, uint64_t off, uint32_t len,
	     bool want_sum, struct dpt_cache_zc *zc)
{
	struct dpt_cache_chunk *ch;
	uint64_t in = off % DPT_CACHE_CHUNK;

	/* The hot path of every zero-copy DATA: a published chunk is whole
	 * and valid, so only a missing one needs the slower checks. */
	if (unlikely(len == 0 || in + len > DPT_CACHE_CHUNK ||
		     off + len > e->size))
		return len == 0 || off + len > e->size ? -EINVAL : -ERANGE;
	ch = chunk_get(e, off / DPT_CACHE_CHUNK);
	if (unlikely(ch == NULL)) {
		int err = __atomic_load_n(&e->load_err, __ATOMIC_ACQUIRE);

		return err != 0 ? err : -EAGAIN;
	}
	if (unlikely(ch->iova_split))
		return -ERANGE;
	if (want_sum) {
		uint16_t s = chunk_sum(ch, (uint32_t)in, (uint32_t)(in + len));

		zc->sum = (off & 1) ? swap16(s) : s;
	}
	/* Atomic whatever the count: rte_mbuf_ext_refcnt_update() stores
	 * without one when it reads 1, and two workers sending from the same
	 * chunk both read the cache's 1. The cache's reference stays while
	 * the chunk is held, so nobody frees it under this increment. */
	__atomic_fetch_add(&ch->shinfo.refcnt, 1, __ATOMIC_RELAXED);
	zc->addr = ch->data + in;
	zc->iova = ch->iova == RTE_BAD_IOVA ? RTE_BAD_IOVA : ch->iova + in;
	zc->shinfo = &ch->shinfo;
	return 0;
}
