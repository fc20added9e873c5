/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The text exposition formats: OpenMetrics 1.0.0 (what Prometheus asks
 * for) and Prometheus' text format 0.0.4 (what curl and promtool get).
 * They differ in how a counter family is named (OpenMetrics drops the
 * _total of its samples), in # UNIT lines, and in the closing # EOF.
 */

#include <inttypes.h>
#include <string.h>

#include "metrics_internal.h"

static const char *const type_names[] = {
	[MW_COUNTER] = "counter",
	[MW_GAUGE] = "gauge",
	[MW_HISTOGRAM] = "histogram",
	[MW_INFO] = "gauge",
};

/* HELP text: a backslash and a newline escaped. */
static void
put_help(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

void
mw_family(struct mw *w, const char *name, enum mw_type type,
	  const char *unit, const char *help)
{
	const char *total = type == MW_COUNTER && !w->om ? "_total" : "";

	w->family = name;
	w->type = type;
	fprintf(w->f, "# TYPE %s%s %s\n", name, total, type_names[type]);
	if (w->om && unit != NULL)
		fprintf(w->f, "# UNIT %s %s\n", name, unit);
	fprintf(w->f, "# HELP %s%s ", name, total);
	put_help(w->f, help);
	fputc('\n', w->f);
}

static void
put_name(struct mw *w, const char *suffix, const char *labels)
{
	fprintf(w->f, "%s%s", w->family,
		suffix != NULL ? suffix : w->type == MW_COUNTER ? "_total" :
		"");
	if (labels != NULL && labels[0] != '\0')
		fprintf(w->f, "{%s}", labels);
}

void
mw_u64(struct mw *w, const char *suffix, const char *labels, uint64_t v)
{
	put_name(w, suffix, labels);
	fprintf(w->f, " %" PRIu64 "\n", v);
}

void
mw_double(struct mw *w, const char *suffix, const char *labels, double v)
{
	put_name(w, suffix, labels);
	fprintf(w->f, " %.6f\n", v);
}

void
mw_end(struct mw *w)
{
	if (w->om)
		fputs("# EOF\n", w->f);
}

char *
mw_label(char *labels, size_t cap, const char *name, const char *value)
{
	size_t n = strlen(labels);

	if (n + 1 >= cap)
		return labels;
	n += (size_t)snprintf(labels + n, cap - n, "%s%s=\"",
			      n != 0 ? "," : "", name);
	for (; *value != '\0' && n + 4 < cap; value++) {
		if (*value == '\\' || *value == '"') {
			labels[n++] = '\\';
			labels[n++] = *value;
		} else if (*value == '\n') {
			labels[n++] = '\\';
			labels[n++] = 'n';
		} else {
			labels[n++] = *value;
		}
	}
	if (n + 1 < cap)
		labels[n++] = '"';
	labels[n < cap ? n : cap - 1] = '\0';
	return labels;
}
