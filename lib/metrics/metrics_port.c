/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The ports' metrics: the counters every backend has, then what each
 * backend's stats() prints (`show port stats`), read back from its
 * `Key: value` lines by dpt_port_stats_read(), each family one unit of
 * account: frames received and dropped (Drop-REASON lines, the device's
 * RX-missed, ...) are dptftp_port_dropped_frames_total{reason}; frames
 * the port handled on its own (answers sent or held back, fragments) are
 * dptftp_port_events_total{event}; what counts anything else (send calls,
 * datagrams, descriptors) has a family of its own, and so has a line no
 * table here names (a counter a backend adds is exported with no edit
 * here); the few that are sizes or counts of things are gauges. And
 * whether the link is up, from `show port info`'s Link line.
 */

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dpt_metrics.h"
#include "metrics_internal.h"

#define LINES_MAX 256

/* Lines of a backend's stats that are not counters. */
static const struct {
	const char *key, *name, *unit, *help;
} port_gauges[] = {
	{ "MTU", "dptftp_port_mtu_bytes", "bytes", "The port's MTU." },
	{ "Sockets", "dptftp_port_sockets", NULL,
	  "Kernel sockets the socket backend holds." },
	{ "XDP-sockets", "dptftp_port_xdp_sockets", NULL,
	  "AF_XDP sockets the port holds." },
	{ "Reassembly-max", "dptftp_port_reassembly_max_datagrams", NULL,
	  "IPv4 datagrams the port reassembles at once, at most." },
};

/* Where a backend's counter goes (Drop-REASON lines: dropped frames). */
enum pfam {
	PF_DROPPED,	/* label: the reason */
	PF_EVENT,	/* label: the event */
	PF_OWN,		/* label: the family's name, help its HELP */
};

static const struct {
	const char *key;
	enum pfam fam;
	const char *label, *help;
} port_counters[] = {
	{ "RX-missed", PF_DROPPED, "rx-missed" },
	{ "Multiseg-drops", PF_DROPPED, "multiseg" },
	{ "Not-for-us", PF_DROPPED, "not-for-us" },
	{ "Echo-limited", PF_DROPPED, "echo-limited" },
	{ "Fragments-dropped", PF_DROPPED, "fragments-dropped" },
	{ "XDP-rx-dropped", PF_DROPPED, "xdp-rx-dropped" },
	{ "XDP-rx-ring-full", PF_DROPPED, "xdp-rx-ring-full" },
	{ "ARP-replies", PF_EVENT, "arp-replies" },
	{ "ICMP-echo-replies", PF_EVENT, "icmp-echo-replies" },
	{ "ICMP-unreachable", PF_EVENT, "icmp-unreachable" },
	{ "ICMP-unreachable-limited", PF_EVENT, "icmp-unreachable-limited" },
	{ "ND-adverts", PF_EVENT, "nd-adverts" },
	{ "ICMPv6-echo-replies", PF_EVENT, "icmpv6-echo-replies" },
	{ "ICMPv6-unreachable", PF_EVENT, "icmpv6-unreachable" },
	{ "Ctl-ring-full", PF_EVENT, "ctl-ring-full" },
	{ "IP-fragments", PF_EVENT, "ip-fragments" },
	{ "IP-reassembled", PF_OWN, "dptftp_port_reassembled_datagrams",
	  "IPv4 datagrams reassembled from their fragments." },
	{ "Reassembled-oversize", PF_OWN,
	  "dptftp_port_reassembled_oversize_datagrams",
	  "Reassembled IPv4 datagrams dropped: longer than an mbuf." },
	{ "GSO-sends", PF_OWN, "dptftp_port_gso_sends",
	  "Send calls that carried several datagrams at once (UDP GSO)." },
	{ "GSO-datagrams", PF_OWN, "dptftp_port_gso_datagrams",
	  "Datagrams sent in those calls." },
	{ "XDP-rx-invalid", PF_OWN, "dptftp_port_xdp_rx_invalid_descriptors",
	  "Invalid descriptors on the AF_XDP sockets' RX rings (the "
	  "kernel's count)." },
	{ "XDP-tx-invalid", PF_OWN, "dptftp_port_xdp_tx_invalid_descriptors",
	  "Invalid descriptors on the AF_XDP sockets' TX rings (the "
	  "kernel's count)." },
	{ "XDP-fill-ring-empty", PF_OWN, "dptftp_port_xdp_fill_ring_empty",
	  "Times the kernel found an AF_XDP socket's fill ring empty." },
};

static void
port_labels(char *buf, size_t len, const struct dpt_port *p)
{
	char id[8];

	buf[0] = '\0';
	snprintf(id, sizeof(id), "%u", p->id);
	mw_label(buf, len, "port", id);
	mw_label(buf, len, "name", p->name);
}

/* "Drop-udp-csum" -> "udp-csum"; "ARP-replies" -> "arp-replies". */
static const char *
lower(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[i] = '\0';
	return buf;
}

static int
gauge_of(const char *key)
{
	unsigned int i;

	for (i = 0; i < sizeof(port_gauges) / sizeof(port_gauges[0]); i++)
		if (strcmp(port_gauges[i].key, key) == 0)
			return (int)i;
	return -1;
}

static void
write_common(struct mw *w, const struct dpt_metrics_params *p)
{
	static const struct {
		const char *name, *unit, *help;
		size_t off;
	} common[] = {
#define PC(f) offsetof(struct dpt_port_counters, f)
		{ "dptftp_port_received_packets", NULL, "Packets the port "
		  "received: whole frames on ethdev, UDP datagrams on "
		  "socket.", PC(rx_pkts) },
		{ "dptftp_port_received_bytes", "bytes", "Bytes of those: "
		  "whole frames on ethdev, UDP payloads on socket.",
		  PC(rx_bytes) },
		{ "dptftp_port_receive_errors", NULL, "Packets the port "
		  "received and could not use.", PC(rx_errors) },
		{ "dptftp_port_receive_nombuf", NULL, "Receives that found "
		  "no mbuf.", PC(rx_nombuf) },
		{ "dptftp_port_received_truncated", NULL, "Datagrams longer "
		  "than an mbuf, dropped.", PC(rx_truncated) },
		{ "dptftp_port_sent_packets", NULL, "Packets the port sent: "
		  "whole frames on ethdev, UDP datagrams on socket.",
		  PC(tx_pkts) },
		{ "dptftp_port_sent_bytes", "bytes", "Bytes of those: whole "
		  "frames on ethdev, UDP payloads on socket.", PC(tx_bytes) },
		{ "dptftp_port_send_errors", NULL, "Packets the port could "
		  "not send.", PC(tx_errors) },
#undef PC
	};
	struct dpt_port_counters k;
	char labels[128];
	unsigned int i, n;

	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
		mw_family(w, common[i].name, MW_COUNTER, common[i].unit,
			  common[i].help);
		for (n = 0; n < p->n_ports; n++) {
			dpt_port_counters_lifetime(p->ports[n], &k);
			port_labels(labels, sizeof(labels), p->ports[n]);
			mw_u64(w, NULL, labels, *(const uint64_t *)
			       ((const char *)&k + common[i].off));
		}
	}
}

static int
counter_of(const char *key)
{
	unsigned int i;

	for (i = 0; i < sizeof(port_counters) / sizeof(port_counters[0]);
	     i++)
		if (strcmp(port_counters[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* Line l's family and its label (or own family's name and HELP, made in
 * name and help for a line no table names). */
static enum pfam
family_of(const struct dpt_port_stat *l, const char **label, const char **help,
	  char *name, char *htext, size_t len)
{
	int c = counter_of(l->key);
	size_t i, n;

	if (strncmp(l->key, "Drop-", 5) == 0) {
		*label = l->key + 5;
		return PF_DROPPED;
	}
	if (c >= 0) {
		*label = port_counters[c].label;
		*help = port_counters[c].help;
		return port_counters[c].fam;
	}
	n = (size_t)snprintf(name, len, "dptftp_port_");
	for (i = 0; l->key[i] != '\0' && n + 1 < len; i++)
		name[n++] = isalnum((unsigned char)l->key[i]) ?
			    (char)tolower((unsigned char)l->key[i]) : '_';
	name[n] = '\0';
	snprintf(htext, len, "The backend's %s counter (show port stats).",
		 l->key);
	*label = name;
	*help = htext;
	return PF_OWN;
}

/* The samples of family fam (label name, when PF_DROPPED or PF_EVENT),
 * or of own family `own`. */
static void
write_family(struct mw *w, const struct dpt_metrics_params *p,
	     const struct dpt_port_stat *l, unsigned int n, enum pfam fam,
	     const char *lname, const char *own)
{
	char labels[192], v[48], name[96], help[128];
	const char *label, *hp;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (gauge_of(l[i].key) >= 0 ||
		    family_of(&l[i], &label, &hp, name, help,
			      sizeof(name)) != fam ||
		    (own != NULL && strcmp(label, own) != 0))
			continue;
		port_labels(labels, sizeof(labels), p->ports[l[i].port]);
		if (own == NULL)
			mw_label(labels, sizeof(labels), lname,
				 lower(label, v, sizeof(v)));
		mw_u64(w, NULL, labels, l[i].value);
	}
}

/* Each family of its own once, at its first line, with every port's. */
static void
write_own(struct mw *w, const struct dpt_metrics_params *p,
	  const struct dpt_port_stat *l, unsigned int n)
{
	char name[96], help[128], seen[96];
	const char *label, *hp;
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		if (gauge_of(l[i].key) >= 0 ||
		    family_of(&l[i], &label, &hp, name, help,
			      sizeof(name)) != PF_OWN)
			continue;
		for (k = 0; k < i; k++)
			if (strcmp(l[k].key, l[i].key) == 0)
				break;
		if (k < i)
			continue;	/* written with its first */
		snprintf(seen, sizeof(seen), "%s", label);
		mw_family(w, seen, MW_COUNTER, NULL, hp);
		write_family(w, p, l, n, PF_OWN, NULL, seen);
	}
}

/* Dropped frames, events, the families of their own, then each gauge:
 * each family once, grouped. */
static void
write_backend(struct mw *w, const struct dpt_metrics_params *p,
	      const struct dpt_port_stat *l, unsigned int n)
{
	char labels[192];
	unsigned int i, g;

	mw_family(w, "dptftp_port_dropped_frames", MW_COUNTER, NULL,
		  "Frames a port received and dropped, by reason: show port "
		  "stats' Drop- lines; rx-missed (the device's: a full RX "
		  "ring, AF_PACKET's or AF_XDP's drops), multiseg, not-for-us "
		  "(another protocol), echo-limited (--reply-limit), "
		  "fragments-dropped (let go by reassembly), xdp-rx-dropped "
		  "and xdp-rx-ring-full (the kernel's, AF_XDP).");
	write_family(w, p, l, n, PF_DROPPED, "reason", NULL);
	mw_family(w, "dptftp_port_events", MW_COUNTER, NULL,
		  "Frames a port handled on its own, by event: ARP, ICMP and "
		  "ND answers sent, answers held back (icmp-unreachable-"
		  "limited, ctl-ring-full), IPv4 fragments received.");
	write_family(w, p, l, n, PF_EVENT, "event", NULL);
	write_own(w, p, l, n);
	for (g = 0; g < sizeof(port_gauges) / sizeof(port_gauges[0]); g++) {
		bool any = false;

		for (i = 0; i < n; i++) {
			if (strcmp(l[i].key, port_gauges[g].key) != 0)
				continue;
			if (!any)
				mw_family(w, port_gauges[g].name, MW_GAUGE,
					  port_gauges[g].unit,
					  port_gauges[g].help);
			any = true;
			port_labels(labels, sizeof(labels),
				    p->ports[l[i].port]);
			mw_u64(w, NULL, labels, l[i].value);
		}
	}
}

/* dptftp_port_link_up: 1 when `show port info` says Link: up. */
static void
write_link(struct mw *w, const struct dpt_metrics_params *p)
{
	char *buf = NULL, labels[128];
	size_t len = 0;
	unsigned int n;
	FILE *f;

	mw_family(w, "dptftp_port_link_up", MW_GAUGE, NULL,
		  "1 when the port's link is up (for AF_PACKET and AF_XDP, "
		  "the kernel interface's), 0 when down; none for sockets.");
	for (n = 0; n < p->n_ports; n++) {
		struct dpt_port *port = p->ports[n];
		const char *link;

		if (port->ops->info == NULL)
			continue;
		f = open_memstream(&buf, &len);
		if (f == NULL)
			continue;
		port->ops->info(port, f);
		fclose(f);
		link = strstr(buf, "\nLink: ");
		if (link != NULL) {
			port_labels(labels, sizeof(labels), port);
			mw_u64(w, NULL, labels,
			       strncmp(link + 7, "up", 2) == 0);
		}
		free(buf);
		buf = NULL;
	}
}

void
metrics_write_ports(struct mw *w, const struct dpt_metrics_params *p)
{
	struct dpt_port_stat *l = calloc(LINES_MAX, sizeof(*l));
	unsigned int n = 0, i;

	write_common(w, p);
	if (l != NULL) {
		for (i = 0; i < p->n_ports; i++)
			n = dpt_port_stats_read(p->ports[i], true, l, n,
						LINES_MAX);
		write_backend(w, p, l, n);
	}
	free(l);
	write_link(w, p);
}
