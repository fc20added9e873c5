/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/host: the CPUs this process may use, the free hugepages and where
 * hugetlbfs is mounted (from meminfo and mounts files the test writes),
 * and the --lcores map both programs give EAL.
 */

#define _GNU_SOURCE	/* sched_setaffinity(), CPU_SET() */

#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "dpt_host.h"

static char path[64];

static const char *
write_tmp(const char *text)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/dpt-host-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Verifies: the CPUs are those of the affinity mask, ascending, no more
 * than max; pinned to one CPU, that one alone; max 0 gives none. */
static void
cpus(void **state)
{
	cpu_set_t all, one;
	int c[CPU_SETSIZE], first;
	unsigned int n, i;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	n = dpt_host_cpus(c, CPU_SETSIZE);
	assert_int_equal(n, (unsigned int)CPU_COUNT(&all));
	for (i = 0; i < n; i++) {
		assert_true(CPU_ISSET(c[i], &all));
		if (i > 0)
			assert_true(c[i] > c[i - 1]);
	}
	assert_int_equal(dpt_host_cpus(c, 1), 1);
	assert_int_equal(dpt_host_cpus(c, 0), 0);
	first = c[0];
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	n = dpt_host_cpus(c, CPU_SETSIZE);
	assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0], first);
}

/* Verifies: free bytes are HugePages_Free x Hugepagesize; a file without
 * them, or none at all, gives 0. */
static void
hugepages_free(void **state)
{
	(void)state;
	write_tmp("MemTotal:       24000000 kB\n"
		  "HugePages_Total:     512\n"
		  "HugePages_Free:      300\n"
		  "HugePages_Rsvd:        0\n"
		  "Hugepagesize:       2048 kB\n");
	assert_int_equal(dpt_host_hugepages_free(path), 300ull << 21);
	unlink(path);
	write_tmp("HugePages_Free:        4\nHugepagesize:    1048576 kB\n");
	assert_int_equal(dpt_host_hugepages_free(path), 4ull << 30);
	unlink(path);
	write_tmp("MemTotal:       24000000 kB\n");
	assert_int_equal(dpt_host_hugepages_free(path), 0);
	unlink(path);
	assert_int_equal(dpt_host_hugepages_free("/nonexistent/meminfo"), 0);
}

/* Verifies: hugetlbfs found by type, at a given folder or anywhere; a
 * folder of that name with another type, or a path that only contains
 * the word, does not count. */
static void
hugetlbfs(void **state)
{
	(void)state;
	write_tmp("proc /proc proc rw 0 0\n"
		  "tmpfs /dev/hugepages tmpfs rw 0 0\n"
		  "hugetlbfs /mnt/huge1G hugetlbfs rw,pagesize=1024M 0 0\n"
		  "none /srv/hugetlbfs ext4 rw 0 0\n");
	assert_false(dpt_host_hugetlbfs("/dev/hugepages", path));
	assert_true(dpt_host_hugetlbfs("/mnt/huge1G", path));
	assert_true(dpt_host_hugetlbfs(NULL, path));
	unlink(path);
	write_tmp("proc /proc proc rw 0 0\n"
		  "none /srv/hugetlbfs ext4 rw 0 0\n");
	assert_false(dpt_host_hugetlbfs(NULL, path));
	unlink(path);
	assert_false(dpt_host_hugetlbfs(NULL, "/nonexistent/mounts"));
}

/* Verifies: lcore l on cpus[l % n], comma-separated; exactly full fits,
 * one byte short is refused. */
static void
lcore_map(void **state)
{
	const int cpus[] = { 2, 5 };
	char buf[64];

	(void)state;
	assert_int_equal(dpt_host_lcore_map(buf, sizeof(buf), 5, cpus, 2), 0);
	assert_string_equal(buf, "0@2,1@5,2@2,3@5,4@2");
	assert_int_equal(dpt_host_lcore_map(buf, sizeof(buf), 1, cpus, 1), 0);
	assert_string_equal(buf, "0@2");
	assert_int_equal(dpt_host_lcore_map(buf, sizeof(buf), 0, cpus, 2), 0);
	assert_string_equal(buf, "");
	assert_int_equal(dpt_host_lcore_map(buf, 8, 2, cpus, 2), 0);
	assert_string_equal(buf, "0@2,1@5");
	assert_int_equal(dpt_host_lcore_map(buf, 7, 2, cpus, 2), -1);
	assert_int_equal(dpt_host_lcore_map(buf, sizeof(buf), 2, cpus, 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpus),
		cmocka_unit_test(hugepages_free),
		cmocka_unit_test(hugetlbfs),
		cmocka_unit_test(lcore_map),
	};

	return cmocka_run_group_tests_name("host", tests, NULL, NULL);
}
