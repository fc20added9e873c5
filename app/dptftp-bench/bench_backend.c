/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The ways datagrams can move. A backend runs the plan's slots on its
 * threads and feeds their transfers (bench_xfer.h); nothing else knows
 * which one runs. The first entry is the default.
 */

#include "bench_run.h"

const struct dpt_bench_backend dpt_bench_backends[] = {
	{
		.name = "socket",
		.help = "kernel UDP sockets: one per transfer, epoll, "
			"recvmmsg/sendmmsg",
		.start = dpt_bench_sock_start,
		.wait = dpt_bench_sock_wait,
	},
#ifdef DPT_BENCH_DPDK
	{
		.name = "dpdk",
		.help = "a DPDK port (--iface: net_af_packet; --eal: a NIC), "
			"its own Ethernet/ARP/ND/IPv4/IPv6/UDP, one lcore and queue "
			"pair per thread",
		.start = dpt_bench_dpdk_start,
		.wait = dpt_bench_dpdk_wait,
		.dpdk = true,
	},
#endif
};

const unsigned int dpt_bench_n_backends =
	sizeof(dpt_bench_backends) / sizeof(dpt_bench_backends[0]);
