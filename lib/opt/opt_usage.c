/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * --help and the manual's options, written from the table so they list
 * what the parser takes, with the defaults the code uses. The program
 * writes what comes before and after them (usage line, examples).
 */

#include <string.h>

#include "dpt_text.h"
#include "opt_internal.h"

#define USAGE_WIDTH 79

static int
opt_label(const struct dpt_opt_table *t, const struct dpt_opt *o, char *buf,
	  size_t len)
{
	const char *sp = o->arg != NULL ? " " : "";
	const char *arg = o->arg != NULL ? o->arg : "";

	if (o->short_name != 0)
		return snprintf(buf, len, "-%c, --%s%s%s", o->short_name,
				o->name, sp, arg);
	return snprintf(buf, len, "%s--%s%s%s",
			(t->flags & DPT_OPT_T_PAD_SHORT) ? "    " : "",
			o->name, sp, arg);
}

/* One word of help text, on a new line when it would pass the margin. */
static void
put_word(FILE *f, const char *w, int n, int col, int *used)
{
	int room = USAGE_WIDTH - col - 4;

	if (*used > 0 && *used + 1 + n > room) {
		fprintf(f, "\n  %-*s  ", col, "");
		*used = 0;
	}
	fprintf(f, "%s%.*s", *used > 0 ? " " : "", n, w);
	*used += (*used > 0) + n;
}

static void
usage_row(FILE *f, const struct dpt_opt_table *t, const struct dpt_opt *o,
	  int col)
{
	char label[64], def[64];
	const char *p;
	int used = 0, n;

	/* a label wider than the column gets a line of its own */
	if (opt_label(t, o, label, sizeof(label)) > col)
		fprintf(f, "  %s\n  %-*s  ", label, col, "");
	else
		fprintf(f, "  %-*s  ", col, label);
	for (p = o->help; *p != '\0'; p += n) {
		p += strspn(p, " ");
		n = (int)strcspn(p, " ");
		if (n > 0)
			put_word(f, p, n, col, &used);
	}
	/* the default stays in one piece, to be found at a glance */
	if (o->def != NULL) {
		n = snprintf(def, sizeof(def), "(default: %s)", o->def);
		put_word(f, def, n, col, &used);
	}
	fputc('\n', f);
}

void
dpt_opt_usage(FILE *f, const struct dpt_opt_table *t)
{
	char label[64];
	int col = (int)t->help_col, n;
	unsigned int g, i;

	for (i = 0; t->help_col == 0 && i < t->n_rows; i++) {
		n = opt_label(t, &t->rows[i], label, sizeof(label));
		if (n > col)
			col = n;
	}
	for (g = 0; g < t->n_groups; g++) {
		fprintf(f, "\n%s\n", t->groups[g]);
		for (i = 0; i < t->n_rows; i++)
			if (t->rows[i].group == g)
				usage_row(f, t, &t->rows[i], col);
	}
}

/* A group's heading without its trailing colon. */
static void
man_heading(FILE *f, const char *title)
{
	size_t n = strlen(title);
	char buf[128];

	snprintf(buf, sizeof(buf), "%.*s",
		 (int)(n > 0 && title[n - 1] == ':' ? n - 1 : n), title);
	fputs(".SS \"", f);
	dpt_text_roff(f, buf);
	fputs("\"\n", f);
}

void
dpt_opt_man(FILE *f, const struct dpt_opt_table *t)
{
	const struct dpt_opt *o;
	unsigned int g, i;

	for (g = 0; g < t->n_groups; g++) {
		man_heading(f, t->groups[g]);
		for (i = 0; i < t->n_rows; i++) {
			o = &t->rows[i];
			if (o->group != g)
				continue;
			dpt_text_roff_option(f, o->short_name, o->name, o->arg,
					     o->help);
			if (o->def != NULL) {
				fputs(" (default: ", f);
				dpt_text_roff(f, o->def);
				fputc(')', f);
			}
			if (t->flags & DPT_OPT_T_MAN_STOP)
				fputc('.', f);
			fputc('\n', f);
		}
	}
}
