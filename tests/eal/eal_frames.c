/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dpt_port.h"
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

const uint8_t ef_server_ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
const uint8_t ef_client_ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static size_t
ipv6(uint8_t *buf, const uint8_t *src, const uint8_t *dst, uint8_t proto,
     uint8_t hlim, size_t l4)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)buf;

	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)l4);
	ip->proto = proto;
	ip->hop_limits = hlim;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
	return sizeof(*ip);
}

size_t
ef_udp6(uint8_t *buf, const struct rte_ether_addr *dst_mac,
	const uint8_t *src, const uint8_t *dst, uint16_t sport,
	uint16_t dport, const void *payload, size_t len)
{
	size_t off = eth(buf, dst_mac, RTE_ETHER_TYPE_IPV6);
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(buf + off);
	struct rte_udp_hdr *u;

	off += ipv6(buf + off, src, dst, IPPROTO_UDP, 64, sizeof(*u) + len);
	u = (struct rte_udp_hdr *)(buf + off);
	u->src_port = rte_cpu_to_be_16(sport);
	u->dst_port = rte_cpu_to_be_16(dport);
	u->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*u) + len));
	u->dgram_cksum = 0;
	memcpy(u + 1, payload, len);
	u->dgram_cksum = rte_ipv6_udptcp_cksum(ip, u);
	return off + sizeof(*u) + len;
}

/* The ICMPv6 checksum of the message after ip: the same sum as UDP's,
 * with the header's next header (58) in the pseudo header. */
static void
icmp6_csum(const struct rte_ipv6_hdr *ip, uint8_t *icmp)
{
	uint16_t c;

	icmp[2] = 0;
	icmp[3] = 0;
	c = rte_ipv6_udptcp_cksum(ip, icmp);
	memcpy(icmp + 2, &c, sizeof(c));
}

size_t
ef_ns(uint8_t *buf, const uint8_t *target, uint8_t hlim)
{
	struct rte_ether_addr group_mac = {
		.addr_bytes = { 0x33, 0x33, 0xff, target[13], target[14],
				target[15] },
	};
	uint8_t group[16] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff,
			      [13] = target[13], [14] = target[14],
			      [15] = target[15] };
	size_t off = eth(buf, &group_mac, RTE_ETHER_TYPE_IPV6);
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(buf + off);
	uint8_t *ns;

	off += ipv6(buf + off, ef_client_ip6, group, IPPROTO_ICMPV6, hlim, 32);
	ns = buf + off;
	memset(ns, 0, 32);
	ns[0] = 135;
	memcpy(ns + 8, target, 16);
	ns[24] = 1;		/* source link-layer address */
	ns[25] = 1;
	memcpy(ns + 26, &ef_client_mac, 6);
	icmp6_csum(ip, ns);
	return off + 32;
}

size_t
ef_icmp6_echo(uint8_t *buf, const struct rte_ether_addr *dst_mac,
	      const uint8_t *dst, uint16_t id, uint16_t seq)
{
	static const char data[] = "dptftp-ping6-payload";
	size_t off = eth(buf, dst_mac, RTE_ETHER_TYPE_IPV6);
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(buf + off);
	size_t len = 8 + sizeof(data);
	uint8_t *ic;

	off += ipv6(buf + off, ef_client_ip6, dst, IPPROTO_ICMPV6, 64, len);
	ic = buf + off;
	ic[0] = 128;
	ic[1] = 0;
	ic[4] = (uint8_t)(id >> 8);
	ic[5] = (uint8_t)id;
	ic[6] = (uint8_t)(seq >> 8);
	ic[7] = (uint8_t)seq;
	memcpy(ic + 8, data, sizeof(data));
	icmp6_csum(ip, ic);
	return off + len;
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

/* The value after "key: " in what show() (the port's info or stats)
 * prints, into out (cap bytes); false when no line has it. */
static bool
port_line(struct dpt_port *p, void (*show)(struct dpt_port *, FILE *),
	  const char *key, char *out, size_t cap)
{
	char *buf = NULL, line[256];
	size_t len = 0, k = strlen(key);
	FILE *f = open_memstream(&buf, &len);
	bool found = false;

	show(p, f);
	fclose(f);
	f = fmemopen(buf, len, "r");
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, k) == 0 && line[k] == ':') {
			snprintf(out, cap, "%s", line + k + 1);
			found = true;
		}
	fclose(f);
	free(buf);
	return found;
}

void
ef_port_mac(struct dpt_port *p, struct rte_ether_addr *mac)
{
	char v[64];

	memset(mac, 0, sizeof(*mac));
	if (port_line(p, p->ops->info, "MAC", v, sizeof(v)))
		rte_ether_unformat_addr(v + 1, mac);
}

static void
stats_now(struct dpt_port *p, FILE *f)
{
	p->ops->stats(p, f, false);
}

unsigned long long
ef_port_stat(struct dpt_port *p, const char *key)
{
	char v[64];

	if (!port_line(p, stats_now, key, v, sizeof(v)))
		return ~0ull;
	return strtoull(v, NULL, 10);
}
