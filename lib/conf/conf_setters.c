/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Setters and printers for the options that are not plain numbers: each
 * reads a whole value or leaves the configuration as it was.
 */

#include <stdbool.h>
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

static int
set_string(struct dpt_conf *c, const struct conf_opt *o, const char *val,
	   char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	size_t n = strlen(val);

	if (n == 0) {
		conf_err(err, errlen, "empty value");
		return -1;
	}
	if (n >= o->width) {
		conf_err(err, errlen, "'%s' is too long (%zu bytes at most)",
			 conf_quote(val, q, sizeof(q)), o->width - 1);
		return -1;
	}
	memcpy((char *)c + o->off, val, n + 1);
	return 0;
}

/* A list option: each use adds to it (comma-separated inside). */
int
conf_set_list(struct dpt_conf *c, const struct conf_opt *o, const char *val,
	      char *err, size_t errlen)
{
	char *dst = (char *)c + o->off, q[CONF_QUOTE_MAX];
	size_t have = strlen(dst), n = strlen(val);

	if (n == 0) {
		conf_err(err, errlen, "empty value");
		return -1;
	}
	if (have + (have != 0) + n >= o->width) {
		conf_err(err, errlen, "'%s' makes the list too long (%zu "
			 "bytes at most)", conf_quote(val, q, sizeof(q)),
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
conf_set_mode(struct dpt_conf *c, const struct conf_opt *o, const char *val,
	      char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	unsigned int v = 0;
	const char *p;

	for (p = val; *p >= '0' && *p <= '7' && v <= 07777; p++)
		v = v * 8 + (unsigned int)(*p - '0');
	if (*val == '\0' || *p != '\0' || v > 07777) {
		conf_err(err, errlen, "'%s' is not a file mode (like 0644)",
			 conf_quote(val, q, sizeof(q)));
		return -1;
	}
	/* A client must never make a program, let alone a setuid one. */
	if ((v & ~(unsigned int)CONF_UPLOAD_MODE_MAX) != 0) {
		conf_err(err, errlen, "'%s' has bits beyond 0666 (no setuid, "
			 "setgid, sticky or execute bit)",
			 conf_quote(val, q, sizeof(q)));
		return -1;
	}
	c->upload_mode = v;
	return 0;
}

/* A user name as useradd takes them; whether it exists is
 * dpt_conf_validate's question. */
int
conf_set_user(struct dpt_conf *c, const struct conf_opt *o, const char *val,
	      char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	const char *p;

	for (p = val; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		      (*p == '-' && p != val) || (*p == '$' && p[1] == '\0')))
			break;
	if (*p != '\0') {
		conf_err(err, errlen, "'%s' is not a user name",
			 conf_quote(val, q, sizeof(q)));
		return -1;
	}
	return set_string(c, o, val, err, errlen);
}

void
conf_show_mode(const struct dpt_conf *c, const struct conf_opt *o, FILE *f)
{
	fprintf(f, "%s: %04o\n", o->name, c->upload_mode);
}

int
conf_set_root(struct dpt_conf *c, const struct conf_opt *o, const char *val,
	      char *err, size_t errlen)
{
	/* Whether it is a directory is dpt_conf_validate's question: the
	 * command line may name a root that a later option makes moot. */
	return set_string(c, o, val, err, errlen);
}

/* An optional path: empty turns it off, so a dump reads back. */
int
conf_set_string(struct dpt_conf *c, const struct conf_opt *o,
		const char *val, char *err, size_t errlen)
{
	if (val == NULL || *val == '\0') {
		*((char *)c + o->off) = '\0';
		return 0;
	}
	return set_string(c, o, val, err, errlen);
}

/* It names files and a directory under /var/run/dpdk: no '/' or spaces. */
int
conf_set_instance(struct dpt_conf *c, const struct conf_opt *o,
		  const char *val, char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	const char *p;

	for (p = val; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    (*p == '.' && p != val))
			continue;
		conf_err(err, errlen, "'%s' is not an instance name (letters, "
			 "digits, '-', '_', '.')", conf_quote(val, q, sizeof(q)));
		return -1;
	}
	return set_string(c, o, val, err, errlen);
}

int
conf_set_config(struct dpt_conf *c, const struct conf_opt *o,
		const char *val, char *err, size_t errlen)
{
	return set_string(c, o, val, err, errlen);
}

int
conf_set_flag(struct dpt_conf *c, const struct conf_opt *o, const char *val,
	      char *err, size_t errlen)
{
	*(bool *)((char *)c + o->off) = true;
	return 0;
}

int
conf_set_listen(struct dpt_conf *c, const struct conf_opt *o,
		const char *val, char *err, size_t errlen)
{
	struct dpt_conf_addr a = { .port = CONF_TFTP_PORT };

	if (dpt_conf_parse_addr(val, &a, err, errlen) < 0)
		return -1;
	c->listen = a;
	return 0;
}

/* --metrics-listen: an address with its port, or off. */
int
conf_set_metrics(struct dpt_conf *c, const struct conf_opt *o,
		 const char *val, char *err, size_t errlen)
{
	struct dpt_conf_addr a = { .port = 0 };
	char q[CONF_QUOTE_MAX];

	if (val == NULL || *val == '\0' || strcmp(val, "off") == 0) {
		memset(&c->metrics_listen, 0, sizeof(c->metrics_listen));
		return 0;
	}
	if (dpt_conf_parse_addr(val, &a, err, errlen) < 0)
		return -1;
	if (a.port == 0) {
		conf_err(err, errlen, "'%s' needs a port (like "
			 "127.0.0.1:9469)", conf_quote(val, q, sizeof(q)));
		return -1;
	}
	c->metrics_listen = a;
	return 0;
}

void
conf_show_metrics(const struct dpt_conf *c, const struct conf_opt *o,
		  FILE *f)
{
	char buf[64];

	fprintf(f, "%s: %s\n", o->name, c->metrics_listen.family == 0 ? "off" :
		dpt_conf_addr_str(&c->metrics_listen, buf, sizeof(buf)));
}

int
conf_set_port_range(struct dpt_conf *c, const struct conf_opt *o,
		    const char *val, char *err, size_t errlen)
{
	char lo_s[8], q[CONF_QUOTE_MAX];
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
	if (conf_strtou64(lo_s, &lo) < 0 || conf_strtou64(colon + 1, &hi) < 0 ||
	    lo < 1 || lo > hi || hi > 65535)
		goto bad;
	c->port_lo = (uint16_t)lo;
	c->port_hi = (uint16_t)hi;
	return 0;
bad:
	conf_err(err, errlen, "'%s' is not LO:HI with 1 <= LO <= HI <= 65535",
		 conf_quote(val, q, sizeof(q)));
	return -1;
}

int
conf_set_backend(struct dpt_conf *c, const struct conf_opt *o,
		 const char *val, char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	unsigned int i;

	for (i = 0; i < CONF_DIM(backend_names); i++) {
		if (strcmp(val, backend_names[i]) == 0) {
			c->backend = (enum dpt_conf_backend)i;
			return 0;
		}
	}
	conf_err(err, errlen, "unknown backend '%s' (socket, ethdev)",
		 conf_quote(val, q, sizeof(q)));
	return -1;
}

int
conf_set_balance(struct dpt_conf *c, const struct conf_opt *o,
		 const char *val, char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX];
	int b = dpt_conf_balance_parse(val);

	if (b < 0) {
		conf_err(err, errlen, "unknown strategy '%s' (round-robin, "
			 "client-hash, least-loaded)",
			 conf_quote(val, q, sizeof(q)));
		return -1;
	}
	c->balance = (enum dpt_conf_balance)b;
	return 0;
}

bool
conf_log_level_known(const char *s)
{
	unsigned int i;

	for (i = 0; i < CONF_DIM(log_levels); i++)
		if (strcmp(s, log_levels[i]) == 0)
			return true;
	return false;
}

int
conf_set_log_level(struct dpt_conf *c, const struct conf_opt *o,
		   const char *val, char *err, size_t errlen)
{
	char q[CONF_QUOTE_MAX];

	if (!conf_log_level_known(val)) {
		conf_err(err, errlen, "unknown level '%s' (emerg, alert, crit, "
			 "err, warning, notice, info, debug)",
			 conf_quote(val, q, sizeof(q)));
		return -1;
	}
	return set_string(c, o, val, err, errlen);
}

void
conf_show_string(const struct dpt_conf *c, const struct conf_opt *o,
		 FILE *f)
{
	fprintf(f, "%s: %s\n", o->name, (const char *)c + o->off);
}

void
conf_show_listen(const struct dpt_conf *c, const struct conf_opt *o,
		 FILE *f)
{
	char buf[64];

	fprintf(f, "%s: %s\n", o->name,
		dpt_conf_addr_str(&c->listen, buf, sizeof(buf)));
}

void
conf_show_port_range(const struct dpt_conf *c, const struct conf_opt *o,
		     FILE *f)
{
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
conf_show_backend(const struct dpt_conf *c, const struct conf_opt *o,
		  FILE *f)
{
	fprintf(f, "%s: %s\n", o->name, conf_backend_name(c->backend));
}

void
conf_show_balance(const struct dpt_conf *c, const struct conf_opt *o,
		  FILE *f)
{
	fprintf(f, "%s: %s\n", o->name, dpt_conf_balance_name(c->balance));
}
