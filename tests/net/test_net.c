/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/net: dptftp's own L2/L3, on plain buffers, no EAL. The areas (L2 and
 * ARP, IPv4, UDP and ICMP, replies, sending, and for IPv6: parsing,
 * Neighbor Discovery, replies, sending) run as one group so TAP sees one
 * plan.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_net.h"

#define MAX_TESTS 128

static size_t
add(struct CMUnitTest *all, size_t n, const struct CMUnitTest *some,
    size_t count)
{
	if (n + count > MAX_TESTS) {
		printf("Bail out! more than %d tests\n", MAX_TESTS);
		exit(1);
	}
	memcpy(all + n, some, count * sizeof(*some));
	return n + count;
}

int
main(void)
{
	static struct CMUnitTest tests[MAX_TESTS];
	size_t n = 0;

	n = add(tests, n, tn_l2_tests, tn_l2_count);
	n = add(tests, n, tn_ip_tests, tn_ip_count);
	n = add(tests, n, tn_l4_tests, tn_l4_count);
	n = add(tests, n, tn_reply_tests, tn_reply_count);
	n = add(tests, n, tn_udp_tests, tn_udp_count);
	n = add(tests, n, tn_ip6_tests, tn_ip6_count);
	n = add(tests, n, tn_nd_tests, tn_nd_count);
	n = add(tests, n, tn_reply6_tests, tn_reply6_count);
	n = add(tests, n, tn_udp6_tests, tn_udp6_count);
	n = add(tests, n, tn_rate_tests, tn_rate_count);
	return _cmocka_run_group_tests("net", tests, n, NULL, NULL);
}
