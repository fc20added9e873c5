/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/opt: a table over a struct of its own: each kind into its field,
 * ranges, names, custom rows, defaults through the setters, the command
 * line (errors in words, options counted), the dump, --help's wrapping
 * and the manual's entries.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dpt_opt.h"

#define DIM(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 32

struct thing {
	uint8_t small;
	uint16_t port;
	uint32_t ring;
	uint64_t big;
	uint32_t wait_us;
	uint64_t bytes;
	unsigned int color;
	bool loud;
	char name[8];
	const char *ref;
	char note[16];
	unsigned int calls;	/* of the custom setter */
};

/* A custom row: "x,y" as two bytes of note, shown as "pair: x y". */
static int
set_pair(void *obj, const struct dpt_opt *o, const char *val, char *err,
	 size_t errlen)
{
	struct thing *t = obj;

	t->calls++;
	if (strlen(val) != 3 || val[1] != ',')
		return dpt_opt_err(err, errlen, "'%s' is not X,Y", val);
	t->note[0] = val[0];
	t->note[1] = val[2];
	t->note[2] = '\0';
	return 0;
}

static void
show_pair(const void *obj, const struct dpt_opt *o, FILE *f)
{
	const struct thing *t = obj;

	fprintf(f, "%s: %c %c\n", o->name, t->note[0], t->note[1]);
}

/* A STRING row with a check of its own before the kind's copy. */
static int
set_lower(void *obj, const struct dpt_opt *o, const char *val, char *err,
	  size_t errlen)
{
	struct dpt_opt plain = *o;
	const char *p;

	for (p = val; *p != '\0'; p++)
		if (*p < 'a' || *p > 'z')
			return dpt_opt_err(err, errlen, "'%s' is not lower "
					   "case", val);
	plain.set = NULL;
	return dpt_opt_apply(NULL, obj, &plain, val, err, errlen);
}

static int
say_done(void *obj, const struct dpt_opt *o, const char *val, char *err,
	 size_t errlen)
{
	return 7;
}

static const char *const colors[] = { "red", "green", "blue", NULL };

#define F(m) .off = offsetof(struct thing, m), \
	.width = sizeof(((struct thing *)0)->m)

static const struct dpt_opt rows[] = {
	{ .name = "small", .arg = "N", .help = "a byte", .def = "3",
	  .kind = DPT_OPT_UINT, F(small), .min = 1, .max = 200 },
	{ .name = "port", .short_name = 'p', .arg = "N", .help = "a port, "
	  "or 0 for any", .def = "69", .kind = DPT_OPT_UINT, F(port),
	  .min = 1, .max = 65535, .flags = DPT_OPT_F_ZERO_OK },
	{ .name = "ring", .arg = "N", .help = "a ring", .def = "64",
	  .kind = DPT_OPT_UINT, F(ring), .min = 16, .max = 4096,
	  .flags = DPT_OPT_F_POW2 },
	{ .name = "big", .arg = "N", .kind = DPT_OPT_UINT, F(big),
	  .help = "anything", .max = UINT64_MAX },
	{ .name = "wait", .arg = "DURATION", .group = 1, .def = "1.5s",
	  .help = "a wait", .kind = DPT_OPT_DURATION, F(wait_us),
	  .min = 1000, .max = 10000000 },
	{ .name = "bytes", .arg = "SIZE", .group = 1, .def = "1M",
	  .help = "some bytes", .kind = DPT_OPT_SIZE, F(bytes),
	  .min = 1024, .max = UINT64_C(1) << 30 },
	{ .name = "color", .arg = "NAME", .group = 1, .def = "green",
	  .help = "a color", .kind = DPT_OPT_ENUM, F(color), .names = colors },
	{ .name = "loud", .short_name = 'l', .group = 2, .help = "be loud",
	  .kind = DPT_OPT_FLAG, F(loud) },
	{ .name = "name", .arg = "TEXT", .group = 2, .help = "a short name",
	  .kind = DPT_OPT_STRING, F(name), .set = set_lower },
	{ .name = "ref", .arg = "TEXT", .group = 2, .help = "kept as given",
	  .kind = DPT_OPT_STRING, F(ref),
	  .flags = DPT_OPT_F_REF | DPT_OPT_F_EMPTY_OK },
	{ .name = "pair", .arg = "X,Y", .group = 2, .help = "two letters",
	  .def = "a,b", .kind = DPT_OPT_CUSTOM, .set = set_pair,
	  .show = show_pair },
	{ .name = "done", .group = 2, .help = "stop here",
	  .kind = DPT_OPT_CUSTOM, .set = say_done },
};

static const char *const groups[] = { "Numbers:", "Units:", "Others:" };

static const struct dpt_opt_table table = {
	.rows = rows, .n_rows = DIM(rows), .groups = groups,
	.n_groups = DIM(groups),
};

static struct thing th;
static struct dpt_opt_seen seen;
static char err[DPT_OPT_ERR_MAX];

/* Parses a space-separated command line (argv[0] added) over th. */
static int
parse_on(const struct dpt_opt_table *t, const char *line)
{
	static char buf[512];
	char *argv[MAX_ARGS], *save = NULL, *w;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = (char *)(uintptr_t)"prog";
	for (w = strtok_r(buf, " ", &save); w != NULL && argc < MAX_ARGS - 1;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	err[0] = '\0';
	return dpt_opt_parse(t, &th, argc, argv, &seen, err, sizeof(err));
}

static int
parse(const char *line)
{
	return parse_on(&table, line);
}

static int
setup(void **state)
{
	memset(&th, 0, sizeof(th));
	return dpt_opt_defaults(&table, &th);
}

/* Verifies: every default lands through its setter, custom ones too. */
static void
defaults(void **state)
{
	assert_int_equal(th.small, 3);
	assert_int_equal(th.port, 69);
	assert_int_equal(th.ring, 64);
	assert_int_equal(th.wait_us, 1500000);
	assert_int_equal(th.bytes, 1 << 20);
	assert_int_equal(th.color, 1);
	assert_false(th.loud);
	assert_string_equal(th.note, "ab");
	assert_int_equal(th.calls, 1);
}

/* Verifies: a default the row refuses is reported. */
static void
bad_default(void **state)
{
	static const struct dpt_opt bad[] = {
		{ .name = "n", .arg = "N", .help = "h", .def = "0",
		  .kind = DPT_OPT_UINT, F(small), .min = 1, .max = 2 },
	};
	static const struct dpt_opt_table t = {
		.rows = bad, .n_rows = 1, .groups = groups, .n_groups = 1,
	};

	assert_int_equal(dpt_opt_defaults(&t, &th), -1);
}

/* Verifies: each generic kind reads into its field of its width; a
 * value too big for 64 bits is out of range, never the maximum. */
static void
kinds(void **state)
{
	assert_int_equal(parse("--small 200 -p 0 --ring 4096 --big "
			       "18446744073709551615 --wait 250ms --bytes 2K "
			       "--color blue -l --name abc --ref x"), 0);
	assert_int_equal(th.small, 200);
	assert_int_equal(th.port, 0);
	assert_int_equal(th.ring, 4096);
	assert_true(th.big == UINT64_MAX);
	assert_int_equal(th.wait_us, 250000);
	assert_int_equal(th.bytes, 2048);
	assert_int_equal(th.color, 2);
	assert_true(th.loud);
	assert_string_equal(th.name, "abc");
	assert_string_equal(th.ref, "x");
	assert_int_equal(parse("--ref="), 0);
	assert_null(th.ref);
	assert_int_equal(parse("--big 18446744073709551616"), -1);
	assert_string_equal(err, "--big: '18446744073709551616' is out of "
			    "range (0..18446744073709551615)");
}

/* Verifies: ranges in the row's units, 0 where allowed, powers of two,
 * names listed, text too long or empty, a custom and an own check. */
static void
refusals(void **state)
{
	static const struct {
		const char *line, *msg;
	} cases[] = {
		{ "--small 201", "--small: '201' is out of range (1..200)" },
		{ "--port 65536", "--port: '65536' is out of range (0 or "
		  "1..65535)" },
		{ "--ring 100", "--ring: '100' is not a power of two "
		  "(16..4096)" },
		{ "--wait 11s", "--wait: '11s' is out of range (1ms..10s)" },
		{ "--wait 0.1ms", "--wait: '0.1ms' is out of range "
		  "(1ms..10s)" },
		{ "--bytes 2G", "--bytes: '2G' is out of range (1K..1G)" },
		{ "--color pink", "--color: unknown value 'pink' (red, green, "
		  "blue)" },
		{ "--name abcdefgh", "--name: 'abcdefgh' is too long (7 bytes "
		  "at most)" },
		{ "--name=", "--name: empty value" },
		{ "--name ABC", "--name: 'ABC' is not lower case" },
		{ "--pair xy", "--pair: 'xy' is not X,Y" },
	};
	unsigned int i;

	for (i = 0; i < DIM(cases); i++) {
		assert_int_equal(parse(cases[i].line), -1);
		assert_string_equal(err, cases[i].msg);
	}
	assert_int_equal(th.small, 3);	/* refused: untouched */
}

/* Verifies: the command line's own errors, in words; reading goes on
 * after one; a setter's value above 0 ends the parse. */
static void
command_line(void **state)
{
	static const struct {
		const char *line, *msg;
	} cases[] = {
		{ "--nope", "unknown option '--nope'" },
		{ "--nope=1", "unknown option '--nope=1'" },
		{ "-lx", "unknown option '-x'" },
		{ "--loud=yes", "--loud: takes no value" },
		{ "--b 1", "ambiguous option '--b' (2 options start so)" },
		{ "--small", "--small: missing value (N)" },
		{ "-p", "--port: missing value (N)" },
		{ "stray --loud", "unexpected argument 'stray'" },
	};
	unsigned int i;

	for (i = 0; i < DIM(cases); i++) {
		assert_int_equal(parse(cases[i].line), -1);
		assert_string_equal(err, cases[i].msg);
	}
	assert_int_equal(parse("--bi 5 --sm=9 -lp 70"), 0);	/* prefixes */
	assert_int_equal(th.big, 5);
	assert_int_equal(th.small, 9);
	assert_int_equal(th.port, 70);
	assert_int_equal(parse("--small 4 --done --small 300"), 7);
	assert_int_equal(th.small, 4);
}

/* Verifies: the iterator reports an error and reads on past it. */
static void
iterator(void **state)
{
	char *argv[] = { "prog", "--nope", "--small", "5", "x", NULL };
	struct dpt_opt_argv a;
	const struct dpt_opt *o;
	const char *val;

	dpt_opt_argv_init(&a, &table, 5, argv);
	assert_int_equal(dpt_opt_argv_next(&a, &o, &val, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "unknown option '--nope'");
	assert_int_equal(dpt_opt_argv_next(&a, &o, &val, err, sizeof(err)),
			 1);
	assert_string_equal(o->name, "small");
	assert_string_equal(val, "5");
	assert_int_equal(dpt_opt_argv_next(&a, &o, &val, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "unexpected argument 'x'");
	assert_int_equal(dpt_opt_argv_next(&a, &o, &val, err, sizeof(err)),
			 0);
}

/* Verifies: each option given is counted, twice as twice; none given is
 * 0, and so is a name the table lacks. */
static void
seen_counts(void **state)
{
	assert_int_equal(parse("--small 4 -l --small 5 --pair x,y"), 0);
	assert_int_equal(dpt_opt_seen(&table, &seen, "small"), 2);
	assert_int_equal(dpt_opt_seen(&table, &seen, "loud"), 1);
	assert_int_equal(dpt_opt_seen(&table, &seen, "pair"), 1);
	assert_int_equal(dpt_opt_seen(&table, &seen, "port"), 0);
	assert_int_equal(dpt_opt_seen(&table, &seen, "nothing"), 0);
	assert_int_equal(th.small, 5);
	assert_int_equal(th.calls, 2);
	assert_int_equal(parse(""), 0);
	assert_int_equal(dpt_opt_seen(&table, &seen, "small"), 0);
}

/* Verifies: a language's own words and a table that lets options follow
 * other words (getopt's permutation). */
static void
own_language(void **state)
{
	static const struct dpt_opt_lang words = {
		.msg = {
			[DPT_OPT_M_RANGE] = "{val} is outside {lo}..{hi}",
			[DPT_OPT_M_ENUM] = "'{val}' is not {either}",
			[DPT_OPT_M_MISSING] = "option '{word}' needs a value",
		},
	};
	const struct dpt_opt_table t = {
		.rows = rows, .n_rows = DIM(rows), .groups = groups,
		.n_groups = DIM(groups), .lang = &words,
		.flags = DPT_OPT_T_PERMUTE,
	};

	assert_int_equal(parse_on(&t, "--small 0"), -1);
	assert_string_equal(err, "--small: 0 is outside 1..200");
	assert_int_equal(parse_on(&t, "--color x"), -1);
	assert_string_equal(err, "--color: 'x' is not red, green or blue");
	assert_int_equal(parse_on(&t, "--small"), -1);
	assert_string_equal(err, "option '--small' needs a value");
	assert_int_equal(parse_on(&t, "stray --small 8"), -1);
	assert_string_equal(err, "unexpected argument 'stray'");
	assert_int_equal(th.small, 8);	/* read before the stray word */
}

static char *
written(void (*fn)(FILE *, const struct dpt_opt_table *),
	const struct dpt_opt_table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, t);
	fclose(f);
	return buf;
}

static void
dump_of(FILE *f, const struct dpt_opt_table *t)
{
	dpt_opt_dump(t, &th, f);
}

/* Verifies: the dump, one "name: value" line a row in table order,
 * durations in ms when whole, names by name, flags yes or no. */
static void
dump(void **state)
{
	char *d = written(dump_of, &table);

	assert_string_equal(d, "small: 3\nport: 69\nring: 64\nbig: 0\n"
			    "wait: 1500ms\nbytes: 1048576\ncolor: green\n"
			    "loud: no\nname: \nref: \npair: a b\n");
	free(d);
}

/* Verifies: --help's groups and rows, the help wrapped within 79
 * columns under its column, the default whole; a fixed column puts a
 * longer label on a line of its own, padded where no short name is. */
static void
usage(void **state)
{
	static const struct dpt_opt wide[] = {
		{ .name = "an-option-with-a-long-name", .arg = "VALUE",
		  .help = "the words of this help run on for a while, past "
			  "the margin of the line, and wrap under their "
			  "column", .def = "some default" },
		{ .name = "short", .short_name = 's', .help = "h" },
		{ .name = "plain", .help = "h" },
	};
	const struct dpt_opt_table t = {
		.rows = wide, .n_rows = DIM(wide), .groups = groups,
		.n_groups = 1, .help_col = 20,
		.flags = DPT_OPT_T_PAD_SHORT,
	};
	char *u = written(dpt_opt_usage, &table), *p;
	size_t n;

	/* the column: the widest label, "--wait DURATION" */
	assert_non_null(strstr(u, "\nNumbers:\n  --small N        a byte "
			       "(default: 3)\n"));
	assert_non_null(strstr(u, "\n  -p, --port N     a port, or 0 for any "
			       "(default: 69)\n"));
	assert_non_null(strstr(u, "\n\nOthers:\n  -l, --loud       be "
			       "loud\n"));
	free(u);
	u = written(dpt_opt_usage, &t);
	assert_non_null(strstr(u, "\nNumbers:\n      --an-option-with-a-"
			       "long-name VALUE\n                        the "
			       "words"));
	assert_non_null(strstr(u, "\n                        (default: some "
			       "default)\n"));
	assert_non_null(strstr(u, "  -s, --short           h\n"));
	assert_non_null(strstr(u, "      --plain           h\n"));
	for (p = u; *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		assert_true(n <= 79);
	}
	free(u);
}

/* Verifies: the manual's entries: a .SS per group without its colon, a
 * .TP per row with the default, and the stop where the table asks. */
static void
man(void **state)
{
	const struct dpt_opt_table stop = {
		.rows = rows, .n_rows = DIM(rows), .groups = groups,
		.n_groups = DIM(groups), .flags = DPT_OPT_T_MAN_STOP,
	};
	char *m = written(dpt_opt_man, &table);

	assert_non_null(strstr(m, ".SS \"Numbers\"\n.TP\n\\fB\\-\\-small\\fR "
			       "\\fIN\\fR\na byte (default: 3)\n"));
	assert_non_null(strstr(m, ".TP\n\\fB\\-p\\fR, \\fB\\-\\-port\\fR "
			       "\\fIN\\fR\n"));
	assert_non_null(strstr(m, "\nbe loud\n"));
	free(m);
	m = written(dpt_opt_man, &stop);
	assert_non_null(strstr(m, "\na byte (default: 3).\n"));
	assert_non_null(strstr(m, "\nbe loud.\n"));
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(defaults, setup),
		cmocka_unit_test_setup(bad_default, setup),
		cmocka_unit_test_setup(kinds, setup),
		cmocka_unit_test_setup(refusals, setup),
		cmocka_unit_test_setup(command_line, setup),
		cmocka_unit_test_setup(iterator, setup),
		cmocka_unit_test_setup(seen_counts, setup),
		cmocka_unit_test_setup(own_language, setup),
		cmocka_unit_test_setup(dump, setup),
		cmocka_unit_test_setup(usage, setup),
		cmocka_unit_test_setup(man, setup),
	};

	return cmocka_run_group_tests_name("opt_table", tests, NULL, NULL);
}
