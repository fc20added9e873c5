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
#include "test_groups.h"

#define MAX_TESTS 128

int
main(void)
{
	static struct CMUnitTest tests[MAX_TESTS];
	size_t n = 0;

	n = dpt_test_add(tests, n, MAX_TESTS, tn_l2_tests,
			 tn_l2_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_ip_tests,
			 tn_ip_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_l4_tests,
			 tn_l4_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_reply_tests,
			 tn_reply_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_udp_tests,
			 tn_udp_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_ip6_tests,
			 tn_ip6_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_l4_6_tests,
			 tn_l4_6_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_nd_tests,
			 tn_nd_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_reply6_tests,
			 tn_reply6_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_udp6_tests,
			 tn_udp6_count);
	n = dpt_test_add(tests, n, MAX_TESTS, tn_rate_tests,
			 tn_rate_count);
	return _cmocka_run_group_tests("net", tests, n, NULL, NULL);
}
