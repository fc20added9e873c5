/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The loader, run a step at a time by the main lcore. Chunks a session
 * holds come first (a session waits on them); then each file is read ahead
 * in request order while the budget allows, so a whole small file is
 * resident after its first request. Room is made by evicting, in order:
 * entries nobody holds (least recently used first), then chunks no session
 * window covers. Workers never wait on the disk; they poll again.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "cache_internal.h"

void
cache_load_end(struct dpt_cache *c, struct cache_entry *ce)
{
	if (!ce->loading)
		return;
	TAILQ_REMOVE(&c->loading, ce, load_link);
	ce->loading = false;
	c->st.loads_in_progress--;
}

static void
load_again(struct dpt_cache *c, struct cache_entry *ce)
{
	if (ce->loading || ce->pub.load_err != 0)
		return;
	ce->loading = true;
	TAILQ_INSERT_TAIL(&c->loading, ce, load_link);
	c->st.loads_in_progress++;
}

/* A load that cannot finish: readers get err instead of -EAGAIN forever,
 * and the next open of the path starts afresh rather than finding it. */
static void
load_fail(struct dpt_cache *c, struct cache_entry *ce, int err)
{
	char q[CACHE_LOG_NAME];

	__atomic_store_n(&ce->pub.load_err, err, __ATOMIC_RELEASE);
	c->st.load_errors++;
	CACHE_LOG(WARNING, "loading %s failed at %" PRIu64 " of %" PRIu64
		  " bytes: %s", dpt_text_escape(ce->path, q, sizeof(q)),
		  ce->pub.loaded, ce->pub.size, strerror(-err));
	cache_load_end(c, ce);
	cache_mark_stale(c, ce);
}

static bool
held(const struct cache_entry *ce)
{
	return __atomic_load_n(&ce->pub.refcnt, __ATOMIC_ACQUIRE) != 0;
}

/* Frees unreferenced entries: stale ones always, current ones (least
 * recently used first) while `need` more bytes do not fit. Returns how
 * many it freed. */
static unsigned int
evict_entries(struct dpt_cache *c, uint64_t need,
	      const struct cache_entry *keep)
{
	struct cache_entry *ce, *next;
	unsigned int n = 0;

	for (ce = TAILQ_FIRST(&c->all); ce != NULL; ce = next) {
		next = TAILQ_NEXT(ce, all_link);
		if (ce == keep || held(ce))
			continue;
		if (!ce->stale && c->resident + need <= c->budget)
			continue;
		c->st.evictions++;
		cache_entry_free(c, ce);
		n++;
	}
	return n;
}

/* Evicts chunks no session window covers until need bytes fit. */
static bool
evict_chunks(struct dpt_cache *c, uint64_t need,
	     const struct cache_entry *ce_for, uint32_t for_i)
{
	struct cache_entry *ce;
	uint32_t i;

	TAILQ_FOREACH(ce, &c->all, all_link) {
		for (i = 0; i < ce->pub.n_chunks; i++) {
			if (c->resident + need <= c->budget)
				return true;
			if (ce == ce_for && i == for_i)
				continue;
			if (cache_chunk_evict(c, ce, i) == 0) {
				c->st.chunks_evicted++;
				if (ce->pub.load_err == 0)
					load_again(c, ce);
			}
		}
	}
	return c->resident + need <= c->budget;
}

/* Loads chunk i of ce if it fits (evicting as allowed). Returns bytes
 * loaded, 0 when it does not fit now. Sets *freed when making room freed
 * entries: other entries on the load list may be gone. */
static uint64_t
load_chunk(struct dpt_cache *c, struct cache_entry *ce, uint32_t i,
	   bool for_session, bool *freed)
{
	uint64_t len = RTE_MIN(DPT_CACHE_CHUNK,
			       ce->pub.size - (uint64_t)i * DPT_CACHE_CHUNK);
	int64_t n;

	if (c->resident + len > c->budget) {
		if (evict_entries(c, len, ce) != 0)
			*freed = true;
		/* A session waits for this chunk: chunks nobody needs make
		 * way. Reading ahead pushes out only entries nobody holds,
		 * never a chunk. */
		if (c->resident + len > c->budget &&
		    (!for_session || !evict_chunks(c, len, ce, i)))
			return 0;
	}
	n = cache_chunk_load(c, ce, i);
	if (n < 0) {
		/* the heap, or the process's descriptors, are short: later */
		if (n == -ENOMEM || n == -EMFILE || n == -ENFILE)
			return 0;
		load_fail(c, ce, (int)n);
		return 0;
	}
	if (ce->n_resident == ce->pub.n_chunks)
		cache_load_end(c, ce);
	return (uint64_t)n;
}

/* Chunks some session waits for. */
static uint64_t
load_held(struct dpt_cache *c, uint64_t max)
{
	struct cache_entry *ce, *next;
	uint64_t total = 0;
	uint32_t i;

	for (ce = TAILQ_FIRST(&c->loading); ce != NULL && total < max;
	     ce = next) {
		bool freed = false;

		next = TAILQ_NEXT(ce, load_link);
		for (i = 0; i < ce->pub.n_chunks && total < max; i++) {
			if (ce->pub.chunks[i] != NULL ||
			    __atomic_load_n(&ce->pub.holds[i],
					    __ATOMIC_ACQUIRE) == 0)
				continue;
			total += load_chunk(c, ce, i, true, &freed);
			if (!ce->loading)
				break;
		}
		/* next may have been freed: start over. Each time round
		 * frees an entry, so this ends. */
		if (freed)
			next = TAILQ_FIRST(&c->loading);
	}
	return total;
}

/* Reading ahead, oldest request first, within the budget. */
static uint64_t
load_ahead(struct dpt_cache *c, uint64_t max)
{
	struct cache_entry *ce, *next;
	uint64_t total = 0, n;

	for (ce = TAILQ_FIRST(&c->loading); ce != NULL && total < max;
	     ce = next) {
		bool freed = false;

		next = TAILQ_NEXT(ce, load_link);
		while (ce->loading && total < max) {
			uint32_t i = ce->next_prefetch;

			while (i < ce->pub.n_chunks && ce->pub.chunks[i] != NULL)
				i++;
			if (i == ce->pub.n_chunks)
				break;	/* read through once; now holds ask */
			n = load_chunk(c, ce, i, false, &freed);
			if (n == 0)
				return total;	/* the budget is full */
			ce->next_prefetch = i + 1;
			total += n;
		}
		/* next may have been freed: start over (those before are
		 * read through, so they are passed at once). */
		if (freed)
			next = TAILQ_FIRST(&c->loading);
	}
	return total;
}

uint64_t
dpt_cache_pump(struct dpt_cache *c, uint64_t max_bytes)
{
	uint64_t total;

	if (c == NULL)
		return 0;
	cache_chunk_reap(c);
	evict_entries(c, 0, NULL);	/* stale ones nobody holds */
	total = load_held(c, max_bytes);
	if (total < max_bytes)
		total += load_ahead(c, max_bytes - total);
	return total;
}
