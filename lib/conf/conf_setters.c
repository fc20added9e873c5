/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Setters and printers for the options that are not plain numbers: each
 * reads a whole value or leaves the configuration as it was.
 */

#include <stdbool.h>
#include <errno.h>
#include <string.h>

#include "conf_internal.h"

/* The well-known TFTP port (RFC 1350): what a bare --listen address gets. */
#define CONF_TFTP_PORT 69

static const char *const backend_names[] = {
	[DPT_BACKEND_SOCKET] = "socket",
	[DPT_BACKEND_ETHDEV] = "ethdev",
};

/* syslog's names, which is also what rte_log's levels are called */
static const char *const log_levels[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

/* The row's text, copied as the core's STRING kind does (empty and too
 * long refused) once the setter has checked it. */
static int
set_text(void *obj, const struct dpt_opt *o, const char *val, char *err,
	 size_t errlen)
{
	struct dpt_opt plain = *o;

	plain.set = NULL;
	return dpt_opt_apply(&conf_table, obj, &plain, val, err, errlen);
}

/* A list option: each use adds to it (comma-separated inside). */
int
conf_set_list(void *obj, const struct dpt_opt *o, const char *val,
	      char *err, size_t errlen)
{
	char *dst = (char *)obj + o->off, q[DPT_OPT_QUOTE_MAX];
	size_t have = strlen(dst), n = strlen(val);

	if (n == 0) {
		dpt_opt_err(err, errlen, "empty value");
		return -1;
	}
	if (have + (have != 0) + n >= o->width) {
		dpt_opt_err(err, errlen, "'%s' makes the list too long (%zu "
			    "bytes at most)", dpt_opt_quote(val, q, sizeof(q)),
			    o->width - 1);
		return -1;
	}
	if (have != 0)
		dst[have++] = ',';
	memcpy(dst + have, val, n + 1);
	return 0;
}

/* File permissions in octal, as chmod takes them: 0644, 640. */
int
conf_set_mode(void *obj, const struct dpt_opt *o, const char *val,
	      char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	char q[DPT_OPT_QUOTE_MAX];
	unsigned int v = 0;
	const char *p;

	for (p = val; *p >= '0' && *p <= '7' && v <= 07777; p++)
		v = v * 8 + (unsigned int)(*p - '0');
	if (*val == '\0' || *p != '\0' || v > 07777) {
		dpt_opt_err(err, errlen, "'%s' is not a file mode (like 0644)",
			    dpt_opt_quote(val, q, sizeof(q)));
		return -1;
	}
	/* A client must never make a program, let alone a setuid one. */
	if ((v & ~(unsigned int)CONF_UPLOAD_MODE_MAX) != 0) {
		dpt_opt_err(err, errlen, "'%s' has bits beyond 0666 (no "
			    "setuid, setgid, sticky or execute bit)",
			    dpt_opt_quote(val, q, sizeof(q)));
		return -1;
	}
	c->upload_mode = v;
	return 0;
}

/* Bit rates: SI units, as links are named (1G is 10^9 bits a second). */
static const struct dpt_opt_unit rate_units[] = {
	{ "", 1 },
	{ "k", UINT64_C(1000) },
	{ "M", UINT64_C(1000000) },
	{ "G", UINT64_C(1000000000) },
	{ "T", UINT64_C(1000000000000) },
	{ NULL, 0 },
};

static const struct dpt_opt_scale rate_scale = {
	.units = rate_units,
	.flags = DPT_OPT_S_ANYCASE | DPT_OPT_S_FRACTION | DPT_OPT_S_ROUND,
};

int
dpt_conf_parse_rate(const char *s, uint64_t *v, char *err, size_t errlen)
{
	char q[DPT_OPT_QUOTE_MAX];
	uint64_t x;
	int rc = dpt_opt_scaled(s, &rate_scale, &x);

	if (rc == -EINVAL)
		return dpt_opt_err(err, errlen, "'%s' is not a rate in bits a "
				   "second (like 950M, 2.5G, 0)",
				   dpt_opt_quote(s, q, sizeof(q)));
	if (rc < 0 || (x != 0 && (x < DPT_CONF_RATE_MIN ||
				  x > DPT_CONF_RATE_MAX)))
		return dpt_opt_err(err, errlen, "'%s' is out of range (0 or "
				   "8k..1T)", dpt_opt_quote(s, q, sizeof(q)));
	*v = x;
	return 0;
}

const char *
dpt_conf_rate_name(uint64_t v, char *buf, size_t len)
{
	int i = 4;

	while (i > 0 && (v == 0 || v % rate_units[i].mult != 0))
		i--;
	snprintf(buf, len, "%llu%s",
		 (unsigned long long)(v / rate_units[i].mult),
		 rate_units[i].suffix);
	return buf;
}

int
conf_set_rate(void *obj, const struct dpt_opt *o, const char *val,
	      char *err, size_t errlen)
{
	uint64_t v;

	if (dpt_conf_parse_rate(val, &v, err, errlen) < 0)
		return -1;
	dpt_opt_put(obj, o, v);
	return 0;
}

void
conf_show_rate(const void *obj, const struct dpt_opt *o, FILE *f)
{
	char b[32];

	fprintf(f, "%s: %s\n", o->name,
		dpt_conf_rate_name(dpt_opt_get(obj, o), b, sizeof(b)));
}

/* A user name as useradd takes them; whether it exists is
 * dpt_conf_validate's question. */
int
conf_set_user(void *obj, const struct dpt_opt *o, const char *val,
	      char *err, size_t errlen)
{
	char q[DPT_OPT_QUOTE_MAX];
	const char *p;

	for (p = val; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		      (*p == '-' && p != val) || (*p == '$' && p[1] == '\0')))
			break;
	if (*p != '\0') {
		dpt_opt_err(err, errlen, "'%s' is not a user name",
			    dpt_opt_quote(val, q, sizeof(q)));
		return -1;
	}
	return set_text(obj, o, val, err, errlen);
}

void
conf_show_mode(const void *obj, const struct dpt_opt *o, FILE *f)
{
	const struct dpt_conf *c = obj;

	fprintf(f, "%s: %04o\n", o->name, c->upload_mode);
}

/* It names files and a directory under /var/run/dpdk: no '/' or spaces. */
int
conf_set_instance(void *obj, const struct dpt_opt *o,
		  const char *val, char *err, size_t errlen)
{
	char q[DPT_OPT_QUOTE_MAX];
	const char *p;

	for (p = val; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    (*p == '.' && p != val))
			continue;
		dpt_opt_err(err, errlen, "'%s' is not an instance name "
			    "(letters, digits, '-', '_', '.')",
			    dpt_opt_quote(val, q, sizeof(q)));
		return -1;
	}
	return set_text(obj, o, val, err, errlen);
}

int
conf_set_listen(void *obj, const struct dpt_opt *o,
		const char *val, char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	struct dpt_conf_addr a = { .port = CONF_TFTP_PORT };

	if (dpt_conf_parse_addr(val, &a, err, errlen) < 0)
		return -1;
	c->listen = a;
	return 0;
}

/* --metrics-listen: an address with its port, or off. */
int
conf_set_metrics(void *obj, const struct dpt_opt *o,
		 const char *val, char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	struct dpt_conf_addr a = { .port = 0 };
	char q[DPT_OPT_QUOTE_MAX];

	if (val == NULL || *val == '\0' || strcmp(val, "off") == 0) {
		memset(&c->metrics_listen, 0, sizeof(c->metrics_listen));
		return 0;
	}
	if (dpt_conf_parse_addr(val, &a, err, errlen) < 0)
		return -1;
	if (a.port == 0) {
		dpt_opt_err(err, errlen, "'%s' needs a port (like "
			    "127.0.0.1:9469)",
			    dpt_opt_quote(val, q, sizeof(q)));
		return -1;
	}
	c->metrics_listen = a;
	return 0;
}

void
conf_show_metrics(const void *obj, const struct dpt_opt *o,
		  FILE *f)
{
	const struct dpt_conf *c = obj;
	char buf[64];

	fprintf(f, "%s: %s\n", o->name, c->metrics_listen.family == 0 ? "off" :
		dpt_conf_addr_str(&c->metrics_listen, buf, sizeof(buf)));
}

int
conf_set_port_range(void *obj, const struct dpt_opt *o,
		    const char *val, char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	char lo_s[8], q[DPT_OPT_QUOTE_MAX];
	const char *colon = strchr(val, ':');
	uint64_t lo, hi;
	size_t n;

	if (colon == NULL)
		goto bad;
	n = (size_t)(colon - val);
	if (n >= sizeof(lo_s))
		goto bad;
	memcpy(lo_s, val, n);
	lo_s[n] = '\0';
	if (dpt_opt_strtou64(lo_s, &lo) < 0 ||
	    dpt_opt_strtou64(colon + 1, &hi) < 0 ||
	    lo < 1 || lo > hi || hi > 65535)
		goto bad;
	c->port_lo = (uint16_t)lo;
	c->port_hi = (uint16_t)hi;
	return 0;
bad:
	dpt_opt_err(err, errlen, "'%s' is not LO:HI with 1 <= LO <= HI <= "
		    "65535", dpt_opt_quote(val, q, sizeof(q)));
	return -1;
}

int
conf_set_backend(void *obj, const struct dpt_opt *o,
		 const char *val, char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	char q[DPT_OPT_QUOTE_MAX];
	unsigned int i;

	for (i = 0; i < CONF_DIM(backend_names); i++) {
		if (strcmp(val, backend_names[i]) == 0) {
			c->backend = (enum dpt_conf_backend)i;
			return 0;
		}
	}
	dpt_opt_err(err, errlen, "unknown backend '%s' (socket, ethdev)",
		    dpt_opt_quote(val, q, sizeof(q)));
	return -1;
}

int
conf_set_balance(void *obj, const struct dpt_opt *o,
		 const char *val, char *err, size_t errlen)
{
	struct dpt_conf *c = obj;
	char q[DPT_OPT_QUOTE_MAX];
	int b = dpt_conf_balance_parse(val);

	if (b < 0) {
		dpt_opt_err(err, errlen, "unknown strategy '%s' (round-robin, "
			    "client-hash, least-loaded)",
			    dpt_opt_quote(val, q, sizeof(q)));
		return -1;
	}
	c->balance = (enum dpt_conf_balance)b;
	return 0;
}

int
dpt_conf_log_level(const char *name)
{
	unsigned int i;

	for (i = 0; i < CONF_DIM(log_levels); i++)
		if (strcmp(name, log_levels[i]) == 0)
			return (int)i;
	return -1;
}

const char *
dpt_conf_log_level_name(unsigned int prio)
{
	return prio < CONF_DIM(log_levels) ? log_levels[prio] : NULL;
}

int
conf_set_log_level(void *obj, const struct dpt_opt *o,
		   const char *val, char *err, size_t errlen)
{
	char q[DPT_OPT_QUOTE_MAX];

	if (dpt_conf_log_level(val) < 0) {
		dpt_opt_err(err, errlen, "unknown level '%s' (emerg, alert, "
			    "crit, err, warning, notice, info, debug)",
			    dpt_opt_quote(val, q, sizeof(q)));
		return -1;
	}
	return set_text(obj, o, val, err, errlen);
}

void
conf_show_listen(const void *obj, const struct dpt_opt *o,
		 FILE *f)
{
	const struct dpt_conf *c = obj;
	char buf[64];

	fprintf(f, "%s: %s\n", o->name,
		dpt_conf_addr_str(&c->listen, buf, sizeof(buf)));
}

void
conf_show_port_range(const void *obj, const struct dpt_opt *o,
		     FILE *f)
{
	const struct dpt_conf *c = obj;
	fprintf(f, "%s: %u:%u\n", o->name, c->port_lo, c->port_hi);
}

const char *
conf_backend_name(enum dpt_conf_backend b)
{
	if ((unsigned int)b >= CONF_DIM(backend_names))
		return "unknown";
	return backend_names[b];
}

void
conf_show_backend(const void *obj, const struct dpt_opt *o,
		  FILE *f)
{
	const struct dpt_conf *c = obj;
	fprintf(f, "%s: %s\n", o->name, conf_backend_name(c->backend));
}

void
conf_show_balance(const void *obj, const struct dpt_opt *o,
		  FILE *f)
{
	const struct dpt_conf *c = obj;
	fprintf(f, "%s: %s\n", o->name, dpt_conf_balance_name(c->balance));
}
