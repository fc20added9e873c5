/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Workers: `show worker stats` prints a block per worker, then the totals
 * and the RX/TX lcores, exactly as the shutdown report does (both are
 * dpt_dp_stats_print()); `clear worker stats` zeroes them through lib/dp's
 * baseline, never touching a worker's own counters.
 */

#include "console_internal.h"

struct cmd_worker_result {
	cmdline_fixed_string_t verb;
	cmdline_fixed_string_t worker;
	cmdline_fixed_string_t stats;
};

static cmdline_parse_token_string_t tok_show =
	TOKEN_STRING_INITIALIZER(struct cmd_worker_result, verb, "show");
static cmdline_parse_token_string_t tok_clear =
	TOKEN_STRING_INITIALIZER(struct cmd_worker_result, verb, "clear");
static cmdline_parse_token_string_t tok_worker =
	TOKEN_STRING_INITIALIZER(struct cmd_worker_result, worker, "worker");
static cmdline_parse_token_string_t tok_stats =
	TOKEN_STRING_INITIALIZER(struct cmd_worker_result, stats, "stats");

static void
cmd_show_worker_stats_parsed(void *res, struct cmdline *cl, void *data)
{
	struct dpt_console *c = console_get();
	FILE *f;

	if (c == NULL || (f = console_file(cl)) == NULL)
		return;
	dpt_dp_stats_print(c->dp, f);
	fclose(f);
}

static void
cmd_clear_worker_stats_parsed(void *res, struct cmdline *cl, void *data)
{
	struct dpt_console *c = console_get();

	if (c == NULL)
		return;
	dpt_dp_clear_stats(c->dp);
	cmdline_printf(cl, "Worker stats: cleared\n");
}

static cmdline_parse_inst_t cmd_show_worker_stats = {
	.f = cmd_show_worker_stats_parsed,
	.help_str = "show worker stats: each worker's counters, the totals, "
		    "RX and TX",
	.tokens = { (void *)&tok_show, (void *)&tok_worker, (void *)&tok_stats, NULL },
};

static cmdline_parse_inst_t cmd_clear_worker_stats = {
	.f = cmd_clear_worker_stats_parsed,
	.help_str = "clear worker stats: zero the workers' counters",
	.tokens = { (void *)&tok_clear, (void *)&tok_worker, (void *)&tok_stats, NULL },
};

static cmdline_parse_inst_t *const worker_insts[] = {
	&cmd_show_worker_stats, &cmd_clear_worker_stats, NULL,
};

static const struct console_help worker_help[] = {
	{ "show worker stats",
	  "per worker: sessions started, completed, failed, timed out, "
	  "active; packets, bytes, retransmits, drops; then Total, RX, TX" },
	{ "clear worker stats",
	  "zero those counters (sessions-active is a gauge: it stays)" },
	{ NULL, NULL },
};

const struct console_group console_group_worker = {
	.name = "worker",
	.title = "Workers",
	.insts = worker_insts,
	.help = worker_help,
};
