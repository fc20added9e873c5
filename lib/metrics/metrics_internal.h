/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_METRICS_INTERNAL_H_
#define _DPT_METRICS_INTERNAL_H_

/* Shared between lib/metrics' files; not part of its interface. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum mw_type {
	MW_COUNTER,
	MW_GAUGE,
	MW_HISTOGRAM,
	MW_INFO,	/* a gauge of 1 whose labels say something */
};

/*
 * The text exposition, either format: a family's metadata once, then its
 * samples. A counter family is named without _total (OpenMetrics), its
 * samples and, in the 0.0.4 format, its TYPE and HELP with it.
 */
struct mw {
	FILE *f;
	bool om;		/* OpenMetrics 1.0.0, else text 0.0.4 */
	const char *family;
	enum mw_type type;
};

/* # TYPE, # UNIT (OpenMetrics, when unit), # HELP. */
void mw_family(struct mw *w, const char *name, enum mw_type type,
	       const char *unit, const char *help);
/* One sample of the family: labels is `a="x",b="y"` or NULL; suffix
 * follows the family's name (histograms: "_bucket", "_sum", "_count"). */
void mw_u64(struct mw *w, const char *suffix, const char *labels,
	    uint64_t v);
void mw_double(struct mw *w, const char *suffix, const char *labels,
	       double v);
/* The end: "# EOF" in OpenMetrics. */
void mw_end(struct mw *w);

/* Appends name="value" (value escaped) to labels (cap bytes), a comma
 * first when it is not empty. Returns labels. */
char *mw_label(char *labels, size_t cap, const char *name,
	       const char *value);

/* The wall clock (CLOCK_REALTIME) now, in microseconds. */
uint64_t metrics_unix_us(void);

/* metrics_port.c: every port's families. */
struct dpt_metrics_params;
void metrics_write_ports(struct mw *w, const struct dpt_metrics_params *p);

#endif /* _DPT_METRICS_INTERNAL_H_ */
