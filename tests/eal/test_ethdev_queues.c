/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The ethdev backend with several RX queues (--rx-queues), on net_ring
 * ports with a ring per queue: a frame put on ring q arrives exactly as a
 * NIC's RSS would have steered it to queue q. Verifies the queue count the
 * port reports, that every queue delivers (and says which it was), that
 * ARP and reassembly work across queues, that a device with fewer queues
 * is refused in one line, and how many mbufs the pool sets aside for the
 * ports' descriptors.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>

#include "dpt_conf.h"
#include "dpt_net.h"
#include "dpt_port.h"
#include "eal_frames.h"

#define MAX_Q 4

static struct rte_mempool *pool;
static unsigned int n_made;	/* ring and port names stay unique */

struct fx {
	struct rte_ring *rx[MAX_Q], *tx;
	struct dpt_port *port;
	struct rte_ether_addr mac;
	char name[RTE_ETH_NAME_MAX_LEN];
	char err[DPT_CONF_ERR_MAX];
};

static struct fx f;
static uint8_t frame[4096];

/* A net_ring port with n_rings RX rings, opened asking for rx_queues;
 * f.port is NULL (f.err says why) when the open is refused. */
static void
open_port(unsigned int n_rings, uint16_t rx_queues)
{
	struct dpt_conf_iface ifc = { .prefix = 24, .rx_queues = rx_queues };
	struct dpt_conf conf;
	char rname[RTE_RING_NAMESIZE];
	unsigned int i;
	int pid;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < n_rings; i++) {
		snprintf(rname, sizeof(rname), "tq_rx%u_%u", n_made, i);
		f.rx[i] = rte_ring_create(rname, 256, rte_socket_id(),
					  RING_F_SP_ENQ | RING_F_SC_DEQ);
		assert_non_null(f.rx[i]);
	}
	snprintf(rname, sizeof(rname), "tq_tx%u", n_made);
	f.tx = rte_ring_create(rname, 256, rte_socket_id(),
			       RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(f.tx);
	snprintf(rname, sizeof(rname), "ring_q%u", n_made++);
	pid = rte_eth_from_rings(rname, f.rx, n_rings, &f.tx, 1,
				 rte_socket_id());
	assert_true(pid >= 0);
	assert_int_equal(rte_eth_dev_get_name_by_port((uint16_t)pid,
						      ifc.name), 0);
	snprintf(f.name, sizeof(f.name), "%s", ifc.name);
	ifc.ip.s_addr = rte_cpu_to_be_32(EF_SERVER_IP);
	dpt_conf_defaults(&conf);
	f.port = dpt_port_ethdev_open(&conf, &ifc, 0, pool, f.err,
				      sizeof(f.err));
	if (f.port != NULL)
		ef_port_mac(f.port, &f.mac);
}

static int
close_port(void **state)
{
	struct rte_mbuf *m[8];
	unsigned int i, n;

	if (f.port != NULL) {
		/* the announcements made at open */
		while ((n = f.port->ops->ctl_dequeue(f.port, m, 8)) != 0)
			rte_pktmbuf_free_bulk(m, n);
		f.port->ops->close(f.port);
	}
	for (i = 0; i < MAX_Q; i++)
		rte_ring_free(f.rx[i]);
	rte_ring_free(f.tx);
	memset(&f, 0, sizeof(f));
	return 0;
}

/* What the port's `show port info` part says for key, or "". */
static const char *
info(const char *key)
{
	static char val[128];
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0, k = strlen(key);
	FILE *m = open_memstream(&buf, &len);

	val[0] = '\0';
	f.port->ops->info(f.port, m);
	fclose(m);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, key, k) == 0 && line[k] == ':')
			snprintf(val, sizeof(val), "%s", line + k + 2);
	free(buf);
	return val;
}

/* A UDP datagram to port 69 from sport, onto RX ring q. */
static void
inject_udp(unsigned int q, uint16_t sport, const uint8_t *req, size_t rl)
{
	size_t len = ef_udp(frame, &f.mac, EF_CLIENT_IP, sport, 69, req, rl);

	assert_int_equal(ef_inject(f.rx[q], pool, frame, len), 0);
}

/* Verifies: a port opened with 2 RX queues has n_rxq 2 and one TX queue;
 * a request put on queue 1 comes out of queue 1 only, whole, with its
 * addresses and meta->queue 1, and one on queue 0 out of queue 0; with no
 * RSS on net_ring, `RSS-hash: none`. */
static void
two_queues_each_deliver(void **state)
{
	uint8_t req[64];
	size_t rl = ef_rrq(req, "boot.img", "octet", NULL);
	const struct dpt_pkt_meta *meta;
	struct rte_mbuf *m[8];

	open_port(2, 2);
	if (f.port == NULL)
		fail_msg("open: %s", f.err);
	assert_int_equal(f.port->n_rxq, 2);
	assert_int_equal(f.port->n_txq, 1);
	assert_string_equal(info("RSS-hash"), "none");

	inject_udp(1, 40001, req, rl);
	assert_int_equal(f.port->ops->rx_burst(f.port, 0, m, 8), 0);
	assert_int_equal(f.port->ops->rx_burst(f.port, 1, m, 8), 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m[0]), rl);
	assert_memory_equal(rte_pktmbuf_mtod(m[0], void *), req, rl);
	meta = dpt_meta(m[0]);
	assert_int_equal(meta->queue, 1);
	assert_int_equal(meta->client_port, 40001);
	assert_int_equal(meta->server_port, 69);
	rte_pktmbuf_free(m[0]);

	inject_udp(0, 40002, req, rl);
	assert_int_equal(f.port->ops->rx_burst(f.port, 1, m, 8), 0);
	assert_int_equal(f.port->ops->rx_burst(f.port, 0, m, 8), 1);
	meta = dpt_meta(m[0]);
	assert_int_equal(meta->queue, 0);
	assert_int_equal(meta->client_port, 40002);
	rte_pktmbuf_free(m[0]);
}

/* Verifies: an ARP request on queue 1 is answered through the ctl ring
 * like one on queue 0 (one producer: the RX lcore polls both). */
static void
arp_on_second_queue(void **state)
{
	struct rte_mbuf *m[8];
	unsigned int n;

	open_port(2, 2);
	if (f.port == NULL)
		fail_msg("open: %s", f.err);
	while ((n = f.port->ops->ctl_dequeue(f.port, m, 8)) != 0)
		rte_pktmbuf_free_bulk(m, n);	/* gratuitous ARP */
	assert_int_equal(ef_inject(f.rx[1], pool, frame,
				   ef_arp_request(frame, EF_SERVER_IP)), 0);
	assert_int_equal(f.port->ops->rx_burst(f.port, 1, m, 8), 0);
	assert_int_equal(f.port->ops->ctl_dequeue(f.port, m, 8), 1);
	assert_int_equal(rte_be_to_cpu_16(rte_pktmbuf_mtod(
		m[0], struct rte_ether_hdr *)->ether_type), RTE_ETHER_TYPE_ARP);
	rte_pktmbuf_free(m[0]);
}

/* Verifies: a datagram whose fragments came in on different queues (a
 * NIC may hash a first fragment with its UDP ports and the others on
 * addresses alone) is reassembled once the last one is polled. */
static void
fragments_across_queues(void **state)
{
	static uint8_t payload[1900], whole[2000];
	unsigned int i, queue[2] = { 1, 0 };
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m[8];
	size_t wl, l4;

	open_port(2, 2);
	if (f.port == NULL)
		fail_msg("open: %s", f.err);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7);
	wl = ef_udp(whole, &f.mac, EF_CLIENT_IP, 40003, 69, payload,
		    sizeof(payload));
	l4 = wl - 14 - 20;
	for (i = 0; i < 2; i++) {
		size_t start = i * 1480, flen = RTE_MIN((size_t)1480,
							l4 - start);

		memcpy(frame, whole, 14 + 20);
		ip = (struct rte_ipv4_hdr *)(frame + 14);
		ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + flen));
		ip->fragment_offset = rte_cpu_to_be_16((uint16_t)(
			(start / 8) | (i == 0 ? RTE_IPV4_HDR_MF_FLAG : 0)));
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		memcpy(frame + 34, whole + 34 + start, flen);
		assert_int_equal(ef_inject(f.rx[queue[i]], pool, frame,
					   34 + flen), 0);
	}
	assert_int_equal(f.port->ops->rx_burst(f.port, 1, m, 8), 0);
	assert_int_equal(f.port->ops->rx_burst(f.port, 0, m, 8), 1);
	assert_int_equal(m[0]->nb_segs, 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m[0]), sizeof(payload));
	assert_memory_equal(rte_pktmbuf_mtod(m[0], const uint8_t *), payload,
			    sizeof(payload));
	assert_int_equal(dpt_meta(m[0])->queue, 0);
	rte_pktmbuf_free(m[0]);
}

/* Verifies: asking more RX queues than the device has is refused with one
 * line naming the interface, the ethdev and both numbers; asking none (a
 * struct filled by code) means one. */
static void
too_many_queues_refused(void **state)
{
	char want[DPT_CONF_ERR_MAX];

	open_port(2, 3);
	assert_null(f.port);
	snprintf(want, sizeof(want), "%s (%s): 3 RX queues asked, the device "
		 "has at most 2", f.name, f.name);
	assert_string_equal(f.err, want);
	close_port(state);

	open_port(2, 0);
	if (f.port == NULL)
		fail_msg("open: %s", f.err);
	assert_int_equal(f.port->n_rxq, 1);
}

/* Verifies: the pool sets aside each RX queue's descriptors and the TX
 * queue's, per interface; nothing for the socket backend. */
static void
descriptors_in_pool_count(void **state)
{
	struct dpt_conf c;

	dpt_conf_defaults(&c);
	assert_int_equal(dpt_port_ethdev_mbufs(&c), 0);
	c.backend = DPT_BACKEND_ETHDEV;
	c.n_ifaces = 2;
	c.ifaces[0].rx_queues = 4;
	c.ifaces[1].rx_queues = 0;	/* reads as 1 */
	assert_int_equal(dpt_port_ethdev_mbufs(&c),
			 (4 + 1) * DPT_PORT_ETH_RXD + 2 * DPT_PORT_ETH_TXD);
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = {
		argv[0], (char *)"--no-huge", (char *)"-m", (char *)"256",
		(char *)"--no-pci", (char *)"--no-telemetry",
		(char *)"--file-prefix", prefix, (char *)"--log-level",
		(char *)"*:warning", (char *)"-l", (char *)"0",
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(two_queues_each_deliver, close_port),
		cmocka_unit_test_teardown(arp_on_second_queue, close_port),
		cmocka_unit_test_teardown(fragments_across_queues, close_port),
		cmocka_unit_test_teardown(too_many_queues_refused, close_port),
		cmocka_unit_test(descriptors_in_pool_count),
	};
	int rc;

	snprintf(prefix, sizeof(prefix), "dpt-test-ethq-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("tq_pool", 2048, 0, DPT_META_SIZE,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "no mbuf pool\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
