/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * --reserve-hugepages: what the systemd unit runs as root before the
 * start (ExecStartPre=+), so hugepages are reserved only when the
 * configuration asks for them ([eal] hugepages = SIZE): 2 MiB pages
 * reserved up to SIZE (never fewer than there are), hugetlbfs mounted at
 * /dev/hugepages. As scripts/setup-hugepages does, idempotently.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "dpt_host.h"
#include "dptftpd.h"

#define NR_HUGEPAGES "/proc/sys/vm/nr_hugepages"
#define HUGE_MNT "/dev/hugepages"
#define PAGE_2M (2ull << 20)

static int
read_pages(unsigned long long *n)
{
	FILE *f = fopen(NR_HUGEPAGES, "r");
	int rc = f != NULL && fscanf(f, "%llu", n) == 1 ? 0 : -1;

	if (f != NULL)
		fclose(f);
	return rc;
}

int
app_reserve_hugepages(uint64_t bytes, char *err, size_t errlen)
{
	unsigned long long want = (bytes + PAGE_2M - 1) / PAGE_2M, have;
	FILE *f;

	if (bytes == 0)
		return 0;
	if (read_pages(&have) < 0) {
		snprintf(err, errlen, "--reserve-hugepages: cannot read "
			 NR_HUGEPAGES ": %s", strerror(errno));
		return -1;
	}
	if (have < want) {
		f = fopen(NR_HUGEPAGES, "w");
		if (f == NULL || fprintf(f, "%llu\n", want) < 0 ||
		    fclose(f) != 0) {
			snprintf(err, errlen, "--reserve-hugepages: cannot "
				 "write " NR_HUGEPAGES ": %s (root?)",
				 strerror(errno));
			return -1;
		}
		if (read_pages(&have) < 0 || have < want) {
			snprintf(err, errlen, "--reserve-hugepages: asked for "
				 "%llu pages of 2 MiB, the kernel gave %llu "
				 "(memory fragmented? reserve them at boot: "
				 "vm.nr_hugepages)", want, have);
			return -1;
		}
	}
	if (!dpt_host_hugetlbfs(HUGE_MNT, NULL)) {
		mkdir(HUGE_MNT, 0755);
		if (mount("nodev", HUGE_MNT, "hugetlbfs", 0,
			  "pagesize=2M") < 0) {
			snprintf(err, errlen, "--reserve-hugepages: cannot "
				 "mount hugetlbfs on " HUGE_MNT ": %s",
				 strerror(errno));
			return -1;
		}
	}
	printf("dptftpd: hugepages: %llu of 2 MiB reserved, hugetlbfs on "
	       HUGE_MNT "\n", have);
	return 0;
}
