/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _TEST_CONSOLE_H_
#define _TEST_CONSOLE_H_

/*
 * The console's tests: each builds a console over the fake dataplane and
 * cache (fake_dp.c) and two fake ports, feeds command lines to a cmdline
 * made on a temporary file, and reads back what the handlers printed.
 * No EAL, no terminal.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dpt_console.h"
#include "fake_dp.h"

struct fake_port {
	struct dpt_port port;
	unsigned int clears;
	unsigned int drops;		/* a backend counter, baselined */
	unsigned int drops_base;
};

struct tc {
	struct dpt_dp dp;
	struct dpt_cache cache;
	struct dpt_conf conf;
	struct fake_port ports[2];
	struct dpt_port *port_ptrs[2];
	struct dpt_console *con;
	struct cmdline *cl;
	int out_fd;
	char dir[64];
	char *out;			/* the last command's output */
};

/* Runs one line on t's cmdline; returns what it printed (owned by t) and
 * the cmdline_parse() code in *rc when rc is not NULL. */
const char *tc_run(struct tc *t, const char *line, int *rc);

/* Fixtures: a console with the fakes, one cmdline on a temporary file. */
int tc_setup(void **state);
int tc_teardown(void **state);

/* A file in t's folder holding text; returns its path (static buffer). */
const char *tc_file(struct tc *t, const char *name, const char *text);

extern const struct CMUnitTest tc_cmd_tests[];
extern const size_t tc_n_cmd_tests;
extern const struct CMUnitTest tc_io_tests[];
extern const size_t tc_n_io_tests;

#define TC_TEST(f) cmocka_unit_test_setup_teardown(f, tc_setup, tc_teardown)

#endif /* _TEST_CONSOLE_H_ */
