/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Ports: `show port info|stats|xstats all|<port>`, `clear port stats
 * all|<port>`. Every line is `Port N key: value`, as in the shutdown
 * report, so one parser reads both.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "console_internal.h"

/* Writes what fn printed to f with "Port N " before each line. */
static void
prefixed(struct dpt_port *p, FILE *f,
	 void (*fn)(struct dpt_port *, FILE *))
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (m == NULL)
		return;
	fn(p, m);
	fclose(m);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		fprintf(f, "Port %u %s\n", p->id, line);
	free(buf);
}

static void
port_counters(struct dpt_port *p, FILE *f, bool lifetime)
{
	struct dpt_port_counters k;

	if (lifetime)
		dpt_port_counters_lifetime(p, &k);
	else
		dpt_port_counters_get(p, &k);
	fprintf(f, "Name: %s\nRX-packets: %llu\nRX-bytes: %llu\n"
		"RX-errors: %llu\nRX-nombuf: %llu\nRX-truncated: %llu\n"
		"TX-packets: %llu\nTX-bytes: %llu\nTX-errors: %llu\n",
		p->name, (unsigned long long)k.rx_pkts,
		(unsigned long long)k.rx_bytes,
		(unsigned long long)k.rx_errors,
		(unsigned long long)k.rx_nombuf,
		(unsigned long long)k.rx_truncated,
		(unsigned long long)k.tx_pkts, (unsigned long long)k.tx_bytes,
		(unsigned long long)k.tx_errors);
	p->ops->stats(p, f, lifetime);
}

static void
common_stats(struct dpt_port *p, FILE *f)
{
	port_counters(p, f, false);
}

static void
lifetime_stats(struct dpt_port *p, FILE *f)
{
	port_counters(p, f, true);
}

void
dpt_console_port_stats(struct dpt_port *p, FILE *f)
{
	prefixed(p, f, common_stats);
}

void
dpt_console_port_report(struct dpt_port *p, FILE *f)
{
	prefixed(p, f, lifetime_stats);
}

static void
xstats(struct dpt_port *p, FILE *f)
{
	if (p->ops->xstats != NULL)
		p->ops->xstats(p, f);
	else
		fprintf(f, "xstats: none (%s backend)\n", p->ops->name);
}

static void
info(struct dpt_port *p, FILE *f)
{
	fprintf(f, "Name: %s\nBackend: %s\nMTU: %u\nRX-queues: %u\n"
		"TX-queues: %u\nListen-port: %u\n", p->name, p->ops->name,
		p->mtu, p->n_rxq, p->n_txq, p->listen_port);
	if (p->ops->info != NULL)
		p->ops->info(p, f);
}

static void
clear(struct dpt_port *p, FILE *f)
{
	if (p->ops->clear != NULL)
		p->ops->clear(p);
	else
		dpt_port_counters_rebase(p);
	fprintf(f, "Stats: cleared\n");
}

/* "info" / "stats" / "xstats" / "clear": what to do to one port. */
static const struct {
	const char *what;
	void (*fn)(struct dpt_port *, FILE *);
} port_actions[] = {
	{ "info", info },
	{ "stats", common_stats },
	{ "xstats", xstats },
	{ "clear", clear },
};

/* Runs what on port id, or on every port when all. */
static void
port_do(struct cmdline *cl, const char *what, bool all, uint16_t id)
{
	struct dpt_console *c = console_get();
	void (*fn)(struct dpt_port *, FILE *) = NULL;
	unsigned int i;
	FILE *f;

	for (i = 0; i < RTE_DIM(port_actions); i++)
		if (strcmp(port_actions[i].what, what) == 0)
			fn = port_actions[i].fn;
	if (c == NULL || fn == NULL)
		return;
	if (!all && id >= c->n_ports) {
		cmdline_printf(cl, "Error: no port %u (ports: 0..%u)\n", id,
			       c->n_ports - 1u);
		return;
	}
	f = console_file(cl);
	if (f == NULL)
		return;
	for (i = 0; i < c->n_ports; i++)
		if (all || i == id)
			prefixed(c->ports[i], f, fn);
	fclose(f);
}

struct cmd_port_result {
	cmdline_fixed_string_t verb;
	cmdline_fixed_string_t port;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t all;
	uint16_t id;
};

static cmdline_parse_token_string_t tok_show =
	TOKEN_STRING_INITIALIZER(struct cmd_port_result, verb, "show");
static cmdline_parse_token_string_t tok_clear =
	TOKEN_STRING_INITIALIZER(struct cmd_port_result, verb, "clear");
static cmdline_parse_token_string_t tok_port =
	TOKEN_STRING_INITIALIZER(struct cmd_port_result, port, "port");
static cmdline_parse_token_string_t tok_show_what =
	TOKEN_STRING_INITIALIZER(struct cmd_port_result, what,
				 "info#stats#xstats");
static cmdline_parse_token_string_t tok_stats =
	TOKEN_STRING_INITIALIZER(struct cmd_port_result, what, "stats");
static cmdline_parse_token_string_t tok_all =
	TOKEN_STRING_INITIALIZER(struct cmd_port_result, all, "all");
static cmdline_parse_token_num_t tok_id =
	TOKEN_NUM_INITIALIZER(struct cmd_port_result, id, RTE_UINT16);

static void
cmd_show_port_parsed(void *res, struct cmdline *cl, void *all)
{
	struct cmd_port_result *r = res;

	port_do(cl, r->what, all != NULL, r->id);
}

static void
cmd_clear_port_parsed(void *res, struct cmdline *cl, void *all)
{
	struct cmd_port_result *r = res;

	port_do(cl, "clear", all != NULL, r->id);
}

/* .data marks the `all` forms: non-NULL means every port. */
static cmdline_parse_inst_t cmd_show_port_all = {
	.f = cmd_show_port_parsed,
	.data = &cmd_show_port_all,
	.help_str = "show port info|stats|xstats all: every port",
	.tokens = { (void *)&tok_show, (void *)&tok_port, (void *)&tok_show_what, (void *)&tok_all, NULL },
};

static cmdline_parse_inst_t cmd_show_port_id = {
	.f = cmd_show_port_parsed,
	.data = NULL,
	.help_str = "show port info|stats|xstats <port>: one port",
	.tokens = { (void *)&tok_show, (void *)&tok_port, (void *)&tok_show_what, (void *)&tok_id, NULL },
};

static cmdline_parse_inst_t cmd_clear_port_all = {
	.f = cmd_clear_port_parsed,
	.data = &cmd_clear_port_all,
	.help_str = "clear port stats all: zero every port's counters",
	.tokens = { (void *)&tok_clear, (void *)&tok_port, (void *)&tok_stats, (void *)&tok_all, NULL },
};

static cmdline_parse_inst_t cmd_clear_port_id = {
	.f = cmd_clear_port_parsed,
	.data = NULL,
	.help_str = "clear port stats <port>: zero one port's counters",
	.tokens = { (void *)&tok_clear, (void *)&tok_port, (void *)&tok_stats, (void *)&tok_id, NULL },
};

static cmdline_parse_inst_t *const port_insts[] = {
	&cmd_show_port_all, &cmd_show_port_id,
	&cmd_clear_port_all, &cmd_clear_port_id, NULL,
};

static const struct console_help port_help[] = {
	{ "show port info all|<port>",
	  "what each port is: backend, MTU, queues, device, address, link" },
	{ "show port stats all|<port>",
	  "packets and bytes in and out, errors, the backend's counters" },
	{ "show port xstats all|<port>",
	  "the device's extended statistics (ethdev backend)" },
	{ "clear port stats all|<port>",
	  "zero the counters shown (the device's too)" },
	{ NULL, NULL },
};

const struct console_group console_group_port = {
	.name = "port",
	.title = "Ports",
	.insts = port_insts,
	.help = port_help,
};
