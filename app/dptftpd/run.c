/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Serving, on the main lcore, until a signal or `quit`: file opens and
 * loads for the workers, the console, the transfer log, and the signals
 * an operator sends. SIGHUP re-reads the map file and reopens the
 * transfer log's file (logrotate).
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dpt_console.h"
#include "dpt_dp.h"
#include "dpt_xlog.h"
#include "dptftpd.h"

/* Transfers `show transfers` can list. */
#define XLOG_HISTORY 1024

static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t hup_signal;

static void
on_hup(int sig)
{
	hup_signal = sig;
}

static void
on_quit(int sig)
{
	quit_signal = sig;
}

void
app_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_quit;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
app_xlog_open(const struct dpt_conf *c, struct dpt_xlog **out, char *err,
	      size_t errlen)
{
	const char *sink = c->transfer_log;
	struct dpt_xlog *xl = dpt_xlog_create(XLOG_HISTORY);

	if (xl == NULL) {
		snprintf(err, errlen, "transfer log: %s", strerror(errno));
		return -1;
	}
	if (strcmp(sink, "auto") == 0 || sink[0] == '\0')
		sink = c->interactive ? "off" : "syslog";
	if (dpt_xlog_set_sink(xl, sink, err, errlen) < 0) {
		dpt_xlog_destroy(xl);
		return -1;
	}
	*out = xl;
	return 0;
}

static void
reload(struct app_run *r)
{
	char err[DPT_CONF_ERR_MAX];

	app_reload_remap(r->conf, r->dp);
	if (dpt_xlog_reopen(r->xlog, err, sizeof(err)) < 0)
		fprintf(stderr, "dptftpd: SIGHUP: %s; still writing to the "
			"old file\n", err);
	else if (dpt_xlog_sink(r->xlog) == DPT_XLOG_FILE)
		printf("dptftpd: SIGHUP: %s reopened\n", r->conf->transfer_log);
}

static void
stats_tick(struct app_run *r, uint64_t *next)
{
	uint64_t period = r->conf->stats_period_s * 1000000ull, now;

	if (period == 0)
		return;
	now = dpt_dp_now_us();
	if (*next == 0)
		*next = now + period;
	if (now >= *next) {
		dpt_dp_stats_line(r->dp, stdout);
		*next = now + period;
	}
}

const char *
app_serve(struct app_run *r)
{
	uint64_t next_stats = 0;

	while (!quit_signal && !dpt_console_quit_requested(r->con)) {
		unsigned int work = dpt_dp_main_poll(r->dp);

		if (hup_signal) {
			hup_signal = 0;
			reload(r);
		}
		work += dpt_console_poll(r->con);
		stats_tick(r, &next_stats);
		if (work == 0)
			dpt_dp_main_wait(r->dp, 1000);
	}
	return quit_signal ? strsignal(quit_signal) : "quit";
}
