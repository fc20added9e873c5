/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_OPT_INTERNAL_H_
#define _DPT_OPT_INTERNAL_H_

/* Shared between lib/opt's files; not part of its interface. */

#include "dpt_opt.h"

#define OPT_DIM(a) (sizeof(a) / sizeof((a)[0]))

/* What an error template's {keys} stand for; NULL: not known here. */
struct opt_words {
	const char *val;		/* {val}, quoted and cut to fit */
	const struct dpt_opt *o;	/* {name}, {arg}, {list}, {either} */
	const char *word;		/* {word} */
	const char *lo, *hi;		/* {lo}, {hi} */
	bool zero;			/* {zero}: "0 or " */
};

/* t's language, or the default where t has none. */
const struct dpt_opt_lang *opt_lang(const struct dpt_opt_table *t);

/* Writes message m of language l, its {keys} filled from w; returns -1. */
int opt_say(const struct dpt_opt_lang *l, enum dpt_opt_msg m,
	    const struct opt_words *w, char *err, size_t errlen);

/* The error for a failed dpt_opt_scaled() of a kind's value; -1. */
int opt_say_value(const struct dpt_opt_lang *l, enum dpt_opt_kind kind,
		  int rc, const char *s, char *err, size_t errlen);

/* Reads s as kind's number in l's form: as dpt_opt_scaled(). */
int opt_scan(const struct dpt_opt_lang *l, enum dpt_opt_kind kind,
	     const char *s, uint64_t *v);

#endif /* _DPT_OPT_INTERNAL_H_ */
