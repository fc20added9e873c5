/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_CACHE_H_
#define _DPT_CACHE_H_

/*
 * The file cache. Files are resolved beneath the root and loaded into DPDK
 * heap memory (hugepages, or plain pages with --no-huge) by the main lcore,
 * in chunks of DPT_CACHE_CHUNK bytes, so a session can start on its first
 * blocks while the rest streams in, and a file larger than the whole budget
 * still streams through a window of chunks.
 *
 * An entry is one version of one file, found by the file's identity
 * (device, inode, size, mtime) after resolution, so every spelling of a
 * name shares it: a changed file becomes a new entry while sessions keep
 * the version they opened (its fd stays open, so even chunks evicted and
 * read again come from the version opened; a descriptor closed to stay
 * within the limit is opened again only onto that same version).
 *
 * Workers read only the chunks their session holds (dpt_cache_hold(): the
 * window it may send from); the main lcore never evicts a held chunk, and
 * loads held chunks first. A chunk's memory carries an
 * rte_mbuf_ext_shared_info: DATA mbufs point into it (zero copy) and it is
 * freed, on the main lcore, only after the last of them is freed, whichever
 * lcore frees it. Each chunk keeps prefix one's-complement sums, so a
 * block's UDP checksum costs O(1).
 *
 * Thread rules: create/destroy/open/pump/list/preload/evict/flush/stats on
 * the main lcore; read, sum, zc, hold, unhold, put from any lcore.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <rte_mbuf.h>

#define DPT_CACHE_CHUNK (UINT64_C(2) << 20)	/* a 2 MiB hugepage */

struct dpt_cache;
struct dpt_cache_chunk;

/* One version of one file. Workers use it only through the functions
 * below; the fields are for them. */
struct dpt_cache_entry {
	uint64_t size;
	uint64_t loaded;	/* bytes resident: dpt_cache_loaded() */
	uint32_t refcnt;	/* sessions holding it: atomics only */
	int load_err;		/* a failed load: negative errno, else 0 */
	uint32_t n_chunks;
	struct dpt_cache_chunk **chunks;	/* NULL: not resident */
	uint32_t *holds;	/* per chunk: windows that need it */
	/* the cache's own bookkeeping follows; see cache_internal.h */
};

struct dpt_cache_stats {
	uint64_t hits;		/* opens served by a cached entry */
	uint64_t misses;	/* opens that made a new entry */
	uint64_t chunks_loaded;
	uint64_t chunks_evicted;	/* chunks dropped to stay in budget */
	uint64_t chunk_frees_deferred;	/* freed later: mbufs still held them */
	uint64_t bytes_resident;
	uint64_t entries;
	uint64_t loads_in_progress;
	uint64_t evictions;
	uint64_t load_errors;
	uint64_t budget;
	uint64_t files_open;	/* descriptors the entries hold now */
	uint64_t files_max;	/* ... and at most */
	uint64_t files_closed;	/* closed to stay within files_max */
};

/*
 * Creates a cache over root (a directory, opened O_PATH and kept) with a
 * memory budget in bytes. Returns NULL with errno set.
 */
struct dpt_cache *dpt_cache_create(const char *root, uint64_t budget);
void dpt_cache_destroy(struct dpt_cache *c);

/*
 * What may be opened, from now on: serve_private serves regular files
 * without the world-read bit too (tftpd-hpa serves only world-readable
 * ones, and so does a new cache); max_open bounds the descriptors entries
 * hold (0: 256), the least recently used closed first. Main lcore.
 */
void dpt_cache_set_files(struct dpt_cache *c, bool serve_private,
			 unsigned int max_open);

/*
 * Resolves name beneath the root as if the root were a chroot: a leading
 * '/' or the root's own path is stripped; a `..` of the name that climbs
 * above the root is refused; symlinks are followed inside the root only
 * (an absolute one starts again at the root, `..` stops there). Only a
 * regular file, world-readable unless serve_private, is opened for
 * reading: its type and mode are checked first, so no directory, device,
 * FIFO or socket is ever opened. Returns the read-only fd and fills *st,
 * or a negative errno: -ENOENT (ERROR 1), -EACCES (ERROR 2).
 */
int dpt_cache_resolve(const struct dpt_cache *c, const char *name,
		      struct stat *st);

/*
 * Opens name for reading: resolves it, then finds the entry of the same
 * file and version (device, inode, size, mtime), whatever name led to it,
 * or makes a new one and starts loading it. Returns 0 and *e with a reference taken, or a negative errno
 * as dpt_cache_resolve() (-ENOMEM when memory for the entry is short).
 */
int dpt_cache_open(struct dpt_cache *c, const char *name,
		   struct dpt_cache_entry **e);

/* Drops a reference taken by dpt_cache_open(). Any lcore. */
void dpt_cache_put(struct dpt_cache_entry *e);

/* Bytes resident now (informational: residence is per chunk). */
static inline uint64_t
dpt_cache_loaded(const struct dpt_cache_entry *e)
{
	return __atomic_load_n(&e->loaded, __ATOMIC_ACQUIRE);
}

/*
 * A session's window now covers [off, off+len): keep those chunks resident,
 * and load them first when they are not. Hold the new window before
 * releasing the old one. Any lcore; len 0 holds nothing.
 */
void dpt_cache_hold(struct dpt_cache_entry *e, uint64_t off, uint64_t len);
void dpt_cache_unhold(struct dpt_cache_entry *e, uint64_t off, uint64_t len);

/*
 * Copies [off, off+len) into dst. Returns len, -EAGAIN when those bytes are
 * not resident yet, or the load's error. Call only within a held window.
 */
ssize_t dpt_cache_read(const struct dpt_cache_entry *e, uint64_t off,
		       void *dst, size_t len);

/*
 * The one's-complement sum of [off, off+len) (as dpt_net_sum() would give
 * for those bytes starting at an even offset), from the chunks' prefix sums:
 * O(1) whatever len. Returns 0, -EAGAIN or the load's error.
 */
int dpt_cache_sum(const struct dpt_cache_entry *e, uint64_t off,
		  uint32_t len, uint16_t *sum);

/* Where a block lies, for attaching it to an mbuf without a copy. */
struct dpt_cache_zc {
	void *addr;
	rte_iova_t iova;
	struct rte_mbuf_ext_shared_info *shinfo;	/* one reference taken */
	uint16_t sum;		/* as dpt_cache_sum(), when asked for */
};

/*
 * For zero-copy DATA: when [off, off+len) is resident inside one chunk,
 * fills zc with a reference on the chunk's shared info for one mbuf (the
 * mbuf's free gives it back), and the sum when want_sum, and returns 0. -ERANGE when the block spans
 * two chunks (copy it instead), -EAGAIN when not resident. Call only within
 * a held window.
 */
int dpt_cache_zc(const struct dpt_cache_entry *e, uint64_t off, uint32_t len,
		 bool want_sum, struct dpt_cache_zc *zc);

/*
 * The loader, a step at a time: frees chunks whose last mbuf went, loads
 * up to max_bytes (chunks held by sessions first, then the rest of each
 * file in request order while the budget allows), and evicts to make room:
 * unreferenced entries, least recently used first, then chunks no session
 * holds. Returns the bytes loaded; 0 when there was nothing to do.
 */
uint64_t dpt_cache_pump(struct dpt_cache *c, uint64_t max_bytes);

void dpt_cache_stats(const struct dpt_cache *c, struct dpt_cache_stats *st);

/* ---- the operator's view (console, telemetry): main lcore ---- */

struct dpt_cache_entry_info {
	char path[256];		/* relative to the root, as the kernel names
				 * the file (raw bytes: escape to print);
				 * truncated to fit */
	uint64_t size;
	uint64_t loaded;	/* bytes resident */
	uint32_t refcnt;	/* sessions holding it */
	bool stale;		/* superseded by a newer version on disk */
	bool loading;		/* not all of it resident */
	int load_err;
	uint32_t holds;		/* chunks held by session windows */
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

/* ---- filename remapping (tftpd-hpa's --map-file rules) ---- */

struct dpt_remap;

/*
 * Reads the rules in path: `FLAGS REGEX [REPLACEMENT]` a line, # comments,
 * flags from rgiesaGP46~ (docs/pxe.md). Returns 0 and *r, or -1 with one
 * line in err ("map.rules:3: regex '(': ...").
 */
int dpt_remap_load(const char *path, struct dpt_remap **r, char *err,
		   size_t errlen);
void dpt_remap_free(struct dpt_remap *r);

/*
 * Applies the rules to name, a request (put_req: a WRQ) from client ip of
 * family, into out. Returns 0, -EACCES when an `a` rule refuses it, or
 * -ENAMETOOLONG. r NULL copies name.
 */
int dpt_remap_apply(const struct dpt_remap *r, const char *name, bool put_req,
		    int family, const uint8_t *ip, char *out, size_t cap);

/* ---- uploads: the writer, on the main lcore ---- */

/*
 * What uploads may do. Off unless enabled. Names resolve beneath the root
 * as reads do (no escape, no symlink, no directory or device); the file is
 * written to a temporary name in its target folder and renamed into place
 * only when complete, so no partial file is ever seen under the real name.
 */
struct dpt_upload_policy {
	bool enabled;
	bool replace;		/* false: create new files only (ERROR 6) */
	bool fsync;		/* data and directory durable before the ACK */
	uint64_t max_size;	/* 0: no limit */
	mode_t mode;		/* of created files */
	const char *dirs;	/* comma-separated folders (relative to the
				 * root) uploads may go to; NULL/"": any */
	const char *patterns;	/* comma-separated fnmatch patterns on the
				 * relative path; NULL/"": any name */
};

struct dpt_upload;

/* The prefix of temporary files, in the folder of the file they become. */
#define DPT_UPLOAD_TMP_PREFIX ".dptftp-upload."

/*
 * Starts an upload of name: policy checks, then a temporary file in the
 * target folder. tsize (0: not announced) above the limit or the free space
 * is refused at once. Returns 0 and *u, or -EACCES (ERROR 2: uploads off,
 * outside the folders, a bad name, a directory, a symlink), -EEXIST (ERROR
 * 6), -ENOSPC or -EFBIG (ERROR 3), another negative errno.
 */
int dpt_upload_open(struct dpt_cache *c, const struct dpt_upload_policy *pol,
		    const char *name, uint64_t tsize, struct dpt_upload **u);

/* Writes len bytes at off: 0, or -ENOSPC/-EFBIG/-EIO... (the upload is
 * then dead: abort it). */
int dpt_upload_write(struct dpt_upload *u, uint64_t off, const void *buf,
		     size_t len);

/* Makes the file durable (when the policy says) and renames it into place;
 * frees u whatever happens. Returns 0, -EEXIST (it appeared meanwhile and
 * may not be replaced), or another negative errno. */
int dpt_upload_commit(struct dpt_upload *u);

/* Removes the temporary file and frees u. */
void dpt_upload_abort(struct dpt_upload *u);

/* Bytes written so far, and the relative name (for logs). */
uint64_t dpt_upload_size(const struct dpt_upload *u);
const char *dpt_upload_name(const struct dpt_upload *u);

/*
 * Removes temporary files a crash left behind (DPT_UPLOAD_TMP_PREFIX)
 * beneath the upload folders, or the whole root when there are none.
 * Returns how many, or a negative errno.
 */
int dpt_upload_cleanup(struct dpt_cache *c,
		       const struct dpt_upload_policy *pol);

#endif /* _DPT_CACHE_H_ */
