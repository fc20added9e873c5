/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The client half of the codec: request builder, OACK parser and checks
 * (RFC 2347-2349, 7440), ERROR parser. Every datagram fed to a parser is a
 * heap copy of exactly its length, so a read past its end is caught by
 * AddressSanitizer builds.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dpt_tftp.h"

static void *
dup_exact(const void *buf, size_t len)
{
	void *p = malloc(len == 0 ? 1 : len);

	assert_non_null(p);
	memcpy(p, buf, len);
	return p;
}

static int
oack_parse_exact(const void *buf, size_t len, struct dpt_tftp_oack *o)
{
	void *p = dup_exact(buf, len);
	int rc = dpt_tftp_oack_parse(p, len, o);

	free(p);
	return rc;
}

static struct dpt_tftp_client_opts
opts_of(uint64_t blksize, uint64_t timeout, uint64_t tsize, uint64_t window)
{
	struct dpt_tftp_client_opts o;
	const uint64_t v[DPT_TFTP_OPT_COUNT] = { blksize, timeout, tsize,
						 window };
	int i;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < DPT_TFTP_OPT_COUNT; i++) {
		if (v[i] == UINT64_MAX)
			continue;
		o.mask |= DPT_TFTP_OPT_BIT(i);
		o.value[i] = v[i];
	}
	return o;
}

#define NONE UINT64_MAX

/* Steps: build a plain RRQ. Verifies: the exact RFC 1350 bytes. */
static void
request_plain_bytes(void **state)
{
	static const uint8_t want[] = "\0\1pxelinux.0\0octet";
	uint8_t buf[64];

	assert_int_equal(dpt_tftp_build_request(buf, sizeof(buf), DPT_TFTP_RRQ,
						"pxelinux.0",
						DPT_TFTP_MODE_OCTET, NULL),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

/* Steps: build a WRQ in netascii with all four options. Verifies: the
 * bytes, options in enum order with decimal values. */
static void
request_options_bytes(void **state)
{
	static const uint8_t want[] =
		"\0\2up\0netascii\0blksize\0001468\0timeout\0003\0"
		"tsize\0001048576\0windowsize\00016";
	struct dpt_tftp_client_opts o = opts_of(1468, 3, 1048576, 16);
	uint8_t buf[128];

	assert_int_equal(dpt_tftp_build_request(buf, sizeof(buf), DPT_TFTP_WRQ,
						"up", DPT_TFTP_MODE_NETASCII,
						&o),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

/* Steps: build requests the server's parser then reads. Verifies: the
 * round trip keeps filename, mode and every option value. */
static void
request_round_trip(void **state)
{
	struct dpt_tftp_client_opts o = opts_of(8192, NONE, 0, 64);
	struct dpt_tftp_request req;
	const char *msg;
	uint8_t buf[600];
	size_t n;
	void *p;

	n = dpt_tftp_build_request(buf, sizeof(buf), DPT_TFTP_RRQ,
				   "images/vmlinuz", DPT_TFTP_MODE_OCTET, &o);
	assert_true(n > 0);
	p = dup_exact(buf, n);
	assert_int_equal(dpt_tftp_request_parse(p, n, &req, &msg), 0);
	free(p);
	assert_int_equal(req.op, DPT_TFTP_RRQ);
	assert_string_equal(req.filename, "images/vmlinuz");
	assert_int_equal(req.n_options, 3);
	assert_true(req.opt[DPT_TFTP_OPT_BLKSIZE].valid);
	assert_int_equal(req.opt[DPT_TFTP_OPT_BLKSIZE].value, 8192);
	assert_true(req.opt[DPT_TFTP_OPT_TSIZE].valid);
	assert_int_equal(req.opt[DPT_TFTP_OPT_TSIZE].value, 0);
	assert_int_equal(req.opt[DPT_TFTP_OPT_WINDOWSIZE].value, 64);
	assert_false(req.opt[DPT_TFTP_OPT_TIMEOUT].present);
	assert_false(req.trailing);
}

/* Verifies: no request for an empty or over-long filename, a data opcode,
 * or a buffer one byte short. */
static void
request_limits(void **state)
{
	char name[DPT_TFTP_FILENAME_MAX + 1];
	uint8_t buf[1024];
	size_t n;

	assert_int_equal(dpt_tftp_build_request(buf, sizeof(buf), DPT_TFTP_RRQ,
						"", DPT_TFTP_MODE_OCTET, NULL),
			 0);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(dpt_tftp_build_request(buf, sizeof(buf), DPT_TFTP_RRQ,
						name, DPT_TFTP_MODE_OCTET,
						NULL), 0);
	name[DPT_TFTP_FILENAME_MAX - 1] = '\0';	/* the longest allowed */
	n = dpt_tftp_build_request(buf, sizeof(buf), DPT_TFTP_RRQ, name,
				   DPT_TFTP_MODE_OCTET, NULL);
	assert_int_equal(n, 2 + DPT_TFTP_FILENAME_MAX + 6);
	assert_int_equal(dpt_tftp_build_request(buf, sizeof(buf), DPT_TFTP_DATA,
						"f", DPT_TFTP_MODE_OCTET, NULL),
			 0);
	n = dpt_tftp_build_request(buf, sizeof(buf), DPT_TFTP_RRQ, "f",
				   DPT_TFTP_MODE_OCTET, NULL);
	assert_int_equal(dpt_tftp_build_request(buf, n - 1, DPT_TFTP_RRQ, "f",
						DPT_TFTP_MODE_OCTET, NULL), 0);
}

/* Steps: parse an OACK with mixed-case names and a repeat. Verifies: the
 * values, the first of a repeat wins. */
static void
oack_parse_values(void **state)
{
	static const uint8_t pkt[] = "\0\6BLKSIZE\0001024\0tsize\000777\0"
				     "blksize\000512";
	struct dpt_tftp_oack o;

	assert_int_equal(oack_parse_exact(pkt, sizeof(pkt), &o), 0);
	assert_int_equal(o.mask, DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_BLKSIZE) |
				 DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_TSIZE));
	assert_int_equal(o.value[DPT_TFTP_OPT_BLKSIZE], 1024);
	assert_int_equal(o.value[DPT_TFTP_OPT_TSIZE], 777);
	assert_int_equal(o.n_unknown, 0);
	assert_false(o.bad_value);
}

/* Verifies: a pair cut short, a name with no value, and a non-OACK are
 * refused; an empty OACK parses (and is then judged by accept). */
static void
oack_parse_malformed(void **state)
{
	static const uint8_t cut[] = { 0, 6, 'b', 'l', 'k', 's', 'i', 'z', 'e',
				       0, '5', '1', '2' };
	static const uint8_t noval[] = "\0\6blksize";
	static const uint8_t ack[] = { 0, 4, 0, 1 };
	static const uint8_t empty[] = { 0, 6 };
	struct dpt_tftp_oack o;

	assert_int_equal(oack_parse_exact(cut, sizeof(cut), &o), -1);
	assert_int_equal(oack_parse_exact(noval, sizeof(noval), &o), -1);
	assert_int_equal(oack_parse_exact(ack, sizeof(ack), &o), -1);
	assert_int_equal(oack_parse_exact(empty, 1, &o), -1);
	assert_int_equal(oack_parse_exact(empty, sizeof(empty), &o), 0);
	assert_int_equal(o.mask, 0);
}

/* Verifies: unknown names and non-numeric values are noted, not taken. */
static void
oack_parse_unknown_and_bad(void **state)
{
	static const uint8_t pkt[] = "\0\6multicast\0x\0windowsize\0-4";
	struct dpt_tftp_oack o;

	assert_int_equal(oack_parse_exact(pkt, sizeof(pkt), &o), 0);
	assert_int_equal(o.n_unknown, 1);
	assert_true(o.bad_value);
	assert_int_equal(o.mask, 0);
}

/* Steps: the server's own negotiation and OACK, read by the client.
 * Verifies: what the client agrees to is what the server granted. */
static void
oack_from_server_core(void **state)
{
	struct dpt_tftp_client_opts ask = opts_of(9000, 2, 0, 128);
	struct dpt_tftp_negotiated neg, agreed;
	struct dpt_tftp_config cfg;
	struct dpt_tftp_request req;
	struct dpt_tftp_oack o;
	uint8_t buf[600], oack[600];
	const char *msg;
	size_t n;

	dpt_tftp_config_default(&cfg);
	n = dpt_tftp_build_request(buf, sizeof(buf), DPT_TFTP_RRQ, "k",
				   DPT_TFTP_MODE_OCTET, &ask);
	assert_int_equal(dpt_tftp_request_parse(buf, n, &req, &msg), 0);
	assert_int_equal(dpt_tftp_negotiate(&req, &cfg, 123456, &neg), 0);
	n = dpt_tftp_build_oack(oack, sizeof(oack), &req, &neg);
	assert_true(n > 0);
	assert_int_equal(oack_parse_exact(oack, n, &o), 0);
	assert_int_equal(dpt_tftp_oack_accept(&o, &ask, DPT_TFTP_RRQ, &agreed,
					      &msg), 0);
	assert_null(msg);
	assert_int_equal(agreed.blksize, cfg.blksize_max);
	assert_int_equal(agreed.windowsize, cfg.windowsize_max);
	assert_int_equal(agreed.timeout_s, 2);
	assert_int_equal(agreed.tsize, 123456);
}

/* Verifies: options the server did not answer keep RFC 1350 values. */
static void
accept_defaults(void **state)
{
	struct dpt_tftp_client_opts ask = opts_of(1468, NONE, NONE, 16);
	static const uint8_t pkt[] = "\0\6tsize\0009";
	struct dpt_tftp_negotiated agreed;
	struct dpt_tftp_oack o;
	const char *why;

	ask.mask |= DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_TSIZE);
	assert_int_equal(oack_parse_exact(pkt, sizeof(pkt), &o), 0);
	assert_int_equal(dpt_tftp_oack_accept(&o, &ask, DPT_TFTP_RRQ, &agreed,
					      &why), 0);
	assert_int_equal(agreed.blksize, 512);
	assert_int_equal(agreed.windowsize, 1);
	assert_int_equal(agreed.tsize, 9);
}

/* Verifies: each RFC violation in an OACK is refused with a reason. */
static void
accept_refusals(void **state)
{
	static const struct {
		const char *pkt;
		size_t len;
		enum dpt_tftp_op op;
	} cases[] = {
#define C(s, op) { s, sizeof(s), op }
		C("\0\6blksize\0002000", DPT_TFTP_RRQ),	/* above asked */
		C("\0\6blksize\0007", DPT_TFTP_RRQ),	/* below 8 */
		C("\0\6windowsize\00017", DPT_TFTP_RRQ),	/* > asked */
		C("\0\6windowsize\0000", DPT_TFTP_RRQ),	/* zero */
		C("\0\6timeout\0004", DPT_TFTP_RRQ),	/* not the asked 3 */
		C("\0\6tsize\00099", DPT_TFTP_WRQ),	/* not the size sent */
		C("\0\6color\0red", DPT_TFTP_RRQ),	/* unknown */
		C("\0\6blksize\0lots", DPT_TFTP_RRQ),	/* not a number */
#undef C
	};
	struct dpt_tftp_client_opts ask = opts_of(1468, 3, 100, 16);
	struct dpt_tftp_negotiated agreed;
	struct dpt_tftp_oack o;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(oack_parse_exact(cases[i].pkt, cases[i].len,
						  &o), 0);
		why = NULL;
		assert_int_equal(dpt_tftp_oack_accept(&o, &ask, cases[i].op,
						      &agreed, &why), -1);
		assert_non_null(why);
	}
}

/* Verifies: an option the client never sent is refused (RFC 2347). */
static void
accept_unasked_option(void **state)
{
	struct dpt_tftp_client_opts ask = opts_of(1468, NONE, NONE, NONE);
	static const uint8_t pkt[] = "\0\6windowsize\0004";
	struct dpt_tftp_negotiated agreed;
	struct dpt_tftp_oack o;
	const char *why;

	assert_int_equal(oack_parse_exact(pkt, sizeof(pkt), &o), 0);
	assert_int_equal(dpt_tftp_oack_accept(&o, &ask, DPT_TFTP_RRQ, &agreed,
					      &why), -1);
	assert_string_equal(why, "option the client did not send");
	assert_int_equal(dpt_tftp_oack_accept(&o, NULL, DPT_TFTP_RRQ, &agreed,
					      &why), -1);
}

/* Verifies: code and message of an ERROR, an unterminated message cut at
 * the datagram's end, and refusal of short or non-ERROR datagrams. */
static void
error_parse_cases(void **state)
{
	static const uint8_t full[] = "\0\5\0\1File not found";
	static const uint8_t open_ended[] = { 0, 5, 0, 2, 'n', 'o' };
	static const uint8_t data[] = { 0, 3, 0, 1 };
	const char *msg;
	size_t mlen;
	uint16_t code;
	void *p;

	p = dup_exact(full, sizeof(full));
	assert_int_equal(dpt_tftp_error_parse(p, sizeof(full), &code, &msg,
					      &mlen), 0);
	assert_int_equal(code, 1);
	assert_int_equal(mlen, strlen("File not found"));
	assert_memory_equal(msg, "File not found", mlen);
	free(p);

	p = dup_exact(open_ended, sizeof(open_ended));
	assert_int_equal(dpt_tftp_error_parse(p, sizeof(open_ended), &code,
					      &msg, &mlen), 0);
	assert_int_equal(code, 2);
	assert_int_equal(mlen, 2);
	free(p);

	assert_int_equal(dpt_tftp_error_parse(full, 3, &code, &msg, &mlen), -1);
	assert_int_equal(dpt_tftp_error_parse(data, sizeof(data), &code, &msg,
					      &mlen), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_plain_bytes),
		cmocka_unit_test(request_options_bytes),
		cmocka_unit_test(request_round_trip),
		cmocka_unit_test(request_limits),
		cmocka_unit_test(oack_parse_values),
		cmocka_unit_test(oack_parse_malformed),
		cmocka_unit_test(oack_parse_unknown_and_bad),
		cmocka_unit_test(oack_from_server_core),
		cmocka_unit_test(accept_defaults),
		cmocka_unit_test(accept_refusals),
		cmocka_unit_test(accept_unasked_option),
		cmocka_unit_test(error_parse_cases),
	};

	return cmocka_run_group_tests_name("tftp_client", tests, NULL, NULL);
}
