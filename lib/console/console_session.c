/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Sessions: `show sessions [worker <n>] [client <ip>]` and `kill session
 * <id>`. The console never reads a worker's session table: lib/dp asks
 * the workers over their control rings and they answer between bursts.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <cmdline_parse_ipaddr.h>

#include "console_internal.h"

#define F_WORKER 0x1
#define F_CLIENT 0x2

const char *
console_session_client(const struct dpt_session_info *s, char *buf,
		       size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (inet_ntop(s->family == AF_INET6 ? AF_INET6 : AF_INET,
		      s->client_ip, ip, sizeof(ip)) == NULL)
		snprintf(ip, sizeof(ip), "?");
	snprintf(buf, len, s->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip,
		 s->client_port);
	return buf;
}

/*
 * Numbers stay numbers (bytes, B/s, µs) so scripts need no unit parser;
 * age alone reads as seconds with milliseconds.
 */
void
console_session_print(FILE *f, const struct dpt_session_info *s)
{
	uint64_t rate = s->age_us >= 1000 ?
			s->progress * 1000000 / s->age_us : 0;
	char client[INET6_ADDRSTRLEN + 8], file[4 * sizeof(s->file)];

	fprintf(f, "Session: %" PRIu64 "\n  Worker: %u\n  Client: %s\n"
		"  Server-port: %u\n  File: %s\n  Direction: %s\n"
		"  Mode: %s\n  State: %s\n", s->id, s->worker,
		console_session_client(s, client, sizeof(client)),
		s->server_port, dpt_text_escape(s->file, file, sizeof(file)),
		s->op == DPT_TFTP_WRQ ? "upload" : "download",
		s->mode == DPT_TFTP_MODE_NETASCII ? "netascii" : "octet",
		s->opening ? "opening" : dpt_tftp_state_name(s->state));
	fprintf(f, "  Blksize: %u\n  Windowsize: %u\n  Size: %" PRIu64 "\n"
		"  Bytes: %" PRIu64 "\n", s->blksize, s->windowsize, s->size,
		s->progress);
	if (s->size != 0)
		fprintf(f, "  Progress: %" PRIu64 "%%\n",
			s->progress >= s->size ? 100 :
			s->progress * 100 / s->size);
	else
		fprintf(f, "  Progress: unknown\n");
	fprintf(f, "  Rate: %" PRIu64 " B/s\n  Retransmits: %u\n"
		"  RTT: %u us\n  Age: %" PRIu64 ".%03" PRIu64 " s\n", rate,
		s->retransmits, s->rtt_us, s->age_us / 1000000,
		s->age_us / 1000 % 1000);
}

static void
print_one(const struct dpt_session_info *s, void *f)
{
	console_session_print(f, s);
}

struct cmd_sessions_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t sessions;
	cmdline_fixed_string_t worker_kw;
	uint16_t worker;
	cmdline_fixed_string_t client_kw;
	cmdline_ipaddr_t client;
};

static void
cmd_show_sessions_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_sessions_result *r = res;
	unsigned int flags = (unsigned int)(uintptr_t)data;
	struct dpt_console *c = console_get();
	int w = (flags & F_WORKER) ? r->worker : -1, family = 0, n;
	const void *ip = NULL;
	FILE *f;

	if (c == NULL)
		return;
	if (w >= 0 && (unsigned int)w >= dpt_dp_n_workers(c->dp)) {
		cmdline_printf(cl, "Error: no worker %d (workers: 0..%u)\n", w,
			       dpt_dp_n_workers(c->dp) - 1);
		return;
	}
	if (flags & F_CLIENT) {
		family = r->client.family;
		ip = &r->client.addr;
	}
	f = console_file(cl);
	if (f == NULL)
		return;
	n = dpt_dp_sessions(c->dp, w, family, ip, print_one, f);
	if (n < 0)
		fprintf(f, "Error: the workers did not answer: %s\n",
			strerror(-n));
	else
		fprintf(f, "Sessions: %d\n", n);
	fclose(f);
}

static cmdline_parse_token_string_t tok_show =
	TOKEN_STRING_INITIALIZER(struct cmd_sessions_result, show, "show");
static cmdline_parse_token_string_t tok_sessions =
	TOKEN_STRING_INITIALIZER(struct cmd_sessions_result, sessions,
				 "sessions");
static cmdline_parse_token_string_t tok_worker_kw =
	TOKEN_STRING_INITIALIZER(struct cmd_sessions_result, worker_kw,
				 "worker");
static cmdline_parse_token_num_t tok_worker =
	TOKEN_NUM_INITIALIZER(struct cmd_sessions_result, worker, RTE_UINT16);
static cmdline_parse_token_string_t tok_client_kw =
	TOKEN_STRING_INITIALIZER(struct cmd_sessions_result, client_kw,
				 "client");
static cmdline_parse_token_ipaddr_t tok_client =
	TOKEN_IPADDR_INITIALIZER(struct cmd_sessions_result, client);

/* .data says which filters the form has (F_WORKER, F_CLIENT). */
static cmdline_parse_inst_t cmd_show_sessions = {
	.f = cmd_show_sessions_parsed,
	.data = (void *)0,
	.help_str = "show sessions: every session",
	.tokens = { (void *)&tok_show, (void *)&tok_sessions, NULL },
};

static cmdline_parse_inst_t cmd_show_sessions_w = {
	.f = cmd_show_sessions_parsed,
	.data = (void *)F_WORKER,
	.help_str = "show sessions worker <n>: one worker's sessions",
	.tokens = { (void *)&tok_show, (void *)&tok_sessions, (void *)&tok_worker_kw, (void *)&tok_worker,
		    NULL },
};

static cmdline_parse_inst_t cmd_show_sessions_c = {
	.f = cmd_show_sessions_parsed,
	.data = (void *)F_CLIENT,
	.help_str = "show sessions client <ip>: one client's sessions",
	.tokens = { (void *)&tok_show, (void *)&tok_sessions, (void *)&tok_client_kw, (void *)&tok_client,
		    NULL },
};

static cmdline_parse_inst_t cmd_show_sessions_wc = {
	.f = cmd_show_sessions_parsed,
	.data = (void *)(F_WORKER | F_CLIENT),
	.help_str = "show sessions worker <n> client <ip>",
	.tokens = { (void *)&tok_show, (void *)&tok_sessions, (void *)&tok_worker_kw, (void *)&tok_worker,
		    (void *)&tok_client_kw, (void *)&tok_client, NULL },
};

struct cmd_kill_result {
	cmdline_fixed_string_t kill;
	cmdline_fixed_string_t session;
	uint64_t id;
};

static void
cmd_kill_session_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_kill_result *r = res;
	struct dpt_console *c = console_get();
	int rc;

	if (c == NULL)
		return;
	rc = dpt_dp_session_kill(c->dp, r->id, NULL);
	if (rc == 0)
		cmdline_printf(cl, "Killed: %" PRIu64 "\n", r->id);
	else if (rc == -ENOENT)
		cmdline_printf(cl, "Error: no session %" PRIu64 "\n", r->id);
	else
		cmdline_printf(cl, "Error: session %" PRIu64 ": %s\n", r->id,
			       strerror(-rc));
}

static cmdline_parse_token_string_t tok_kill =
	TOKEN_STRING_INITIALIZER(struct cmd_kill_result, kill, "kill");
static cmdline_parse_token_string_t tok_session =
	TOKEN_STRING_INITIALIZER(struct cmd_kill_result, session, "session");
static cmdline_parse_token_num_t tok_id =
	TOKEN_NUM_INITIALIZER(struct cmd_kill_result, id, RTE_UINT64);

static cmdline_parse_inst_t cmd_kill_session = {
	.f = cmd_kill_session_parsed,
	.help_str = "kill session <id>: end it with ERROR 0 to the client",
	.tokens = { (void *)&tok_kill, (void *)&tok_session, (void *)&tok_id, NULL },
};

static cmdline_parse_inst_t *const session_insts[] = {
	&cmd_show_sessions, &cmd_show_sessions_w, &cmd_show_sessions_c,
	&cmd_show_sessions_wc, &cmd_kill_session, NULL,
};

static const struct console_help session_help[] = {
	{ "show sessions [worker <n>] [client <ip>]",
	  "each session: id, worker, client, file, direction, "
	  "blksize/windowsize, progress, rate, retransmits, age" },
	{ "kill session <id>",
	  "end a session now: the client gets ERROR 0 \"Terminated by "
	  "operator\"" },
	{ NULL, NULL },
};

const struct console_group console_group_session = {
	.name = "session",
	.title = "Sessions",
	.insts = session_insts,
	.help = session_help,
};
