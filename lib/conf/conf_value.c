/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Value parsers: numbers, durations, sizes, addresses. Everything is read
 * by hand, digit by digit, so a sign, a space, a hex prefix or an overflow
 * is refused instead of silently becoming some other number (strtoul
 * accepts "-1" and " 7"; atoi cannot report anything).
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "conf_internal.h"

/*
 * Every error goes through here so that it is always exactly one line:
 * a value typed on the command line may hold a newline or a tab, and the
 * caller prints err as one log line.
 */
void
conf_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	for (p = err; *p != '\0'; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
}

/* A value cut short for an error line, so the reason still fits in it. */
const char *
conf_quote(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (n < len) {
		memcpy(buf, s, n + 1);
		return buf;
	}
	snprintf(buf, len, "%.*s...", (int)(len - 4), s);
	return buf;
}

int
conf_strtou64(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	const char *p;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	for (p = s; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
	for (p = s; *p != '\0'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -ERANGE;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

int
dpt_conf_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v,
		    char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	uint64_t x;
	int rc;

	rc = conf_strtou64(s, &x);
	if (rc == -EINVAL) {
		conf_err(err, errlen, "'%s' is not a number",
			 conf_quote(s != NULL ? s : "", q, sizeof(q)));
		return -1;
	}
	if (rc == -ERANGE || x < min || x > max) {
		conf_err(err, errlen,
			 "'%s' is out of range (%" PRIu64 "..%" PRIu64 ")",
			 conf_quote(s, q, sizeof(q)), min, max);
		return -1;
	}
	*v = x;
	return 0;
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

static const struct {
	const char *suffix;
	uint64_t us;
} duration_units[] = {
	{ "", 1000000 },	/* a bare number is seconds, like RFC 2349 */
	{ "s", 1000000 },
	{ "ms", 1000 },
	{ "us", 1 },
};

int
conf_duration(const char *s, uint64_t *us)
{
	const char *p = s, *frac = NULL, *unit;
	size_t nfrac = 0, i;
	uint64_t whole = 0, mult = 0, r, f = 0, pow10 = 1;
	int overflow = 0;

	if (s == NULL || !isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (whole > (UINT64_MAX - d) / 10)
			overflow = 1;
		else
			whole = whole * 10 + d;
	}
	if (*p == '.') {
		frac = ++p;
		while (isdigit((unsigned char)*p))
			p++;
		nfrac = (size_t)(p - frac);
		if (nfrac == 0)
			return -EINVAL;
	}
	unit = p;
	for (i = 0; i < CONF_DIM(duration_units); i++)
		if (strcmp(unit, duration_units[i].suffix) == 0)
			mult = duration_units[i].us;
	if (mult == 0)
		return -EINVAL;
	if (overflow || mul_u64(whole, mult, &r) < 0)
		return -ERANGE;

	/* Trailing zeros say nothing: "0.500" is "0.5". */
	while (nfrac > 0 && frac[nfrac - 1] == '0')
		nfrac--;
	if (nfrac > 6)
		return -EDOM;	/* finer than a microsecond in any unit */
	for (i = 0; i < nfrac; i++) {
		f = f * 10 + (uint64_t)(frac[i] - '0');
		pow10 *= 10;
	}
	if ((f * mult) % pow10 != 0)
		return -EDOM;
	if (r > UINT64_MAX - f * mult / pow10)
		return -ERANGE;
	*us = r + f * mult / pow10;
	return 0;
}

int
dpt_conf_parse_duration_us(const char *s, uint64_t *us, char *err,
			   size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	int rc = conf_duration(s, us);

	if (s == NULL)
		s = "";
	if (rc == -EINVAL)
		conf_err(err, errlen,
			 "'%s' is not a duration (like 500ms, 2s, 250us)",
			 conf_quote(s, q, sizeof(q)));
	else if (rc == -ERANGE)
		conf_err(err, errlen, "'%s' is out of range",
			 conf_quote(s, q, sizeof(q)));
	else if (rc == -EDOM)
		conf_err(err, errlen, "'%s' is finer than a microsecond",
			 conf_quote(s, q, sizeof(q)));
	return rc == 0 ? 0 : -1;
}

int
conf_size(const char *s, uint64_t *bytes)
{
	static const char letters[] = "KMGT";
	const char *p = s, *l;
	uint64_t n = 0, mult = 1;
	int overflow = 0;

	if (s == NULL || !isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (n > (UINT64_MAX - d) / 10)
			overflow = 1;
		else
			n = n * 10 + d;
	}
	if (*p != '\0' && (l = strchr(letters, toupper((unsigned char)*p)))
			!= NULL) {
		mult = UINT64_C(1) << (10 * (l - letters + 1));
		p++;
		/* "512M", "512MB" and "512MiB" all mean 512 * 2^20 */
		if (strcmp(p, "iB") == 0 || strcmp(p, "B") == 0)
			p += strlen(p);
	} else if (strcmp(p, "B") == 0) {
		p++;
	}
	if (*p != '\0')
		return -EINVAL;
	if (overflow || mul_u64(n, mult, bytes) < 0)
		return -ERANGE;
	return 0;
}

int
dpt_conf_parse_size(const char *s, uint64_t *bytes, char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	int rc = conf_size(s, bytes);

	if (s == NULL)
		s = "";
	if (rc == -EINVAL)
		conf_err(err, errlen,
			 "'%s' is not a size (like 4096, 64M, 1G)",
			 conf_quote(s, q, sizeof(q)));
	else if (rc == -ERANGE)
		conf_err(err, errlen, "'%s' is out of range",
			 conf_quote(s, q, sizeof(q)));
	return rc == 0 ? 0 : -1;
}

static int
parse_port(const char *s, const char *whole, uint16_t *port, char *err,
	   size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	uint64_t v;

	if (conf_strtou64(s, &v) < 0 || v < 1 || v > 65535) {
		conf_err(err, errlen, "'%s' has a bad port (1..65535)",
			 conf_quote(whole, q, sizeof(q)));
		return -1;
	}
	*port = (uint16_t)v;
	return 0;
}

int
dpt_conf_parse_addr(const char *s, struct dpt_conf_addr *a, char *err,
		    size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1], q[CONF_QUOTE_MAX];
	struct dpt_conf_addr r = *a;
	const char *port = NULL, *end;
	size_t n;

	if (s == NULL)
		s = "";
	if (s[0] == '[') {
		/* "[v6]" or "[v6]:port": the brackets keep the port apart */
		end = strchr(s, ']');
		if (end == NULL || (end[1] != '\0' && end[1] != ':'))
			goto bad;
		n = (size_t)(end - s - 1);
		if (n >= sizeof(host))
			goto bad;
		memcpy(host, s + 1, n);
		host[n] = '\0';
		if (inet_pton(AF_INET6, host, &r.v6) != 1)
			goto bad;
		r.family = AF_INET6;
		if (end[1] == ':')
			port = end + 2;
	} else if (inet_pton(AF_INET6, s, &r.v6) == 1) {
		r.family = AF_INET6;	/* bare "::1": no port possible */
	} else {
		end = strchr(s, ':');
		n = end != NULL ? (size_t)(end - s) : strlen(s);
		if (n >= sizeof(host))
			goto bad;
		memcpy(host, s, n);
		host[n] = '\0';
		if (inet_pton(AF_INET, host, &r.v4) != 1)
			goto bad;
		r.family = AF_INET;
		if (end != NULL)
			port = end + 1;
	}
	if (port != NULL && parse_port(port, s, &r.port, err, errlen) < 0)
		return -1;
	*a = r;
	return 0;
bad:
	conf_err(err, errlen, "'%s' is not an IPv4 or IPv6 address "
		 "(like 0.0.0.0:69, [::]:69, 127.0.0.1)",
		 conf_quote(s, q, sizeof(q)));
	return -1;
}

const char *
dpt_conf_addr_str(const struct dpt_conf_addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (a->family == AF_INET6 &&
	    inet_ntop(AF_INET6, &a->v6, host, sizeof(host)) != NULL)
		snprintf(buf, len, "[%s]:%u", host, a->port);
	else if (a->family == AF_INET &&
		 inet_ntop(AF_INET, &a->v4, host, sizeof(host)) != NULL)
		snprintf(buf, len, "%s:%u", host, a->port);
	else
		snprintf(buf, len, "none");
	return buf;
}

/* In the order of enum dpt_conf_balance, which is lib/dp's table order. */
static const char *const balance_names[DPT_BALANCE_COUNT] = {
	[DPT_BALANCE_ROUND_ROBIN] = "round-robin",
	[DPT_BALANCE_CLIENT_HASH] = "client-hash",
	[DPT_BALANCE_LEAST_LOADED] = "least-loaded",
};

const char *
dpt_conf_balance_name(enum dpt_conf_balance b)
{
	if ((unsigned int)b >= DPT_BALANCE_COUNT)
		return "unknown";
	return balance_names[b];
}

int
dpt_conf_balance_parse(const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < DPT_BALANCE_COUNT; i++)
		if (strcmp(s, balance_names[i]) == 0)
			return i;
	return -1;
}
