/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Transfers that ended: `show transfers [N]`, the last N records of the
 * transfer log (lib/xlog), oldest first, each a `Transfer: N` block, then
 * how many there were in all and how many the workers could not hand
 * over.
 */

#include <inttypes.h>

#include "console_internal.h"

#define SHOW_DEFAULT 10

struct cmd_transfers_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t transfers;
	uint32_t n;
};

static void
print_one(const struct dpt_xlog_entry *e, void *f)
{
	dpt_xlog_print(f, e);
}

static void
cmd_show_transfers_parsed(void *res, struct cmdline *cl, void *with_n)
{
	struct cmd_transfers_result *r = res;
	struct dpt_console *c = console_get();
	struct dpt_worker_stats st;
	struct dpt_xlog_stats xs;
	uint64_t drops = 0;
	unsigned int n, w;
	FILE *f;

	if (c == NULL)
		return;
	if (c->xlog == NULL) {
		cmdline_printf(cl, "Error: no transfer log\n");
		return;
	}
	f = console_file(cl);
	if (f == NULL)
		return;
	n = dpt_xlog_last(c->xlog, with_n != NULL ? r->n : SHOW_DEFAULT,
			  print_one, f);
	dpt_xlog_stats(c->xlog, &xs);
	for (w = 0; w < dpt_dp_n_workers(c->dp); w++) {
		dpt_dp_worker_stats_lifetime(c->dp, w, &st);
		drops += st.xfer_log_drops;
	}
	fprintf(f, "Transfers: %u\nTransfers-recorded: %" PRIu64 "\n"
		"Transfers-unrecorded: %" PRIu64 "\n", n, xs.records, drops);
	fclose(f);
}

static cmdline_parse_token_string_t tok_show =
	TOKEN_STRING_INITIALIZER(struct cmd_transfers_result, show, "show");
static cmdline_parse_token_string_t tok_transfers =
	TOKEN_STRING_INITIALIZER(struct cmd_transfers_result, transfers,
				 "transfers");
static cmdline_parse_token_num_t tok_n =
	TOKEN_NUM_INITIALIZER(struct cmd_transfers_result, n, RTE_UINT32);

static cmdline_parse_inst_t cmd_show_transfers = {
	.f = cmd_show_transfers_parsed,
	.data = NULL,
	.help_str = "show transfers: the last 10 transfers that ended",
	.tokens = { (void *)&tok_show, (void *)&tok_transfers, NULL },
};

static cmdline_parse_inst_t cmd_show_transfers_n = {
	.f = cmd_show_transfers_parsed,
	.data = &cmd_show_transfers_n,
	.help_str = "show transfers <n>: the last n transfers that ended",
	.tokens = { (void *)&tok_show, (void *)&tok_transfers, (void *)&tok_n,
		    NULL },
};

static cmdline_parse_inst_t *const transfer_insts[] = {
	&cmd_show_transfers, &cmd_show_transfers_n, NULL,
};

static const struct console_help transfer_help[] = {
	{ "show transfers [n]",
	  "the last n (10) transfers that ended, oldest first: start, "
	  "client, file, options asked and granted, bytes, blocks, "
	  "retransmits, duration, result and ERROR (the transfer log)" },
	{ NULL, NULL },
};

const struct console_group console_group_transfer = {
	.name = "transfer",
	.title = "Transfers",
	.insts = transfer_insts,
	.help = transfer_help,
};
