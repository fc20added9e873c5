/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Value parsers for the console and the setters: numbers, durations and
 * sizes in dptftpd's words (lib/opt's default language), and addresses
 * with a port, "0.0.0.0:69", "[::]:69", which are dptftpd's own.
 */

#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "conf_internal.h"

int
dpt_conf_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v,
		    char *err, size_t errlen)
{
	return dpt_opt_parse_uint(s, min, max, v, err, errlen);
}

int
dpt_conf_parse_duration_us(const char *s, uint64_t *us, char *err,
			   size_t errlen)
{
	return dpt_opt_value(NULL, DPT_OPT_DURATION, s, us, err, errlen);
}

int
dpt_conf_parse_size(const char *s, uint64_t *bytes, char *err, size_t errlen)
{
	return dpt_opt_value(NULL, DPT_OPT_SIZE, s, bytes, err, errlen);
}

static int
parse_port(const char *s, const char *whole, uint16_t *port, char *err,
	   size_t errlen)
{
	char q[DPT_OPT_QUOTE_MAX];
	uint64_t v;

	if (dpt_opt_strtou64(s, &v) < 0 || v < 1 || v > 65535) {
		dpt_opt_err(err, errlen, "'%s' has a bad port (1..65535)",
			    dpt_opt_quote(whole, q, sizeof(q)));
		return -1;
	}
	*port = (uint16_t)v;
	return 0;
}

int
dpt_conf_parse_addr(const char *s, struct dpt_conf_addr *a, char *err,
		    size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1], q[DPT_OPT_QUOTE_MAX];
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
	dpt_opt_err(err, errlen, "'%s' is not an IPv4 or IPv6 address "
		    "(like 0.0.0.0:69, [::]:69, 127.0.0.1)",
		    dpt_opt_quote(s, q, sizeof(q)));
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
