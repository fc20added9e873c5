/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_BENCH_OPTS_H_
#define _DPT_BENCH_OPTS_H_

/* The option table (bench_opts.c), for the parser and --help
 * (bench_args.c) and the manual (bench_man.c); the bench's language of
 * values (units, error words) for its tests. */

#include "bench_run.h"
#include "dpt_opt.h"

extern const struct dpt_opt_table dpt_bench_table;
extern const struct dpt_opt_lang dpt_bench_lang;

#define DPT_BENCH_MS 1000ull
#define DPT_BENCH_S 1000000ull

#endif /* _DPT_BENCH_OPTS_H_ */
