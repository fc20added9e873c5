/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * AF_XDP (--xdp): an --iface reached through DPDK's net_af_xdp instead of
 * net_af_packet. Before the hot-plug, what the PMD would need and not say
 * plainly is checked (the interface, AF_XDP sockets in the kernel, bpffs
 * for libxdp's dispatcher); after the start, the mode the kernel gave each
 * XDP socket (copy or zero-copy) is read back from the socket itself, so
 * `show port info` says what runs, not what was asked. Main lcore.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/vfs.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include "port_ethdev.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif
#define BPF_FS_MAGIC 0xcafe4a11
#define BPF_FS "/sys/fs/bpf"

/* Can this kernel make an AF_XDP socket? 0, or a negative errno. */
static int
xdp_sockets_work(void)
{
	int fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static bool
bpffs_mounted(void)
{
	struct statfs st;

	return statfs(BPF_FS, &st) == 0 &&
	       (unsigned long)st.f_type == BPF_FS_MAGIC;
}

int
eth_xdp_probe(struct eth_priv *ep, const struct dpt_conf_iface *ifc,
	      uint16_t id, char *err, size_t errlen)
{
	char devargs[192], busy[32] = "";
	uint16_t queues = ifc->rx_queues != 0 ? ifc->rx_queues : 1;
	int rc;

	if (if_nametoindex(ifc->name) == 0) {
		snprintf(err, errlen, "--iface %s --xdp: no network "
			 "interface of that name", ifc->name);
		return -ENODEV;
	}
	rc = xdp_sockets_work();
	if (rc < 0) {
		snprintf(err, errlen, "--iface %s --xdp: this kernel makes no "
			 "AF_XDP socket (%s): CONFIG_XDP_SOCKETS, or run "
			 "without --xdp (AF_PACKET)", ifc->name,
			 rte_strerror(-rc));
		return rc;
	}
	ep->xdp_bpffs = bpffs_mounted();
	if (!ep->xdp_bpffs)
		PORT_LOG(WARNING, "--iface %s --xdp: no bpffs at " BPF_FS
			 ": libxdp loads its XDP program alone, without a "
			 "dispatcher (mount -t bpf bpf " BPF_FS " to share "
			 "the interface with other XDP programs)\n",
			 ifc->name);
	if (ifc->xdp_busy_poll != 0)
		snprintf(busy, sizeof(busy), "%u", ifc->xdp_busy_poll);
	eth_xdp_before(ep);
	snprintf(ep->ethdev_name, sizeof(ep->ethdev_name), "net_af_xdp%u",
		 id);
	snprintf(devargs, sizeof(devargs),
		 "%s,iface=%s,start_queue=0,queue_count=%u,force_copy=%d,"
		 "busy_budget=%s", ep->ethdev_name, ifc->name, queues,
		 ifc->xdp == DPT_XDP_COPY, busy[0] != '\0' ? busy : "0");
	rc = rte_dev_probe(devargs);
	if (rc < 0 || rte_eth_dev_get_port_by_name(ep->ethdev_name,
						   &ep->port_id) != 0) {
		snprintf(err, errlen, "--iface %s --xdp: net_af_xdp failed%s%s "
			 "(root, or CAP_NET_ADMIN and CAP_BPF? another XDP "
			 "program on %s? %u queue%s on it?)", ifc->name,
			 rc < -1 ? ": " : "", rc < -1 ? rte_strerror(-rc) : "",
			 ifc->name, queues, queues == 1 ? "" : "s");
		return rc < 0 ? rc : -ENODEV;
	}
	ep->probed = true;
	ep->xdp = ifc->xdp;
	ep->xdp_busy = ifc->xdp_busy_poll;
	return 0;
}

/*
 * The process's AF_XDP sockets, as a bitmap of descriptors below max
 * (AF_XDP sockets tell neither their interface nor their queue through
 * getsockname(): those made while one port came up are that port's).
 * With zc non-NULL, also which of them the kernel runs zero-copy.
 */
static void
xdp_fds(uint8_t *set, uint8_t *zc, unsigned int max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	memset(set, 0, (max + 7) / 8);
	if (zc != NULL)
		memset(zc, 0, (max + 7) / 8);
	while (d != NULL && (de = readdir(d)) != NULL) {
		struct xdp_options opt;
		socklen_t len = sizeof(int);
		int fd, dom;

		fd = atoi(de->d_name);
		if (de->d_name[0] == '.' || fd < 0 || (unsigned int)fd >= max ||
		    fd == dirfd(d) ||
		    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len) < 0 ||
		    dom != AF_XDP)
			continue;
		set[fd / 8] |= (uint8_t)(1u << (fd % 8));
		len = sizeof(opt);
		if (zc != NULL &&
		    getsockopt(fd, SOL_XDP, XDP_OPTIONS, &opt, &len) == 0 &&
		    (opt.flags & XDP_OPTIONS_ZEROCOPY))
			zc[fd / 8] |= (uint8_t)(1u << (fd % 8));
	}
	if (d != NULL)
		closedir(d);
}

void
eth_xdp_before(struct eth_priv *ep)
{
	xdp_fds(ep->xdp_fds_before, NULL, ETH_XDP_FD_MAX);
}

int
eth_xdp_started(struct eth_priv *ep, const struct dpt_conf_iface *ifc,
		char *err, size_t errlen)
{
	uint8_t now[ETH_XDP_FD_MAX / 8], zc[ETH_XDP_FD_MAX / 8];
	unsigned int i, n = 0, nzc = 0;

	xdp_fds(now, zc, ETH_XDP_FD_MAX);
	for (i = 0; i < ETH_XDP_FD_MAX; i++) {
		uint8_t bit = (uint8_t)(1u << (i % 8));

		if (!(now[i / 8] & bit) || (ep->xdp_fds_before[i / 8] & bit))
			continue;
		if (n < RTE_DIM(ep->xdp_fd))
			ep->xdp_fd[n] = (int)i;
		n++;
		nzc += (zc[i / 8] & bit) != 0;
	}
	ep->xdp_sockets = n;
	ep->xdp_zc = n != 0 && nzc == n;
	if (ifc->xdp == DPT_XDP_ZEROCOPY && !ep->xdp_zc) {
		snprintf(err, errlen, "--iface %s --xdp zero-copy: the driver "
			 "runs %u of %u XDP socket%s zero-copy (veth, and "
			 "drivers without AF_XDP zero-copy, copy): use --xdp "
			 "auto or copy", ifc->name, nzc, n, n == 1 ? "" : "s");
		return -EOPNOTSUPP;
	}
	return 0;
}

void
eth_xdp_info(const struct eth_priv *ep, FILE *f)
{
	if (ep->xdp == DPT_XDP_OFF)
		return;
	fprintf(f, "XDP-mode: %s\nXDP-asked: %s\nXDP-sockets: %u\n"
		"XDP-busy-poll: %u\nXDP-dispatcher: %s\n",
		ep->xdp_sockets == 0 ? "unknown" :
		ep->xdp_zc ? "zero-copy" : "copy", dpt_conf_xdp_name(ep->xdp),
		ep->xdp_sockets, ep->xdp_busy,
		ep->xdp_bpffs ? "libxdp" : "none (no bpffs)");
}

void
eth_xdp_stats(const struct eth_priv *ep, FILE *f)
{
	struct xdp_statistics sum, st;
	unsigned int i;

	if (ep->xdp == DPT_XDP_OFF)
		return;
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < ep->xdp_sockets && i < RTE_DIM(ep->xdp_fd); i++) {
		socklen_t len = sizeof(st);

		if (getsockopt(ep->xdp_fd[i], SOL_XDP, XDP_STATISTICS, &st,
			       &len) < 0)
			continue;
		sum.rx_dropped += st.rx_dropped;
		sum.rx_invalid_descs += st.rx_invalid_descs;
		sum.tx_invalid_descs += st.tx_invalid_descs;
		sum.rx_ring_full += st.rx_ring_full;
		sum.rx_fill_ring_empty_descs += st.rx_fill_ring_empty_descs;
		sum.tx_ring_empty_descs += st.tx_ring_empty_descs;
	}
	fprintf(f, "XDP-rx-dropped: %llu\nXDP-rx-invalid: %llu\n"
		"XDP-tx-invalid: %llu\nXDP-rx-ring-full: %llu\n"
		"XDP-fill-ring-empty: %llu\n",
		(unsigned long long)sum.rx_dropped,
		(unsigned long long)sum.rx_invalid_descs,
		(unsigned long long)sum.tx_invalid_descs,
		(unsigned long long)sum.rx_ring_full,
		(unsigned long long)sum.rx_fill_ring_empty_descs);
}
