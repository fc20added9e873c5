/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * EAL's arguments for the dpdk backend: the user's --eal words, and what
 * they leave out chosen so that a bare `--iface eth1` just works.
 */

#define _GNU_SOURCE	/* CPU_SETSIZE */

#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench_dpdk.h"
#include "dpt_host.h"

static int
add(struct dpt_bench_eal_args *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
add(struct dpt_bench_eal_args *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (e->argc == DPT_BENCH_EAL_ARGS_MAX)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(e->buf + e->used, sizeof(e->buf) - e->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(e->buf) - e->used)
		return -1;
	e->argv[e->argc++] = e->buf + e->used;
	e->used += (size_t)n + 1;
	return 0;
}

static bool
user_gave(const char *user, const char *const *flags)
{
	const char *p;
	size_t i, n;

	for (i = 0; user != NULL && flags[i] != NULL; i++) {
		n = strlen(flags[i]);
		for (p = strstr(user, flags[i]); p != NULL;
		     p = strstr(p + 1, flags[i]))
			if ((p == user || p[-1] == ' ') &&
			    (p[n] == '\0' || p[n] == ' ' || p[n] == '='))
				return true;
	}
	return false;
}

/* Whether hugetlbfs is mounted with mb MiB of pages free. */
static bool
hugepages_usable(uint64_t mb)
{
	return dpt_host_hugetlbfs(NULL, NULL) &&
	       dpt_host_hugepages_free(NULL) >= mb << 20;
}

/* Megabytes the pool needs (each mbuf: its header, data room and the
 * mempool's own header), with room for EAL itself and the rings. */
static uint64_t
mem_mb(unsigned int threads, uint32_t frame)
{
	uint64_t per = sizeof(struct rte_mbuf) + dpt_bench_dpdk_room(frame) +
		       64;

	return dpt_bench_dpdk_mbufs(threads) * per / (1 << 20) + 64;
}

/*
 * prog, then the user's --eal words, then what they did not say: plain
 * memory (--no-huge -m) unless enough hugepages are free, no PCI unless
 * they name PCI devices, no files in
 * /var/run/dpdk (several generators may run at once), the lcores (main
 * plus one per thread, over the CPUs we may use, several per CPU when
 * there are few: the threads nap when idle), and the net_af_packet port
 * for --iface.
 */
int
dpt_bench_dpdk_eal_args(struct dpt_bench_eal_args *e,
			const struct dpt_bench_opts *o, uint32_t frame)
{
	static const char *const lcore_flags[] = { "-l", "-c", "--lcores",
						   NULL };
	static const char *const mem_flags[] = { "-m", "--socket-mem",
						 "--no-huge", NULL };
	static const char *const pci_flags[] = { "-a", "--allow", "-b",
						 "--block", NULL };
	static const char *const no_huge_flag[] = { "--no-huge", NULL };
	static const char *const prefix_flags[] = { "--file-prefix",
						    "--in-memory", NULL };
	const char *user = o->eal_args;
	char words[1024], *w, *save;
	int cpus[CPU_SETSIZE];
	unsigned int n_cpus = dpt_host_cpus(cpus, CPU_SETSIZE);
	char lcores[512];
	bool no_huge;

	memset(e, 0, sizeof(*e));
	if (add(e, "%s", DPT_BENCH_PROG) < 0)
		return -1;
	if (user != NULL) {
		if (strlen(user) >= sizeof(words))
			return -1;
		strcpy(words, user);
		for (w = strtok_r(words, " \t", &save); w != NULL;
		     w = strtok_r(NULL, " \t", &save))
			if (add(e, "%s", w) < 0)
				return -1;
	}
	no_huge = user_gave(user, no_huge_flag);
	if (!user_gave(user, mem_flags) && !hugepages_usable(mem_mb(o->threads,
								     frame))) {
		if (add(e, "--no-huge") < 0 || add(e, "-m") < 0 ||
		    add(e, "%llu", (unsigned long long)mem_mb(o->threads,
							      frame)) < 0)
			return -1;
		no_huge = true;
	}
	if (!user_gave(user, pci_flags) && add(e, "--no-pci") < 0)
		return -1;
	/* --in-memory refuses --no-huge; without hugepages no shared
	 * config and a prefix of our own do the same. */
	if (!user_gave(user, prefix_flags) &&
	    (no_huge ? add(e, "--no-shconf") < 0 ||
		       add(e, "--file-prefix=dptftp-bench-%ld",
			   (long)getpid()) < 0 :
		       add(e, "--in-memory") < 0))
		return -1;
	if (!user_gave(user, lcore_flags)) {	/* main, and one a thread */
		if (dpt_host_lcore_map(lcores, sizeof(lcores), o->threads + 1,
				       cpus, n_cpus) < 0 ||
		    add(e, "--lcores") < 0 || add(e, "%s", lcores) < 0 ||
		    add(e, "--main-lcore") < 0 || add(e, "0") < 0)
			return -1;
	}
	if (!user_gave(user, (const char *const[]){ "--log-level", NULL }) &&
	    (add(e, "--log-level") < 0 || add(e, "lib.*:error") < 0))
		return -1;
	if (o->iface != NULL &&
	    (add(e, "--vdev") < 0 ||
	     add(e, DPT_BENCH_VDEV ",iface=%s,qpairs=%u,framesz=%u,framecnt=%u",
		 o->iface, o->threads, frame <= 2048 ? 2048 : 16384,
		 frame <= 2048 ? 4096 : 1024) < 0))
		return -1;
	e->argv[e->argc] = NULL;
	return 0;
}

