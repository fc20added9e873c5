/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Frames built by hand, byte by byte, and checksums computed the slow way,
 * independent of lib/net and of rte_raw_cksum(), so the two can disagree.
 */

#include <stdlib.h>
#include <string.h>

#include "test_net.h"

const struct dpt_net_if tn_if = {
	.mac = {{ 0x02, 0, 0, 0, 0, 0x01 }},
	.ip = RTE_BE32(0xc0000201),
	.prefix = 24,
	.vlan = 0,
};

const struct dpt_net_if tn_if_vlan = {
	.mac = {{ 0x02, 0, 0, 0, 0, 0x01 }},
	.ip = RTE_BE32(0xc0000201),
	.prefix = 24,
	.vlan = TN_VLAN,
};

const struct dpt_net_if tn_peer_if = {
	.mac = {{ 0x02, 0, 0, 0, 0, 0x02 }},
	.ip = RTE_BE32(0xc0000207),
	.prefix = 24,
	.vlan = 0,
};

const struct dpt_net_if tn_peer_if_vlan = {
	.mac = {{ 0x02, 0, 0, 0, 0, 0x02 }},
	.ip = RTE_BE32(0xc0000207),
	.prefix = 24,
	.vlan = TN_VLAN,
};

const struct rte_ether_addr tn_peer_mac = {{ 0x02, 0, 0, 0, 0, 0x02 }};
const struct rte_ether_addr tn_bcast_mac = {{ 0xff, 0xff, 0xff, 0xff, 0xff,
					      0xff }};
const struct rte_ether_addr tn_other_mac = {{ 0x02, 0, 0, 0, 0, 0x09 }};

static const uint8_t tn_default_payload[] = {
	0x00, 0x01, 'f', 'i', 'l', 'e', 0x00, 'o', 'c', 't', 'e', 't', 0x00,
};

uint32_t
tn_ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t v[4] = { a, b, c, d };
	uint32_t ip;

	memcpy(&ip, v, sizeof(ip));
	return ip;
}

uint16_t
tn_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t
tn_rd32n(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

void
tn_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
tn_spec_udp(struct tn_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->dst_mac = tn_if.mac;
	s->src_mac = tn_peer_mac;
	s->version = 4;
	s->proto = IPPROTO_UDP;
	s->src_ip = TN_PEER_IP;
	s->dst_ip = TN_OUR_IP;
	s->src_port = TN_PEER_PORT;
	s->dst_port = TN_TFTP_PORT;
	s->payload = tn_default_payload;
	s->payload_len = sizeof(tn_default_payload);
}

void
tn_spec_icmp_echo(struct tn_spec *s)
{
	static const uint8_t echo[] = {
		0x12, 0x34, 0x00, 0x07,		/* identifier, sequence */
		'p', 'i', 'n', 'g', '!',
	};

	tn_spec_udp(s);
	s->proto = IPPROTO_ICMP;
	s->icmp_type = 8;
	s->icmp_code = 0;
	s->payload = echo;
	s->payload_len = sizeof(echo);
}

uint16_t
tn_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i < len; i++)
		sum += (i % 2 == 0) ? (uint32_t)p[i] << 8 : p[i];
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

size_t
tn_l2_len(const uint8_t *frame)
{
	return tn_rd16(frame + 12) == RTE_ETHER_TYPE_VLAN ? 18 : 14;
}

/* The pseudo header's sum for the datagram at ip, for L4 length len. */
static uint32_t
tn_phdr(const uint8_t *ip, uint16_t len)
{
	return tn_sum(ip + 12, 8, 0) + ip[9] + len;
}

uint16_t
tn_udp_csum(const uint8_t *ip)
{
	size_t hl = (size_t)(ip[0] & 0xf) * 4;
	const uint8_t *udp = ip + hl;
	uint16_t ulen = tn_rd16(udp + 4);
	static uint8_t copy[65536];
	uint16_t c;

	memcpy(copy, udp, ulen);
	copy[6] = 0;
	copy[7] = 0;
	c = (uint16_t)~tn_sum(copy, ulen, tn_phdr(ip, ulen));
	return c == 0 ? 0xffff : c;
}

void
tn_fix_ip_csum(uint8_t *frame)
{
	uint8_t *ip = frame + tn_l2_len(frame);
	size_t hl = (size_t)(ip[0] & 0xf) * 4;

	ip[10] = 0;
	ip[11] = 0;
	tn_wr16(ip + 10, (uint16_t)~tn_sum(ip, hl, 0));
}

void
tn_fix_l4_csum(uint8_t *frame)
{
	uint8_t *ip = frame + tn_l2_len(frame);
	size_t hl = (size_t)(ip[0] & 0xf) * 4;
	uint8_t *l4 = ip + hl;
	size_t l4_len = tn_rd16(ip + 2) - hl;

	if (ip[9] == IPPROTO_UDP) {
		tn_wr16(l4 + 6, tn_udp_csum(ip));
	} else if (ip[9] == IPPROTO_ICMP) {
		l4[2] = 0;
		l4[3] = 0;
		tn_wr16(l4 + 2, (uint16_t)~tn_sum(l4, l4_len, 0));
	}
}

bool
tn_ip_csum_ok(const uint8_t *ip)
{
	return tn_sum(ip, (size_t)(ip[0] & 0xf) * 4, 0) == 0xffff;
}

bool
tn_udp_csum_ok(const uint8_t *ip)
{
	size_t hl = (size_t)(ip[0] & 0xf) * 4;
	uint16_t ulen = tn_rd16(ip + hl + 4);

	return tn_sum(ip + hl, ulen, tn_phdr(ip, ulen)) == 0xffff;
}

bool
tn_icmp_csum_ok(const uint8_t *ip)
{
	size_t hl = (size_t)(ip[0] & 0xf) * 4;

	return tn_sum(ip + hl, tn_rd16(ip + 2) - hl, 0) == 0xffff;
}

size_t
tn_build(uint8_t *buf, const struct tn_spec *s)
{
	size_t l2 = 14, hl, l4_len, n;
	uint8_t *ip, *l4;

	memset(buf, 0, TN_BUF);
	memcpy(buf, &s->dst_mac, 6);
	memcpy(buf + 6, &s->src_mac, 6);
	if (s->tci != 0) {
		tn_wr16(buf + 12, s->tpid != 0 ? s->tpid : 0x8100);
		tn_wr16(buf + 14, s->tci);
		l2 = 18;
	}
	tn_wr16(buf + l2 - 2, RTE_ETHER_TYPE_IPV4);
	ip = buf + l2;
	hl = 20 + s->opts_len;
	switch (s->proto) {
	case IPPROTO_UDP:
		l4_len = 8 + s->payload_len;
		break;
	case IPPROTO_ICMP:
		l4_len = 4 + s->payload_len;
		break;
	default:
		l4_len = s->payload_len;
		break;
	}
	ip[0] = (uint8_t)(s->version << 4 | hl / 4);
	tn_wr16(ip + 2, (uint16_t)(hl + l4_len));
	tn_wr16(ip + 4, 0x4242);
	tn_wr16(ip + 6, s->frag);
	ip[8] = 31;		/* not 64: replies must set their own */
	ip[9] = s->proto;
	memcpy(ip + 12, &s->src_ip, 4);
	memcpy(ip + 16, &s->dst_ip, 4);
	if (s->opts_len != 0)
		memcpy(ip + 20, s->opts, s->opts_len);
	l4 = ip + hl;
	switch (s->proto) {
	case IPPROTO_UDP:
		tn_wr16(l4, s->src_port);
		tn_wr16(l4 + 2, s->dst_port);
		tn_wr16(l4 + 4, (uint16_t)l4_len);
		memcpy(l4 + 8, s->payload, s->payload_len);
		break;
	case IPPROTO_ICMP:
		l4[0] = s->icmp_type;
		l4[1] = s->icmp_code;
		memcpy(l4 + 4, s->payload, s->payload_len);
		break;
	default:
		memcpy(l4, s->payload, s->payload_len);
		break;
	}
	tn_fix_ip_csum(buf);
	if (!(s->proto == IPPROTO_UDP && s->no_udp_csum))
		tn_fix_l4_csum(buf);
	n = l2 + hl + l4_len;
	memset(buf + n, s->pad_byte, s->pad);
	return n + s->pad;
}

size_t
tn_arp(uint8_t *buf, const struct rte_ether_addr *dst, uint16_t tci,
       uint16_t op, const struct rte_ether_addr *sha, uint32_t sip,
       const struct rte_ether_addr *tha, uint32_t tip)
{
	size_t l2 = 14;
	uint8_t *a;

	memset(buf, 0, TN_BUF);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, sha, 6);
	if (tci != 0) {
		tn_wr16(buf + 12, 0x8100);
		tn_wr16(buf + 14, tci);
		l2 = 18;
	}
	tn_wr16(buf + l2 - 2, RTE_ETHER_TYPE_ARP);
	a = buf + l2;
	tn_wr16(a, 1);
	tn_wr16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	tn_wr16(a + 6, op);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, &sip, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, &tip, 4);
	return l2 + 28;
}

enum dpt_net_kind
tn_parse(const uint8_t *frame, size_t len, const struct dpt_net_if *ifc,
	 unsigned int flags, struct dpt_net_pkt *pkt)
{
	/* malloc(0) may return NULL: keep one byte, but say len. */
	uint8_t *copy = malloc(len != 0 ? len : 1);
	enum dpt_net_kind k;

	assert_non_null(copy);
	memcpy(copy, frame, len);
	k = dpt_net_parse(copy, len, ifc, flags, pkt);
	free(copy);
	assert_int_equal(k, pkt->kind);
	if (k == DPT_NET_DROP)
		assert_int_not_equal(pkt->drop, DPT_NET_OK);
	else
		assert_int_equal(pkt->drop, DPT_NET_OK);
	return k;
}

void
tn_expect_drop(const uint8_t *frame, size_t len, const struct dpt_net_if *ifc,
	       unsigned int flags, enum dpt_net_drop why)
{
	struct dpt_net_pkt pkt;

	tn_parse(frame, len, ifc, flags, &pkt);
	if (pkt.kind != DPT_NET_DROP)
		fail_msg("kind %d, expected a drop (%s)", pkt.kind,
			 dpt_net_drop_name(why));
	if (pkt.drop != why)
		fail_msg("dropped as %s, expected %s",
			 dpt_net_drop_name(pkt.drop), dpt_net_drop_name(why));
}

void
tn_expect_kind(const uint8_t *frame, size_t len, const struct dpt_net_if *ifc,
	       unsigned int flags, enum dpt_net_kind kind)
{
	struct dpt_net_pkt pkt;

	tn_parse(frame, len, ifc, flags, &pkt);
	if (pkt.kind == DPT_NET_DROP)
		fail_msg("dropped (%s), expected kind %d",
			 dpt_net_drop_name(pkt.drop), kind);
	assert_int_equal(pkt.kind, kind);
}

static uint64_t tn_state = 0x9e3779b97f4a7c15ULL;

uint32_t
tn_rand(void)
{
	/* xorshift64* */
	tn_state ^= tn_state >> 12;
	tn_state ^= tn_state << 25;
	tn_state ^= tn_state >> 27;
	return (uint32_t)((tn_state * 0x2545f4914f6cdd1dULL) >> 32);
}

void
tn_fill_rand(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)tn_rand();
}
