/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/opt: values one at a time: numbers, scaled numbers (units, case,
 * fractions, rounding, byte suffixes), and the error lines a language's
 * templates make of them.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dpt_opt.h"

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

static char err[DPT_OPT_ERR_MAX];

/* Verifies: decimal digits only; signs, spaces, hex, fractions and the
 * empty string refused; 2^64-1 fits and 2^64 is -ERANGE, never wrapped. */
static void
numbers(void **state)
{
	static const char *const bad[] = {
		"", "abc", "-1", "+1", " 1", "1 ", "0x10", "1.0", "1e3", "12a",
	};
	uint64_t v = 77;
	unsigned int i;

	for (i = 0; i < DIM(bad); i++)
		assert_int_equal(dpt_opt_strtou64(bad[i], &v), -EINVAL);
	assert_int_equal(dpt_opt_strtou64(NULL, &v), -EINVAL);
	assert_int_equal(v, 77);
	assert_int_equal(dpt_opt_strtou64("042", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(dpt_opt_strtou64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(dpt_opt_strtou64("18446744073709551616", &v),
			 -ERANGE);
	assert_int_equal(dpt_opt_parse_uint("7", 1, 5, &v, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "'7' is out of range (1..5)");
	assert_int_equal(dpt_opt_parse_uint("99999999999999999999", 0,
					    UINT64_MAX, &v, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "'99999999999999999999' is out of range "
			    "(0..18446744073709551615)");
	assert_int_equal(dpt_opt_parse_uint("x", 0, 9, &v, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "'x' is not a number");
}

static const struct dpt_opt_unit time_units[] = {
	{ "", 1000000 }, { "us", 1 }, { "ms", 1000 }, { "s", 1000000 },
	{ "m", 60000000 }, { NULL, 0 },
};

struct scaled_case {
	const char *s;
	int rc;
	uint64_t v;
};

static void
run_scaled(const struct dpt_opt_scale *sc, const struct scaled_case *c,
	   unsigned int n)
{
	unsigned int i;
	uint64_t v;

	for (i = 0; i < n; i++) {
		v = 12345;
		if (dpt_opt_scaled(c[i].s, sc, &v) != c[i].rc)
			fail_msg("'%s': rc %d, want %d", c[i].s,
				 dpt_opt_scaled(c[i].s, sc, &v), c[i].rc);
		if (c[i].rc == 0 && v != c[i].v)
			fail_msg("'%s' gave %ju, want %ju", c[i].s,
				 (uintmax_t)v, (uintmax_t)c[i].v);
		if (c[i].rc != 0 && v != 12345)
			fail_msg("'%s' refused but wrote %ju", c[i].s,
				 (uintmax_t)v);
	}
}

/* Verifies: a strict scale takes its units as spelled, fractions only
 * to the smallest step (-EDOM below it), and no "1." or other case. */
static void
scaled_strict(void **state)
{
	static const struct dpt_opt_scale sc = {
		.units = time_units, .flags = DPT_OPT_S_FRACTION,
	};
	static const struct scaled_case c[] = {
		{ "2", 0, 2000000 }, { "250us", 0, 250 }, { "1.5ms", 0, 1500 },
		{ "0.000001", 0, 1 }, { "1.500000000", 0, 1500000 },
		{ "2m", 0, 120000000 }, { "007ms", 0, 7000 },
		{ "0.5us", -EDOM, 0 }, { "1.0000001", -EDOM, 0 },
		{ "1.", -EINVAL, 0 }, { ".5", -EINVAL, 0 },
		{ "1MS", -EINVAL, 0 }, { "1 s", -EINVAL, 0 },
		{ "1.5.5", -EINVAL, 0 }, { "-1s", -EINVAL, 0 },
		{ "ms", -EINVAL, 0 }, { "", -EINVAL, 0 },
		{ "99999999999999999999s", -ERANGE, 0 },
		{ "18446744073709551615m", -ERANGE, 0 },
	};

	run_scaled(&sc, c, DIM(c));
}

/* Verifies: a loose scale takes any case, a trailing dot, and rounds a
 * fraction of the smallest step half up, exactly (no binary float). */
static void
scaled_loose(void **state)
{
	static const struct dpt_opt_scale sc = {
		.units = time_units,
		.flags = DPT_OPT_S_ANYCASE | DPT_OPT_S_FRACTION |
			 DPT_OPT_S_ROUND | DPT_OPT_S_DOT,
	};
	static const struct scaled_case c[] = {
		{ "1.5us", 0, 2 }, { "1.4999us", 0, 1 }, { "0.5us", 0, 1 },
		{ "0.0000015", 0, 2 }, { "2MS", 0, 2000 },
		{ "1M", 0, 60000000 }, { "1.", 0, 1000000 },
		{ "1.ms", 0, 1000 },
		{ "0.1", 0, 100000 }, { "1x", -EINVAL, 0 },
		{ "0.00000000000000000000000001s", 0, 0 },
	};

	run_scaled(&sc, c, DIM(c));
}

/* Verifies: sizes with "B" and "iB" after a unit where the scale says,
 * "iB" never alone; fractions of a byte refused. */
static void
scaled_sizes(void **state)
{
	static const struct dpt_opt_scale bytes = {
		.units = dpt_opt_size_units,
		.flags = DPT_OPT_S_ANYCASE | DPT_OPT_S_BYTES,
	};
	static const struct dpt_opt_scale frac = {
		.units = dpt_opt_size_units,
		.flags = DPT_OPT_S_ANYCASE | DPT_OPT_S_FRACTION,
	};
	static const struct scaled_case cb[] = {
		{ "4096B", 0, 4096 }, { "64MB", 0, 64 << 20 },
		{ "64MiB", 0, 64 << 20 }, { "1k", 0, 1024 },
		{ "1T", 0, UINT64_C(1) << 40 }, { "1iB", -EINVAL, 0 },
		{ "1MiBs", -EINVAL, 0 }, { "1MM", -EINVAL, 0 },
		{ "1P", -EINVAL, 0 }, { "1.5K", -EINVAL, 0 },
		{ "16777216T", -ERANGE, 0 },
	};
	static const struct scaled_case cf[] = {
		{ "1.5K", 0, 1536 }, { "0.25k", 0, 256 }, { "1.3", -EDOM, 0 },
		{ "0.3K", -EDOM, 0 }, { "4MB", -EINVAL, 0 },
	};

	run_scaled(&bytes, cb, DIM(cb));
	run_scaled(&frac, cf, DIM(cf));
}

/* Verifies: the default language's words for each kind and failure, one
 * line whatever the value holds, the value cut to fit. */
static void
default_words(void **state)
{
	char big[200];
	uint64_t v;

	assert_int_equal(dpt_opt_value(NULL, DPT_OPT_DURATION, "soon", &v,
				       err, sizeof(err)), -1);
	assert_string_equal(err, "'soon' is not a duration (like 500ms, 2s, "
			    "250us)");
	assert_int_equal(dpt_opt_value(NULL, DPT_OPT_DURATION, "0.5us", &v,
				       err, sizeof(err)), -1);
	assert_string_equal(err, "'0.5us' is finer than a microsecond");
	assert_int_equal(dpt_opt_value(NULL, DPT_OPT_SIZE, "1.5G", &v, err,
				       sizeof(err)), -1);
	assert_string_equal(err, "'1.5G' is not a size (like 4096, 64M, 1G)");
	assert_int_equal(dpt_opt_value(NULL, DPT_OPT_SIZE, "16777216T", &v,
				       err, sizeof(err)), -1);
	assert_string_equal(err, "'16777216T' is out of range");
	assert_int_equal(dpt_opt_value(NULL, DPT_OPT_UINT, "1\n2", &v, err,
				       sizeof(err)), -1);
	assert_string_equal(err, "'1?2' is not a number");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(dpt_opt_value(NULL, DPT_OPT_UINT, big, &v, err,
				       sizeof(err)), -1);
	assert_true(strlen(err) < DPT_OPT_QUOTE_MAX + 32);
	assert_non_null(strstr(err, "x...' is not a number"));
	assert_int_equal(dpt_opt_value(NULL, DPT_OPT_SIZE, "64M", &v, err,
				       sizeof(err)), 0);
	assert_int_equal(v, 64 << 20);
}

/* Verifies: a language's own templates and units replace the default's
 * where given, and the default fills in the rest. */
static void
own_words(void **state)
{
	static const struct dpt_opt_scale sc = {
		.units = time_units, .flags = DPT_OPT_S_FRACTION,
	};
	static const struct dpt_opt_lang l = {
		.duration = &sc,
		.msg = {
			[DPT_OPT_M_NOT_UINT] = "{val} isn't {nothing} a count",
			[DPT_OPT_M_FINE] = "{val}: too fine",
		},
	};
	uint64_t v;

	assert_int_equal(dpt_opt_value(&l, DPT_OPT_UINT, "q", &v, err,
				       sizeof(err)), -1);
	assert_string_equal(err, "q isn't {nothing} a count");
	assert_int_equal(dpt_opt_value(&l, DPT_OPT_DURATION, "2m", &v, err,
				       sizeof(err)), 0);
	assert_int_equal(v, 120000000);
	assert_int_equal(dpt_opt_value(&l, DPT_OPT_DURATION, "0.1us", &v, err,
				       sizeof(err)), -1);
	assert_string_equal(err, "0.1us: too fine");
	/* no size scale of its own: the default's, "B" and all */
	assert_int_equal(dpt_opt_value(&l, DPT_OPT_SIZE, "2KiB", &v, err,
				       sizeof(err)), 0);
	assert_int_equal(v, 2048);
	assert_int_equal(dpt_opt_value(&l, DPT_OPT_SIZE, "x", &v, err,
				       sizeof(err)), -1);
	assert_string_equal(err, "'x' is not a size (like 4096, 64M, 1G)");
}

/* Verifies: dpt_opt_err makes one line and refuses; quote cuts long
 * values with "...". */
static void
err_and_quote(void **state)
{
	char q[8];

	assert_int_equal(dpt_opt_err(err, sizeof(err), "a\tb\nc%d", 1), -1);
	assert_string_equal(err, "a?b?c1");
	assert_string_equal(dpt_opt_quote("short", q, sizeof(q)), "short");
	assert_string_equal(dpt_opt_quote("longer than 8", q, sizeof(q)),
			    "long...");
	assert_int_equal(dpt_opt_err(NULL, 0, "x"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers),
		cmocka_unit_test(scaled_strict),
		cmocka_unit_test(scaled_loose),
		cmocka_unit_test(scaled_sizes),
		cmocka_unit_test(default_words),
		cmocka_unit_test(own_words),
		cmocka_unit_test(err_and_quote),
	};

	return cmocka_run_group_tests_name("opt_value", tests, NULL, NULL);
}
