/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_BENCH_OPTS_H_
#define _DPT_BENCH_OPTS_H_

/* The option table, shared by its setters (bench_opts.c) and the parser
 * and --help (bench_args.c). Not an interface beyond those two files. */

#include <stdarg.h>

#include "bench_run.h"

#define DPT_BENCH_OPTS_MAX 64	/* table rows, headings included */

struct opt_def;

struct parse_state {
	const struct opt_def *def;
	char *err;
	size_t err_len;
	int modes;			/* --count, --duration, --storm seen */
	bool seen[DPT_BENCH_OPTS_MAX];
};

typedef int (*opt_set)(struct dpt_bench_opts *o, const char *arg,
		       struct parse_state *ps);

struct opt_def {
	const char *name;	/* NULL: a heading in --help */
	char short_name;
	const char *arg;	/* NULL: a flag */
	opt_set set;
	size_t off;		/* the field, for the generic setters */
	uint64_t min, max;
	const char *help;
};

extern const struct opt_def dpt_bench_opt_table[];
extern const size_t dpt_bench_n_opts;

/* Writes "--name: " and the message into ps->err; returns -1. */
int dpt_bench_fail(struct parse_state *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define DPT_BENCH_MS 1000ull
#define DPT_BENCH_S 1000000ull

#endif /* _DPT_BENCH_OPTS_H_ */
