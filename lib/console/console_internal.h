/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_CONSOLE_INTERNAL_H_
#define _DPT_CONSOLE_INTERNAL_H_

/* Shared between lib/console's files; not part of its interface. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <rte_log.h>

#include "dpt_console.h"
#include "dpt_text.h"
#include "dpt_xlog.h"

#define CONSOLE_MAX_TERMS 9		/* the -i prompt and 8 connections */
#define CONSOLE_LOAD_DEPTH 4		/* `load` inside loaded files */
#define CONSOLE_LINE_MAX 512		/* cmdline's own line limit */

extern int dpt_console_logtype;
#define CONSOLE_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, dpt_console_logtype, \
		"dptftp.console: " __VA_ARGS__)

/* A prompt the console polls: the terminal or one connection. */
struct console_term {
	struct cmdline *cl;
	int fd;
	bool is_stdin;		/* end of input there stops the server */
};

struct dpt_console {
	struct dpt_dp *dp;
	struct dpt_cache *cache;
	struct dpt_xlog *xlog;		/* NULL: no `show transfers` */
	struct dpt_port *ports[DPT_CONF_MAX_IFACES];
	uint16_t n_ports;
	struct dpt_conf conf;		/* what `show config` shows */
	uint32_t max_sessions_start;	/* slots allocated: the ceiling */
	cmdline_parse_ctx_t *ctx;	/* every group's commands, NULL-ended */
	struct console_term terms[CONSOLE_MAX_TERMS];
	unsigned int n_terms;
	int listen_fd;
	char sock_path[108];
	dev_t sock_dev;			/* the socket file we made, to remove */
	ino_t sock_ino;			/* it and nothing else at the end */
	unsigned int load_depth;
	bool quit;
	uint64_t started_us;
};

/* One line of `help`: what to type, and what it does. */
struct console_help {
	const char *syntax;
	const char *what;
};

/* The commands of one area: `help NAME` lists them. */
struct console_group {
	const char *name;
	const char *title;
	cmdline_parse_inst_t *const *insts;	/* NULL-terminated */
	const struct console_help *help;	/* ends with a NULL syntax */
};

/* Each area's table (console_<area>.c), in the order `help` lists them. */
extern const struct console_group console_group_port;
extern const struct console_group console_group_worker;
extern const struct console_group console_group_session;
extern const struct console_group console_group_transfer;
extern const struct console_group console_group_cache;
extern const struct console_group console_group_config;
extern const struct console_group console_group_misc;
extern const struct console_group *const console_groups[];
extern const unsigned int console_n_groups;

/* console.c */

/* The one console, for the handlers; NULL when none. */
struct dpt_console *console_get(void);

/*
 * A FILE whose writes go to cl's output (line-buffered), so the functions
 * of lib/ that print to a FILE print to the prompt that asked. NULL on
 * failure, with an error said on cl.
 */
FILE *console_file(struct cmdline *cl);

/* Runs path's commands on cl; returns lines failed, or -1 with errno. */
int console_run_file(struct dpt_console *c, struct cmdline *cl,
		     const char *path);

/* Fills buf with the names of a choice token ("a#b#c"); returns buf. */
char *console_choices(char *buf, size_t len, const char *const *names,
		      unsigned int n);

/*
 * A token that completes from its choices ("a#b#c") like a string token,
 * but takes any word, so that the handler can say which words it takes
 * ("Error: unknown strategy 'fastest' (round-robin, ...)") instead of
 * cmdline's bare "Bad arguments".
 */
extern struct cmdline_token_ops console_token_choice_ops;
#define CONSOLE_TOKEN_CHOICE_INITIALIZER(structure, field, choices) \
{ \
	.hdr = { \
		.ops = &console_token_choice_ops, \
		.offset = offsetof(structure, field), \
	}, \
	.string_data = { .str = (choices) }, \
}

/* "a, b, c" from a choice token's "a#b#c", into buf; returns buf. */
const char *console_choices_list(const char *choices, char *buf, size_t len);

/* console_config.c: called by console_create() */
void console_config_init(void);

/* console_misc.c */
void console_misc_init(void);
void console_help_print(FILE *f, const char *group);

/* console_session.c: one session as `show sessions` prints it */
void console_session_print(FILE *f, const struct dpt_session_info *s);
const char *console_session_client(const struct dpt_session_info *s,
				   char *buf, size_t len);

/*
 * console_snapshot.c: what telemetry may not read itself. Sessions, the
 * cache and the backends' stats() belong to the main lcore, so a
 * telemetry thread asks for a fresh copy and waits (a bounded time) while
 * the main lcore, polling, makes it; see console_snapshot.c for why this
 * way.
 */
#define SNAP_SESSIONS_MAX 32	/* a telemetry reply holds 16 KiB */
#define SNAP_FILES_MAX 64
#define SNAP_CONFIG_MAX 8192
#define SNAP_PORT_LINES 256	/* the backends' counters, all ports */

enum console_snap_kind {
	SNAP_SESSIONS = 0,
	SNAP_CACHE,
	SNAP_CONFIG,
	SNAP_PORTS,
	SNAP_COUNT,
};

struct snap_sessions {
	int total;		/* sessions, or a negative errno */
	unsigned int kept;
	struct dpt_session_info s[SNAP_SESSIONS_MAX];
};

struct snap_cache {
	struct dpt_cache_stats st;
	unsigned int total, kept;
	struct dpt_cache_entry_info e[SNAP_FILES_MAX];
};

struct snap_config {
	char text[SNAP_CONFIG_MAX];	/* dpt_conf_dump() of the copy */
};

struct snap_ports {		/* each port's stats(), since the clear */
	unsigned int n;
	struct dpt_port_stat l[SNAP_PORT_LINES];
};

/* Telemetry side: the lock, and the console when one is attached (else
 * NULL, the lock released). */
struct dpt_console *console_tel_lock(void);
void console_tel_unlock(void);

/* With the lock: a fresh snapshot of kind (or the last one when the main
 * lcore is slow, its age in *age_us); NULL when there is none. */
const void *console_snap_get(enum console_snap_kind kind, uint64_t *age_us);

/* Main lcore side. */
void console_tel_attach(struct dpt_console *c);
void console_telemetry_detach(void);
unsigned int console_telemetry_poll(struct dpt_console *c);

/* console_io.c */
void console_io_close(struct dpt_console *c);

#endif /* _DPT_CONSOLE_INTERNAL_H_ */
