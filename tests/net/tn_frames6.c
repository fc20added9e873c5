/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * IPv6 frames built by hand, byte by byte, with checksums computed the slow
 * way (tn_sum()), independent of lib/net, so the two can disagree.
 */

#include <string.h>

#include "test_net.h"

/* 2001:db8::1, and fe80::ff:fe00:1 from 02:00:00:00:00:01. */
const uint8_t tn_our_ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
const uint8_t tn_our_ll6[16] = {
	0xfe, 0x80, [11] = 0xff, [12] = 0xfe, [15] = 0x01,
};
/* 2001:db8::7, and fe80::ff:fe00:2 from 02:00:00:00:00:02. */
const uint8_t tn_peer_ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x07 };
const uint8_t tn_peer_ll6[16] = {
	0xfe, 0x80, [11] = 0xff, [12] = 0xfe, [15] = 0x02,
};

#define TN_IF6(mac_last, addr, ll, tag) { \
	.mac = {{ 0x02, 0, 0, 0, 0, mac_last }}, \
	.ip = RTE_BE32(0xc0000200 | mac_last), \
	.prefix = 24, \
	.vlan = tag, \
	.ip6 = { 0x20, 0x01, 0x0d, 0xb8, [15] = addr }, \
	.prefix6 = 64, \
	.ll6 = { 0xfe, 0x80, [11] = 0xff, [12] = 0xfe, [15] = ll }, \
}

const struct dpt_net_if tn_if6 = TN_IF6(0x01, 0x01, 0x01, 0);
const struct dpt_net_if tn_if6_vlan = TN_IF6(0x01, 0x01, 0x01, TN_VLAN);
const struct dpt_net_if tn_peer_if6 = TN_IF6(0x02, 0x07, 0x02, 0);
const struct dpt_net_if tn_peer_if6_vlan = TN_IF6(0x02, 0x07, 0x02,
						  TN_VLAN);

const uint8_t tn_hbh_ra[8] = { 0, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00 };

static const uint8_t tn_default_payload6[] = {
	0x00, 0x01, 'f', 'i', 'l', 'e', '6', 0x00, 'o', 'c', 't', 'e', 't',
	0x00,
};

void
tn_group6(uint8_t *group, const uint8_t *a)
{
	static const uint8_t pfx[13] = {
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff,
	};

	memcpy(group, pfx, 13);
	memcpy(group + 13, a + 13, 3);
}

void
tn_mcast_mac6(struct rte_ether_addr *mac, const uint8_t *group)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(mac->addr_bytes + 2, group + 12, 4);
}

void
tn_spec6_udp(struct tn_spec6 *s)
{
	memset(s, 0, sizeof(*s));
	s->dst_mac = tn_if6.mac;
	s->src_mac = tn_peer_mac;
	s->version = 6;
	memcpy(s->src, tn_peer_ip6, 16);
	memcpy(s->dst, tn_our_ip6, 16);
	s->hlim = 63;		/* not 64: replies must set their own */
	s->nh = IPPROTO_UDP;
	s->src_port = TN_PEER_PORT;
	s->dst_port = TN_TFTP_PORT;
	s->payload = tn_default_payload6;
	s->payload_len = sizeof(tn_default_payload6);
}

void
tn_spec6_echo(struct tn_spec6 *s)
{
	static const uint8_t echo[] = {
		0x43, 0x21, 0x00, 0x09,		/* identifier, sequence */
		'p', 'i', 'n', 'g', '6', '!',
	};

	tn_spec6_udp(s);
	s->nh = IPPROTO_ICMPV6;
	s->icmp_type = 128;
	s->payload = echo;
	s->payload_len = sizeof(echo);
}

void
tn_spec6_ns(struct tn_spec6 *s, const uint8_t *target, bool group)
{
	tn_spec6_udp(s);
	s->nh = IPPROTO_ICMPV6;
	s->icmp_type = 135;
	s->hlim = 255;
	/* reserved, target, source link-layer address option */
	memset(s->body, 0, sizeof(s->body));
	memcpy(s->body + 4, target, 16);
	s->body[20] = 1;
	s->body[21] = 1;
	memcpy(s->body + 22, &tn_peer_mac, 6);
	s->payload = s->body;
	s->payload_len = 28;
	if (group) {
		tn_group6(s->dst, target);
		tn_mcast_mac6(&s->dst_mac, s->dst);
	} else {
		memcpy(s->dst, target, 16);
	}
}

uint32_t
tn_phdr6(const uint8_t *src, const uint8_t *dst, uint8_t nh, uint32_t len)
{
	return tn_sum(src, 16, 0) + tn_sum(dst, 16, 0) + (len >> 16) +
	       (len & 0xffff) + nh;
}

/* The L4 checksum field of the message at l4 (len bytes) for ip. */
static uint16_t
tn_l4_csum6(const uint8_t *ip, const uint8_t *l4, uint8_t nh, size_t len,
	    size_t csum_off)
{
	static uint8_t copy[65536];
	uint16_t c;

	memcpy(copy, l4, len);
	copy[csum_off] = 0;
	copy[csum_off + 1] = 0;
	c = (uint16_t)~tn_sum(copy, len, tn_phdr6(ip + 8, ip + 24, nh,
						  (uint32_t)len));
	return c;
}

uint16_t
tn_udp6_csum(const uint8_t *ip)
{
	const uint8_t *udp = ip + 40;
	uint16_t c = tn_l4_csum6(ip, udp, IPPROTO_UDP, tn_rd16(udp + 4), 6);

	return c == 0 ? 0xffff : c;
}

bool
tn_udp6_csum_ok(const uint8_t *ip)
{
	const uint8_t *udp = ip + 40;
	uint16_t ulen = tn_rd16(udp + 4);

	return tn_rd16(udp + 6) != 0 &&
	       tn_sum(udp, ulen, tn_phdr6(ip + 8, ip + 24, IPPROTO_UDP,
					  ulen)) == 0xffff;
}

bool
tn_icmp6_csum_ok(const uint8_t *ip)
{
	uint16_t len = tn_rd16(ip + 4);

	return ip[6] == IPPROTO_ICMPV6 &&
	       tn_sum(ip + 40, len, tn_phdr6(ip + 8, ip + 24, IPPROTO_ICMPV6,
					     len)) == 0xffff;
}

void
tn_fix_l4_csum6(uint8_t *frame, size_t ext_len)
{
	uint8_t *ip = frame + tn_l2_len(frame);
	uint8_t *l4 = ip + 40 + ext_len;
	size_t len = tn_rd16(ip + 4) - ext_len;
	uint8_t nh = ext_len != 0 ? ip[40] : ip[6];
	uint16_t c;

	if (nh == IPPROTO_UDP) {
		c = tn_l4_csum6(ip, l4, nh, tn_rd16(l4 + 4), 6);
		tn_wr16(l4 + 6, c == 0 ? 0xffff : c);
	} else if (nh == IPPROTO_ICMPV6) {
		tn_wr16(l4 + 2, tn_l4_csum6(ip, l4, nh, len, 2));
	}
}

size_t
tn_build6(uint8_t *buf, const struct tn_spec6 *s)
{
	size_t l2 = 14, l4_len, n;
	uint8_t *ip, *l4;

	memset(buf, 0, TN_BUF);
	memcpy(buf, &s->dst_mac, 6);
	memcpy(buf + 6, &s->src_mac, 6);
	if (s->tci != 0) {
		tn_wr16(buf + 12, 0x8100);
		tn_wr16(buf + 14, s->tci);
		l2 = 18;
	}
	tn_wr16(buf + l2 - 2, RTE_ETHER_TYPE_IPV6);
	ip = buf + l2;
	switch (s->nh) {
	case IPPROTO_UDP:
		l4_len = 8 + s->payload_len;
		break;
	case IPPROTO_ICMPV6:
		l4_len = 4 + s->payload_len;
		break;
	default:
		l4_len = s->payload_len;
		break;
	}
	ip[0] = (uint8_t)(s->version << 4);
	ip[1] = 0x0a;		/* a flow label, ignored */
	tn_wr16(ip + 4, (uint16_t)(s->ext_len + l4_len));
	ip[6] = s->ext_len != 0 ? s->ext_type : s->nh;
	ip[7] = s->hlim;
	memcpy(ip + 8, s->src, 16);
	memcpy(ip + 24, s->dst, 16);
	if (s->ext_len != 0) {
		memcpy(ip + 40, s->ext, s->ext_len);
		ip[40] = s->nh;
	}
	l4 = ip + 40 + s->ext_len;
	switch (s->nh) {
	case IPPROTO_UDP:
		tn_wr16(l4, s->src_port);
		tn_wr16(l4 + 2, s->dst_port);
		tn_wr16(l4 + 4, (uint16_t)l4_len);
		memcpy(l4 + 8, s->payload, s->payload_len);
		break;
	case IPPROTO_ICMPV6:
		l4[0] = s->icmp_type;
		l4[1] = s->icmp_code;
		memcpy(l4 + 4, s->payload, s->payload_len);
		break;
	default:
		memcpy(l4, s->payload, s->payload_len);
		break;
	}
	if (!s->no_csum)
		tn_fix_l4_csum6(buf, s->ext_len);
	n = l2 + 40 + s->ext_len + l4_len;
	memset(buf + n, 0, s->pad);
	return n + s->pad;
}
