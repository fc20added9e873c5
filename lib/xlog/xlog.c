/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The transfer log's history and sinks. The history is a circular array
 * of the last records; the file sink writes a whole JSON line with one
 * write() on an O_APPEND descriptor, so a line is never interleaved or
 * split by logrotate's copytruncate, and SIGHUP reopens the path after a
 * rotation that moved the file.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "dpt_xlog.h"

struct dpt_xlog {
	struct dpt_xlog_entry *ring;
	unsigned int cap, head, n;	/* head: the next slot written */
	uint64_t seq;
	enum dpt_xlog_sink sink;
	int fd;
	char path[4096];
	struct dpt_xlog_stats st;
};

struct dpt_xlog *
dpt_xlog_create(unsigned int history)
{
	struct dpt_xlog *xl = calloc(1, sizeof(*xl));

	if (xl == NULL)
		return NULL;
	xl->cap = history > 0 ? history : 1;
	xl->ring = calloc(xl->cap, sizeof(*xl->ring));
	if (xl->ring == NULL) {
		free(xl);
		errno = ENOMEM;
		return NULL;
	}
	xl->fd = -1;
	return xl;
}

void
dpt_xlog_destroy(struct dpt_xlog *xl)
{
	if (xl == NULL)
		return;
	if (xl->fd >= 0)
		close(xl->fd);
	free(xl->ring);
	free(xl);
}

static int
open_file(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
		      O_NOCTTY | O_NOFOLLOW, 0640);

	if (fd < 0)
		snprintf(err, errlen, "--transfer-log %s: cannot open: %s",
			 path, strerror(errno));
	return fd;
}

int
dpt_xlog_set_sink(struct dpt_xlog *xl, const char *spec, char *err,
		  size_t errlen)
{
	int fd = -1;
	enum dpt_xlog_sink sink;

	if (strcmp(spec, "off") == 0) {
		sink = DPT_XLOG_OFF;
	} else if (strcmp(spec, "syslog") == 0) {
		sink = DPT_XLOG_SYSLOG;
		/* As EAL does: the journal's socket is opened now, while
		 * the path may still be reached. */
		openlog("dptftpd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	} else {
		if (strlen(spec) >= sizeof(xl->path)) {
			snprintf(err, errlen, "--transfer-log: path too long");
			return -1;
		}
		fd = open_file(spec, err, errlen);
		if (fd < 0)
			return -1;
		sink = DPT_XLOG_FILE;
		snprintf(xl->path, sizeof(xl->path), "%s", spec);
	}
	if (xl->fd >= 0)
		close(xl->fd);
	xl->fd = fd;
	xl->sink = sink;
	return 0;
}

enum dpt_xlog_sink
dpt_xlog_sink(const struct dpt_xlog *xl)
{
	return xl->sink;
}

int
dpt_xlog_fd(const struct dpt_xlog *xl)
{
	return xl->fd;
}

int
dpt_xlog_reopen(struct dpt_xlog *xl, char *err, size_t errlen)
{
	int fd;

	if (xl->sink != DPT_XLOG_FILE)
		return 0;
	fd = open_file(xl->path, err, errlen);
	if (fd < 0)
		return -1;
	close(xl->fd);
	xl->fd = fd;
	xl->st.reopens++;
	return 0;
}

/* The wall clock of a dataplane time: now on both clocks, less the age. */
static uint64_t
wall_us(uint64_t dp_us)
{
	struct timespec ts;
	uint64_t now = dpt_dp_now_us(), wall;

	clock_gettime(CLOCK_REALTIME, &ts);
	wall = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	return wall - (now > dp_us ? now - dp_us : 0);
}

static void
write_sink(struct dpt_xlog *xl, const struct dpt_xlog_entry *e)
{
	char line[DPT_XLOG_LINE_MAX + 1];
	size_t n;

	switch (xl->sink) {
	case DPT_XLOG_SYSLOG:
		dpt_xlog_logfmt(e, line, sizeof(line));
		syslog(LOG_INFO, "%s", line);
		xl->st.written++;
		break;
	case DPT_XLOG_FILE:
		n = dpt_xlog_json(e, line, sizeof(line) - 1);
		line[n++] = '\n';
		if (write(xl->fd, line, n) == (ssize_t)n)
			xl->st.written++;
		else
			xl->st.write_errors++;
		break;
	default:
		break;
	}
}

void
dpt_xlog_add(const struct dpt_transfer *t, void *arg)
{
	struct dpt_xlog *xl = arg;
	struct dpt_xlog_entry *e = &xl->ring[xl->head];

	e->seq = ++xl->seq;
	e->start_unix_us = wall_us(t->start_us);
	e->t = *t;
	xl->head = xl->head + 1 == xl->cap ? 0 : xl->head + 1;
	if (xl->n < xl->cap)
		xl->n++;
	xl->st.records++;
	write_sink(xl, e);
}

void
dpt_xlog_stats(const struct dpt_xlog *xl, struct dpt_xlog_stats *st)
{
	*st = xl->st;
}

unsigned int
dpt_xlog_last(const struct dpt_xlog *xl, unsigned int n,
	      void (*fn)(const struct dpt_xlog_entry *, void *), void *arg)
{
	unsigned int i, first;

	if (n > xl->n)
		n = xl->n;
	first = (xl->head + xl->cap - n) % xl->cap;
	for (i = 0; i < n; i++)
		fn(&xl->ring[(first + i) % xl->cap], arg);
	return n;
}
