/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Values: numbers, and numbers with a unit (durations, sizes). Everything
 * is read by hand, digit by digit, and fractions in exact decimal, so a
 * sign, a space, a hex prefix, an exponent or an overflow is refused
 * instead of silently becoming some other number (strtoul accepts "-1"
 * and " 7"; strtod rounds "0.1"; atoi cannot report anything).
 */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "opt_internal.h"

static const struct dpt_opt_unit duration_units[] = {
	{ "", 1000000 },	/* a bare number is seconds, like RFC 2349 */
	{ "s", 1000000 },
	{ "ms", 1000 },
	{ "us", 1 },
	{ NULL, 0 },
};

const struct dpt_opt_unit dpt_opt_size_units[] = {
	{ "", 1 },
	{ "K", UINT64_C(1) << 10 },
	{ "M", UINT64_C(1) << 20 },
	{ "G", UINT64_C(1) << 30 },
	{ "T", UINT64_C(1) << 40 },
	{ NULL, 0 },
};

static const struct dpt_opt_scale duration_scale = {
	.units = duration_units,
	.flags = DPT_OPT_S_FRACTION,
};

static const struct dpt_opt_scale size_scale = {
	.units = dpt_opt_size_units,
	.flags = DPT_OPT_S_ANYCASE | DPT_OPT_S_BYTES,
};

const struct dpt_opt_lang dpt_opt_lang_default = {
	.duration = &duration_scale,
	.size = &size_scale,
	.msg = {
		[DPT_OPT_M_NOT_UINT] = "'{val}' is not a number",
		[DPT_OPT_M_NOT_DURATION] = "'{val}' is not a duration (like "
					   "500ms, 2s, 250us)",
		[DPT_OPT_M_NOT_SIZE] = "'{val}' is not a size (like 4096, 64M, "
				       "1G)",
		[DPT_OPT_M_FINE] = "'{val}' is finer than a microsecond",
		[DPT_OPT_M_OVERFLOW] = "'{val}' is out of range",
		[DPT_OPT_M_RANGE] = "'{val}' is out of range ({zero}{lo}.."
				    "{hi})",
		[DPT_OPT_M_POW2] = "'{val}' is not a power of two ({lo}..{hi})",
		[DPT_OPT_M_ENUM] = "unknown value '{val}' ({list})",
		[DPT_OPT_M_EMPTY] = "empty value",
		[DPT_OPT_M_LONG] = "'{val}' is too long ({hi} bytes at most)",
		[DPT_OPT_M_MISSING] = "--{name}: missing value ({arg})",
	},
};

/*
 * Every error goes through here so that it is always exactly one line:
 * a value typed on the command line may hold a newline or a tab, and the
 * caller prints err as one log line.
 */
int
dpt_opt_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	for (p = err; *p != '\0'; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
	return -1;
}

const char *
dpt_opt_quote(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (n < len) {
		memcpy(buf, s, n + 1);
		return buf;
	}
	snprintf(buf, len, "%.*s...", (int)(len - 4), s);
	return buf;
}

/* The digits at p into *v (*overflow where they do not fit); returns the
 * first character after them. */
static const char *
digits(const char *p, uint64_t *v, bool *overflow)
{
	uint64_t x = 0;

	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (x > (UINT64_MAX - d) / 10)
			*overflow = true;
		else
			x = x * 10 + d;
	}
	*v = x;
	return p;
}

int
dpt_opt_strtou64(const char *s, uint64_t *v)
{
	bool overflow = false;
	uint64_t x;

	if (s == NULL || !isdigit((unsigned char)*s) ||
	    *digits(s, &x, &overflow) != '\0')
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	*v = x;
	return 0;
}

/* The unit p names, with all that follows it; -EINVAL if none does. */
static int
unit_of(const char *p, const struct dpt_opt_scale *sc, uint64_t *mult)
{
	const struct dpt_opt_unit *u;
	const char *rest;
	size_t n;

	for (u = sc->units; u->suffix != NULL; u++) {
		n = strlen(u->suffix);
		if ((sc->flags & DPT_OPT_S_ANYCASE) ?
		    strncasecmp(p, u->suffix, n) != 0 :
		    strncmp(p, u->suffix, n) != 0)
			continue;
		rest = p + n;
		/* "512M", "512MB" and "512MiB" all mean 512 * 2^20 */
		if (*rest == '\0' || ((sc->flags & DPT_OPT_S_BYTES) &&
				      (strcmp(rest, "B") == 0 ||
				       (n > 0 && strcmp(rest, "iB") == 0)))) {
			*mult = u->mult;
			return 0;
		}
	}
	return -EINVAL;
}

/* Multiplies without wrapping; -ERANGE where the product does not fit. */
static int
mul_u64(uint64_t a, uint64_t b, uint64_t *r)
{
	if (b != 0 && a > UINT64_MAX / b)
		return -ERANGE;
	*r = a * b;
	return 0;
}

/* r plus the fraction's nfrac digits of one mult, exactly: a part of the
 * smallest step rounds where the scale says so, else is -EDOM. */
static int
add_fraction(uint64_t r, const char *frac, size_t nfrac, uint64_t mult,
	     unsigned int flags, uint64_t *v)
{
	unsigned __int128 f = 0, pow10 = 1, x, rem;
	uint64_t part;
	size_t i;

	/* Trailing zeros say nothing: "0.500" is "0.5". */
	while (nfrac > 0 && frac[nfrac - 1] == '0')
		nfrac--;
	if (nfrac > 19) {	/* past what 10^n holds in 64 bits */
		if (!(flags & DPT_OPT_S_ROUND))
			return -EDOM;
		nfrac = 19;
	}
	for (i = 0; i < nfrac; i++) {
		f = f * 10 + (unsigned int)(frac[i] - '0');
		pow10 *= 10;
	}
	x = f * mult;
	part = (uint64_t)(x / pow10);	/* f < pow10: below mult */
	rem = x % pow10;
	if (rem != 0) {
		if (!(flags & DPT_OPT_S_ROUND))
			return -EDOM;
		if (2 * rem >= pow10)
			part++;
	}
	if (part > UINT64_MAX - r)
		return -ERANGE;
	*v = r + part;
	return 0;
}

int
dpt_opt_scaled(const char *s, const struct dpt_opt_scale *sc, uint64_t *v)
{
	const char *p, *frac = NULL;
	bool overflow = false;
	uint64_t whole, mult, r;
	size_t nfrac = 0;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -EINVAL;
	p = digits(s, &whole, &overflow);
	if (*p == '.' && (sc->flags & DPT_OPT_S_FRACTION)) {
		frac = ++p;
		while (isdigit((unsigned char)*p))
			p++;
		nfrac = (size_t)(p - frac);
		if (nfrac == 0 && !(sc->flags & DPT_OPT_S_DOT))
			return -EINVAL;
	}
	if (unit_of(p, sc, &mult) < 0)
		return -EINVAL;
	if (overflow || mul_u64(whole, mult, &r) < 0)
		return -ERANGE;
	return add_fraction(r, frac, nfrac, mult, sc->flags, v);
}

const struct dpt_opt_lang *
opt_lang(const struct dpt_opt_table *t)
{
	return t != NULL && t->lang != NULL ? t->lang : &dpt_opt_lang_default;
}

int
opt_scan(const struct dpt_opt_lang *l, enum dpt_opt_kind kind,
	 const char *s, uint64_t *v)
{
	const struct dpt_opt_lang *d = &dpt_opt_lang_default;

	if (kind == DPT_OPT_DURATION)
		return dpt_opt_scaled(s, l->duration != NULL ? l->duration :
				      d->duration, v);
	if (kind == DPT_OPT_SIZE)
		return dpt_opt_scaled(s, l->size != NULL ? l->size : d->size,
				      v);
	return dpt_opt_strtou64(s, v);
}

int
opt_say_value(const struct dpt_opt_lang *l, enum dpt_opt_kind kind, int rc,
	      const char *s, char *err, size_t errlen)
{
	const struct opt_words w = { .val = s };
	enum dpt_opt_msg m = DPT_OPT_M_NOT_UINT;

	if (rc == -ERANGE)
		m = DPT_OPT_M_OVERFLOW;
	else if (kind == DPT_OPT_DURATION)
		m = rc == -EDOM ? DPT_OPT_M_FINE : DPT_OPT_M_NOT_DURATION;
	else if (kind == DPT_OPT_SIZE)
		m = DPT_OPT_M_NOT_SIZE;	/* a fraction of a byte too */
	return opt_say(l, m, &w, err, errlen);
}

int
dpt_opt_value(const struct dpt_opt_lang *l, enum dpt_opt_kind kind,
	      const char *s, uint64_t *v, char *err, size_t errlen)
{
	int rc;

	if (l == NULL)
		l = &dpt_opt_lang_default;
	rc = opt_scan(l, kind, s, v);
	if (rc < 0)
		return opt_say_value(l, kind, rc, s, err, errlen);
	return 0;
}
