/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#include <stdarg.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "eal_frames.h"

const struct rte_ether_addr ef_client_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 },
};

static size_t
eth(uint8_t *buf, const struct rte_ether_addr *dst, uint16_t type)
{
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)buf;

	e->dst_addr = *dst;
	e->src_addr = ef_client_mac;
	e->ether_type = rte_cpu_to_be_16(type);
	return sizeof(*e);
}

static size_t
ipv4(uint8_t *buf, uint32_t src, uint32_t dst, uint8_t proto, size_t l4)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)buf;

	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4));
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return sizeof(*ip);
}

size_t
ef_udp(uint8_t *buf, const struct rte_ether_addr *dst_mac, uint32_t src_ip,
       uint16_t sport, uint16_t dport, const void *payload, size_t len)
{
	size_t off = eth(buf, dst_mac, RTE_ETHER_TYPE_IPV4);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + off);
	struct rte_udp_hdr *u;

	off += ipv4(buf + off, src_ip, EF_SERVER_IP, IPPROTO_UDP,
		    sizeof(*u) + len);
	u = (struct rte_udp_hdr *)(buf + off);
	u->src_port = rte_cpu_to_be_16(sport);
	u->dst_port = rte_cpu_to_be_16(dport);
	u->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*u) + len));
	u->dgram_cksum = 0;
	memcpy(u + 1, payload, len);
	u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
	return off + sizeof(*u) + len;
}

size_t
ef_arp_request(uint8_t *buf, uint32_t target_ip)
{
	static const struct rte_ether_addr bcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	size_t off = eth(buf, &bcast, RTE_ETHER_TYPE_ARP);
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(buf + off);

	memset(a, 0, sizeof(*a));
	a->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	a->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	a->arp_hlen = 6;
	a->arp_plen = 4;
	a->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	a->arp_data.arp_sha = ef_client_mac;
	a->arp_data.arp_sip = rte_cpu_to_be_32(EF_CLIENT_IP);
	a->arp_data.arp_tip = rte_cpu_to_be_32(target_ip);
	off += sizeof(*a);
	memset(buf + off, 0, 60 - off);		/* pad to a minimum frame */
	return 60;
}

size_t
ef_icmp_echo(uint8_t *buf, const struct rte_ether_addr *dst_mac, uint16_t id,
	     uint16_t seq)
{
	size_t off = eth(buf, dst_mac, RTE_ETHER_TYPE_IPV4);
	struct rte_icmp_hdr *ic;
	static const char data[] = "dptftp-ping-payload";

	off += ipv4(buf + off, EF_CLIENT_IP, EF_SERVER_IP, IPPROTO_ICMP,
		    sizeof(*ic) + sizeof(data));
	ic = (struct rte_icmp_hdr *)(buf + off);
	ic->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	ic->icmp_code = 0;
	ic->icmp_cksum = 0;
	ic->icmp_ident = rte_cpu_to_be_16(id);
	ic->icmp_seq_nb = rte_cpu_to_be_16(seq);
	memcpy(ic + 1, data, sizeof(data));
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, sizeof(*ic) +
						  sizeof(data));
	return off + sizeof(*ic) + sizeof(data);
}

size_t
ef_rrq(uint8_t *buf, const char *file, const char *mode, ...)
{
	size_t off = 2;
	const char *s;
	va_list ap;

	buf[0] = 0;
	buf[1] = 1;
	memcpy(buf + off, file, strlen(file) + 1);
	off += strlen(file) + 1;
	memcpy(buf + off, mode, strlen(mode) + 1);
	off += strlen(mode) + 1;
	va_start(ap, mode);
	while ((s = va_arg(ap, const char *)) != NULL) {
		memcpy(buf + off, s, strlen(s) + 1);
		off += strlen(s) + 1;
	}
	va_end(ap);
	return off;
}

int
ef_inject(struct rte_ring *r, struct rte_mempool *pool, const uint8_t *frame,
	  size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *p;

	if (m == NULL)
		return -1;
	p = rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return -1;
	}
	memcpy(p, frame, len);
	if (rte_ring_enqueue(r, m) < 0) {
		rte_pktmbuf_free(m);
		return -1;
	}
	return 0;
}

struct rte_mbuf *
ef_take(struct rte_ring *r)
{
	struct rte_mbuf *m;

	return rte_ring_dequeue(r, (void **)&m) == 0 ? m : NULL;
}
