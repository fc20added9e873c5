/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* The host's CPUs and hugepages, read before EAL starts. */

#define _GNU_SOURCE	/* sched_getaffinity(), CPU_ISSET() */

#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "dpt_host.h"

unsigned int
dpt_host_cpus(int *cpus, unsigned int max)
{
	cpu_set_t set;
	unsigned int n = 0;
	int c;

	if (max == 0)
		return 0;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (c = 0; c < CPU_SETSIZE && n < max; c++)
			if (CPU_ISSET(c, &set))
				cpus[n++] = c;
	if (n == 0)
		cpus[n++] = 0;
	return n;
}

uint64_t
dpt_host_hugepages_free(const char *path)
{
	unsigned long long free_pages = 0, page_kb = 0, v;
	char line[256];
	FILE *f = fopen(path != NULL ? path : "/proc/meminfo", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "HugePages_Free: %llu", &v) == 1)
			free_pages = v;
		else if (sscanf(line, "Hugepagesize: %llu kB", &v) == 1)
			page_kb = v;
	}
	fclose(f);
	return (uint64_t)free_pages * page_kb * 1024;
}

bool
dpt_host_hugetlbfs(const char *dir, const char *path)
{
	char line[512], what[256], where[256], type[64];
	FILE *f = fopen(path != NULL ? path : "/proc/mounts", "r");
	bool found = false;

	while (f != NULL && !found && fgets(line, sizeof(line), f) != NULL)
		found = sscanf(line, "%255s %255s %63s", what, where,
			       type) == 3 && strcmp(type, "hugetlbfs") == 0 &&
			(dir == NULL || strcmp(where, dir) == 0);
	if (f != NULL)
		fclose(f);
	return found;
}

int
dpt_host_lcore_map(char *buf, size_t len, unsigned int n, const int *cpus,
		   unsigned int n_cpus)
{
	size_t off = 0;
	unsigned int l;

	if (len == 0 || n_cpus == 0)
		return -1;
	buf[0] = '\0';
	for (l = 0; l < n; l++) {
		int w = snprintf(buf + off, len - off, "%s%u@%d",
				 l ? "," : "", l, cpus[l % n_cpus]);

		if (w < 0 || (size_t)w >= len - off)
			return -1;
		off += (size_t)w;
	}
	return 0;
}
