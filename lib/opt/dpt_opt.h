/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_OPT_H_
#define _DPT_OPT_H_

/*
 * Options described by a table, over any struct: each row names an option,
 * says how its value is read and where it goes. The command line, the
 * defaults, a `Key: value` dump, --help and the manual page are all walked
 * from the table, so they cannot disagree. No DPDK, no allocation; errors
 * come back as one line of text (control characters made '?') for the
 * caller to print. dptftpd (lib/conf) and dptftp-bench both use it.
 */

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DPT_OPT_MAX 128		/* rows in one table */
#define DPT_OPT_ERR_MAX 256	/* room for any error line */
#define DPT_OPT_QUOTE_MAX 64	/* a value quoted in an error, cut to fit */

/* How a row's value is read; all but CUSTOM need no code of the user's. */
enum dpt_opt_kind {
	DPT_OPT_UINT,		/* decimal digits into an unsigned field */
	DPT_OPT_DURATION,	/* "500ms", "2s" into a microseconds field */
	DPT_OPT_SIZE,		/* "512M" into a bytes field */
	DPT_OPT_ENUM,		/* one of names[], stored as its index */
	DPT_OPT_FLAG,		/* takes no value: sets a bool */
	DPT_OPT_STRING,		/* text, copied into a char array of width */
	DPT_OPT_CUSTOM,		/* set() and show() below */
};

#define DPT_OPT_F_ZERO_OK	0x01	/* 0 is allowed below min (auto, off) */
#define DPT_OPT_F_POW2		0x02	/* must be a power of two */
#define DPT_OPT_F_EMPTY_OK	0x04	/* STRING: an empty value clears it */
#define DPT_OPT_F_REF		0x08	/* STRING: the field is a const char *
					 * to the value itself, which must
					 * outlive the struct (argv) */
#define DPT_OPT_F_NO_SHOW	0x10	/* never in dpt_opt_show() */

struct dpt_opt;

/* A custom row's setter: 0, or -1 with err (no "--name: ", the caller adds
 * it); a value above 0 ends dpt_opt_parse(), which returns it (--help). */
typedef int (*dpt_opt_set_t)(void *obj, const struct dpt_opt *o,
			     const char *val, char *err, size_t errlen);
/* Writes the row as "name: value\n" lines. */
typedef void (*dpt_opt_show_t)(const void *obj, const struct dpt_opt *o,
			       FILE *f);

/*
 * One option: its long name, what --help says, its default (applied by
 * dpt_opt_defaults() through the same setter, so --help cannot show a
 * default the code does not use) and how to read it.
 */
struct dpt_opt {
	const char *name;	/* --name (and an INI key, for lib/conf) */
	char short_name;	/* -c; 0: none */
	const char *arg;	/* argument in --help; NULL: takes none */
	unsigned int group;	/* index into the table's groups[] */
	const char *help;
	const char *def;	/* NULL: no default */
	enum dpt_opt_kind kind;
	size_t off;		/* the field, for all kinds but CUSTOM (which */
	size_t width;		/* may use them as it likes): 1, 2, 4 or 8;
				 * STRING: the array's size */
	uint64_t min, max;	/* UINT, DURATION, SIZE; CUSTOM as it likes */
	unsigned int flags;	/* DPT_OPT_F_* */
	const char *const *names; /* ENUM: NULL-terminated */
	dpt_opt_set_t set;	/* CUSTOM; on another kind, a setter that
				 * checks more than the kind (it may apply a
				 * copy of the row without set) */
	dpt_opt_show_t show;	/* CUSTOM; NULL: not shown */
};

/* A unit a number may carry ("ms", "K") and what it multiplies by. */
struct dpt_opt_unit {
	const char *suffix;	/* "" for a bare number */
	uint64_t mult;
};

#define DPT_OPT_S_ANYCASE	0x1	/* "MS" is "ms", "1k" is "1K" */
#define DPT_OPT_S_FRACTION	0x2	/* "1.5K", "0.5" */
#define DPT_OPT_S_ROUND		0x4	/* a fraction of the smallest step
					 * rounds (half up); else refused */
#define DPT_OPT_S_DOT		0x8	/* "1." is 1 */
#define DPT_OPT_S_BYTES		0x10	/* "B" may follow, "iB" a unit:
					 * "4096B", "64MB", "64MiB" */

/* What a scaled number may look like: digits, maybe a fraction, a unit. */
struct dpt_opt_scale {
	const struct dpt_opt_unit *units;	/* ends at a NULL suffix */
	unsigned int flags;			/* DPT_OPT_S_* */
};

/*
 * The error lines, as templates: {val} the value (quoted by the template,
 * cut to fit), {name} the option, {arg} its argument in --help, {word} the
 * command-line word, {lo} and {hi} the range in the row's units, {zero}
 * "0 or " where 0 is allowed too, {list} the names ("a, b, c"), {either}
 * the names as a choice ("a, b or c").
 */
enum dpt_opt_msg {
	DPT_OPT_M_NOT_UINT,	/* "'{val}' is not a number" */
	DPT_OPT_M_NOT_DURATION,	/* "'{val}' is not a duration (like ...)" */
	DPT_OPT_M_NOT_SIZE,	/* "'{val}' is not a size (like ...)" */
	DPT_OPT_M_FINE,		/* "'{val}' is finer than a microsecond" */
	DPT_OPT_M_OVERFLOW,	/* "'{val}' is out of range" */
	DPT_OPT_M_RANGE,	/* "'{val}' is out of range ({zero}{lo}..
				 * {hi})" */
	DPT_OPT_M_POW2,		/* "'{val}' is not a power of two (..)" */
	DPT_OPT_M_ENUM,		/* "unknown value '{val}' ({list})" */
	DPT_OPT_M_EMPTY,	/* "empty value" */
	DPT_OPT_M_LONG,		/* "'{val}' is too long ({hi} bytes at most)" */
	DPT_OPT_M_MISSING,	/* "--{name}: missing value ({arg})" */
	DPT_OPT_M_COUNT,
};

/* A program's way with values: the units it takes and the words of its
 * errors. NULL anywhere: dpt_opt_lang_default's. */
struct dpt_opt_lang {
	const struct dpt_opt_scale *duration;	/* to microseconds */
	const struct dpt_opt_scale *size;	/* to bytes */
	const char *msg[DPT_OPT_M_COUNT];
};

/*
 * The default language (dptftpd's): durations 250us, 500ms, 2s or bare
 * seconds, fractions down to the microsecond ("0.5" is 500ms); sizes in
 * bytes or K, M, G, T (powers of 1024, any case), "B" or "iB" after.
 */
extern const struct dpt_opt_lang dpt_opt_lang_default;
/* Sizes' units, "" K M G T, for a language of one's own. */
extern const struct dpt_opt_unit dpt_opt_size_units[];

#define DPT_OPT_T_PERMUTE	0x1	/* options may follow other words
					 * (getopt's way); else the first
					 * word not an option ends them */
#define DPT_OPT_T_PAD_SHORT	0x2	/* --help: "    --name" lines up with
					 * "-n, --name" */
#define DPT_OPT_T_MAN_STOP	0x4	/* the manual: a '.' ends each entry */

struct dpt_opt_table {
	const struct dpt_opt *rows;
	unsigned int n_rows;		/* DPT_OPT_MAX at most */
	const char *const *groups;	/* each group's heading in --help; the
					 * manual drops a last ':' */
	unsigned int n_groups;
	const struct dpt_opt_lang *lang;	/* NULL: the default */
	unsigned int help_col;		/* --help: labels this wide, longer
					 * ones on a line of their own; 0: as
					 * wide as the widest */
	unsigned int flags;		/* DPT_OPT_T_* */
};

/* How often each row was given on a command line (255 at most). */
struct dpt_opt_seen {
	uint8_t n[DPT_OPT_MAX];
};

/* --- values (opt_value.c) ----------------------------------------- */

/* Writes one line into err (control characters made '?'); returns -1, so
 * that `return dpt_opt_err(...)` refuses. */
int dpt_opt_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* s, or its start and "..." where it would not fit in len; returns buf. */
const char *dpt_opt_quote(const char *s, char *buf, size_t len);

/* Decimal digits only: 0, -EINVAL (anything else, "" too), -ERANGE. */
int dpt_opt_strtou64(const char *s, uint64_t *v);

/* A number in sc's form: 0, -EINVAL (malformed), -ERANGE (too big),
 * -EDOM (a fraction of the smallest step, where sc does not round). */
int dpt_opt_scaled(const char *s, const struct dpt_opt_scale *sc,
		   uint64_t *v);

/* A UINT, DURATION or SIZE in l's form (NULL: the default): 0, or -1
 * with err in l's words. No range but the type's. */
int dpt_opt_value(const struct dpt_opt_lang *l, enum dpt_opt_kind kind,
		  const char *s, uint64_t *v, char *err, size_t errlen);

/* A number in [min, max]: 0, or -1 with err, in the default words. */
int dpt_opt_parse_uint(const char *s, uint64_t min, uint64_t max,
		       uint64_t *v, char *err, size_t errlen);

/* --- the table (opt_table.c) -------------------------------------- */

const struct dpt_opt *dpt_opt_find(const struct dpt_opt_table *t,
				   const char *name);

/* Reads val into obj as the row says: 0, -1 with err (no "--name: "), or
 * a custom setter's value above 0. */
int dpt_opt_apply(const struct dpt_opt_table *t, void *obj,
		  const struct dpt_opt *o, const char *val, char *err,
		  size_t errlen);

/* Applies every row's default, in table order, through its setter. obj
 * should be zeroed first; a default the row refuses is a bug (-1). */
int dpt_opt_defaults(const struct dpt_opt_table *t, void *obj);

/* The row's field as a number (width 1, 2, 4 or 8), and back. */
uint64_t dpt_opt_get(const void *obj, const struct dpt_opt *o);
void dpt_opt_put(void *obj, const struct dpt_opt *o, uint64_t v);

/* Whether v is within the row's range (and a power of two where it must
 * be): 0, or -1 with err quoting val (NULL: v in the row's units). */
int dpt_opt_check(const struct dpt_opt_table *t, const struct dpt_opt *o,
		  uint64_t v, const char *val, char *err, size_t errlen);

/*
 * The row as "name: value\n": numbers as numbers, durations in ms when
 * whole, else us ("timeout: 1000ms"), enums by name, flags yes or no.
 * dpt_opt_dump() does every row, in table order.
 */
void dpt_opt_show(const struct dpt_opt_table *t, const void *obj,
		  const struct dpt_opt *o, FILE *f);
void dpt_opt_dump(const struct dpt_opt_table *t, const void *obj, FILE *f);

/* How often the option of that name was given (0: never, or no such). */
unsigned int dpt_opt_seen(const struct dpt_opt_table *t,
			  const struct dpt_opt_seen *s, const char *name);

/* --- the command line (opt_argv.c) -------------------------------- */

/* A command line being read with getopt_long (whose state is global:
 * one at a time). */
struct dpt_opt_argv {
	const struct dpt_opt_table *t;
	int argc;
	char **argv;
	bool ended;
	struct option lopts[DPT_OPT_MAX + 1];
	char sopts[3 + 2 * DPT_OPT_MAX];
};

/* Starts reading argv (argv[0] the program) from its first option. */
void dpt_opt_argv_init(struct dpt_opt_argv *a, const struct dpt_opt_table *t,
		       int argc, char **argv);

/*
 * The next option: 1 with *o and *val (NULL for a flag), 0 at the end, or
 * -1 with err ("unknown option '--x'", a missing value, a word that is no
 * option); reading may go on after -1.
 */
int dpt_opt_argv_next(struct dpt_opt_argv *a, const struct dpt_opt **o,
		      const char **val, char *err, size_t errlen);

/*
 * Applies argv's options over obj, in order, counting each in seen (may be
 * NULL). Returns 0, -1 with one line in err ("--workers: 'x' is not a
 * number"), or a setter's value above 0. obj may be changed half-way.
 */
int dpt_opt_parse(const struct dpt_opt_table *t, void *obj, int argc,
		  char **argv, struct dpt_opt_seen *seen, char *err,
		  size_t errlen);

/* --- text (opt_usage.c) ------------------------------------------- */

/* --help's options: each group's heading, then its rows, the help text
 * wrapped within 79 columns and the default last. */
void dpt_opt_usage(FILE *f, const struct dpt_opt_table *t);

/* The manual's options (troff): a .SS per group, a .TP per row. */
void dpt_opt_man(FILE *f, const struct dpt_opt_table *t);

#endif /* _DPT_OPT_H_ */
