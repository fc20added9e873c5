/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Neighbor solicitations as they arrive: which are answered (our address
 * or link-local one as the target, to its solicited-node group or to it),
 * which are someone else's, and which RFC 4861 7.1.1 says to discard.
 */

#include <string.h>

#include "test_net.h"

/* Where the target is, from the ICMPv6 type byte. */
#define NS_TARGET	8

/* A solicitation for target with the option bytes opts instead of the
 * default source link-layer address option. */
static size_t
ns_with_options(uint8_t *buf, struct tn_spec6 *s, const uint8_t *target,
		const uint8_t *opts, size_t opts_len)
{
	tn_spec6_ns(s, target, true);
	memcpy(s->body + 20, opts, opts_len);
	s->payload_len = 20 + opts_len;
	return tn_build6(buf, s);
}

/* Verifies: a solicitation for our address, to its group (the way
 * address resolution asks) or to the address (the way reachability is
 * confirmed), for our link-local address, on our VLAN, or without any
 * option, is ND_SOLICIT with the asker's addresses filled in. */
static void
test_ns_ours(void **state)
{
	uint8_t buf[TN_BUF], group[16];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len;

	tn_spec6_ns(&s, tn_our_ip6, true);
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ND_SOLICIT);
	tn_group6(group, tn_our_ip6);
	assert_memory_equal(pkt.dst_ip6, group, 16);
	assert_memory_equal(pkt.src_ip6, tn_peer_ip6, 16);
	assert_memory_equal(&pkt.src_mac, &tn_peer_mac, 6);
	assert_int_equal(pkt.payload_off, 14 + 40);
	assert_int_equal(pkt.payload_len, 32);
	assert_memory_equal(buf + pkt.payload_off + NS_TARGET, tn_our_ip6, 16);
	tn_spec6_ns(&s, tn_our_ip6, false);
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_ND_SOLICIT);
	tn_spec6_ns(&s, tn_our_ll6, true);
	memcpy(s.src, tn_peer_ll6, 16);
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_ND_SOLICIT);
	s.tci = TN_VLAN | 0xe000;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6_vlan, 0, DPT_NET_ND_SOLICIT);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_VLAN);
	tn_spec6_ns(&s, tn_our_ip6, true);
	s.payload_len = 20;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_ND_SOLICIT);
	/* on our unicast MAC, though sent to the group */
	tn_spec6_ns(&s, tn_our_ip6, true);
	s.dst_mac = tn_if6.mac;
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_ND_SOLICIT);
}

/* Verifies: duplicate address detection (source ::, to the group, no
 * link-layer address option) for our address is ND_SOLICIT; from :: to
 * the address itself, or with a source link-layer address option, it is
 * nd-invalid. */
static void
test_ns_dad(void **state)
{
	static const uint8_t unspec[16];
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len;

	tn_spec6_ns(&s, tn_our_ip6, true);
	memcpy(s.src, unspec, 16);
	s.payload_len = 20;
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ND_SOLICIT);
	assert_memory_equal(pkt.src_ip6, unspec, 16);
	s.payload_len = 28;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
	tn_spec6_ns(&s, tn_our_ip6, false);
	memcpy(s.src, unspec, 16);
	s.payload_len = 20;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
}

/* Verifies: a valid solicitation for another address, one whose group
 * happens to be ours (the same low 24 bits), is ICMP_OTHER: seen, not
 * answered, not a drop. */
static void
test_ns_other_target(void **state)
{
	uint8_t buf[TN_BUF], other[16], group[16];
	struct tn_spec6 s;
	size_t len;

	memcpy(other, tn_our_ip6, 16);
	other[7] = 0x42;		/* another /64, same low bits */
	tn_spec6_ns(&s, other, true);
	tn_group6(group, tn_our_ip6);
	assert_memory_equal(s.dst, group, 16);
	len = tn_build6(buf, &s);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_ICMP_OTHER);
}

/* Verifies: the hop limit must be 255 (a solicitation that crossed a
 * router is forged), the code 0, the Ethernet source a unicast MAC (the
 * answer goes there), the message at least 24 bytes, the target unicast:
 * otherwise nd-invalid. */
static void
test_ns_invalid_fields(void **state)
{
	static const uint8_t hlims[] = { 0, 1, 64, 254 };
	static const uint8_t mcast[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t buf[TN_BUF];
	struct tn_spec6 s;
	size_t len, i;

	for (i = 0; i < RTE_DIM(hlims); i++) {
		tn_spec6_ns(&s, tn_our_ip6, true);
		s.hlim = hlims[i];
		len = tn_build6(buf, &s);
		tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
	}
	tn_spec6_ns(&s, tn_our_ip6, true);
	s.icmp_code = 1;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
	/* from a group MAC, or from 00:00:00:00:00:00: dropped before ND
	 * looks at it, as every frame from such a source */
	tn_spec6_ns(&s, tn_our_ip6, true);
	s.src_mac.addr_bytes[0] = 0x01;
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_SRC_MAC);
	memset(&s.src_mac, 0, sizeof(s.src_mac));
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_SRC_MAC);
	for (i = 0; i < 20; i++) {
		tn_spec6_ns(&s, tn_our_ip6, true);
		s.payload_len = i;
		len = tn_build6(buf, &s);
		tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
	}
	tn_spec6_ns(&s, tn_our_ip6, false);
	memcpy(s.body + 4, mcast, 16);
	len = tn_build6(buf, &s);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
	/* and the checksum, as for any ICMPv6 */
	tn_spec6_ns(&s, tn_our_ip6, true);
	len = tn_build6(buf, &s);
	buf[len - 3] ^= 0x80;
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ICMP6_CSUM);
}

/* Verifies: options must be well formed: a length of 0, a length past
 * the message, a lone trailing byte are nd-invalid; several valid
 * options (a nonce, an unknown one) are fine. */
static void
test_ns_options(void **state)
{
	static const uint8_t zero_len[8] = { 1, 0, 2, 0, 0, 0, 0, 2 };
	static const uint8_t past[8] = { 1, 2, 2, 0, 0, 0, 0, 2 };
	static const uint8_t trailing[9] = { 1, 1, 2, 0, 0, 0, 0, 2, 7 };
	static const uint8_t zero_later[16] = {
		1, 1, 2, 0, 0, 0, 0, 2, 14, 0, 0, 0, 0, 0, 0, 0,
	};
	static const uint8_t several[24] = {
		14, 1, 1, 2, 3, 4, 5, 6,	/* nonce (RFC 3971) */
		1, 1, 2, 0, 0, 0, 0, 2,		/* source link-layer */
		200, 1, 0, 0, 0, 0, 0, 0,	/* unknown: ignored */
	};
	uint8_t buf[TN_BUF];
	struct tn_spec6 s;
	size_t len;

	len = ns_with_options(buf, &s, tn_our_ip6, zero_len, 8);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
	len = ns_with_options(buf, &s, tn_our_ip6, past, 8);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
	len = ns_with_options(buf, &s, tn_our_ip6, trailing, 9);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
	len = ns_with_options(buf, &s, tn_our_ip6, zero_later, 16);
	tn_expect_drop(buf, len, &tn_if6, 0, DPT_NET_DROP_ND_INVALID);
	len = ns_with_options(buf, &s, tn_our_ip6, several, 24);
	tn_expect_kind(buf, len, &tn_if6, 0, DPT_NET_ND_SOLICIT);
}

/* Verifies: a solicitation behind a hop-by-hop header is taken, its
 * target found after the header. */
static void
test_ns_behind_hbh(void **state)
{
	static const uint8_t hbh[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	uint8_t buf[TN_BUF];
	struct dpt_net_pkt pkt;
	struct tn_spec6 s;
	size_t len;

	tn_spec6_ns(&s, tn_our_ip6, true);
	s.ext_type = IPPROTO_HOPOPTS;
	s.ext = hbh;
	s.ext_len = 8;
	len = tn_build6(buf, &s);
	assert_int_equal(tn_parse(buf, len, &tn_if6, 0, &pkt),
			 DPT_NET_ND_SOLICIT);
	assert_int_equal(pkt.payload_off, 14 + 48);
	assert_memory_equal(buf + pkt.payload_off + NS_TARGET, tn_our_ip6, 16);
}

const struct CMUnitTest tn_nd_tests[] = {
	cmocka_unit_test(test_ns_ours),
	cmocka_unit_test(test_ns_dad),
	cmocka_unit_test(test_ns_other_target),
	cmocka_unit_test(test_ns_invalid_fields),
	cmocka_unit_test(test_ns_options),
	cmocka_unit_test(test_ns_behind_hbh),
};
const size_t tn_nd_count = RTE_DIM(tn_nd_tests);
