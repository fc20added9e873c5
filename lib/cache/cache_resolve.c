/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Path resolution beneath the root. A file is looked up as if the root were
 * a chroot (tftpd-hpa -s): openat2's RESOLVE_IN_ROOT makes an absolute
 * symlink start again at the root and keeps ".." from climbing above it,
 * atomically, with no window for a rename race. What is found is opened
 * O_PATH and its type and mode checked before anything is opened for
 * reading, so no device, FIFO or socket is ever opened; the regular file
 * is then reopened for reading through /proc/self/fd, which names the
 * very inode checked. Kernels before 5.6 (or seccomp filters that do not
 * know openat2) get a walk, one component at a time, that follows
 * symlinks by the same rules. Upload folders are stricter: beneath the
 * root, no "..", absolute links refused (RESOLVE_BENEATH; the walk follows
 * no symlink at all).
 */

#define _GNU_SOURCE	/* O_PATH, RESOLVE_BENEATH's openat2, renameat2() */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "cache_internal.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* What a file is reopened with for reading: O_NOCTTY and O_NONBLOCK cost
 * nothing on a regular file and keep the fallback harmless if a race ever
 * swapped one in. */
#define CACHE_READ_FLAGS (O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)

/* Symlinks followed in one lookup, as the kernel's MAXSYMLINKS. */
#define CACHE_MAX_LINKS 40

static int
sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = {
		.flags = flags,
		.resolve = resolve,
	};
	int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : fd;
}

bool
cache_probe_openat2(int root_fd)
{
	int fd = sys_openat2(root_fd, ".", O_PATH | O_CLOEXEC,
			     RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	/* Old kernels say ENOSYS; older container seccomp profiles say EPERM,
	 * which would otherwise turn every request into "access violation". */
	CACHE_LOG(NOTICE, "openat2 unavailable (%s): paths walked one "
		  "component at a time", strerror(-fd));
	return false;
}

int
cache_normalise(const struct dpt_cache *c, const char *name, char *rel,
		size_t size)
{
	size_t n = 0;
	int depth = 0;
	const char *p;

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

	/* A name whose own ".." climbs above the root is a trick, not a
	 * mistake: refused as it always was, though the lookup below would
	 * only find the root again. */
	for (p = name; *p != '\0'; p += strcspn(p, "/"), p += *p == '/') {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return -EACCES;
		} else if (len > 0 && !(len == 1 && p[0] == '.')) {
			depth++;
		}
	}

	/* Collapse "//" so "a//b" and "a/b" read alike in logs. Nothing else
	 * is rewritten: ".." means what the file system says it means. */
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

/* Opens one component O_PATH without following it; fills *st. */
static int
walk_step(int dirfd, const char *comp, struct stat *st)
{
	int fd = openat(dirfd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* The rest of the walk becomes the link's target followed by what was
 * left: "target/rest". */
static int
walk_splice(int linkfd, const char *rest, char *path, size_t size)
{
	char target[PATH_MAX], joined[PATH_MAX];
	ssize_t n = readlinkat(linkfd, "", target, sizeof(target));
	int w;

	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(target))
		return -ENAMETOOLONG;
	target[n] = '\0';
	w = snprintf(joined, sizeof(joined), "%s%s%s", target,
		     *rest != '\0' ? "/" : "", rest);
	if (w < 0 || (size_t)w >= sizeof(joined) || (size_t)w >= size)
		return -ENAMETOOLONG;
	memcpy(path, joined, (size_t)w + 1);
	return 0;
}

int
cache_open_walk(int root_fd, const char *rel, bool follow)
{
	/* A stack of the directories walked through, so ".." goes back to
	 * the directory we came from, even if it was renamed meanwhile. */
	int stack[CACHE_WALK_DEPTH];
	int depth = 0, ret = 0, fd;
	unsigned int links = 0;
	char path[PATH_MAX];
	char *p = path;
	struct stat st;

	if (strlen(rel) >= sizeof(path))
		return -ENAMETOOLONG;
	strcpy(path, rel);
	stack[0] = root_fd;

	while (*p != '\0') {
		char *comp = p;
		size_t len = strcspn(p, "/");
		bool more;

		p += len;
		more = *p == '/';
		if (more)
			*p++ = '\0';
		while (*p == '/')
			p++;
		if (*comp == '\0' || strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (depth > 0)
				close(stack[depth--]);
			else if (!follow)
				return -EXDEV;	/* as RESOLVE_BENEATH */
			continue;		/* as RESOLVE_IN_ROOT */
		}
		fd = walk_step(stack[depth], comp, &st);
		if (fd < 0) {
			ret = fd;
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			ret = !follow || ++links > CACHE_MAX_LINKS ? -ELOOP :
			      walk_splice(fd, p, path, sizeof(path));
			close(fd);
			if (ret < 0)
				break;
			p = path;
			if (*p == '/')		/* absolute: from the root */
				while (depth > 0)
					close(stack[depth--]);
			continue;
		}
		if (!more && *p == '\0') {
			ret = fd;		/* the last component */
			goto out;
		}
		if (!S_ISDIR(st.st_mode) || depth + 1 >= CACHE_WALK_DEPTH) {
			close(fd);
			ret = S_ISDIR(st.st_mode) ? -ENAMETOOLONG : -ENOTDIR;
			break;
		}
		stack[++depth] = fd;
	}
	/* Names ending in "/", "." or "..": what remains is a directory,
	 * which the type check then refuses like openat2's result. */
	if (ret == 0) {
		ret = openat(stack[depth], ".", O_PATH | O_CLOEXEC);
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

/* An O_PATH fd of what rel names, looked up as in a chroot. */
static int
lookup_in_root(const struct dpt_cache *c, const char *rel)
{
	if (c->use_openat2)
		return sys_openat2(c->root_fd, rel, O_PATH | O_CLOEXEC,
				   RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	return cache_open_walk(c->root_fd, rel, true);
}

/*
 * The regular file behind pfd, opened for reading. /proc/self/fd/N names
 * that very inode, so nothing but the file checked can be opened; the
 * kernel checks read permission for the user we run as. Without /proc the
 * name is looked up again and must lead to the same inode.
 */
static int
reopen_read(const struct dpt_cache *c, const char *rel, int pfd,
	    const struct stat *st)
{
	char proc[32];
	struct stat now;
	int fd;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, CACHE_READ_FLAGS);
	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		return -errno;
	if (c->use_openat2)
		fd = sys_openat2(c->root_fd, rel, CACHE_READ_FLAGS,
				 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	else
		fd = -ENOSYS;	/* a kernel without openat2 has /proc */
	if (fd < 0)
		return fd;
	if (fstat(fd, &now) < 0 || now.st_dev != st->st_dev ||
	    now.st_ino != st->st_ino) {
		close(fd);
		return -EAGAIN;		/* replaced meanwhile: ask again */
	}
	return fd;
}

int
cache_open_rel(const struct dpt_cache *c, const char *rel, struct stat *st)
{
	int pfd, fd;

	pfd = lookup_in_root(c, rel);
	if (pfd < 0)
		return map_open_error(pfd);
	if (fstat(pfd, st) < 0) {
		fd = -errno;
		goto out;
	}
	/* Only regular files: a directory listing, a device or a FIFO is
	 * nothing to serve, and opening a device could have side effects.
	 * Only world-readable ones, as tftpd-hpa, unless told otherwise. */
	if (!S_ISREG(st->st_mode) ||
	    (!c->serve_private && !(st->st_mode & S_IROTH))) {
		fd = -EACCES;
		goto out;
	}
	fd = reopen_read(c, rel, pfd, st);
	if (fd < 0)
		fd = map_open_error(fd);
out:
	close(pfd);
	return fd;
}

int
cache_open_dir(const struct dpt_cache *c, const char *rel)
{
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC, fd, pfd;

	if (rel[0] == '\0')
		rel = ".";
	if (c->use_openat2) {
		fd = sys_openat2(c->root_fd, rel, (uint64_t)flags,
				 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
		return fd < 0 ? map_open_error(fd) : fd;
	}
	pfd = cache_open_walk(c->root_fd, rel, false);
	if (pfd < 0)
		return map_open_error(pfd);
	/* "." of an O_PATH directory is the directory itself. */
	fd = openat(pfd, ".", flags);
	if (fd < 0)
		fd = map_open_error(-errno);
	close(pfd);
	return fd;
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

int
cache_canonical(const struct dpt_cache *c, int fd, const char *rel,
		char *out, size_t size)
{
	char proc[32], abs[PATH_MAX];
	const char *p = rel;
	ssize_t n;
	size_t len;

	/* The kernel's name for the file it opened: one spelling for the
	 * many a client may use ("./f", "d/../f", a symlink). */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, abs, sizeof(abs) - 1);
	if (n > 0 && (size_t)n < sizeof(abs) - 1) {
		abs[n] = '\0';
		len = c->root_len == 1 ? 0 : c->root_len;
		/* unlinked meanwhile: the kernel appends " (deleted)" */
		if (strncmp(abs, c->root_path, len) == 0 && abs[len] == '/' &&
		    !(n > 10 && strcmp(abs + n - 10, " (deleted)") == 0))
			p = abs + len + 1;
	}
	len = strlen(p);
	if (len == 0 || len >= size)
		return -ENAMETOOLONG;
	memcpy(out, p, len + 1);
	return (int)len;
}
