/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_CACHE_H_
#define _DPT_CACHE_H_

/*
 * The file cache. Files are resolved beneath the root and loaded into DPDK
 * heap memory (hugepages, or plain pages with --no-huge) by the main lcore,
 * in chunks, so a session can start on the first blocks while the rest
 * streams in. Workers only read: an entry's bytes [0, loaded) never change,
 * and `loaded` only grows (release store, acquire load). Each opened entry
 * holds a reference; a changed file on disk becomes a new entry while
 * sessions keep the version they opened.
 *
 * Thread rules: dpt_cache_open/pump/flush/evict/stats on the main lcore
 * only; dpt_cache_read, dpt_cache_loaded and dpt_cache_put from any lcore.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

struct dpt_cache;

/* One version of one file. Workers read these fields and nothing else. */
struct dpt_cache_entry {
	const uint8_t *data;	/* size bytes once loaded */
	uint64_t size;
	uint64_t loaded;	/* bytes resident: use dpt_cache_loaded() */
	uint32_t refcnt;	/* sessions holding it: atomics only */
	int load_err;		/* a failed load: negative errno, else 0 */
	/* the cache's own bookkeeping follows; see dpt_cache.c */
};

struct dpt_cache_stats {
	uint64_t hits;		/* opens served by a resident entry */
	uint64_t misses;	/* opens that started a load */
	uint64_t bytes_resident;
	uint64_t entries;
	uint64_t loads_in_progress;
	uint64_t evictions;
	uint64_t load_errors;
	uint64_t budget;
};

/*
 * Creates a cache over root (a directory, opened O_PATH and kept) with a
 * memory budget in bytes. Returns NULL with errno set.
 */
struct dpt_cache *dpt_cache_create(const char *root, uint64_t budget);
void dpt_cache_destroy(struct dpt_cache *c);

/*
 * Resolves name beneath the root: a leading '/' or the root's own path is
 * stripped; `..` that leaves the root, absolute paths outside it and
 * symlinks that lead outside are refused; so are directories, devices,
 * FIFOs and sockets. Returns an open read-only fd of a regular file and
 * fills *st, or a negative errno: -ENOENT (ERROR 1), -EACCES (ERROR 2).
 * Never blocks on a FIFO.
 */
int dpt_cache_resolve(const struct dpt_cache *c, const char *name,
		      struct stat *st);

/*
 * Opens name for reading: resolves it, then finds the resident entry of
 * the same version (device, inode, size, mtime) or starts loading a new
 * one. Returns 0 and *e with a reference taken, or a negative errno as
 * dpt_cache_resolve() (plus -ENOMEM when it can never fit).
 */
int dpt_cache_open(struct dpt_cache *c, const char *name,
		   struct dpt_cache_entry **e);

/* Drops a reference taken by dpt_cache_open(). Any lcore. */
void dpt_cache_put(struct dpt_cache_entry *e);

/* Bytes resident now. Any lcore. */
static inline uint64_t
dpt_cache_loaded(const struct dpt_cache_entry *e)
{
	return __atomic_load_n(&e->loaded, __ATOMIC_ACQUIRE);
}

/*
 * Copies [off, off+len) into dst. Returns len, -EAGAIN when those bytes
 * are not resident yet, or the load's error. Any lcore.
 */
ssize_t dpt_cache_read(const struct dpt_cache_entry *e, uint64_t off,
		       void *dst, size_t len);

/*
 * Loads up to max_bytes more across the entries being loaded (oldest
 * request first), and frees unreferenced entries over the budget. Returns
 * the bytes loaded; 0 means there is nothing to do. Main lcore.
 */
uint64_t dpt_cache_pump(struct dpt_cache *c, uint64_t max_bytes);

void dpt_cache_stats(const struct dpt_cache *c, struct dpt_cache_stats *st);

/* ---- the operator's view (console, telemetry): main lcore ---- */

struct dpt_cache_entry_info {
	char path[256];		/* relative to the root; truncated to fit */
	uint64_t size;
	uint64_t loaded;	/* bytes resident */
	uint32_t refcnt;	/* sessions holding it */
	bool stale;		/* superseded by a newer version on disk */
	bool loading;
	int load_err;
};

/* Calls fn for every entry, least recently used first; returns the count. */
unsigned int dpt_cache_list(const struct dpt_cache *c,
			    void (*fn)(const struct dpt_cache_entry_info *,
				       void *),
			    void *arg);

/* Starts loading name without a session (--preload, `cache load`).
 * Returns 0 or a negative errno as dpt_cache_open(). */
int dpt_cache_preload(struct dpt_cache *c, const char *name);

/* Drops name's entries nobody holds. Returns how many were freed, or
 * -ENOENT when none is cached, -EBUSY when all are in use (they go when
 * their sessions end). */
int dpt_cache_evict(struct dpt_cache *c, const char *name);

/* Drops every entry nobody holds; returns how many. */
unsigned int dpt_cache_flush(struct dpt_cache *c);

#endif /* _DPT_CACHE_H_ */
