/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The loader: the main lcore copies files into cache memory a chunk at a
 * time, oldest request first, and publishes each chunk with a release
 * store of `loaded` so a worker that sees the new length also sees the
 * bytes. Workers never wait on the disk; they retry a block later.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "cache_internal.h"

void
cache_load_end(struct dpt_cache *c, struct cache_entry *ce)
{
	if (ce->fd >= 0) {
		close(ce->fd);
		ce->fd = -1;
	}
	if (ce->loading) {
		TAILQ_REMOVE(&c->loading, ce, load_link);
		ce->loading = false;
		c->st.loads_in_progress--;
	}
}

/* A load that cannot finish: readers get err instead of -EAGAIN forever,
 * and the next open of the path starts afresh rather than finding it. */
static void
load_fail(struct dpt_cache *c, struct cache_entry *ce, int err)
{
	__atomic_store_n(&ce->pub.load_err, err, __ATOMIC_RELEASE);
	c->st.load_errors++;
	CACHE_LOG(WARNING, "loading %s failed at %" PRIu64 " of %" PRIu64
		  " bytes: %s", ce->path, ce->pub.loaded, ce->pub.size,
		  strerror(-err));
	cache_load_end(c, ce);
	cache_mark_stale(c, ce);
}

/* Reads at most max bytes into ce; returns the bytes read. */
static uint64_t
load_some(struct dpt_cache *c, struct cache_entry *ce, uint64_t max)
{
	uint64_t done = ce->pub.loaded;
	uint64_t want = RTE_MIN(ce->pub.size - done, CACHE_CHUNK);
	ssize_t n;

	want = RTE_MIN(want, max);

	do {
		n = pread(ce->fd, ce->buf + done, want, (off_t)done);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		load_fail(c, ce, -errno);
		return 0;
	}
	if (n == 0) {
		/* The file shrank under us: its tail will never come. */
		load_fail(c, ce, -EIO);
		return 0;
	}
	/* Only the loader writes `loaded`, so reading it plainly is fine;
	 * the store must be release so the bytes are visible first. */
	__atomic_store_n(&ce->pub.loaded, done + (uint64_t)n,
			 __ATOMIC_RELEASE);
	c->st.bytes_resident += (uint64_t)n;
	if (done + (uint64_t)n == ce->pub.size)
		cache_load_end(c, ce);
	return (uint64_t)n;
}

/* Frees superseded entries nobody holds. A stale entry is never handed out
 * again, so once its count reaches zero it stays there. */
static void
reap_stale(struct dpt_cache *c)
{
	struct cache_entry *ce, *next;

	for (ce = TAILQ_FIRST(&c->all); ce != NULL; ce = next) {
		next = TAILQ_NEXT(ce, all_link);
		if (!ce->stale ||
		    __atomic_load_n(&ce->pub.refcnt, __ATOMIC_ACQUIRE) != 0)
			continue;
		c->st.evictions++;
		cache_entry_free(c, ce);
	}
	/* Budget-driven LRU eviction of unreferenced current entries comes
	 * here in a later version. */
}

uint64_t
dpt_cache_pump(struct dpt_cache *c, uint64_t max_bytes)
{
	uint64_t total = 0;
	struct cache_entry *ce;

	if (c == NULL)
		return 0;
	reap_stale(c);
	while (total < max_bytes && (ce = TAILQ_FIRST(&c->loading)) != NULL)
		total += load_some(c, ce, max_bytes - total);
	return total;
}
