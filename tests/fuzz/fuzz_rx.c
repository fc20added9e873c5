/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * libFuzzer target over the whole receive path: Ethernet frames go into a
 * net_ring port that dptftpd's ethdev backend opens as it would a NIC
 * (lib/net parse, IPv4 reassembly, ARP, ICMP), then RX steering, a worker
 * and its sessions (lib/dp, lib/tftp, the file cache), the main lcore's
 * file opens, and TX, all polled on this one thread.
 *
 * The input is a script of records, each one byte of kind, one byte of
 * argument and two bytes of length, then that many bytes:
 *   0  a raw frame (any bytes)
 *   1  a UDP datagram from client arg % 4 carrying the bytes, to port 69
 *      (arg & 0x80 clear) or to the port that last answered that client;
 *      built with right checksums, so it reaches the protocol
 *   2  the same datagram cut into IPv4 fragments of 8 * (1 + arg % 8)
 *      bytes, sent last fragment first when arg & 0x40
 *   3  arg % 16 more poll rounds
 * After each record the dataplane runs a few rounds. Besides the
 * sanitizers it checks what a peer would notice: every frame sent parses
 * as the client's kernel would take it (right checksums), goes to a
 * unicast MAC (but the gratuitous ARP), and no ERROR ever answers an
 * ERROR. At the end of each input every session is ended and every mbuf
 * a session held must be back in the pool.
 *
 * Seeds: tests/fuzz/corpus_rx (captures of real transfers turned into
 * scripts; see the README there).
 */

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp_internal.h"
#include "dpt_net.h"
#include "eal_frames.h"

#define N_CLIENTS 4
#define CLIENT_PORT 40000
#define ROUNDS 4

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_rx: %s:%d: %s\n", __FILE__, __LINE__, \
			#cond); \
		abort(); \
	} \
} while (0)

static struct {
	struct rte_mempool *pool;
	struct rte_ring *rx, *tx;
	struct dpt_port *port;
	struct dpt_dp *dp;
	struct rte_ether_addr server_mac;
	struct dpt_net_if client_if[N_CLIENTS];
	uint16_t server_port[N_CLIENTS];	/* last answer's source */
	bool error_in[N_CLIENTS];		/* an ERROR came from it */
	unsigned int base_avail;
	unsigned int frag_hold;		/* most mbufs reassembly may hold */
	uint16_t ip_id;			/* the last fragmented datagram's */
	uint8_t frame[9000], buf[9000];
} F;

static char root[] = "/tmp/dpt-fuzz-rx-XXXXXX";

/* The served file and whatever uploads made go with the process. */
static void
remove_root(void)
{
	struct dirent *d;
	char path[PATH_MAX];
	DIR *dir = opendir(root);

	while (dir != NULL && (d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' && (d->d_name[1] == '\0' ||
		    (d->d_name[1] == '.' && d->d_name[2] == '\0')))
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, d->d_name);
		unlink(path);
	}
	if (dir != NULL)
		closedir(dir);
	rmdir(root);
}

static void
fail_setup(const char *what)
{
	fprintf(stderr, "fuzz_rx: set-up failed: %s\n", what);
	exit(1);
}

/* The served root: one file of 3000 bytes. */
static void
make_root(void)
{
	char path[128];
	unsigned int i;
	FILE *f;

	if (mkdtemp(root) == NULL)
		fail_setup("root");
	atexit(remove_root);
	snprintf(path, sizeof(path), "%s/f.bin", root);
	f = fopen(path, "w");
	for (i = 0; f != NULL && i < 3000; i++)
		fputc((int)(i * 7), f);
	if (f == NULL || fclose(f) != 0)
		fail_setup("file");
}

/* The ethdev port over a net_ring pair: F.rx in, F.tx out. */
static void
open_port(const struct dpt_conf *conf)
{
	struct dpt_conf_iface ifc = { .prefix = 24 };
	char err[256];
	int pid;

	F.pool = rte_pktmbuf_pool_create("fz_mbuf", 4096, 0, DPT_META_SIZE,
					 RTE_MBUF_DEFAULT_BUF_SIZE,
					 rte_socket_id());
	F.rx = rte_ring_create("fz_rx", 1024, rte_socket_id(),
			       RING_F_SP_ENQ | RING_F_SC_DEQ);
	F.tx = rte_ring_create("fz_tx", 4096, rte_socket_id(),
			       RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (F.pool == NULL || F.rx == NULL || F.tx == NULL)
		fail_setup("pool and rings");
	pid = rte_eth_from_rings("fz_ring", &F.rx, 1, &F.tx, 1,
				 rte_socket_id());
	if (pid < 0 || rte_eth_dev_get_name_by_port((uint16_t)pid,
						    ifc.name) != 0)
		fail_setup("net_ring");
	ifc.ip.s_addr = rte_cpu_to_be_32(EF_SERVER_IP);
	F.port = dpt_port_ethdev_open(conf, &ifc, 0, F.pool, err,
				      sizeof(err));
	if (F.port == NULL)
		fail_setup(err);
	ef_port_mac(F.port, &F.server_mac);
	F.frag_hold = (unsigned int)ef_port_stat(F.port, "Reassembly-max") *
		      RTE_LIBRTE_IP_FRAG_MAX_FRAG;
}

/* The dataplane on that port: one worker, compact, uploads allowed. */
static void
make_dp(const struct dpt_conf *conf)
{
	/* The dataplane keeps pointers to these: they outlive this call. */
	static struct dpt_port_share shares[1];
	static struct dpt_port *ports[1];
	static unsigned int lcore;
	struct dpt_dp_params p;
	char err[256];

	if (dpt_port_shares_make(conf, 1, shares) < 0)
		fail_setup("shares");
	memset(&p, 0, sizeof(p));
	p.conf = conf;
	ports[0] = F.port;
	p.ports = ports;
	p.n_ports = 1;
	p.shares = shares;
	p.cache = dpt_cache_create(root, 16u << 20);
	p.pool = F.pool;
	p.n_workers = 1;
	p.compact = true;
	p.lcore_rx = p.lcore_tx = 0;
	p.lcore_workers = &lcore;
	/* Uploads too, small ones, under names the seeds know. */
	p.upload.enabled = true;
	p.upload.replace = true;
	p.upload.max_size = 65536;
	p.upload.mode = 0644;
	p.upload.patterns = "up*";
	dpt_tftp_config_default(&p.tftp);
	if (p.cache == NULL)
		fail_setup("cache");
	F.dp = dpt_dp_create(&p, err, sizeof(err));
	if (F.dp == NULL)
		fail_setup(err);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct dpt_conf conf;
	static char prefix[64];
	char *eal[] = {
		(*argv)[0], (char *)"--no-huge", (char *)"-m", (char *)"512",
		(char *)"--no-pci", (char *)"--no-telemetry", (char *)"--no-shconf",
		(char *)"--file-prefix", prefix, (char *)"--log-level",
		(char *)"*:emerg", (char *)"-l", (char *)"0",
	};
	unsigned int i;

	snprintf(prefix, sizeof(prefix), "dpt-fuzz-rx-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0)
		fail_setup("EAL");
	make_root();
	dpt_conf_defaults(&conf);
	conf.max_sessions = 16;
	conf.backend = DPT_BACKEND_ETHDEV;
	open_port(&conf);
	make_dp(&conf);
	for (i = 0; i < N_CLIENTS; i++) {
		F.client_if[i].mac = ef_client_mac;
		F.client_if[i].ip = rte_cpu_to_be_32(EF_CLIENT_IP + i);
		F.client_if[i].prefix = 24;
	}
	/* The gratuitous ARP of the open, and whatever else the first
	 * rounds make, are not an input's. */
	for (i = 0; i < ROUNDS; i++) {
		dp_rx_poll(F.dp);
		dp_worker_poll(&F.dp->workers[0]);
		dp_tx_poll(F.dp);
	}
	while (rte_ring_count(F.tx) != 0)
		rte_pktmbuf_free(ef_take(F.tx));
	F.base_avail = rte_mempool_avail_count(F.pool);
	return 0;
}

/* A frame the server sent, seen as its client's kernel would see it:
 * only IPv4 to one of the clients is ever sent (and ARP). */
static void
check_sent(struct rte_mbuf *m)
{
	struct dpt_net_if *cif;
	const uint8_t *fr;
	struct dpt_net_pkt k;
	uint32_t dst;
	unsigned int c;
	uint16_t op;

	check(m->nb_segs == 1 || rte_pktmbuf_linearize(m) == 0);
	fr = rte_pktmbuf_mtod(m, const uint8_t *);
	check(m->data_len >= 14);
	if (fr[12] == 0x08 && fr[13] == 0x06)		/* ARP */
		return;
	check(rte_is_unicast_ether_addr((const struct rte_ether_addr *)fr));
	check(fr[12] == 0x08 && fr[13] == 0x00 && m->data_len >= 34);
	memcpy(&dst, fr + 30, 4);
	c = rte_be_to_cpu_32(dst) - EF_CLIENT_IP;
	check(c < N_CLIENTS);
	cif = &F.client_if[c];
	memcpy(cif->mac.addr_bytes, fr, 6);
	/* Right checksums and lengths: the client's kernel would take it. */
	check(dpt_net_parse(fr, m->data_len, cif, 0, &k) != DPT_NET_DROP);
	if (k.kind != DPT_NET_UDP)
		return;		/* an ICMP answer */
	check(k.src_port == DPT_TFTP_PORT || k.src_port >= 1024);
	op = dpt_tftp_opcode(fr + k.payload_off, k.payload_len);
	check(op >= DPT_TFTP_DATA && op <= DPT_TFTP_OACK);
	if (op == DPT_TFTP_ERROR)
		check(!F.error_in[c]);	/* never an ERROR for an ERROR */
	if (k.dst_port == CLIENT_PORT)
		F.server_port[c] = k.src_port;
}

static void
rounds(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		dp_rx_poll(F.dp);
		dp_worker_poll(&F.dp->workers[0]);
		dp_tx_poll(F.dp);
		dpt_dp_main_poll(F.dp);
		while (rte_ring_count(F.tx) != 0) {
			struct rte_mbuf *m = ef_take(F.tx);

			check_sent(m);
			rte_pktmbuf_free(m);
		}
	}
}

static void
inject(const uint8_t *fr, size_t len)
{
	if (len >= 14 && len <= 2000)
		(void)ef_inject(F.rx, F.pool, fr, len);
}

/* A datagram from client c, whole or in fragments of frag bytes. */
static void
datagram(unsigned int c, uint16_t dport, const uint8_t *pl, size_t len,
	 size_t frag, bool reverse)
{
	struct rte_ipv4_hdr *ip;
	size_t wl, l4, n, i;

	if (len > 1400)
		len = 1400;
	wl = ef_udp(F.frame, &F.server_mac, EF_CLIENT_IP + c, CLIENT_PORT,
		    dport, pl, len);
	if (frag == 0) {
		inject(F.frame, wl);
		return;
	}
	l4 = wl - 34;
	n = (l4 + frag - 1) / frag;
	/* An id of its own: fragments an earlier input left in the table
	 * never join this datagram (its client would then get an answer
	 * to bytes it never sent as one, an ERROR to its ERROR say); raw
	 * frames (kind 0) still may. */
	F.ip_id++;
	for (i = 0; i < n; i++) {
		size_t k = reverse ? n - 1 - i : i, start = k * frag;
		size_t flen = RTE_MIN(frag, l4 - start);

		memcpy(F.buf, F.frame, 34);
		ip = (struct rte_ipv4_hdr *)(F.buf + 14);
		ip->packet_id = rte_cpu_to_be_16(F.ip_id);
		ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + flen));
		ip->fragment_offset = rte_cpu_to_be_16((uint16_t)(
			(start / 8) | (k + 1 < n ? RTE_IPV4_HDR_MF_FLAG : 0)));
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		memcpy(F.buf + 34, F.frame + 34 + start, flen);
		inject(F.buf, 34 + flen);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at = 0;
	unsigned int c;

	memset(F.server_port, 0, sizeof(F.server_port));
	memset(F.error_in, 0, sizeof(F.error_in));
	while (size - at >= 4) {
		uint8_t kind = data[at], arg = data[at + 1];
		size_t len = (size_t)(data[at + 2] << 8 | data[at + 3]);
		const uint8_t *p = data + at + 4;

		at += 4;
		if (len > size - at)
			len = size - at;
		at += len;
		c = arg % N_CLIENTS;
		switch (kind % 4) {
		case 0:
			inject(p, len);
			break;
		case 1:
		case 2:
			if (dpt_tftp_opcode(p, len) == DPT_TFTP_ERROR)
				F.error_in[c] = true;
			else
				F.error_in[c] = false;
			datagram(c, (arg & 0x80) && F.server_port[c] != 0 ?
				 F.server_port[c] : DPT_TFTP_PORT, p, len,
				 kind % 4 == 2 ? 8u * (1 + arg % 8) : 0,
				 (arg & 0x40) != 0);
			break;
		case 3:
			rounds(arg % 16);
			break;
		}
		rounds(ROUNDS);
		/* Answers to an ERROR would have come in these rounds. */
		memset(F.error_in, 0, sizeof(F.error_in));
	}
	/* The end: every session ends, and what they held comes back. */
	dp_sessions_abort_all(&F.dp->workers[0]);
	rounds(ROUNDS);
	check(F.dp->workers[0].st.active == 0);
	/* Fragments still waiting in the reassembly table are the only
	 * mbufs that may stay out, and their table is bounded. */
	check(rte_mempool_avail_count(F.pool) + F.frag_hold >= F.base_avail);
	return 0;
}
