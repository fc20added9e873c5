/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The upload writer, on the main lcore. An upload goes to a temporary file
 * created beside its target (O_EXCL, never following a symlink), is synced
 * when the policy says, and is renamed into place in one step: readers see
 * the old file or the whole new one, never a part. A failed or abandoned
 * upload leaves only its temporary file, which is removed then or, after a
 * crash, at the next start.
 */

#define _GNU_SOURCE	/* renameat2(), nftw() */

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_random.h>
#include <rte_string_fns.h>

#include "cache_internal.h"

struct dpt_upload {
	int dirfd;		/* the target's folder, O_RDONLY */
	int fd;			/* the temporary file */
	bool replace, fsync;
	uint64_t max_size;
	uint64_t size;		/* bytes written so far (highest offset) */
	char tmp[NAME_MAX + 1];
	char base[NAME_MAX + 1];
	char rel[PATH_MAX];
};

/* Whether item (of a comma-separated list) matches by fn; an empty or
 * absent list matches everything. */
static bool
list_match(const char *list, const char *rel,
	   bool (*fn)(const char *item, size_t len, const char *rel))
{
	const char *p = list;

	if (list == NULL || list[0] == '\0')
		return true;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");

		if (n > 0 && fn(p, n, rel))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

/* rel lies in folder item (relative to the root, slashes trimmed). */
static bool
in_dir(const char *item, size_t len, const char *rel)
{
	while (len > 0 && item[0] == '/') {
		item++;
		len--;
	}
	while (len > 0 && item[len - 1] == '/')
		len--;
	if (len == 0)
		return true;
	return strncmp(rel, item, len) == 0 && rel[len] == '/';
}

static bool
matches(const char *item, size_t len, const char *rel)
{
	char pat[PATH_MAX];

	if (len >= sizeof(pat))
		return false;
	memcpy(pat, item, len);
	pat[len] = '\0';
	return fnmatch(pat, rel, FNM_PATHNAME | FNM_PERIOD) == 0;
}

/* A ".." anywhere: an upload has no business climbing, and a folder
 * check on the name would be fooled by it ("incoming/../x"). */
static bool
has_dotdot(const char *rel)
{
	const char *p = rel;

	while ((p = strstr(p, "..")) != NULL) {
		if ((p == rel || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
		p += 2;
	}
	return false;
}

/*
 * Is the folder we opened one of the upload folders, or beneath one? Asked
 * of the folder itself, not its name: its ancestors are walked by device
 * and inode up to the root, so neither ".." nor a symlink in the path can
 * lead an upload elsewhere.
 */
static bool
dir_allowed(const struct dpt_cache *c, const char *dirs, int dirfd)
{
	struct stat root, allowed[16], st;
	unsigned int n = 0, i, depth;
	const char *p = dirs;
	bool ok = false;
	int cur, next;

	if (dirs == NULL || dirs[0] == '\0')
		return true;
	if (fstat(c->root_fd, &root) < 0)
		return false;
	while (*p != '\0' && n < RTE_DIM(allowed)) {
		size_t len = strcspn(p, ",");
		char rel[PATH_MAX];
		int fd;

		if (len > 0 && len < sizeof(rel)) {
			memcpy(rel, p, len);
			rel[len] = '\0';
			fd = cache_open_dir(c, rel[0] == '/' ? rel + 1 : rel);
			if (fd >= 0) {
				if (fstat(fd, &allowed[n]) == 0)
					n++;
				close(fd);
			}
		}
		p += len + (p[len] == ',');
	}
	cur = dup(dirfd);
	for (depth = 0; cur >= 0 && depth < CACHE_WALK_DEPTH && !ok; depth++) {
		if (fstat(cur, &st) < 0)
			break;
		for (i = 0; i < n; i++)
			if (st.st_dev == allowed[i].st_dev &&
			    st.st_ino == allowed[i].st_ino)
				ok = true;
		if (ok || (st.st_dev == root.st_dev &&
			   st.st_ino == root.st_ino))
			break;
		next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(cur);
		cur = next;
	}
	if (cur >= 0)
		close(cur);
	return ok;
}

/* Refuses what can never be a file name: ".", "..", our own temp names. */
static bool
bad_base(const char *base)
{
	return base[0] == '\0' || strcmp(base, ".") == 0 ||
	       strcmp(base, "..") == 0 ||
	       strncmp(base, DPT_UPLOAD_TMP_PREFIX,
		       strlen(DPT_UPLOAD_TMP_PREFIX)) == 0;
}

/* The target may exist only as a regular file that may be replaced. */
static int
check_target(const struct dpt_upload *u)
{
	struct stat st;

	if (fstatat(u->dirfd, u->base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;		/* a directory, a symlink, a device */
	return u->replace ? 0 : -EEXIST;
}

static int
check_space(int dirfd, uint64_t tsize)
{
	struct statvfs vfs;

	if (tsize == 0 || fstatvfs(dirfd, &vfs) < 0)
		return 0;
	if (tsize > (uint64_t)vfs.f_bavail * vfs.f_frsize)
		return -ENOSPC;
	return 0;
}

static void
upload_free(struct dpt_upload *u)
{
	if (u->fd >= 0)
		close(u->fd);
	if (u->dirfd >= 0)
		close(u->dirfd);
	rte_free(u);
}

int
dpt_upload_open(struct dpt_cache *c, const struct dpt_upload_policy *pol,
		const char *name, uint64_t tsize, struct dpt_upload **out)
{
	char q[CACHE_LOG_NAME];
	struct dpt_upload *u;
	char *slash;
	int rc, tries;

	if (!pol->enabled)
		return -EACCES;
	if (pol->max_size != 0 && tsize > pol->max_size)
		return -EFBIG;
	u = rte_zmalloc("dpt_upload", sizeof(*u), 0);
	if (u == NULL)
		return -ENOMEM;
	u->dirfd = u->fd = -1;
	u->replace = pol->replace;
	u->fsync = pol->fsync;
	u->max_size = pol->max_size;
	rc = cache_normalise(c, name, u->rel, sizeof(u->rel));
	if (rc < 0)
		goto fail;
	rc = -EACCES;
	if (has_dotdot(u->rel) || !list_match(pol->dirs, u->rel, in_dir) ||
	    !list_match(pol->patterns, u->rel, matches))
		goto fail;
	slash = strrchr(u->rel, '/');
	if (strlcpy(u->base, slash == NULL ? u->rel : slash + 1,
		    sizeof(u->base)) >= sizeof(u->base) || bad_base(u->base))
		goto fail;
	if (slash != NULL)
		*slash = '\0';
	u->dirfd = cache_open_dir(c, slash == NULL ? "" : u->rel);
	if (slash != NULL)
		*slash = '/';
	if (u->dirfd < 0) {
		rc = u->dirfd == -ENOENT ? -EACCES : u->dirfd;
		goto fail;
	}
	if (!dir_allowed(c, pol->dirs, u->dirfd)) {
		rc = -EACCES;
		goto fail;
	}
	rc = check_target(u);
	if (rc == 0)
		rc = check_space(u->dirfd, tsize);
	if (rc < 0)
		goto fail;
	for (tries = 0; tries < 16 && u->fd < 0; tries++) {
		snprintf(u->tmp, sizeof(u->tmp), DPT_UPLOAD_TMP_PREFIX "%016llx",
			 (unsigned long long)rte_rand());
		u->fd = openat(u->dirfd, u->tmp, O_WRONLY | O_CREAT | O_EXCL |
			       O_NOFOLLOW | O_CLOEXEC, pol->mode);
		if (u->fd < 0 && errno != EEXIST) {
			rc = -errno;
			goto fail;
		}
	}
	if (u->fd < 0) {
		rc = -EEXIST;
		goto fail;
	}
	/* The mode asked for, whatever the umask took off. */
	if (fchmod(u->fd, pol->mode) < 0)
		CACHE_LOG(WARNING, "upload %s: chmod %o: %s",
			  dpt_text_escape(u->rel, q, sizeof(q)),
			  (unsigned int)pol->mode, strerror(errno));
	*out = u;
	return 0;
fail:
	upload_free(u);
	return rc;
}

int
dpt_upload_write(struct dpt_upload *u, uint64_t off, const void *buf,
		 size_t len)
{
	const uint8_t *p = buf;
	size_t done = 0;

	if (u->max_size != 0 && off + len > u->max_size)
		return -EFBIG;
	while (done < len) {
		ssize_t n = pwrite(u->fd, p + done, len - done,
				   (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	if (off + len > u->size)
		u->size = off + len;
	return 0;
}

int
dpt_upload_commit(struct dpt_upload *u)
{
	char q[CACHE_LOG_NAME];
	int rc = 0;

	if (u->fsync && fsync(u->fd) < 0)
		rc = -errno;
	if (rc == 0 && close(u->fd) < 0)	/* NFS reports errors here */
		rc = -errno;
	u->fd = -1;
	if (rc == 0 && renameat2(u->dirfd, u->tmp, u->dirfd, u->base,
				 u->replace ? 0 : RENAME_NOREPLACE) < 0)
		rc = -errno;
	if (rc == 0 && u->fsync && fsync(u->dirfd) < 0)
		rc = -errno;
	dpt_text_escape(u->rel, q, sizeof(q));
	if (rc < 0) {
		unlinkat(u->dirfd, u->tmp, 0);
		CACHE_LOG(WARNING, "upload %s: %s", q, strerror(-rc));
	} else {
		CACHE_LOG(INFO, "upload %s: %" PRIu64 " bytes", q, u->size);
	}
	upload_free(u);
	return rc;
}

void
dpt_upload_abort(struct dpt_upload *u)
{
	if (u == NULL)
		return;
	/* Closed before the name goes: whoever sees the temporary gone
	 * also sees its space free again. */
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	unlinkat(u->dirfd, u->tmp, 0);
	upload_free(u);
}

uint64_t
dpt_upload_size(const struct dpt_upload *u)
{
	return u->size;
}

const char *
dpt_upload_name(const struct dpt_upload *u)
{
	return u->rel;
}

/* nftw has no argument for its callback: one cleanup at a time. */
static int cleaned;

static int
clean_one(const char *path, const struct stat *st, int type,
	  struct FTW *ftw)
{
	if (type == FTW_F && S_ISREG(st->st_mode) &&
	    strncmp(path + ftw->base, DPT_UPLOAD_TMP_PREFIX,
		    strlen(DPT_UPLOAD_TMP_PREFIX)) == 0) {
		char q[CACHE_LOG_NAME];

		if (unlink(path) == 0) {
			cleaned++;
			CACHE_LOG(NOTICE, "removed %s, left by an upload that "
				  "never finished",
				  dpt_text_escape(path, q, sizeof(q)));
		}
	}
	return 0;
}

static int
clean_dir(const struct dpt_cache *c, const char *item, size_t len)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/%.*s", c->root_path,
			 (int)len, item);

	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	/* FTW_PHYS: never follow a symlink out of the root. */
	if (nftw(path, clean_one, 16, FTW_PHYS | FTW_MOUNT) < 0 &&
	    errno != ENOENT)
		return -errno;
	return 0;
}

int
dpt_upload_cleanup(struct dpt_cache *c, const struct dpt_upload_policy *pol)
{
	const char *p = pol->dirs;
	int rc = 0;

	cleaned = 0;
	if (p == NULL || p[0] == '\0')
		rc = clean_dir(c, "", 0);
	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ",");
		int r = n > 0 ? clean_dir(c, p, n) : 0;

		if (r < 0)
			rc = r;
		p += n + (p[n] == ',');
	}
	return rc < 0 ? rc : cleaned;
}
