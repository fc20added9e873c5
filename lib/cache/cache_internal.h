/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_CACHE_INTERNAL_H_
#define _DPT_CACHE_INTERNAL_H_

/*
 * What the cache's own files share; not part of the interface. The tests
 * include it only to drive the openat2-less path walk on kernels that have
 * openat2.
 */

#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <time.h>

#include <rte_log.h>

#include "dpt_cache.h"

extern int dpt_cache_logtype;

#define CACHE_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, dpt_cache_logtype, \
		"dptftp.cache: " fmt "\n", ## __VA_ARGS__)

/* pread size: large enough to stream at disk speed, small enough that one
 * pump call does not hold the main lcore (console, telemetry) for long. */
#define CACHE_CHUNK (UINT64_C(1) << 20)

/* Power of two: the path index masks the hash. */
#define CACHE_BUCKETS 1024

/* Deepest directory nesting the openat2-less walk follows. */
#define CACHE_WALK_DEPTH 64

struct cache_entry {
	struct dpt_cache_entry pub;	/* first: all that workers see */
	uint8_t *buf;			/* pub.data, writable by the loader */
	int fd;				/* open while loading, else -1 */
	bool stale;			/* superseded: never handed out again */
	bool loading;			/* on the load FIFO */
	dev_t dev;			/* the version this entry holds */
	ino_t ino;
	struct timespec mtim;
	uint32_t hash;			/* of path, for the index */
	TAILQ_ENTRY(cache_entry) all_link;	/* every entry, oldest first */
	TAILQ_ENTRY(cache_entry) load_link;	/* while loading */
	LIST_ENTRY(cache_entry) path_link;	/* while current (not stale) */
	char path[];			/* relative to the root, normalised */
};

TAILQ_HEAD(cache_entry_list, cache_entry);
LIST_HEAD(cache_bucket, cache_entry);

struct dpt_cache {
	int root_fd;			/* O_PATH, every open starts here */
	bool use_openat2;		/* false: kernel or seccomp lacks it */
	size_t root_len;
	char root_path[PATH_MAX];	/* canonical, to strip from names */
	struct dpt_cache_stats st;	/* counters, main lcore only */
	struct cache_entry_list all;	/* LRU order will live here */
	struct cache_entry_list loading;	/* oldest request first */
	struct cache_bucket index[CACHE_BUCKETS];	/* current versions */
};

/* cache_resolve.c */

/* Reduces a client's name to a path relative to the root in rel. Returns
 * its length, or -ENOENT (empty, too long). */
int cache_normalise(const struct dpt_cache *c, const char *name, char *rel,
		    size_t size);

/* Opens rel beneath the root and checks it is a regular file: the fd, or
 * -ENOENT / -EACCES / another negative errno. */
int cache_open_rel(const struct dpt_cache *c, const char *rel,
		   struct stat *st);

/* Whether openat2 with RESOLVE_BENEATH works here. */
bool cache_probe_openat2(int root_fd);

/* The walk used without openat2: one component at a time, no symlinks,
 * ".." never above the root. Returns an fd or a raw negative errno. */
int cache_open_walk(int root_fd, const char *rel, int flags);

/* cache_load.c */

/* Ends a load: closes the fd and leaves the FIFO. */
void cache_load_end(struct dpt_cache *c, struct cache_entry *ce);

/* dpt_cache.c */

/* Takes ce out of the path index so no open finds it again. */
void cache_mark_stale(struct dpt_cache *c, struct cache_entry *ce);

/* Frees ce whatever its references: the caller knows none remain. */
void cache_entry_free(struct dpt_cache *c, struct cache_entry *ce);

#endif /* _DPT_CACHE_INTERNAL_H_ */
