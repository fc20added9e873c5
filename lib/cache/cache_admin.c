/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* The operator's handles on the cache: list, preload, evict, flush. */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_string_fns.h>

#include "cache_internal.h"

static bool
held(const struct cache_entry *ce)
{
	return __atomic_load_n(&ce->pub.refcnt, __ATOMIC_ACQUIRE) != 0;
}

unsigned int
dpt_cache_list(const struct dpt_cache *c,
	       void (*fn)(const struct dpt_cache_entry_info *, void *),
	       void *arg)
{
	const struct cache_entry *ce;
	struct dpt_cache_entry_info info;
	unsigned int n = 0;
	uint32_t i;

	TAILQ_FOREACH(ce, &c->all, all_link) {
		memset(&info, 0, sizeof(info));
		strlcpy(info.path, ce->path, sizeof(info.path));
		info.size = ce->pub.size;
		info.loaded = dpt_cache_loaded(&ce->pub);
		info.refcnt = __atomic_load_n(&ce->pub.refcnt,
					      __ATOMIC_ACQUIRE);
		info.stale = ce->stale;
		info.loading = ce->loading;
		info.load_err = ce->pub.load_err;
		for (i = 0; i < ce->pub.n_chunks; i++)
			if (__atomic_load_n(&ce->pub.holds[i],
					    __ATOMIC_RELAXED) != 0)
				info.holds++;
		fn(&info, arg);
		n++;
	}
	return n;
}

int
dpt_cache_preload(struct dpt_cache *c, const char *name)
{
	struct dpt_cache_entry *e;
	int rc = dpt_cache_open(c, name, &e);

	if (rc < 0)
		return rc;
	dpt_cache_put(e);	/* resident, unreferenced: evictable */
	return 0;
}

/* Whether ce is what name leads to: the file it resolves to now (any
 * version of it), or, when it leads nowhere any more, the path it spells. */
static bool
named(const struct cache_entry *ce, const char *path, const struct stat *st)
{
	return strcmp(ce->path, path) == 0 ||
	       (st != NULL && ce->dev == st->st_dev && ce->ino == st->st_ino);
}

int
dpt_cache_evict(struct dpt_cache *c, const char *name)
{
	struct cache_entry *ce, *next;
	char rel[PATH_MAX], path[PATH_MAX];
	struct stat st, *stp = NULL;
	int found = 0, freed = 0, fd;

	if (cache_normalise(c, name, rel, sizeof(rel)) < 0)
		return -ENOENT;
	strcpy(path, rel);
	fd = cache_open_rel(c, rel, &st);
	if (fd >= 0) {
		stp = &st;
		if (cache_canonical(c, fd, rel, path, sizeof(path)) < 0)
			strcpy(path, rel);
		close(fd);
	}
	for (ce = TAILQ_FIRST(&c->all); ce != NULL; ce = next) {
		next = TAILQ_NEXT(ce, all_link);
		if (!named(ce, path, stp))
			continue;
		found++;
		/* In use: it must not be handed out again, and goes when the
		 * last session lets go of it. */
		cache_mark_stale(c, ce);
		if (held(ce))
			continue;
		c->st.evictions++;
		cache_entry_free(c, ce);
		freed++;
	}
	if (found == 0)
		return -ENOENT;
	return freed > 0 ? freed : -EBUSY;
}

unsigned int
dpt_cache_flush(struct dpt_cache *c)
{
	struct cache_entry *ce, *next;
	unsigned int n = 0;

	for (ce = TAILQ_FIRST(&c->all); ce != NULL; ce = next) {
		next = TAILQ_NEXT(ce, all_link);
		if (held(ce))
			continue;
		c->st.evictions++;
		cache_entry_free(c, ce);
		n++;
	}
	return n;
}
