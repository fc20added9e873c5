/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Entries and their versions. An entry is found by the identity of the
 * file a name resolves to (device, inode, size, mtime), not by the name: a
 * client's "./f", "d/../f" and a symlink to f share one entry and one
 * descriptor. A second index by the kernel's own name for the file tells
 * when a path now leads to another version: the old entry leaves both
 * indexes (stale) but lives on while sessions hold it, so no transfer ever
 * mixes two versions of a file. Entries keep their file open to read
 * chunks again after eviction, within max_open descriptors, the least
 * recently used closed first.
 */

#define _GNU_SOURCE	/* O_PATH */

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_jhash.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "cache_internal.h"

RTE_LOG_REGISTER(dpt_cache_logtype, dptftp.cache, INFO);

struct dpt_cache *
dpt_cache_create(const char *root, uint64_t budget)
{
	char ring[RTE_RING_NAMESIZE];
	struct dpt_cache *c;
	unsigned int i;
	int err;

	if (root == NULL || budget == 0) {
		errno = EINVAL;
		return NULL;
	}
	c = rte_zmalloc("dpt_cache", sizeof(*c), RTE_CACHE_LINE_SIZE);
	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	c->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->root_fd < 0) {
		err = errno;
		CACHE_LOG(ERR, "cannot open root %s: %s", root, strerror(err));
		goto fail;
	}
	if (realpath(root, c->root_path) == NULL) {
		err = errno;
		CACHE_LOG(ERR, "cannot resolve root %s: %s", root,
			  strerror(err));
		goto fail;
	}
	c->root_len = strlen(c->root_path);
	c->use_openat2 = cache_probe_openat2(c->root_fd);
	c->max_open = CACHE_MAX_OPEN_DEFAULT;
	c->budget = RTE_MAX(budget, CACHE_MIN_CHUNKS * DPT_CACHE_CHUNK);
	c->st.budget = c->budget;
	/* Every chunk that can exist at once, with room for those whose
	 * mbufs outlive their eviction. */
	snprintf(ring, sizeof(ring), "dpt_dead_%p", (void *)c);
	c->dead = rte_ring_create(ring, rte_align32pow2((uint32_t)RTE_MIN(
		4 * (c->budget / DPT_CACHE_CHUNK) + 1024, UINT32_MAX / 4)),
		SOCKET_ID_ANY, RING_F_SC_DEQ);
	if (c->dead == NULL) {
		err = ENOMEM;
		goto fail;
	}
	TAILQ_INIT(&c->all);
	TAILQ_INIT(&c->loading);
	for (i = 0; i < CACHE_BUCKETS; i++) {
		LIST_INIT(&c->by_id[i]);
		LIST_INIT(&c->by_path[i]);
	}
	CACHE_LOG(INFO, "serving %s, budget %" PRIu64 " bytes", c->root_path,
		  budget);
	return c;

fail:
	if (c->root_fd >= 0)
		close(c->root_fd);
	rte_ring_free(c->dead);
	rte_free(c);
	errno = err;
	return NULL;
}

/* Closes ce's descriptor, if it still has one. */
static void
fd_close(struct dpt_cache *c, struct cache_entry *ce)
{
	if (ce->fd < 0)
		return;
	close(ce->fd);
	ce->fd = -1;
	c->n_open--;
}

void
cache_entry_free(struct dpt_cache *c, struct cache_entry *ce)
{
	uint32_t i;

	cache_load_end(c, ce);
	cache_mark_stale(c, ce);
	TAILQ_REMOVE(&c->all, ce, all_link);
	c->st.entries--;
	/* Nobody holds the entry, so nobody holds its chunks; mbufs may
	 * still point into them, and keep them alive until they go. */
	for (i = 0; i < ce->pub.n_chunks; i++) {
		if (ce->pub.chunks[i] != NULL)
			__atomic_store_n(&ce->pub.holds[i], 0,
					 __ATOMIC_RELAXED);
		cache_chunk_evict(c, ce, i);
	}
	fd_close(c, ce);
	rte_free(ce->pub.chunks);
	rte_free(ce->pub.holds);
	rte_free(ce);
}

void
dpt_cache_destroy(struct dpt_cache *c)
{
	struct cache_entry *ce;
	unsigned int held = 0;

	if (c == NULL)
		return;
	while ((ce = TAILQ_FIRST(&c->all)) != NULL) {
		if (__atomic_load_n(&ce->pub.refcnt, __ATOMIC_ACQUIRE) != 0)
			held++;
		cache_entry_free(c, ce);
	}
	/* Sessions must be gone first; say so rather than hide a bug. */
	if (held != 0)
		CACHE_LOG(WARNING, "destroyed with %u entries still referenced",
			  held);
	cache_chunk_reap(c);
	close(c->root_fd);
	rte_ring_free(c->dead);
	rte_free(c);
}

void
cache_mark_stale(struct dpt_cache *c, struct cache_entry *ce)
{
	RTE_SET_USED(c);
	if (ce->stale)
		return;
	ce->stale = true;
	LIST_REMOVE(ce, id_link);
	LIST_REMOVE(ce, path_link);
}

static uint32_t
id_hash(const struct stat *st)
{
	uint64_t dev = (uint64_t)st->st_dev, ino = (uint64_t)st->st_ino;

	return rte_jhash_3words((uint32_t)(dev ^ (dev >> 32)), (uint32_t)ino,
				(uint32_t)(ino >> 32), 0);
}

static bool
same_version(const struct cache_entry *ce, const struct stat *st)
{
	return ce->dev == st->st_dev && ce->ino == st->st_ino &&
		ce->pub.size == (uint64_t)st->st_size &&
		ce->mtim.tv_sec == st->st_mtim.tv_sec &&
		ce->mtim.tv_nsec == st->st_mtim.tv_nsec;
}

/* The current entry of the file st describes, whatever name led to it.
 * One of the same inode but another size or mtime was changed in place:
 * it is stale from now on. */
static struct cache_entry *
find_by_id(struct dpt_cache *c, const struct stat *st, uint32_t hash)
{
	struct cache_entry *ce, *next;

	for (ce = LIST_FIRST(&c->by_id[hash & (CACHE_BUCKETS - 1)]);
	     ce != NULL; ce = next) {
		next = LIST_NEXT(ce, id_link);
		if (ce->id_hash != hash || ce->dev != st->st_dev ||
		    ce->ino != st->st_ino)
			continue;
		if (same_version(ce, st))
			return ce;
		cache_mark_stale(c, ce);
	}
	return NULL;
}

static struct cache_entry *
find_by_path(struct dpt_cache *c, const char *path, uint32_t hash)
{
	struct cache_entry *ce;

	LIST_FOREACH(ce, &c->by_path[hash & (CACHE_BUCKETS - 1)], path_link)
		if (ce->path_hash == hash && strcmp(ce->path, path) == 0)
			return ce;
	return NULL;
}

/* Least recently used first: an entry nobody reads from now, then, when
 * all are busy, any (it opens its file again when it needs it). */
static struct cache_entry *
fd_victim(struct dpt_cache *c, const struct cache_entry *keep)
{
	struct cache_entry *ce, *any = NULL;

	TAILQ_FOREACH(ce, &c->all, all_link) {
		if (ce->fd < 0 || ce == keep)
			continue;
		if (!ce->loading && __atomic_load_n(&ce->pub.refcnt,
						    __ATOMIC_ACQUIRE) == 0)
			return ce;
		if (any == NULL)
			any = ce;
	}
	return any;
}

/* Gives fd to ce, closing others' while the cache would hold more than
 * max_open. */
static void
fd_adopt(struct dpt_cache *c, struct cache_entry *ce, int fd)
{
	struct cache_entry *victim;

	while (c->n_open >= c->max_open &&
	       (victim = fd_victim(c, ce)) != NULL) {
		close(victim->fd);
		victim->fd = -1;
		c->n_open--;
		c->st.files_closed++;
	}
	ce->fd = fd;
	c->n_open++;
}

int
cache_entry_fd(struct dpt_cache *c, struct cache_entry *ce)
{
	struct stat st;
	int fd;

	if (ce->fd >= 0)
		return ce->fd;
	fd = cache_open_rel(c, ce->path, &st);
	if (fd < 0)
		return fd == -ENOENT ? -ESTALE : fd;
	/* Only the very version the sessions opened will do. */
	if (!same_version(ce, &st)) {
		close(fd);
		return -ESTALE;
	}
	fd_adopt(c, ce, fd);
	return fd;
}

/* Makes the entry for a version not yet resident; takes over fd, which
 * stays open while the descriptors allow: evicted chunks are read again
 * from the very version the sessions opened. */
static int
entry_new(struct dpt_cache *c, const char *path, size_t path_len,
	  int fd, const struct stat *st, struct cache_entry **out)
{
	uint64_t size = (uint64_t)st->st_size;
	uint64_t n = (size + DPT_CACHE_CHUNK - 1) / DPT_CACHE_CHUNK;
	struct cache_entry *ce;

	if (n > UINT32_MAX)
		return -EFBIG;
	ce = rte_zmalloc("dpt_cache_entry", sizeof(*ce) + path_len + 1,
			 RTE_CACHE_LINE_SIZE);
	if (ce == NULL)
		return -ENOMEM;
	ce->pub.chunks = rte_zmalloc("dpt_chunks", sizeof(void *) * (n + 1),
				     0);
	ce->pub.holds = rte_zmalloc("dpt_holds", sizeof(uint32_t) * (n + 1),
				    RTE_CACHE_LINE_SIZE);
	if (ce->pub.chunks == NULL || ce->pub.holds == NULL) {
		rte_free(ce->pub.chunks);
		rte_free(ce->pub.holds);
		rte_free(ce);
		return -ENOMEM;
	}
	ce->pub.size = size;
	ce->pub.n_chunks = (uint32_t)n;
	ce->dev = st->st_dev;
	ce->ino = st->st_ino;
	ce->mtim = st->st_mtim;
	ce->id_hash = id_hash(st);
	ce->path_hash = rte_jhash(path, (uint32_t)path_len, 0);
	ce->fd = -1;
	memcpy(ce->path, path, path_len + 1);
	TAILQ_INSERT_TAIL(&c->all, ce, all_link);
	LIST_INSERT_HEAD(&c->by_id[ce->id_hash & (CACHE_BUCKETS - 1)], ce,
			 id_link);
	LIST_INSERT_HEAD(&c->by_path[ce->path_hash & (CACHE_BUCKETS - 1)],
			 ce, path_link);
	c->st.entries++;
	if (n > 0) {
		ce->loading = true;
		TAILQ_INSERT_TAIL(&c->loading, ce, load_link);
		c->st.loads_in_progress++;
		fd_adopt(c, ce, fd);
	} else {
		/* Empty: complete now, with nothing ever to read again. */
		close(fd);
	}
	*out = ce;
	return 0;
}

/* A hit: most recently used from now, the last to be evicted; the fresh
 * descriptor replaces one closed meanwhile while chunks are missing. */
static void
entry_hit(struct dpt_cache *c, struct cache_entry *ce, int fd)
{
	if (ce->fd < 0 && ce->n_resident < ce->pub.n_chunks)
		fd_adopt(c, ce, fd);
	else
		close(fd);
	__atomic_fetch_add(&ce->pub.refcnt, 1, __ATOMIC_RELAXED);
	c->st.hits++;
	TAILQ_REMOVE(&c->all, ce, all_link);
	TAILQ_INSERT_TAIL(&c->all, ce, all_link);
}

int
dpt_cache_open(struct dpt_cache *c, const char *name,
	       struct dpt_cache_entry **e)
{
	struct cache_entry *ce, *old;
	char rel[PATH_MAX], path[PATH_MAX];
	struct stat st;
	int len, fd, ret;

	if (c == NULL || name == NULL || e == NULL)
		return -EINVAL;
	len = cache_normalise(c, name, rel, sizeof(rel));
	if (len < 0)
		return len;
	fd = cache_open_rel(c, rel, &st);
	if (fd < 0)
		return fd;

	ce = find_by_id(c, &st, id_hash(&st));
	if (ce != NULL) {
		entry_hit(c, ce, fd);
		*e = &ce->pub;
		return 0;
	}

	/* Whatever happens next, the version this path led to before no
	 * longer matches the disk: let it go as soon as its holders do. */
	len = cache_canonical(c, fd, rel, path, sizeof(path));
	if (len < 0) {
		close(fd);
		return -ENOENT;
	}
	old = find_by_path(c, path, rte_jhash(path, (uint32_t)len, 0));
	if (old != NULL)
		cache_mark_stale(c, old);
	ret = entry_new(c, path, (size_t)len, fd, &st, &ce);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	__atomic_fetch_add(&ce->pub.refcnt, 1, __ATOMIC_RELAXED);
	c->st.misses++;
	*e = &ce->pub;
	return 0;
}

void
dpt_cache_set_files(struct dpt_cache *c, bool serve_private,
		    unsigned int max_open)
{
	struct cache_entry *victim;

	c->serve_private = serve_private;
	c->max_open = max_open != 0 ? max_open : CACHE_MAX_OPEN_DEFAULT;
	while (c->n_open > c->max_open &&
	       (victim = fd_victim(c, NULL)) != NULL) {
		fd_close(c, victim);
		c->st.files_closed++;
	}
}

void
dpt_cache_put(struct dpt_cache_entry *e)
{
	if (e == NULL)
		return;
	/* Release: this lcore's reads of the data happen before the main
	 * lcore may free it. */
	__atomic_fetch_sub(&e->refcnt, 1, __ATOMIC_RELEASE);
}

void
dpt_cache_stats(const struct dpt_cache *c, struct dpt_cache_stats *st)
{
	if (c == NULL || st == NULL)
		return;
	*st = c->st;
	st->bytes_resident = c->resident;
	st->files_open = c->n_open;
	st->files_max = c->max_open;
}
