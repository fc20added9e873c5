/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The bench's own values as users type them: rates (100/s) and addresses
 * (10.0.0.1:69, [::1]:6969, a host name). Each parser takes the whole
 * text or refuses it. Numbers, sizes and durations are lib/opt's.
 */

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>

#include "bench.h"

/* A unit suffix and what it multiplies by. */
struct unit {
	const char *suffix;
	double scale;
};

static const struct unit rate_units[] = {
	{ "", 1.0 },
	{ "/s", 1.0 },
	{ "/m", 1.0 / 60 },
};

/* A non-negative decimal number followed by one of units' suffixes. */
static int
parse_scaled(const char *text, const struct unit *units, size_t n_units,
	     double *out)
{
	char *end;
	double v;
	size_t i;

	if (text == NULL || *text == '\0' || *text == '-' || *text == '+' ||
	    (*text < '0' || *text > '9'))
		return -1;
	errno = 0;
	v = strtod(text, &end);
	if (errno != 0 || end == text || !isfinite(v) ||
	    strspn(text, "0123456789.") != (size_t)(end - text))
		return -1;	/* no exponents, no hex */
	for (i = 0; i < n_units; i++) {
		if (strcasecmp(end, units[i].suffix) == 0) {
			*out = v * units[i].scale;
			return 0;
		}
	}
	return -1;
}

int
dpt_bench_parse_rate(const char *text, double *per_s)
{
	double v;

	if (parse_scaled(text, rate_units, sizeof(rate_units) /
			 sizeof(rate_units[0]), &v) < 0 || v <= 0.0)
		return -1;
	*per_s = v;
	return 0;
}

/* Splits HOST[:PORT] / [V6]:PORT / bare V6 into host and port text. */
static int
split_host_port(const char *text, char *host, size_t cap, const char **port)
{
	const char *colon, *close;
	size_t n;

	*port = NULL;
	if (text[0] == '[') {
		close = strchr(text, ']');
		if (close == NULL || (close[1] != '\0' && close[1] != ':'))
			return -1;
		n = (size_t)(close - text - 1);
		if (close[1] == ':')
			*port = close + 2;
		text++;
	} else {
		colon = strrchr(text, ':');
		if (colon != NULL && strchr(text, ':') == colon) {
			n = (size_t)(colon - text);
			*port = colon + 1;
		} else {
			n = strlen(text);	/* no port, or bare IPv6 */
		}
	}
	if (n == 0 || n >= cap)
		return -1;
	memcpy(host, text, n);
	host[n] = '\0';
	return 0;
}

int
dpt_bench_parse_addr(const char *text, uint16_t default_port,
		     struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints, *res = NULL;
	char host[256], *end;
	const char *port_text;
	unsigned long port = default_port;

	if (text == NULL || split_host_port(text, host, sizeof(host),
					    &port_text) < 0)
		return -1;
	if (port_text != NULL) {
		errno = 0;
		port = strtoul(port_text, &end, 10);
		if (*port_text == '\0' || *end != '\0' || errno != 0 ||
		    port > 65535)
			return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL)
		return -1;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	else
		return -1;
	return 0;
}
