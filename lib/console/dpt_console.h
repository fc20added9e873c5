/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_CONSOLE_H_
#define _DPT_CONSOLE_H_

/*
 * The operator's console, testpmd-style: librte_cmdline commands, each a
 * thin handler over lib/dp, lib/cache, lib/port and lib/conf, printing
 * stable `Key: value` text. It runs on the main lcore, between
 * dpt_dp_main_poll() calls: dpt_console_poll() never blocks, so files keep
 * loading while the operator types. Prompts come from the terminal (-i),
 * from a Unix socket (one cmdline per connection) and from files; the
 * rte_telemetry commands /dptftp/... read the same figures.
 *
 * One console per process: cmdline's instances are static tables, so the
 * handlers find the console through the library, not through their data.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <cmdline.h>

#include "dpt_cache.h"
#include "dpt_conf.h"
#include "dpt_dp.h"
#include "dpt_port.h"

struct dpt_xlog;

#define DPT_CONSOLE_PROMPT "dptftp> "

struct dpt_console;

struct dpt_console_params {
	struct dpt_dp *dp;
	struct dpt_cache *cache;
	struct dpt_xlog *xlog;		/* the transfer log; NULL: none */
	struct dpt_port *const *ports;
	uint16_t n_ports;
	const struct dpt_conf *conf;	/* copied: `set` keeps the copy true */
};

/* Creates the console. Returns NULL with errno (EBUSY: one exists). */
struct dpt_console *dpt_console_create(const struct dpt_console_params *p);

/* Closes prompts and connections, removes the socket file, restores the
 * terminal, detaches telemetry (its commands then answer an error). */
void dpt_console_destroy(struct dpt_console *c);

/* Opens the interactive prompt on stdin/stdout (-i): raw terminal, tab
 * completion, history. `quit` or end of input stops the server. */
int dpt_console_stdin(struct dpt_console *c);

/*
 * Listens for console connections on a Unix stream socket at path, mode
 * 0600 from its creation. A socket file nobody answers on (a killed
 * server's) is replaced; a live one is refused, and so is any other file
 * there, which is left untouched. At the end only that socket is removed.
 * A client may go while output is written to it: the caller ignores
 * SIGPIPE. Returns 0, or -1 with one line in err.
 */
int dpt_console_listen(struct dpt_console *c, const char *path, char *err,
		       size_t errlen);

/*
 * Runs the commands of the file at path (--cmdline-file), writing each
 * command after the prompt, then what it prints, to out_fd. Returns the
 * number of lines that did not parse, or -1 with errno when the file
 * cannot be read.
 */
int dpt_console_run_file(struct dpt_console *c, const char *path,
			 int out_fd);

/*
 * Registers the rte_telemetry commands /dptftp/stats, workers, sessions,
 * cache, ports and config. Returns 0 or a negative errno.
 */
int dpt_console_telemetry(struct dpt_console *c);

/*
 * The main lcore's share: runs what the prompts and connections typed,
 * accepts connections, refreshes what telemetry asked for. Never blocks;
 * returns how much it did (0: idle).
 */
unsigned int dpt_console_poll(struct dpt_console *c);

/* Whether `quit` was run, or the -i prompt reached end of input. */
bool dpt_console_quit_requested(const struct dpt_console *c);

/*
 * A cmdline on the console's commands reading in_fd (-1: none) and
 * writing out_fd; feed it with cmdline_in() or cmdline_parse() (tests,
 * embedding). cmdline_free() frees it and closes both fds above 2.
 */
struct cmdline *dpt_console_cmdline(struct dpt_console *c, int in_fd,
				    int out_fd);

/* A port's counters and its backend's, as `Port N key: value` lines:
 * since the last clear (`show port stats`), or since the start (the
 * report at exit, SIGUSR1: `clear` never changes those). */
void dpt_console_port_stats(struct dpt_port *p, FILE *f);
void dpt_console_port_report(struct dpt_port *p, FILE *f);

#endif /* _DPT_CONSOLE_H_ */
