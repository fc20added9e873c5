/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_XLOG_H_
#define _DPT_XLOG_H_

/*
 * The transfer log: the main lcore's end of lib/dp's transfer records.
 * Each record is kept in a history of the last ones (`show transfers`)
 * and written to the sink: syslog (one line, LOG_INFO, the journal's
 * way), a file of JSON lines (reopened on SIGHUP, so logrotate works), or
 * nothing. Client-chosen text (file names, ERROR messages) is escaped
 * with lib/text, then quoted for the format. Main lcore only.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dpt_dp.h"

struct dpt_xlog;

/* A record as the log keeps it. */
struct dpt_xlog_entry {
	uint64_t seq;			/* 1 for the first since the start */
	uint64_t start_unix_us;		/* wall clock of the request */
	struct dpt_transfer t;
};

enum dpt_xlog_sink {
	DPT_XLOG_OFF = 0,
	DPT_XLOG_SYSLOG,
	DPT_XLOG_FILE,
};

/* Counters of the log itself. */
struct dpt_xlog_stats {
	uint64_t records;		/* taken from the workers */
	uint64_t written;		/* written to the sink */
	uint64_t write_errors;		/* lost by the file sink */
	uint64_t reopens;
};

/* A log keeping the last `history` records (at least 1). NULL with
 * errno. */
struct dpt_xlog *dpt_xlog_create(unsigned int history);
void dpt_xlog_destroy(struct dpt_xlog *xl);

/*
 * Where records go from now on: "syslog", "off", or a file path (opened
 * to append, created 0640; a previous file is closed). Returns 0, or -1
 * with one line in err (the sink is then unchanged).
 */
int dpt_xlog_set_sink(struct dpt_xlog *xl, const char *spec, char *err,
		      size_t errlen);
enum dpt_xlog_sink dpt_xlog_sink(const struct dpt_xlog *xl);

/* The file sink's descriptor (to chown it to the server's user), or -1. */
int dpt_xlog_fd(const struct dpt_xlog *xl);

/* SIGHUP: closes the file and opens its path again (logrotate has moved
 * it). Nothing for the other sinks. Returns 0, or -1 with err (the old
 * file stays open then). */
int dpt_xlog_reopen(struct dpt_xlog *xl, char *err, size_t errlen);

/* Takes one record: into the history, to the sink. The signature of
 * lib/dp's transfer function (arg: the log). */
void dpt_xlog_add(const struct dpt_transfer *t, void *arg);

/* Records taken since the start. */
void dpt_xlog_stats(const struct dpt_xlog *xl, struct dpt_xlog_stats *st);

/* Calls fn for each of the last n records kept (fewer when fewer are),
 * oldest first; returns how many. */
unsigned int dpt_xlog_last(const struct dpt_xlog *xl, unsigned int n,
			   void (*fn)(const struct dpt_xlog_entry *, void *),
			   void *arg);

/* ---- formats (xlog_format.c): no I/O but to f ---- */

/* A record as `show transfers` prints it: a `Transfer: N` block of
 * indented `Key: value` lines. */
void dpt_xlog_print(FILE *f, const struct dpt_xlog_entry *e);

/* A record as one line: logfmt key=value pairs for syslog
 * ("transfer N: start=... client=... result=complete"), or one JSON
 * object; both without a newline. Return the length (the line is cut to
 * fit len). */
size_t dpt_xlog_logfmt(const struct dpt_xlog_entry *e, char *buf, size_t len);
size_t dpt_xlog_json(const struct dpt_xlog_entry *e, char *buf, size_t len);

/* Room a formatted line may need. */
#define DPT_XLOG_LINE_MAX 4096

#endif /* _DPT_XLOG_H_ */
