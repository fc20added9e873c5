/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The kernel's side of a port over a Linux interface (AF_PACKET,
 * AF_XDP): what would otherwise fail in silence is said. At the start the
 * interface is brought up (or the start refused, in one line), and an
 * address of ours that the kernel also holds is warned about (the kernel
 * would answer ARP and pings for it, and reset what it does not expect).
 * While serving, the main lcore calls eth_watch() about once a second:
 * the kernel's link state (net_af_packet always says up), a run of UDP
 * checksum drops (a peer sending with checksum offload on: veth, tap, a
 * VM's virtio-net) warned about once, and at debug level what was
 * dropped. A run is ETH_CSUM_RUN drops within a minute (a PXE client
 * that retries every few seconds makes one), or a drop while no good UDP
 * datagram came since the last look (nothing gets through).
 */

#include <errno.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <rte_cycles.h>

#include "port_ethdev.h"

/* Watches without a UDP checksum drop after which a new run warns
 * again. */
#define CSUM_QUIET_WATCHES 60

/* SIOCGIFFLAGS or SIOCSIFFLAGS on interface name: *flags read or
 * written. 0 or a negative errno. */
static int
if_flags_io(const char *name, unsigned long req, short *flags)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = *flags;
	if (ioctl(fd, req, &ifr) < 0)
		rc = -errno;
	else
		*flags = ifr.ifr_flags;
	close(fd);
	return rc;
}

static int
if_flags(const char *name, short *flags)
{
	*flags = 0;
	return if_flags_io(name, SIOCGIFFLAGS, flags);
}

int
eth_kernel_up(struct eth_priv *ep, const char *name, char *err,
	      size_t errlen)
{
	short flags;
	int rc;

	if (if_flags(name, &flags) < 0)
		return 0;	/* no such interface: the probe says so */
	snprintf(ep->kif, sizeof(ep->kif), "%s", name);
	if (flags & IFF_UP)
		return 0;
	flags = (short)(flags | IFF_UP);
	rc = if_flags_io(name, SIOCSIFFLAGS, &flags);
	if (rc < 0) {
		snprintf(err, errlen, "--iface %s: the interface is down and "
			 "cannot be brought up: %s (ip link set %s up, or "
			 "give dptftpd CAP_NET_ADMIN)", name, strerror(-rc),
			 name);
		return rc;
	}
	PORT_LOG(NOTICE, "%s: the interface was down: brought it up\n", name);
	return 0;
}

int
eth_kernel_link(const struct eth_priv *ep)
{
	short flags;

	if (ep->kif[0] == '\0' || if_flags(ep->kif, &flags) < 0)
		return ETH_LINK_UNKNOWN;
	if (!(flags & IFF_UP))
		return ETH_LINK_ADMIN_DOWN;
	return (flags & IFF_RUNNING) ? ETH_LINK_UP : ETH_LINK_NO_CARRIER;
}

const char *
eth_link_name(int link)
{
	switch (link) {
	case ETH_LINK_UP: return "up";
	case ETH_LINK_NO_CARRIER: return "down (no carrier)";
	case ETH_LINK_ADMIN_DOWN: return "down (administratively)";
	default: return "unknown";
	}
}

/* An address of ours the kernel has on some interface of this network
 * namespace: the kernel and dptftpd would both answer for it. */
void
eth_kernel_addr_check(const struct eth_priv *ep, const char *iface)
{
	struct ifaddrs *ifa, *a;
	char ip[INET6_ADDRSTRLEN];

	if (ep->kif[0] == '\0' || getifaddrs(&ifa) < 0)
		return;
	for (a = ifa; a != NULL; a = a->ifa_next) {
		const void *addr = NULL;
		int family = a->ifa_addr != NULL ? a->ifa_addr->sa_family : 0;

		if (family == AF_INET && ep->ifc.prefix != 0 &&
		    ((const struct sockaddr_in *)a->ifa_addr)->sin_addr.s_addr ==
		    ep->ifc.ip)
			addr = &ep->ifc.ip;
		else if (family == AF_INET6 && ep->ifc.prefix6 != 0 &&
			 memcmp(&((const struct sockaddr_in6 *)
				  a->ifa_addr)->sin6_addr, ep->ifc.ip6,
				16) == 0)
			addr = ep->ifc.ip6;
		if (addr == NULL)
			continue;
		inet_ntop(family, addr, ip, sizeof(ip));
		PORT_LOG(WARNING, "--iface %s: the kernel also holds %s (on "
			 "%s): it answers ARP, neighbor solicitations and "
			 "pings for it too, and may reset what it does not "
			 "expect; remove it (ip addr del %s/%u dev %s) or give "
			 "dptftpd another --ip\n", iface, ip, a->ifa_name, ip,
			 family == AF_INET ? ep->ifc.prefix : ep->ifc.prefix6,
			 a->ifa_name);
	}
	freeifaddrs(ifa);
}

/* At debug level: what the port dropped since the last watch. */
static void
log_drops(const struct dpt_port *p, const struct eth_priv *ep,
	  const uint64_t *now)
{
	char line[512];
	size_t off = 0;
	uint64_t total = 0;
	int d;

	if (!rte_log_can_log(dpt_port_logtype, RTE_LOG_DEBUG))
		return;
	line[0] = '\0';
	for (d = 1; d < DPT_NET_DROP_COUNT; d++) {
		uint64_t n = now[d] - ep->watch_drops[d];

		if (n == 0 || off >= sizeof(line))
			continue;
		total += n;
		off += (size_t)snprintf(line + off, sizeof(line) - off,
					"%s%s %" PRIu64, off ? ", " : "",
					dpt_net_drop_name(d), n);
	}
	if (total != 0)
		PORT_LOG(DEBUG, "%s: %" PRIu64 " frame%s dropped since the last "
			 "look: %s\n", p->name, total, total == 1 ? "" : "s",
			 line);
}

/* n checksum drops at now_ms: true when the last ETH_CSUM_RUN of them
 * came within ETH_CSUM_WINDOW_MS. */
static bool
csum_run(struct eth_priv *ep, uint64_t n, uint64_t now_ms)
{
	unsigned int k = n < ETH_CSUM_RUN ? (unsigned int)n : ETH_CSUM_RUN, i;

	/* the k newest, all seen now, push the k oldest out */
	memmove(ep->csum_at, ep->csum_at + k,
		(ETH_CSUM_RUN - k) * sizeof(ep->csum_at[0]));
	for (i = ETH_CSUM_RUN - k; i < ETH_CSUM_RUN; i++)
		ep->csum_at[i] = now_ms;
	ep->csum_n = RTE_MIN(ep->csum_n + k, (unsigned int)ETH_CSUM_RUN);
	return ep->csum_n == ETH_CSUM_RUN &&
	       now_ms - ep->csum_at[0] < ETH_CSUM_WINDOW_MS;
}

/* n UDP checksum drops and good UDP datagrams since the last look: a
 * run warns once, again only after a quiet minute. */
static void
watch_csum(const struct dpt_port *p, struct eth_priv *ep, uint64_t n,
	   uint64_t good, uint64_t total)
{
	if (n == 0) {
		if (ep->csum_quiet < CSUM_QUIET_WATCHES &&
		    ++ep->csum_quiet == CSUM_QUIET_WATCHES) {
			ep->csum_warned = false;
			ep->csum_n = 0;
		}
		return;
	}
	ep->csum_quiet = 0;
	if (!csum_run(ep, n, rte_rdtsc() / (ep->tsc_hz / 1000)) &&
	    good != 0)
		return;
	if (ep->csum_warned)
		return;
	ep->csum_warned = true;
	PORT_LOG(WARNING, "%s: %" PRIu64 " UDP datagram%s dropped for a "
		 "bad checksum since the last look (%" PRIu64 " good), "
		 "%" PRIu64 " in all: a peer on this link most likely sends "
		 "with checksum offload on (a veth or tap peer, a VM's "
		 "virtio-net: its partial checksums reach AF_PACKET "
		 "unfinished); turn it off there (ethtool -K PEER tx off), "
		 "and see Drop-udp-csum in show port stats\n", p->name, n,
		 n == 1 ? "" : "s", good, total);
}

void
eth_watch(struct dpt_port *p)
{
	struct eth_priv *ep = p->priv;
	uint64_t now[DPT_NET_DROP_COUNT], udp_rx;
	int d, link;

	for (d = 0; d < DPT_NET_DROP_COUNT; d++)
		now[d] = __atomic_load_n(&ep->cnt.drops[d], __ATOMIC_RELAXED);
	udp_rx = __atomic_load_n(&ep->cnt.udp_rx, __ATOMIC_RELAXED);
	if (ep->watched) {
		log_drops(p, ep, now);
		watch_csum(p, ep, now[DPT_NET_DROP_UDP_CSUM] -
			   ep->watch_drops[DPT_NET_DROP_UDP_CSUM],
			   udp_rx - ep->watch_udp_rx,
			   now[DPT_NET_DROP_UDP_CSUM]);
	}
	memcpy(ep->watch_drops, now, sizeof(now));
	ep->watch_udp_rx = udp_rx;
	link = eth_kernel_link(ep);
	if (ep->watched && link != ep->watch_link &&
	    link != ETH_LINK_UNKNOWN) {
		if (link == ETH_LINK_UP)
			PORT_LOG(NOTICE, "%s: link up\n", p->name);
		else
			PORT_LOG(WARNING, "%s: link %s: no client can reach "
				 "dptftpd on it\n", p->name,
				 eth_link_name(link));
	}
	ep->watch_link = link;
	ep->watched = true;
}
