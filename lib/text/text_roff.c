/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Text for troff (the manual pages written from the option tables): a
 * backslash and a minus are escaped, so "--root" prints as typed and
 * hyphenation never breaks an option; a line that would start with a
 * control character ('.' or '\'') starts with \& instead.
 */

#include "dpt_text.h"

void
dpt_text_roff_option(FILE *f, char short_name, const char *name,
		     const char *arg, const char *help)
{
	fputs(".TP\n", f);
	if (short_name != 0)
		fprintf(f, "\\fB\\-%c\\fR, ", short_name);
	fputs("\\fB\\-\\-", f);
	dpt_text_roff(f, name);
	fputs("\\fR", f);
	if (arg != NULL) {
		fputs(" \\fI", f);
		dpt_text_roff(f, arg);
		fputs("\\fR", f);
	}
	fputc('\n', f);
	dpt_text_roff(f, help);
}

void
dpt_text_roff(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		if (*s == '\n' && (s[1] == '.' || s[1] == '\''))
			fputs("\\&", f);
	}
}
