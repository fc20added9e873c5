/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * --iface and the options that qualify it (--ip, --ip6, --vlan, --mtu,
 * --rx-queues).
 * They are positional, like ip(8)'s: each applies to the last --iface
 * given, which keeps "--iface eth1 --ip A/24 --iface eth2 --ip B/24"
 * unambiguous on the command line and in a file alike.
 */

#include <ctype.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "conf_internal.h"

/* What the kernel accepts as a name (net/core/dev.c dev_valid_name). */
static bool
iface_name_valid(const char *s)
{
	const char *p;

	if (*s == '\0' || strlen(s) >= IF_NAMESIZE ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (p = s; *p != '\0'; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) ||
		    iscntrl((unsigned char)*p))
			return false;
	return true;
}

int
conf_set_iface(void *obj, const struct dpt_opt *o,
	       const char *val, char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	char q[DPT_OPT_QUOTE_MAX];
	struct dpt_conf_iface *ifc;
	unsigned int i;

	if (!iface_name_valid(val)) {
		dpt_opt_err(err, errlen, "'%s' is not an interface name "
			    "(1..%d characters, no '/', ':' or spaces)",
			    dpt_opt_quote(val, q, sizeof(q)), IF_NAMESIZE - 1);
		return -1;
	}
	for (i = 0; i < c->n_ifaces; i++) {
		if (strcmp(c->ifaces[i].name, val) == 0) {
			dpt_opt_err(err, errlen, "'%s' is given twice", val);
			return -1;
		}
	}
	if (c->n_ifaces >= DPT_CONF_MAX_IFACES) {
		dpt_opt_err(err, errlen, "'%s' is one interface too many "
			    "(%d at most)", val, DPT_CONF_MAX_IFACES);
		return -1;
	}
	ifc = &c->ifaces[c->n_ifaces++];
	memset(ifc, 0, sizeof(*ifc));
	memcpy(ifc->name, val, strlen(val) + 1);
	ifc->rx_queues = 1;
	/* Only the ethdev backend can reach an interface by name. */
	c->backend = DPT_BACKEND_ETHDEV;
	return 0;
}

static struct dpt_conf_iface *
last_iface(struct dpt_conf *c, const char *val, char *err, size_t errlen)
{
	char q[DPT_OPT_QUOTE_MAX];

	if (c->n_ifaces == 0) {
		dpt_opt_err(err, errlen, "'%s' needs an iface given before it",
			    dpt_opt_quote(val, q, sizeof(q)));
		return NULL;
	}
	return &c->ifaces[c->n_ifaces - 1];
}

int
conf_set_ip(void *obj, const struct dpt_opt *o, const char *val,
	    char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	char host[INET_ADDRSTRLEN], q[DPT_OPT_QUOTE_MAX];
	struct dpt_conf_iface *ifc;
	const char *slash;
	struct in_addr ip;
	uint64_t prefix;
	size_t n;

	ifc = last_iface(c, val, err, errlen);
	if (ifc == NULL)
		return -1;
	slash = strchr(val, '/');
	n = slash != NULL ? (size_t)(slash - val) : 0;
	if (slash == NULL || n >= sizeof(host))
		goto bad;
	memcpy(host, val, n);
	host[n] = '\0';
	/* The prefix says which clients are on-link and answered by ARP:
	 * a guess would silently cut some of them off. */
	if (inet_pton(AF_INET, host, &ip) != 1 ||
	    dpt_opt_strtou64(slash + 1, &prefix) < 0 || prefix < 1 ||
	    prefix > 32)
		goto bad;
	ifc->ip = ip;
	ifc->prefix = (uint8_t)prefix;
	return 0;
bad:
	dpt_opt_err(err, errlen, "'%s' is not A.B.C.D/P (an IPv4 address and a "
		    "prefix length 1..32)", dpt_opt_quote(val, q, sizeof(q)));
	return -1;
}

/* Whether a is an address a host may have: not ::, loopback,
 * multicast, or an IPv4-mapped one (RFC 4291 2.5). */
static bool
ip6_unicast(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_V4MAPPED(a);
}

int
conf_set_ip6(void *obj, const struct dpt_opt *o, const char *val,
	     char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	char host[INET6_ADDRSTRLEN], q[DPT_OPT_QUOTE_MAX];
	struct dpt_conf_iface *ifc;
	struct in6_addr ip6;
	const char *slash;
	uint64_t prefix;
	size_t n;

	ifc = last_iface(c, val, err, errlen);
	if (ifc == NULL)
		return -1;
	slash = strchr(val, '/');
	n = slash != NULL ? (size_t)(slash - val) : 0;
	if (slash == NULL || n >= sizeof(host))
		goto bad;
	memcpy(host, val, n);
	host[n] = '\0';
	if (inet_pton(AF_INET6, host, &ip6) != 1 || !ip6_unicast(&ip6) ||
	    dpt_opt_strtou64(slash + 1, &prefix) < 0 || prefix < 1 ||
	    prefix > 128)
		goto bad;
	ifc->ip6 = ip6;
	ifc->prefix6 = (uint8_t)prefix;
	return 0;
bad:
	dpt_opt_err(err, errlen, "'%s' is not ADDR/P (a unicast IPv6 address "
		    "and a prefix length 1..128)",
		    dpt_opt_quote(val, q, sizeof(q)));
	return -1;
}

static const char *const xdp_names[] = {
	[DPT_XDP_OFF] = "off",
	[DPT_XDP_AUTO] = "auto",
	[DPT_XDP_COPY] = "copy",
	[DPT_XDP_ZEROCOPY] = "zero-copy",
};

const char *
dpt_conf_xdp_name(unsigned int mode)
{
	return mode < (sizeof(xdp_names) / sizeof(xdp_names[0])) ? xdp_names[mode] : "?";
}

/* --xdp MODE: how the last iface is reached (AF_XDP instead of
 * AF_PACKET). */
int
conf_set_iface_xdp(void *obj, const struct dpt_opt *o,
		   const char *val, char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	char q[DPT_OPT_QUOTE_MAX];
	struct dpt_conf_iface *ifc;
	unsigned int i;

	for (i = 0; i < (sizeof(xdp_names) / sizeof(xdp_names[0])); i++)
		if (strcmp(val, xdp_names[i]) == 0)
			break;
	if (i == (sizeof(xdp_names) / sizeof(xdp_names[0]))) {
		dpt_opt_err(err, errlen, "'%s' is not an AF_XDP mode (auto, "
			    "copy, zero-copy or off)",
			    dpt_opt_quote(val, q, sizeof(q)));
		return -1;
	}
	ifc = last_iface(c, val, err, errlen);
	if (ifc == NULL)
		return -1;
	ifc->xdp = (uint8_t)i;
	return 0;
}

/* --vlan, --mtu, --rx-queues: a number in the row's range, into the last
 * iface. */
int
conf_set_iface_u16(void *obj, const struct dpt_opt *o,
		   const char *val, char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	struct dpt_conf_iface *ifc;
	uint64_t v;

	if (dpt_conf_parse_uint(val, o->min, o->max, &v, err, errlen) < 0)
		return -1;
	ifc = last_iface(c, val, err, errlen);
	if (ifc == NULL)
		return -1;
	*(uint16_t *)((char *)ifc + o->off) = (uint16_t)v;
	return 0;
}

void
conf_show_ifaces(const void *obj, const struct dpt_opt *o, FILE *f)
{
	const struct dpt_conf *c = obj;
	char ip[INET_ADDRSTRLEN], ip6[INET6_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i < c->n_ifaces && i < DPT_CONF_MAX_IFACES; i++) {
		const struct dpt_conf_iface *ifc = &c->ifaces[i];

		fprintf(f, "%s %u: %s", o->name, i, ifc->name);
		/* Each family when it is on; a v4-only line reads as it
		 * always did. */
		if (ifc->prefix != 0 || ifc->prefix6 == 0) {
			if (inet_ntop(AF_INET, &ifc->ip, ip, sizeof(ip)) ==
			    NULL)
				snprintf(ip, sizeof(ip), "?");
			fprintf(f, " %s/%u", ip, ifc->prefix);
		}
		if (ifc->prefix6 != 0) {
			if (inet_ntop(AF_INET6, &ifc->ip6, ip6, sizeof(ip6)) ==
			    NULL)
				snprintf(ip6, sizeof(ip6), "?");
			fprintf(f, " %s/%u", ip6, ifc->prefix6);
		}
		fprintf(f, " vlan %u mtu %u rx-queues %u", ifc->vlan,
			ifc->mtu, ifc->rx_queues != 0 ? ifc->rx_queues : 1);
		if (ifc->xdp != DPT_XDP_OFF)
			fprintf(f, " xdp %s busy-poll %u",
				dpt_conf_xdp_name(ifc->xdp),
				ifc->xdp_busy_poll);
		fputc('\n', f);
	}
}
