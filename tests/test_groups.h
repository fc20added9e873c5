/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#ifndef _DPT_TEST_GROUPS_H_
#define _DPT_TEST_GROUPS_H_

/*
 * A suite whose cases live in several files, each with its own table, runs
 * them as one cmocka group so that TAP sees one plan: the tables are
 * copied one after another into one array of max entries.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline size_t
dpt_test_add(struct CMUnitTest *all, size_t n, size_t max,
	     const struct CMUnitTest *some, size_t count)
{
	if (n + count > max) {
		printf("Bail out! more than %zu tests\n", max);
		exit(1);
	}
	memcpy(all + n, some, count * sizeof(*some));
	return n + count;
}

#endif /* _DPT_TEST_GROUPS_H_ */
