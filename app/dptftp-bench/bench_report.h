/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_BENCH_REPORT_H_
#define _DPT_BENCH_REPORT_H_

/* The end of a run: threads' counters merged, and written out. */

#include "bench_run.h"

struct dpt_bench_summary {
	struct dpt_bench_stats *total;	/* every thread's, merged */
	double elapsed_s;		/* start to the last transfer's end */
	double cpu_user_s, cpu_sys_s;	/* this process's */
	uint64_t max_rss_kb;
};

/* Merges per[0..n) into sum; t_end is used when no transfer ended.
 * Returns 0 or -ENOMEM. */
int dpt_bench_summarize(const struct dpt_bench_plan *p,
			const struct dpt_bench_stats *per, unsigned int n,
			uint64_t t_end, struct dpt_bench_summary *sum);
void dpt_bench_summary_free(struct dpt_bench_summary *sum);

/* `Key: value` lines. */
void dpt_bench_report_text(FILE *f, const struct dpt_bench_plan *p,
			   const struct dpt_bench_summary *sum);

/* One JSON object, or one CSV row per transfer, to path ('-': stdout).
 * Return 0, or -1 with one line in err. */
int dpt_bench_report_json(const char *path, const struct dpt_bench_plan *p,
			  const struct dpt_bench_summary *sum, char *err,
			  size_t err_len);
int dpt_bench_report_csv(const char *path, const struct dpt_bench_plan *p,
			 const struct dpt_bench_stats *per, unsigned int n,
			 char *err, size_t err_len);

#endif /* _DPT_BENCH_REPORT_H_ */
