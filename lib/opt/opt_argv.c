/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The command line, read with getopt_long from tables built out of the
 * rows. getopt never prints: each refusal comes back as one line, in
 * words (an unknown option, an ambiguous prefix, a missing value, a value
 * given to a flag, a stray word).
 */

#include <string.h>

#include "opt_internal.h"

/* getopt_long's return value for an option with no short form */
#define LONG_BASE 256

void
dpt_opt_argv_init(struct dpt_opt_argv *a, const struct dpt_opt_table *t,
		  int argc, char **argv)
{
	char *p = a->sopts;
	unsigned int i;

	a->t = t;
	a->argc = argc;
	a->argv = argv;
	a->ended = argc < 1 || argv == NULL;
	/*
	 * '+': stop at the first word that is not an option, so a stray one
	 * is reported instead of being moved to the end of argv.
	 * ':': tell a missing argument (':') from an unknown option ('?').
	 */
	if (!(t->flags & DPT_OPT_T_PERMUTE))
		*p++ = '+';
	*p++ = ':';
	for (i = 0; i < t->n_rows && i < DPT_OPT_MAX; i++) {
		const struct dpt_opt *o = &t->rows[i];

		a->lopts[i] = (struct option){
			.name = o->name,
			.has_arg = o->arg != NULL ? required_argument :
						    no_argument,
			.val = o->short_name != 0 ? o->short_name :
						    LONG_BASE + (int)i,
		};
		if (o->short_name != 0) {
			*p++ = o->short_name;
			if (o->arg != NULL)
				*p++ = ':';
		}
	}
	memset(&a->lopts[i], 0, sizeof(a->lopts[i]));
	*p = '\0';
	optind = 0;	/* 0, not 1: glibc then forgets any earlier scan */
}

static const struct dpt_opt *
row_of(const struct dpt_opt_table *t, int ch)
{
	unsigned int i;

	if (ch >= LONG_BASE && ch < LONG_BASE + (int)t->n_rows)
		return &t->rows[ch - LONG_BASE];
	for (i = 0; i < t->n_rows; i++)
		if (ch != 0 && t->rows[i].short_name == ch)
			return &t->rows[i];
	return NULL;
}

/* getopt said '?': name what it refused, in words. */
static int
bad_option(const struct dpt_opt_argv *a, char *err, size_t errlen)
{
	const char *arg = optind > 0 && optind <= a->argc ?
			  a->argv[optind - 1] : "";
	const struct dpt_opt *o = row_of(a->t, optopt);
	char name[DPT_OPT_QUOTE_MAX], q[DPT_OPT_QUOTE_MAX];
	unsigned int i, n = 0;
	size_t len;

	if (o != NULL)	/* a known option refused: "--help=yes" */
		return dpt_opt_err(err, errlen, "--%s: takes no value",
				   o->name);
	if (optopt != 0 || strncmp(arg, "--", 2) != 0)
		return dpt_opt_err(err, errlen, "unknown option '-%c'",
				   optopt != 0 ? optopt : '?');
	len = strcspn(arg + 2, "=");
	snprintf(name, sizeof(name), "%.*s", (int)len, arg + 2);
	for (i = 0; i < a->t->n_rows; i++)
		if (strncmp(a->t->rows[i].name, name, strlen(name)) == 0)
			n++;
	if (n > 1)
		return dpt_opt_err(err, errlen, "ambiguous option '--%s' (%u "
				   "options start so)", name, n);
	return dpt_opt_err(err, errlen, "unknown option '%s'",
			   dpt_opt_quote(arg, q, sizeof(q)));
}

int
dpt_opt_argv_next(struct dpt_opt_argv *a, const struct dpt_opt **o,
		  const char **val, char *err, size_t errlen)
{
	char q[DPT_OPT_QUOTE_MAX];
	struct opt_words w;
	int saved = opterr, ch;

	if (a->ended)
		return 0;
	opterr = 0;	/* errors come back in err, never on stderr */
	ch = getopt_long(a->argc, a->argv, a->sopts, a->lopts, NULL);
	opterr = saved;
	if (ch == -1) {
		a->ended = true;
		if (optind >= a->argc)
			return 0;
		dpt_opt_quote(a->argv[optind], q, sizeof(q));
		return dpt_opt_err(err, errlen, "unexpected argument '%s'", q);
	}
	if (ch == '?')
		return bad_option(a, err, errlen);
	if (ch == ':') {
		w = (struct opt_words){
			.o = row_of(a->t, optopt),
			.word = optind > 0 && optind <= a->argc ?
				a->argv[optind - 1] : NULL,
		};
		return opt_say(opt_lang(a->t), DPT_OPT_M_MISSING, &w, err,
			       errlen);
	}
	*o = row_of(a->t, ch);
	if (*o == NULL)
		return bad_option(a, err, errlen);
	*val = optarg;
	return 1;
}

int
dpt_opt_parse(const struct dpt_opt_table *t, void *obj, int argc,
	      char **argv, struct dpt_opt_seen *seen, char *err,
	      size_t errlen)
{
	char why[DPT_OPT_ERR_MAX];
	struct dpt_opt_argv a;
	const struct dpt_opt *o;
	const char *val;
	size_t i;
	int rc;

	if (seen != NULL)
		memset(seen, 0, sizeof(*seen));
	dpt_opt_argv_init(&a, t, argc, argv);
	while ((rc = dpt_opt_argv_next(&a, &o, &val, err, errlen)) > 0) {
		i = (size_t)(o - t->rows);
		if (seen != NULL && i < DPT_OPT_MAX && seen->n[i] < UINT8_MAX)
			seen->n[i]++;
		rc = dpt_opt_apply(t, obj, o, val, why, sizeof(why));
		if (rc < 0)
			return dpt_opt_err(err, errlen, "--%s: %s", o->name,
					   why);
		if (rc > 0)
			return rc;
	}
	return rc;
}
