/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The client's side of a transfer, bytes on the wire: requests, ACK once
 * per window and once per gap (RFC 7440), re-ACK of a repeated block,
 * back-off, OACK checks (RFC 2347), rollover, netascii, verification, and
 * WRQ windows with partial ACKs. A fake backend keeps every datagram.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench_xfer.h"

#define PKT_MAX 64
#define PKT_CAP 2048

struct fake {
	uint8_t pkt[PKT_MAX][PKT_CAP];
	size_t len[PKT_MAX];
	unsigned int n;
	uint8_t scratch[2 * 1468 + 16];
};

static struct fake fk;
static struct dpt_bench_xcfg cfg;
static struct dpt_bench_stats st;
static struct dpt_bench_xfer x;
static struct dpt_bench_file file;
static struct dpt_bench_io io;
static uint8_t content[600000];

/* The last PKT_MAX datagrams are kept: pkt[k % PKT_MAX]. */
static uint8_t *
fake_buf(void *ctx, struct dpt_bench_xfer *xf)
{
	return fk.pkt[fk.n % PKT_MAX];
}

static void
fake_push(void *ctx, struct dpt_bench_xfer *xf, size_t len)
{
	assert_true(len <= PKT_CAP);
	fk.len[fk.n++ % PKT_MAX] = len;
}

static const uint8_t *
sent(unsigned int k, size_t *len)
{
	assert_true(k < fk.n && fk.n - k <= PKT_MAX);
	*len = fk.len[k % PKT_MAX];
	return fk.pkt[k % PKT_MAX];
}

/* A run's settings: the options as dpt_bench_xcfg_init() makes them. */
static void
setup(enum dpt_tftp_op op, uint32_t blksize, uint32_t window, bool tsize,
      uint64_t size)
{
	struct dpt_bench_opts o;

	memset(&fk, 0, sizeof(fk));
	memset(&st, 0, sizeof(st));
	memset(&o, 0, sizeof(o));
	o.op = op;
	o.blksize = blksize;
	o.windowsize = window;
	o.tsize = tsize;
	o.size = size;
	o.rto_us = 1000;
	o.rto_max_us = 4000;
	o.retries = 3;
	dpt_bench_xcfg_init(&cfg, &o);
	io.tx_buf = fake_buf;
	io.tx_push = fake_push;
	io.scratch = fk.scratch;
	dpt_bench_pattern(5, 0, content, sizeof(content));
	file.name = "f";
	file.known = true;
	file.size = size;
	file.crc = dpt_bench_crc32c(0, content, size);
}

static void
start(uint64_t now)
{
	struct dpt_bench_job job;

	memset(&job, 0, sizeof(job));
	job.f = &file;
	strcpy(job.name, "f");
	dpt_bench_xfer_start(&x, &cfg, &st, &job, &io, now);
}

static void
feed(const void *p, size_t len, uint64_t now)
{
	void *copy = malloc(len);	/* exact length: overreads show */

	memcpy(copy, p, len);
	dpt_bench_xfer_input(&x, &io, copy, len, now);
	free(copy);
}

/* DATA block carrying content[off, off+len). */
static void
feed_data(uint16_t block, uint64_t off, size_t len, uint64_t now)
{
	uint8_t pkt[PKT_CAP];

	pkt[0] = 0;
	pkt[1] = DPT_TFTP_DATA;
	pkt[2] = (uint8_t)(block >> 8);
	pkt[3] = (uint8_t)block;
	memcpy(pkt + 4, content + off, len);
	feed(pkt, len + 4, now);
}

static void
feed_ack(uint16_t block, uint64_t now)
{
	uint8_t pkt[4] = { 0, DPT_TFTP_ACK, (uint8_t)(block >> 8),
			   (uint8_t)block };

	feed(pkt, sizeof(pkt), now);
}

/* The k-th datagram sent is ACK block. */
static void
assert_ack(unsigned int k, uint16_t block)
{
	size_t len;
	const uint8_t *p = sent(k, &len);

	assert_int_equal(len, 4);
	assert_int_equal(p[1], DPT_TFTP_ACK);
	assert_int_equal((p[2] << 8) | p[3], block);
}

/* The k-th datagram sent is DATA block with content[off, off+len). */
static void
assert_data(unsigned int k, uint16_t block, uint64_t off, size_t len)
{
	size_t got;
	const uint8_t *p = sent(k, &got);

	assert_int_equal(got, len + 4);
	assert_int_equal(p[1], DPT_TFTP_DATA);
	assert_int_equal((p[2] << 8) | p[3], block);
	if (len != 0)
		assert_memory_equal(p + 4, content + off, len);
}

#define OACK(s) feed(s, sizeof(s), 10)

/* Verifies: the RRQ carries the asked options in order, and a timeout
 * resends it byte for byte with the wait doubled. */
static void
rrq_request_and_backoff(void **state)
{
	static const uint8_t want[] = "\0\1f\0octet\0blksize\0001468\0"
				      "tsize\0000\0windowsize\0004";

	setup(DPT_TFTP_RRQ, 1468, 4, true, 0);
	start(0);
	assert_int_equal(fk.n, 1);
	assert_int_equal(fk.len[0], sizeof(want));
	assert_memory_equal(fk.pkt[0], want, sizeof(want));
	assert_int_equal(x.deadline, 1000);
	dpt_bench_xfer_timer(&x, &io, 999);
	assert_int_equal(fk.n, 1);
	dpt_bench_xfer_timer(&x, &io, 1000);
	assert_int_equal(fk.n, 2);
	assert_memory_equal(fk.pkt[1], want, sizeof(want));
	assert_int_equal(x.deadline, 3000);
	dpt_bench_xfer_timer(&x, &io, 3000);
	assert_int_equal(x.deadline, 7000);
	dpt_bench_xfer_timer(&x, &io, 7000);
	assert_int_equal(x.deadline, 11000);	/* capped at rto-max */
	assert_int_equal(st.req_retransmits, 3);
	dpt_bench_xfer_timer(&x, &io, 11000);
	assert_int_equal(x.state, DPT_BENCH_X_DONE);
	assert_int_equal(x.why, DPT_BENCH_TIMEOUT);
	assert_int_equal(fk.n, 4);
}

/* Steps: OACK, then a file of 3.5 windows of 4 blocks. Verifies: ACK 0,
 * then exactly one ACK per window and one for the final block; the
 * transfer is verified OK. */
static void
rrq_ack_per_window(void **state)
{
	const uint64_t size = 14 * 512 + 100;
	unsigned int b;

	setup(DPT_TFTP_RRQ, 512, 4, false, size);
	start(0);
	OACK("\0\6blksize\000512\0windowsize\0004");
	assert_ack(1, 0);
	for (b = 1; b <= 15; b++)
		feed_data((uint16_t)b, (b - 1) * 512ull, b == 15 ? 100 : 512,
			  20 + b);
	assert_int_equal(fk.n, 6);
	assert_ack(2, 4);
	assert_ack(3, 8);
	assert_ack(4, 12);
	assert_ack(5, 15);
	assert_int_equal(x.why, DPT_BENCH_OK);
	assert_int_equal(x.bytes, size);
	assert_int_equal(x.t_first, 21);
	assert_int_equal(st.data_pkts, 15);
}

/* Steps: window of 4; block 2 lost, 3 and 4 arrive; the server resends
 * from 2. Verifies: one ACK 1 for the gap (not one per block), then the
 * window counts from block 1. */
static void
rrq_gap_reacks_once(void **state)
{
	setup(DPT_TFTP_RRQ, 512, 4, false, 10 * 512);
	start(0);
	OACK("\0\6blksize\000512\0windowsize\0004");
	feed_data(1, 0, 512, 20);
	feed_data(3, 1024, 512, 21);
	feed_data(4, 1536, 512, 22);
	assert_int_equal(fk.n, 3);
	assert_ack(2, 1);
	assert_int_equal(st.ooo_data, 2);
	feed_data(2, 512, 512, 23);
	feed_data(3, 1024, 512, 24);
	feed_data(4, 1536, 512, 25);
	assert_int_equal(fk.n, 3);
	feed_data(5, 2048, 512, 26);
	assert_ack(3, 5);
}

/* Verifies: without options a repeated last block is re-ACKed (our ACK
 * was lost); an older repeat is ignored. */
static void
rrq_repeat_reacked(void **state)
{
	setup(DPT_TFTP_RRQ, 0, 0, false, 3 * 512);
	start(0);
	feed_data(1, 0, 512, 10);
	assert_ack(1, 1);
	feed_data(2, 512, 512, 11);
	assert_ack(2, 2);
	feed_data(2, 512, 512, 12);
	assert_ack(3, 2);
	feed_data(1, 0, 512, 13);
	assert_int_equal(fk.n, 4);
	assert_int_equal(st.dup_data, 2);
}

/* Verifies: once data flows, a timeout re-sends the last ACK. */
static void
rrq_timeout_reacks(void **state)
{
	setup(DPT_TFTP_RRQ, 0, 0, false, 3 * 512);
	start(0);
	feed_data(1, 0, 512, 10);
	dpt_bench_xfer_timer(&x, &io, 10 + 1000);
	assert_ack(2, 1);
	assert_int_equal(x.retransmits, 1);
}

/* Verifies: each kind of bad ending is told apart: a different byte
 * (checksum), a short file (size), tsize not matching, an ERROR. */
static void
rrq_failures_by_reason(void **state)
{
	uint8_t pkt[4 + 100];

	setup(DPT_TFTP_RRQ, 0, 0, false, 100);
	start(0);
	memcpy(pkt + 4, content, 100);
	pkt[0] = 0;
	pkt[1] = 3;
	pkt[2] = 0;
	pkt[3] = 1;
	pkt[50] ^= 1;
	feed(pkt, sizeof(pkt), 5);
	assert_int_equal(x.why, DPT_BENCH_VERIFY_SUM);

	start(0);
	feed_data(1, 0, 99, 5);
	assert_int_equal(x.why, DPT_BENCH_VERIFY_SIZE);

	setup(DPT_TFTP_RRQ, 0, 0, true, 100);
	start(0);
	OACK("\0\6tsize\000101");
	feed_data(1, 0, 100, 6);
	assert_int_equal(x.why, DPT_BENCH_VERIFY_SIZE);

	start(0);
	feed("\0\5\0\1No such file", 17, 3);
	assert_int_equal(x.why, DPT_BENCH_SERVER_ERROR);
	assert_int_equal(x.err_code, 1);
	assert_string_equal(x.err_msg, "No such file");
}

/* Verifies: an OACK granting more than asked is answered with ERROR 8
 * and fails the transfer; so does one with an option never sent. */
static void
rrq_oack_refused(void **state)
{
	setup(DPT_TFTP_RRQ, 1024, 0, false, 10);
	start(0);
	OACK("\0\6blksize\0002048");
	assert_int_equal(fk.n, 2);
	assert_int_equal(fk.pkt[1][1], DPT_TFTP_ERROR);
	assert_int_equal(fk.pkt[1][3], DPT_TFTP_EOPTNEG);
	assert_string_equal(x.err_msg, "blksize outside 8..asked");
	assert_int_equal(x.why, DPT_BENCH_OACK_REFUSED);

	start(0);
	OACK("\0\6windowsize\0004");
	assert_int_equal(x.why, DPT_BENCH_OACK_REFUSED);
}

/* Verifies: DATA longer than the agreed blksize is a protocol error
 * (ERROR 4 sent), as is an opcode a server never sends. */
static void
rrq_protocol_errors(void **state)
{
	setup(DPT_TFTP_RRQ, 0, 0, false, 600);
	start(0);
	feed_data(1, 0, 513, 1);
	assert_int_equal(x.why, DPT_BENCH_PROTOCOL);
	assert_int_equal(fk.pkt[1][3], DPT_TFTP_EBADOP);
	start(0);
	feed_ack(1, 1);
	assert_int_equal(x.why, DPT_BENCH_PROTOCOL);
}

/* Steps: blksize 8 and 65,540 blocks. Verifies: block numbers wrap past
 * 65535 to 0 and the transfer completes with the right bytes. */
static void
rrq_rollover(void **state)
{
	const uint64_t blocks = 65540, size = (blocks - 1) * 8 + 3;
	uint64_t b;

	setup(DPT_TFTP_RRQ, 8, 0, false, size);
	start(0);
	OACK("\0\6blksize\0008");
	for (b = 1; b <= blocks; b++) {
		feed_data((uint16_t)b, (b - 1) * 8, b == blocks ? 3 : 8, 20);
		if (b == 65535 || b == 65536)
			assert_ack(fk.n - 1, (uint16_t)b);
	}
	assert_int_equal(x.why, DPT_BENCH_OK);
	assert_int_equal(x.bytes, size);
	assert_ack(fk.n - 1, (uint16_t)blocks);
	assert_int_equal(st.data_pkts, blocks);
}

/* Steps: a netascii file whose CR LF pair straddles two blocks. Verifies:
 * the decoded bytes are what is checked. */
static void
rrq_netascii(void **state)
{
	static const char text[] = "ab\ncd\re\n";	/* local form */
	static const uint8_t wire[4][7] = {	/* "ab\r\ncd\r\0e\r\n" */
		{ 0, 3, 0, 1, 'a', 'b', '\r' },
		{ 0, 3, 0, 2, '\n', 'c', 'd' },
		{ 0, 3, 0, 3, '\r', '\0', 'e' },
		{ 0, 3, 0, 4, '\r', '\n' },
	};
	struct dpt_bench_opts o;
	unsigned int i;

	setup(DPT_TFTP_RRQ, 0, 0, false, 0);
	memset(&o, 0, sizeof(o));
	o.op = DPT_TFTP_RRQ;
	o.mode = DPT_TFTP_MODE_NETASCII;
	o.rto_us = o.rto_max_us = 1000;
	dpt_bench_xcfg_init(&cfg, &o);
	file.size = strlen(text);
	file.crc = dpt_bench_crc32c(0, text, file.size);
	start(0);
	x.blksize = 3;		/* as if agreed: pairs split across blocks */
	for (i = 0; i < 3; i++)
		feed(wire[i], 7, i);
	assert_true(x.state != DPT_BENCH_X_DONE);
	feed(wire[3], 6, 3);
	assert_int_equal(x.why, DPT_BENCH_OK);
	assert_int_equal(x.bytes, strlen(text));
}

/* Steps: WRQ of 5000 bytes, blksize 1000, windowsize 2. Verifies: two
 * DATA per window with the pattern; a partial ACK resends after it; a
 * zero-length last block since 5000 is a multiple of 1000; DONE on its
 * ACK. */
static void
wrq_window_partial_ack(void **state)
{
	setup(DPT_TFTP_WRQ, 1000, 2, true, 5000);
	memset(content, 0, sizeof(content));
	dpt_bench_pattern(0, 0, content, 5000);
	start(0);
	OACK("\0\6blksize\0001000\0tsize\0005000\0windowsize\0002");
	assert_int_equal(fk.n, 3);
	assert_data(1, 1, 0, 1000);
	assert_data(2, 2, 1000, 1000);
	feed_ack(1, 20);		/* partial: 2 was lost */
	assert_data(3, 2, 1000, 1000);
	assert_data(4, 3, 2000, 1000);
	feed_ack(3, 30);
	assert_data(5, 4, 3000, 1000);
	assert_data(6, 5, 4000, 1000);
	feed_ack(3, 31);		/* a repeat: ignored */
	assert_int_equal(fk.n, 7);
	feed_ack(5, 40);
	assert_data(7, 6, 5000, 0);
	assert_true(x.state != DPT_BENCH_X_DONE);
	feed_ack(6, 50);
	assert_int_equal(x.why, DPT_BENCH_OK);
	assert_int_equal(x.bytes, 5000);
	assert_int_equal(st.retransmits, 1);
}

/* Verifies: a server that answers ACK 0 (no OACK) gets 512-byte blocks
 * one at a time; a timeout resends the unacknowledged block. */
static void
wrq_plain_and_timeout(void **state)
{
	setup(DPT_TFTP_WRQ, 1000, 4, false, 700);
	memset(content, 0, sizeof(content));
	dpt_bench_pattern(0, 0, content, 700);
	start(0);
	feed_ack(0, 10);
	assert_int_equal(fk.n, 2);
	assert_data(1, 1, 0, 512);
	dpt_bench_xfer_timer(&x, &io, 10 + 1000);
	assert_data(2, 1, 0, 512);
	feed_ack(1, 2000);
	assert_data(3, 2, 512, 188);
	feed_ack(2, 2001);
	assert_int_equal(x.why, DPT_BENCH_OK);
}

/* Verifies: a netascii upload, decoded as a server would, gives back the
 * pattern exactly, across block boundaries. */
static void
wrq_netascii_round_trip(void **state)
{
	const uint64_t size = 3000;
	struct dpt_tftp_nva_dec dec = { 0 };
	struct dpt_bench_opts o;
	uint8_t out[4000];
	size_t got = 0;
	unsigned int k;

	setup(DPT_TFTP_WRQ, 0, 0, false, size);
	memset(&o, 0, sizeof(o));
	o.op = DPT_TFTP_WRQ;
	o.mode = DPT_TFTP_MODE_NETASCII;
	o.size = size;
	o.rto_us = o.rto_max_us = 1000;
	o.retries = 1;
	dpt_bench_xcfg_init(&cfg, &o);
	dpt_bench_pattern(0, 0, content, size);
	start(0);
	feed_ack(0, 1);
	for (k = 1; x.state != DPT_BENCH_X_DONE; k++) {
		assert_int_equal(fk.n, k + 1);
		assert_true(got + fk.len[k] <= sizeof(out));
		got += dpt_tftp_nva_decode(&dec, fk.pkt[k] + 4, fk.len[k] - 4,
					   out + got);
		feed_ack((uint16_t)k, 1 + k);
	}
	got += dpt_tftp_nva_decode_end(&dec, out + got);
	assert_int_equal(x.why, DPT_BENCH_OK);
	assert_int_equal(got, size);
	assert_memory_equal(out, content, size);
	assert_int_equal(x.bytes, size);
}

/* Verifies: before the server's TID is known, only what can open a
 * transfer is taken as its first reply; a late DATA or ACK of an earlier
 * transfer on the same port is not. */
static void
first_reply_filter(void **state)
{
	static const uint8_t data1[] = { 0, 3, 0, 1, 'x' };
	static const uint8_t data7[] = { 0, 3, 0, 7, 'x' };
	static const uint8_t ack0[] = { 0, 4, 0, 0 };
	static const uint8_t ack3[] = { 0, 4, 0, 3 };
	static const uint8_t oack[] = "\0\6blksize\000512";
	static const uint8_t err[] = "\0\5\0\1nope";

	setup(DPT_TFTP_RRQ, 512, 0, false, 10);
	start(0);
	assert_true(dpt_bench_xfer_first_reply(&x, data1, sizeof(data1)));
	assert_false(dpt_bench_xfer_first_reply(&x, data7, sizeof(data7)));
	assert_false(dpt_bench_xfer_first_reply(&x, ack0, sizeof(ack0)));
	assert_true(dpt_bench_xfer_first_reply(&x, oack, sizeof(oack)));
	assert_true(dpt_bench_xfer_first_reply(&x, err, sizeof(err)));
	assert_false(dpt_bench_xfer_first_reply(&x, data1, 1));
	setup(DPT_TFTP_WRQ, 512, 0, false, 10);
	start(0);
	assert_true(dpt_bench_xfer_first_reply(&x, ack0, sizeof(ack0)));
	assert_false(dpt_bench_xfer_first_reply(&x, ack3, sizeof(ack3)));
	assert_false(dpt_bench_xfer_first_reply(&x, data1, sizeof(data1)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rrq_request_and_backoff),
		cmocka_unit_test(rrq_ack_per_window),
		cmocka_unit_test(rrq_gap_reacks_once),
		cmocka_unit_test(rrq_repeat_reacked),
		cmocka_unit_test(rrq_timeout_reacks),
		cmocka_unit_test(rrq_failures_by_reason),
		cmocka_unit_test(rrq_oack_refused),
		cmocka_unit_test(rrq_protocol_errors),
		cmocka_unit_test(rrq_rollover),
		cmocka_unit_test(rrq_netascii),
		cmocka_unit_test(wrq_window_partial_ack),
		cmocka_unit_test(wrq_plain_and_timeout),
		cmocka_unit_test(wrq_netascii_round_trip),
		cmocka_unit_test(first_reply_filter),
	};

	return cmocka_run_group_tests_name("bench_xfer", tests, NULL, NULL);
}
