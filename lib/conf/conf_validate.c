/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Consistency of a whole configuration. The setters already refuse bad
 * values one at a time; this also catches what only shows between
 * settings (the listen port inside the session ports, an --iface with
 * neither --ip nor --ip6) and a struct changed by code rather than parsed
 * (the console).
 */

#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "conf_internal.h"

static int
check_root(const struct dpt_conf *c, char *err, size_t errlen)
{
	char q[DPT_OPT_QUOTE_MAX];
	struct stat st;

	if (strnlen(c->root, sizeof(c->root)) == 0) {
		dpt_opt_err(err, errlen, "--root is required");
		return -1;
	}
	if (strnlen(c->root, sizeof(c->root)) == sizeof(c->root)) {
		dpt_opt_err(err, errlen, "--root: path too long");
		return -1;
	}
	dpt_opt_quote(c->root, q, sizeof(q));
	if (stat(c->root, &st) < 0) {
		dpt_opt_err(err, errlen, "--root: '%s': %s", q,
			    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		dpt_opt_err(err, errlen, "--root: '%s' is not a directory",
			    q);
		return -1;
	}
	/* Said now rather than as "Access violation" to every client. */
	if (access(c->root, R_OK | X_OK) < 0) {
		dpt_opt_err(err, errlen, "--root: '%s': %s", q,
			    strerror(errno));
		return -1;
	}
	return 0;
}

static int
check_ports(const struct dpt_conf *c, char *err, size_t errlen)
{
	char a[64];
	unsigned int n;

	if ((c->listen.family != AF_INET && c->listen.family != AF_INET6) ||
	    c->listen.port == 0) {
		dpt_opt_err(err, errlen, "--listen: no address and port");
		return -1;
	}
	if (c->port_lo < 1 || c->port_lo > c->port_hi) {
		dpt_opt_err(err, errlen, "--port-range: %u:%u is not LO:HI "
			    "with 1 <= LO <= HI <= 65535", c->port_lo,
			    c->port_hi);
		return -1;
	}
	/* Session ports double as worker IDs (DESIGN.md section 2): a
	 * request to the listen port must never look like a session's. */
	if (c->listen.port >= c->port_lo && c->listen.port <= c->port_hi) {
		dpt_opt_err(err, errlen, "--port-range: %u:%u holds the listen "
			    "port %u (%s)", c->port_lo, c->port_hi,
			    c->listen.port,
			    dpt_conf_addr_str(&c->listen, a, sizeof(a)));
		return -1;
	}
	n = (unsigned int)c->port_hi - c->port_lo + 1;
	if (n < c->max_sessions) {
		dpt_opt_err(err, errlen, "--port-range: %u:%u holds %u ports, "
			    "fewer than --max-sessions %u", c->port_lo,
			    c->port_hi, n, c->max_sessions);
		return -1;
	}
	return 0;
}

static int
check_ifaces(const struct dpt_conf *c, char *err, size_t errlen)
{
	const struct dpt_opt *vlan = conf_opt_find("vlan");
	const struct dpt_opt *mtu = conf_opt_find("mtu");
	unsigned int i;

	if (c->n_ifaces > DPT_CONF_MAX_IFACES) {
		dpt_opt_err(err, errlen, "--iface: %u interfaces (%d at most)",
			    c->n_ifaces, DPT_CONF_MAX_IFACES);
		return -1;
	}
	if (c->n_ifaces > 0 && c->backend != DPT_BACKEND_ETHDEV) {
		dpt_opt_err(err, errlen, "--iface %.31s needs --backend "
			    "ethdev, not %s", c->ifaces[0].name,
			    conf_backend_name(c->backend));
		return -1;
	}
	for (i = 0; i < c->n_ifaces; i++) {
		const struct dpt_conf_iface *ifc = &c->ifaces[i];
		size_t len = strnlen(ifc->name, sizeof(ifc->name));

		if (len == 0 || len == sizeof(ifc->name)) {
			dpt_opt_err(err, errlen, "--iface %u: no name", i);
			return -1;
		}
		if (ifc->prefix == 0 && ifc->prefix6 == 0) {
			dpt_opt_err(err, errlen, "--iface %s: no --ip "
				    "A.B.C.D/P or --ip6 ADDR/P given",
				    ifc->name);
			return -1;
		}
		if (ifc->prefix > 32 || ifc->prefix6 > 128) {
			dpt_opt_err(err, errlen, "--iface %s: prefix /%u or "
				    "/%u out of range", ifc->name, ifc->prefix,
				    ifc->prefix6);
			return -1;
		}
		if (ifc->vlan > vlan->max ||
		    (ifc->mtu != 0 && (ifc->mtu < mtu->min ||
				       ifc->mtu > mtu->max))) {
			dpt_opt_err(err, errlen, "--iface %s: vlan %u or mtu "
				    "%u out of range", ifc->name, ifc->vlan,
				    ifc->mtu);
			return -1;
		}
		if (ifc->rx_queues > DPT_CONF_MAX_RX_QUEUES) {
			dpt_opt_err(err, errlen, "--iface %s: %u RX queues "
				    "(%d at most)", ifc->name, ifc->rx_queues,
				    DPT_CONF_MAX_RX_QUEUES);
			return -1;
		}
		if (ifc->xdp > DPT_XDP_ZEROCOPY ||
		    ifc->xdp_busy_poll > DPT_CONF_XDP_BUSY_MAX) {
			dpt_opt_err(err, errlen, "--iface %s: xdp mode %u or "
				    "busy-poll %u out of range", ifc->name,
				    ifc->xdp, ifc->xdp_busy_poll);
			return -1;
		}
		if (ifc->xdp_busy_poll != 0 && ifc->xdp == DPT_XDP_OFF) {
			dpt_opt_err(err, errlen, "--iface %s: --xdp-busy-poll "
				    "needs --xdp (AF_PACKET has no busy "
				    "polling)",
				    ifc->name);
			return -1;
		}
	}
	return 0;
}

static int
check_ranges(const struct dpt_conf *c, char *err, size_t errlen)
{
	char why[DPT_CONF_ERR_MAX];
	unsigned int i;

	for (i = 0; i < conf_n_opts; i++) {
		const struct dpt_opt *o = &conf_opts[i];

		/* the numbers; the rest are set by name or by code */
		if (o->kind != DPT_OPT_UINT && o->kind != DPT_OPT_DURATION &&
		    o->kind != DPT_OPT_SIZE)
			continue;
		if (dpt_opt_check(&conf_table, o, dpt_opt_get(c, o), NULL, why,
				  sizeof(why)) < 0) {
			dpt_opt_err(err, errlen, "--%s: %s", o->name, why);
			return -1;
		}
	}
	if ((unsigned int)c->backend > DPT_BACKEND_ETHDEV) {
		dpt_opt_err(err, errlen, "--backend: unknown backend %d",
			    (int)c->backend);
		return -1;
	}
	if ((unsigned int)c->balance >= DPT_BALANCE_COUNT) {
		dpt_opt_err(err, errlen, "--balance: unknown strategy %d",
			    (int)c->balance);
		return -1;
	}
	if (strnlen(c->log_level, sizeof(c->log_level)) ==
	    sizeof(c->log_level) || dpt_conf_log_level(c->log_level) < 0) {
		dpt_opt_err(err, errlen, "--log-level: unknown level");
		return -1;
	}
	return 0;
}

/* Who the server runs as, and what its uploads may be. */
static int
check_host(const struct dpt_conf *c, char *err, size_t errlen)
{
	char q[DPT_OPT_QUOTE_MAX];

	if (strnlen(c->user, sizeof(c->user)) == sizeof(c->user)) {
		dpt_opt_err(err, errlen, "--user: name too long");
		return -1;
	}
	if (c->user[0] != '\0' && getpwnam(c->user) == NULL) {
		dpt_opt_err(err, errlen, "--user: no user '%s' on this host",
			    dpt_opt_quote(c->user, q, sizeof(q)));
		return -1;
	}
	if ((c->upload_mode & ~(unsigned int)CONF_UPLOAD_MODE_MAX) != 0) {
		dpt_opt_err(err, errlen, "--upload-mode: %04o has bits beyond "
			    "0666 (no setuid, setgid, sticky or execute bit)",
			    c->upload_mode);
		return -1;
	}
	return 0;
}

/* --refuse and --blksize-max-for: their setters checked each item; a
 * struct changed by code is checked here. */
static int
check_tftp(const struct dpt_conf *c, char *err, size_t errlen)
{
	struct dpt_blksize_rule rules[DPT_CONF_MAX_BLKSIZE_RULES];
	uint32_t mask;

	if (dpt_conf_refuse_mask(c, &mask, err, errlen) < 0 ||
	    dpt_conf_blksize_rules(c, rules, err, errlen) < 0)
		return -1;
	return 0;
}

int
dpt_conf_validate(const struct dpt_conf *c, char *err, size_t errlen)
{
	if (check_root(c, err, errlen) < 0 ||
	    check_ranges(c, err, errlen) < 0 ||
	    check_host(c, err, errlen) < 0 ||
	    check_ports(c, err, errlen) < 0 ||
	    check_ifaces(c, err, errlen) < 0 ||
	    check_tftp(c, err, errlen) < 0)
		return -1;
	return 0;
}
