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
#include "dpt_text.h"

extern int dpt_cache_logtype;

#define CACHE_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, dpt_cache_logtype, \
		"dptftp.cache: " fmt "\n", ## __VA_ARGS__)

/* Room for a name as logged: clients choose names, so they are logged
 * escaped (dpt_text_escape), cut short if long. */
#define CACHE_LOG_NAME 512

/* Prefix sums every CACHE_SUM_STEP bytes of a chunk (even, so a step
 * starts at an even offset of the file): a block's sum then reads two of
 * them and sums under 2 x 32 bytes at its edges; they cost 1/16 of the
 * chunk's memory. */
#define CACHE_SUM_STEP 32

/* Power of two: the path index masks the hash. */
#define CACHE_BUCKETS 1024

/* Deepest directory nesting the openat2-less walk follows. */
#define CACHE_WALK_DEPTH 64

/* Descriptors the cache may hold unless told otherwise: well under the
 * usual limit of 1024, leaving room for sockets, uploads and EAL. */
#define CACHE_MAX_OPEN_DEFAULT 256

/* The budget never goes below this many chunks: sessions on different
 * parts of files each need a chunk or two. */
#define CACHE_MIN_CHUNKS 4

/* One resident chunk of one entry. */
struct dpt_cache_chunk {
	/* refcnt: 1 for the cache while published, +1 per mbuf on it */
	struct rte_mbuf_ext_shared_info shinfo;
	uint8_t *data;
	rte_iova_t iova;
	bool iova_split;		/* not IOVA-contiguous: never zero-copy */
	uint32_t len;
	uint32_t index;
	struct dpt_cache *cache;	/* where its free is queued */
	uint16_t psum[];		/* psum[k]: sum of data[0, k*STEP) */
};

struct cache_entry {
	struct dpt_cache_entry pub;	/* first: all that workers see */
	int fd;				/* the version opened; -1 once closed
					 * to stay within max_open */
	bool stale;			/* superseded: never handed out again */
	bool loading;			/* on the load list: not all resident */
	uint32_t n_resident;		/* chunks published */
	uint32_t next_prefetch;		/* next chunk the prefetch loads */
	dev_t dev;			/* the version this entry holds: */
	ino_t ino;			/* its identity, with pub.size */
	struct timespec mtim;
	uint32_t id_hash;		/* of dev and inode */
	uint32_t path_hash;		/* of path */
	TAILQ_ENTRY(cache_entry) all_link;	/* LRU: least recent first */
	TAILQ_ENTRY(cache_entry) load_link;	/* while not all resident */
	LIST_ENTRY(cache_entry) id_link;	/* while current (not stale) */
	LIST_ENTRY(cache_entry) path_link;	/* while current (not stale) */
	char path[];			/* relative to the root, canonical */
};

TAILQ_HEAD(cache_entry_list, cache_entry);
LIST_HEAD(cache_bucket, cache_entry);

struct dpt_cache {
	int root_fd;			/* O_PATH, every open starts here */
	uint64_t budget;		/* bytes of chunks, at least the min */
	uint64_t resident;		/* bytes of published chunks */
	struct rte_ring *dead;		/* chunks whose last mbuf was freed */
	bool use_openat2;		/* false: kernel or seccomp lacks it */
	bool serve_private;		/* also files not world-readable */
	unsigned int max_open;		/* descriptors entries may hold */
	unsigned int n_open;		/* descriptors entries hold */
	size_t root_len;
	char root_path[PATH_MAX];	/* canonical, to strip from names */
	struct dpt_cache_stats st;	/* counters, main lcore only */
	struct cache_entry_list all;	/* least recently used first */
	struct cache_entry_list loading;	/* oldest request first */
	struct cache_bucket by_id[CACHE_BUCKETS];	/* current versions */
	struct cache_bucket by_path[CACHE_BUCKETS];	/* the same, by name */
};

/* cache_resolve.c */

/* Reduces a client's name to a path relative to the root in rel. Returns
 * its length, -ENOENT (empty, too long) or -EACCES (its ".." climbs above
 * the root). */
int cache_normalise(const struct dpt_cache *c, const char *name, char *rel,
		    size_t size);

/* Opens rel for reading as if the root were a chroot, after checking that
 * it is a regular file (world-readable unless serve_private): the fd, or
 * -ENOENT / -EACCES / another negative errno. */
int cache_open_rel(const struct dpt_cache *c, const char *rel,
		   struct stat *st);

/* Opens the directory rel (may be "") beneath the root, O_RDONLY, with
 * the stricter rules of uploads: an fd or a negative errno. */
int cache_open_dir(const struct dpt_cache *c, const char *rel);

/* Whether openat2 with RESOLVE_IN_ROOT works here. */
bool cache_probe_openat2(int root_fd);

/* The walk used without openat2, one component at a time, ".." never
 * above the root. follow: symlinks are followed as RESOLVE_IN_ROOT does
 * (absolute ones from the root, ".." at the root stays there); else none
 * is, and ".." above the root is -EXDEV. Returns an O_PATH fd or a raw
 * negative errno. */
int cache_open_walk(int root_fd, const char *rel, bool follow);

/* The path of open file fd relative to the root, as the kernel names it,
 * into out; rel when the kernel's name is not beneath the root. Returns
 * its length or -ENAMETOOLONG. */
int cache_canonical(const struct dpt_cache *c, int fd, const char *rel,
		    char *out, size_t size);

/* cache_load.c */

/* Takes ce off the load list (all resident, or going away). */
void cache_load_end(struct dpt_cache *c, struct cache_entry *ce);

/* cache_chunk.c */

/* Reads chunk i of ce from its fd, computes its sums and publishes it.
 * Returns the bytes loaded, or a negative errno. */
int64_t cache_chunk_load(struct dpt_cache *c, struct cache_entry *ce,
			 uint32_t i);

/* Unpublishes chunk i unless a session holds it (then -EBUSY). Its memory
 * goes now, or when the last mbuf on it is freed. */
int cache_chunk_evict(struct dpt_cache *c, struct cache_entry *ce,
		      uint32_t i);

/* Frees the chunks whose last mbuf went meanwhile. Returns how many. */
unsigned int cache_chunk_reap(struct dpt_cache *c);

/* dpt_cache.c */

/* Takes ce out of the indexes so no open finds it again. */
void cache_mark_stale(struct dpt_cache *c, struct cache_entry *ce);

/* ce's descriptor, opened again (the same version, or -ESTALE) when it
 * was closed to stay within max_open. */
int cache_entry_fd(struct dpt_cache *c, struct cache_entry *ce);

/* Frees ce whatever its references: the caller knows none remain. */
void cache_entry_free(struct dpt_cache *c, struct cache_entry *ce);

#endif /* _DPT_CACHE_INTERNAL_H_ */
