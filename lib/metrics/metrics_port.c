/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The ports' metrics: the counters every backend has, then what each
 * backend's stats() prints (`show port stats`), read back from its
 * `Key: value` lines by dpt_port_stats_read() so a counter a backend adds
 * is exported with no edit here: Drop-REASON lines become
 * dptftp_port_dropped_frames_total{reason}, the few that are sizes or
 * counts of things become gauges, the rest dptftp_port_events_total
 * {event}. And whether the link is up, from `show port info`'s Link line.
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

/* Drops, then events, then each gauge: each family once, grouped. */
static void
write_backend(struct mw *w, const struct dpt_metrics_params *p,
	      const struct dpt_port_stat *l, unsigned int n)
{
	char labels[192], v[48];
	unsigned int i, g;

	mw_family(w, "dptftp_port_dropped_frames", MW_COUNTER, NULL,
		  "Frames an ethdev port dropped, by reason (show port "
		  "stats' Drop- lines).");
	for (i = 0; i < n; i++) {
		if (strncmp(l[i].key, "Drop-", 5) != 0)
			continue;
		port_labels(labels, sizeof(labels), p->ports[l[i].port]);
		mw_label(labels, sizeof(labels), "reason",
			 lower(l[i].key + 5, v, sizeof(v)));
		mw_u64(w, NULL, labels, l[i].value);
	}
	mw_family(w, "dptftp_port_events", MW_COUNTER, NULL,
		  "What a port's backend counts, by event (show port stats' "
		  "other lines: ARP and ICMP replies, fragments, GSO sends, "
		  "XDP rings, ...).");
	for (i = 0; i < n; i++) {
		if (strncmp(l[i].key, "Drop-", 5) == 0 ||
		    gauge_of(l[i].key) >= 0)
			continue;
		port_labels(labels, sizeof(labels), p->ports[l[i].port]);
		mw_label(labels, sizeof(labels), "event",
			 lower(l[i].key, v, sizeof(v)));
		mw_u64(w, NULL, labels, l[i].value);
	}
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
