/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_HOST_H_
#define _DPT_HOST_H_

/*
 * What the host gives a process before EAL starts: the CPUs it may run on,
 * its hugepages, and an lcore map spread over those CPUs. dptftpd and
 * dptftp-bench both build EAL's arguments from these. No DPDK: reads
 * sched_getaffinity(), /proc/meminfo and /proc/mounts.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The CPUs this process may run on (taskset, cgroups), ascending, at most
 * max of them; always at least one (CPU 0 when the mask cannot be read). */
unsigned int dpt_host_cpus(int *cpus, unsigned int max);

/* Free hugepage memory in bytes (HugePages_Free x Hugepagesize) as the
 * meminfo file at path says (NULL: /proc/meminfo); 0 when unreadable. */
uint64_t dpt_host_hugepages_free(const char *path);

/* Whether hugetlbfs is mounted at dir (NULL: anywhere), as the mounts
 * file at path says (NULL: /proc/mounts). */
bool dpt_host_hugetlbfs(const char *dir, const char *path);

/* EAL's --lcores map for n lcores, "0@c0,1@c1,...", lcore l on
 * cpus[l % n_cpus] (several per CPU when there are few: our lcores back
 * off when idle). 0, or -1 when it does not fit in len. */
int dpt_host_lcore_map(char *buf, size_t len, unsigned int n,
		       const int *cpus, unsigned int n_cpus);

#endif /* _DPT_HOST_H_ */
