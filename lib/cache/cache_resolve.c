/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Path resolution beneath the root. The kernel does the hard part: openat2
 * with RESOLVE_BENEATH refuses "..", absolute paths and symlinks that would
 * leave the root, atomically, with no window for a rename race. Kernels
 * before 5.6 (or seccomp filters that do not know openat2) get a walk that
 * is stricter rather than cleverer: it follows no symlinks at all.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "cache_internal.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* O_NONBLOCK: a FIFO planted in the root opens at once instead of waiting
 * for a writer; it is then refused by type. O_NOCTTY: a tty never becomes
 * our controlling terminal. */
#define CACHE_OPEN_FLAGS (O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)

static int
sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = {
		.flags = flags,
		.resolve = resolve,
	};

	return syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

bool
cache_probe_openat2(int root_fd)
{
	int fd = sys_openat2(root_fd, ".", O_PATH | O_CLOEXEC,
			     RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	/* Old kernels say ENOSYS; older container seccomp profiles say EPERM,
	 * which would otherwise turn every request into "access violation". */
	CACHE_LOG(NOTICE, "openat2 unavailable (%s): symlinks not followed",
		  strerror(errno));
	return false;
}

int
cache_normalise(const struct dpt_cache *c, const char *name, char *rel,
		size_t size)
{
	size_t n = 0;

	/* Clients often send the server's path back (from a DHCP filename or
	 * a config written for another tftpd); the root itself is not part
	 * of the name. "/" as root is covered by stripping slashes below. */
	if (c->root_len > 1 && strncmp(name, c->root_path, c->root_len) == 0 &&
	    name[c->root_len] == '/')
		name += c->root_len;
	while (*name == '/')
		name++;
	if (*name == '\0')
		return -ENOENT;

	/* Collapse "//" so "a//b" and "a/b" share one entry. Nothing else is
	 * rewritten: ".." means what the file system says it means. */
	for (; *name != '\0'; name++) {
		if (*name == '/' && n > 0 && rel[n - 1] == '/')
			continue;
		if (n + 1 >= size)
			return -ENOENT;
		rel[n++] = *name;
	}
	rel[n] = '\0';
	return (int)n;
}

/* Opens one directory component without following it if it is a link. */
static int
walk_dir(int dirfd, const char *comp)
{
	struct stat st;
	int fd;

	fd = openat(dirfd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (!S_ISDIR(st.st_mode)) {
		close(fd);
		return S_ISLNK(st.st_mode) ? -ELOOP : -ENOTDIR;
	}
	return fd;
}

int
cache_open_walk(int root_fd, const char *rel, int flags)
{
	/* A stack of the directories walked through, so ".." goes back to
	 * the directory we came from, even if it was renamed meanwhile. */
	int stack[CACHE_WALK_DEPTH];
	int depth = 0;
	char buf[PATH_MAX];
	char *p = buf;
	int ret = -ENOENT;
	bool opened = false;

	if (strlen(rel) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, rel);
	stack[0] = root_fd;

	while (*p != '\0') {
		char *slash = strchr(p, '/');
		char *comp = p;
		bool more = slash != NULL;

		if (more) {
			*slash = '\0';
			p = slash + 1;
		} else {
			p += strlen(p);
		}
		if (*comp == '\0' || strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (depth == 0) {
				ret = -EXDEV;
				goto out;
			}
			close(stack[depth--]);
			continue;
		}
		if (!more) {
			ret = openat(stack[depth], comp, flags | O_NOFOLLOW);
			if (ret < 0)
				ret = -errno;
			opened = true;
			break;
		}
		if (depth + 1 >= CACHE_WALK_DEPTH) {
			ret = -ENAMETOOLONG;
			goto out;
		}
		ret = walk_dir(stack[depth], comp);
		if (ret < 0)
			goto out;
		stack[++depth] = ret;
	}
	/* Names ending in "/", "." or "..": what remains is a directory, and
	 * opening it lets the type check refuse it like openat2's result. */
	if (!opened) {
		ret = openat(stack[depth], ".", flags);
		if (ret < 0)
			ret = -errno;
	}
out:
	while (depth > 0)
		close(stack[depth--]);
	return ret;
}

/* Folds the many ways to fail into the two a TFTP client can be told. */
static int
map_open_error(int err)
{
	switch (err) {
	case -ENOENT:
	case -ENOTDIR:
	case -ENAMETOOLONG:
		return -ENOENT;
	case -EXDEV:		/* RESOLVE_BENEATH: an escape */
	case -ELOOP:		/* a symlink where none may be, or a loop */
	case -EACCES:
	case -EPERM:
	case -ENXIO:		/* a socket, or a device with no driver */
	case -ENODEV:
		return -EACCES;
	default:		/* EMFILE, ENOMEM, EIO: the server's trouble */
		return err;
	}
}

int
cache_open_rel(const struct dpt_cache *c, const char *rel, struct stat *st)
{
	int fd;

	if (c->use_openat2)
		fd = sys_openat2(c->root_fd, rel, CACHE_OPEN_FLAGS,
				 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
	else
		fd = cache_open_walk(c->root_fd, rel, CACHE_OPEN_FLAGS);
	if (c->use_openat2 && fd < 0)
		fd = -errno;
	if (fd < 0)
		return map_open_error(fd);

	if (fstat(fd, st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	/* Only regular files: a directory listing, a device or a FIFO is
	 * nothing to serve, and reading a device could have side effects. */
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return -EACCES;
	}
	return fd;
}

int
cache_open_dir(const struct dpt_cache *c, const char *rel)
{
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC, fd;

	if (rel[0] == '\0')
		rel = ".";
	if (c->use_openat2) {
		fd = sys_openat2(c->root_fd, rel, (uint64_t)flags,
				 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
		if (fd < 0)
			fd = -errno;
	} else {
		fd = cache_open_walk(c->root_fd, rel, flags);
	}
	return fd < 0 ? map_open_error(fd) : fd;
}

int
dpt_cache_resolve(const struct dpt_cache *c, const char *name,
		  struct stat *st)
{
	char rel[PATH_MAX];
	int ret;

	if (c == NULL || name == NULL || st == NULL)
		return -EINVAL;
	ret = cache_normalise(c, name, rel, sizeof(rel));
	if (ret < 0)
		return ret;
	return cache_open_rel(c, rel, st);
}
