/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Option negotiation: RFC 2347 (OACK), RFC 2348 (blksize), RFC 2349
 * (timeout, tsize) and RFC 7440 (windowsize), checked on the OACK bytes a
 * session sends and on what dpt_tftp_negotiate() agrees.
 */

#include <string.h>

#include "tftp_harness.h"

/* Steps: an RRQ octet for a 3000-byte file with one option name/value.
 * Returns the session's start result; the first datagram is in t. */
static int
rrq_one(struct th *t, const char *name, const char *val)
{
	th_file_pattern(t, 3000);
	return th_start(t, DPT_TFTP_RRQ, "octet", name, val, NULL);
}

/* Verifies: with no option there is no OACK; DATA 1 goes first. */
static void
no_options_no_oack(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 3000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	assert_int_equal(t->neg.accepted, 0);
	assert_int_equal(t->neg.blksize, 512);
	assert_int_equal(t->neg.windowsize, 1);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
}

/* Verifies: blksize 1024 is echoed in an OACK, and after ACK 0 DATA 1
 * carries 1024 bytes. */
static void
blksize_echoed(void **state)
{
	struct th *t = *state;

	assert_int_equal(rrq_one(t, "blksize", "1024"), 0);
	assert_int_equal(th_state(t), DPT_TFTP_S_OACK_SENT);
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "blksize", "1024");
	th_clear(t);
	th_ack(t, 0);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(t->pkt[0].len, 4 + 1024);
}

/* Verifies: blksize at the RFC bounds: 8 is kept, values above the
 * configured ceiling (default 1468) come back lowered to it. */
static void
blksize_bounds_and_ceiling(void **state)
{
	static const struct {
		const char *sent, *echo;
	} cases[] = {
		{ "8", "8" }, { "1467", "1467" }, { "1468", "1468" },
		{ "1469", "1468" }, { "65464", "1468" },
	};
	struct th *t = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		th_clear(t);
		assert_int_equal(rrq_one(t, "blksize", cases[i].sent), 0);
		th_expect_sent(t, 1);
		th_expect_oack(t, 0, "blksize", cases[i].echo);
	}
}

/* Verifies: cfg.blksize_max lowers an accepted blksize. */
static void
blksize_config_ceiling(void **state)
{
	struct th *t = *state;

	t->cfg.blksize_max = 1000;
	assert_int_equal(rrq_one(t, "blksize", "1400"), 0);
	th_expect_oack(t, 0, "blksize", "1000");
	assert_int_equal(t->neg.blksize, 1000);
}

/* Verifies: blksize outside 8..65464 or not plain decimal is ignored:
 * never echoed, no OACK when it was the only option, and DATA 1 has the
 * RFC 1350 size of 512. */
static void
blksize_invalid_ignored(void **state)
{
	static const char *const bad[] = {
		"7", "0", "-1", "65465", "100000",
		"123456789012345678901234567890", "abc", "+512", " 512",
		"512 ", "", "5x12", "0x200",
	};
	struct th *t = *state;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		th_clear(t);
		assert_int_equal(rrq_one(t, "blksize", bad[i]), 0);
		assert_int_equal(t->neg.accepted, 0);
		th_expect_sent(t, 1);
		th_expect_blocks(t, 0, 1, 1);
		assert_int_equal(t->pkt[0].len, 4 + 512);
	}
}

/* Verifies: an invalid blksize next to a valid option is left out of
 * the OACK, which carries only the valid one. */
static void
invalid_option_left_out_of_oack(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 3000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "7",
				  "timeout", "3", NULL), 0);
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "timeout", "3");
	assert_int_equal(t->neg.blksize, 512);
}

/* Verifies: timeout 1..255 is echoed as sent; 0, 256 and text are
 * ignored (RFC 2349). */
static void
timeout_range(void **state)
{
	static const char *const good[] = { "1", "3", "255" };
	static const char *const bad[] = { "0", "256", "1000", "abc", "-3" };
	struct th *t = *state;
	size_t i;

	for (i = 0; i < 3; i++) {
		th_clear(t);
		assert_int_equal(rrq_one(t, "timeout", good[i]), 0);
		th_expect_oack(t, 0, "timeout", good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		th_clear(t);
		assert_int_equal(rrq_one(t, "timeout", bad[i]), 0);
		assert_int_equal(t->neg.timeout_s, 0);
		th_expect_blocks(t, 0, 1, 1);
	}
}

/* Verifies: RRQ octet tsize is answered with the real file size. */
static void
tsize_rrq_octet_real_size(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 12345);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "tsize", "0",
				  NULL), 0);
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "tsize", "12345");
	assert_int_equal(t->neg.tsize, 12345);
}

/* Verifies: RRQ netascii declines tsize (the wire size is not the file's):
 * no OACK for tsize alone, and not in the OACK beside blksize. */
static void
tsize_rrq_netascii_declined(void **state)
{
	struct th *t = *state;

	th_file(t, "a\nb\n", 4);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "netascii", "tsize", "0",
				  NULL), 0);
	assert_int_equal(t->neg.accepted, 0);
	th_expect_sent(t, 1);
	th_expect_data(t, 0, 1, "a\r\nb\r\n", 6);
	th_clear(t);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "netascii", "tsize", "0",
				  "blksize", "600", NULL), 0);
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "blksize", "600");
}

/* Verifies: WRQ tsize is accepted and echoed as announced. */
static void
tsize_wrq_echoed(void **state)
{
	struct th *t = *state;

	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "tsize", "4096",
				  NULL), 0);
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "tsize", "4096");
	assert_int_equal(t->neg.tsize, 4096);
}

/* Verifies: a WRQ tsize above cfg.upload_max is refused with
 * -DPT_TFTP_ENOSPACE; at the limit, or with no limit, it is accepted. */
static void
tsize_wrq_upload_max(void **state)
{
	struct th *t = *state;
	struct dpt_tftp_negotiated neg;
	uint8_t buf[128];
	size_t n;

	t->cfg.upload_max = 1000;
	n = th_req(buf, sizeof(buf), DPT_TFTP_WRQ, "f", "octet", "tsize",
		   "1001", NULL);
	assert_int_equal(th_parse(buf, n, &t->req, &(const char *){ NULL }), 0);
	assert_int_equal(dpt_tftp_negotiate(&t->req, &t->cfg, 0, &neg),
			 -DPT_TFTP_ENOSPACE);
	n = th_req(buf, sizeof(buf), DPT_TFTP_WRQ, "f", "octet", "tsize",
		   "1000", NULL);
	assert_int_equal(th_parse(buf, n, &t->req, &(const char *){ NULL }), 0);
	assert_int_equal(dpt_tftp_negotiate(&t->req, &t->cfg, 0, &neg), 0);
	assert_int_equal(neg.tsize, 1000);
	t->cfg.upload_max = 0;
	n = th_req(buf, sizeof(buf), DPT_TFTP_WRQ, "f", "octet", "tsize",
		   "18446744073709551615", NULL);
	assert_int_equal(th_parse(buf, n, &t->req, &(const char *){ NULL }), 0);
	assert_int_equal(dpt_tftp_negotiate(&t->req, &t->cfg, 0, &neg), 0);
	assert_true(neg.tsize == UINT64_MAX);
}

/* Verifies: windowsize 1..65535 is accepted and lowered to
 * cfg.windowsize_max (default 64); 0 and 65536 are ignored. */
static void
windowsize_range(void **state)
{
	static const struct {
		const char *sent, *echo;
	} cases[] = {
		{ "1", "1" }, { "16", "16" }, { "64", "64" }, { "65", "64" },
		{ "65535", "64" }, { "0", NULL }, { "65536", NULL },
	};
	struct th *t = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		th_clear(t);
		assert_int_equal(rrq_one(t, "windowsize", cases[i].sent), 0);
		th_expect_sent(t, 1);
		if (cases[i].echo != NULL)
			th_expect_oack(t, 0, "windowsize", cases[i].echo);
		else
			th_expect_blocks(t, 0, 1, 1);
	}
	t->cfg.windowsize_max = 4;
	th_clear(t);
	assert_int_equal(rrq_one(t, "windowsize", "8"), 0);
	th_expect_oack(t, 0, "windowsize", "4");
	assert_int_equal(t->neg.windowsize, 4);
}

/* Verifies: the OACK lists options in the client's order, whatever that
 * order is. */
static void
oack_client_order(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 777);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "windowsize", "4",
				  "tsize", "0", "blksize", "1024", "timeout",
				  "2", NULL), 0);
	th_expect_oack(t, 0, "windowsize", "4", "tsize", "777", "blksize",
		       "1024", "timeout", "2");
	th_clear(t);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "timeout", "2",
				  "blksize", "1024", "tsize", "0", NULL), 0);
	th_expect_oack(t, 0, "timeout", "2", "blksize", "1024", "tsize",
		       "777");
}

/* Verifies: option names match in any case; the OACK spells them in
 * lower case. */
static void
oack_names_lower_case(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 99);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "BlkSize", "1024",
				  "TSIZE", "0", "WindowSIZE", "2", NULL), 0);
	th_expect_oack(t, 0, "blksize", "1024", "tsize", "99", "windowsize",
		       "2");
}

/* Verifies: unknown options are ignored (RFC 2347): counted, never in the
 * OACK, and alone they bring no OACK. */
static void
unknown_options_ignored(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 600);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "multicast", "",
				  "blksize", "1024", "rollover", "0", NULL), 0);
	assert_int_equal(t->req.n_options, 3);
	assert_int_equal(t->req.n_unknown, 2);
	th_expect_oack(t, 0, "blksize", "1024");
	th_clear(t);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "utimeout", "500",
				  "foo", "bar", NULL), 0);
	assert_int_equal(t->neg.accepted, 0);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
}

/* Verifies: a repeated option takes the first value and appears once. */
static void
duplicate_option_first_wins(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 5000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "1024",
				  "tsize", "0", "BLKSIZE", "512", NULL), 0);
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "blksize", "1024", "tsize", "5000");
	assert_int_equal(t->neg.blksize, 1024);
}

/* Verifies: when the first occurrence is invalid, a valid repeat does not
 * replace it: the option is ignored. */
static void
duplicate_option_first_invalid(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 5000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "blksize", "abc",
				  "blksize", "1024", NULL), 0);
	assert_int_equal(t->neg.accepted, 0);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(t->pkt[0].len, 4 + 512);
}

/* Verifies: options in cfg.refuse_mask are treated as unknown. */
static void
refused_options_unknown(void **state)
{
	struct th *t = *state;

	t->cfg.refuse_mask = DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_WINDOWSIZE) |
			     DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_TSIZE);
	th_file_pattern(t, 5000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "windowsize", "8",
				  "tsize", "0", "blksize", "800", NULL), 0);
	th_expect_oack(t, 0, "blksize", "800");
	assert_int_equal(t->neg.windowsize, 1);
}

/* Verifies: dpt_tftp_build_oack() gives 0 when nothing was accepted or
 * the buffer is too small, and the exact bytes otherwise. */
static void
build_oack_direct(void **state)
{
	static const uint8_t want[] = "\0\6blksize\0" "1024\0tsize\0" "77";
	struct dpt_tftp_request req;
	struct dpt_tftp_negotiated neg;
	struct dpt_tftp_config c;
	uint8_t buf[64];
	uint8_t rq[128];
	size_t n;

	dpt_tftp_config_default(&c);
	n = th_req(rq, sizeof(rq), DPT_TFTP_RRQ, "f", "octet", "blksize",
		   "1024", "tsize", "0", NULL);
	assert_int_equal(th_parse(rq, n, &req, &(const char *){ NULL }), 0);
	assert_int_equal(dpt_tftp_negotiate(&req, &c, 77, &neg), 0);
	assert_int_equal(dpt_tftp_build_oack(buf, sizeof(buf), &req, &neg),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(dpt_tftp_build_oack(buf, sizeof(want) - 1, &req,
					     &neg), 0);
	neg.accepted = 0;
	assert_int_equal(dpt_tftp_build_oack(buf, sizeof(buf), &req, &neg), 0);
}

/* Verifies: a client ERROR 8 answering the OACK (the UEFI tsize probe)
 * ends the session as an option probe, with nothing sent back. */
static void
option_probe_rrq(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 4000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "tsize", "0",
				  "blksize", "1468", NULL), 0);
	th_expect_oack(t, 0, "tsize", "4000", "blksize", "1468");
	th_clear(t);
	th_error(t, DPT_TFTP_EOPTNEG, "User aborted the transfer");
	th_expect_sent(t, 0);
	assert_true(dpt_tftp_session_done(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_OPTION_PROBE);
	assert_int_equal(th_err_sent(t), 0);
	assert_true(dpt_tftp_session_deadline(t->s) == UINT64_MAX);
}

/* Verifies: ERROR 8 after a WRQ's OACK is an option probe too. */
static void
option_probe_wrq(void **state)
{
	struct th *t = *state;

	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "tsize", "10",
				  NULL), 0);
	th_clear(t);
	th_error(t, DPT_TFTP_EOPTNEG, "");
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_OPTION_PROBE);
}

/* Verifies: another ERROR code after the OACK is a client error. */
static void
oack_answered_other_error(void **state)
{
	struct th *t = *state;

	assert_int_equal(rrq_one(t, "tsize", "0"), 0);
	th_clear(t);
	th_error(t, DPT_TFTP_EACCESS, "no");
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_CLIENT_ERROR);
}

/* Verifies: a WRQ with options gets the OACK in place of ACK 0, and DATA 1
 * then gets ACK 1. */
static void
wrq_oack_then_data(void **state)
{
	struct th *t = *state;
	uint8_t blk[100];

	memset(blk, 'w', sizeof(blk));
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "blksize", "100",
				  "tsize", "150", NULL), 0);
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "blksize", "100", "tsize", "150");
	th_clear(t);
	th_data(t, 1, blk, 100);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 1);
	assert_int_equal(th_state(t), DPT_TFTP_S_RECEIVING);
}

/* Verifies: a WRQ without options is answered with ACK 0. */
static void
wrq_no_options_ack0(void **state)
{
	struct th *t = *state;

	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", "bogus", "1",
				  NULL), 0);
	th_expect_sent(t, 1);
	th_expect_ack(t, 0, 0);
	assert_int_equal(th_state(t), DPT_TFTP_S_RECEIVING);
}

/* Verifies: in OACK_SENT an RRQ ignores ACKs other than 0 and starts
 * only on ACK 0. */
static void
rrq_oack_waits_for_ack0(void **state)
{
	struct th *t = *state;

	assert_int_equal(rrq_one(t, "blksize", "1000"), 0);
	th_clear(t);
	th_ack(t, 1);
	th_ack(t, 65535);
	th_expect_sent(t, 0);
	assert_int_equal(th_state(t), DPT_TFTP_S_OACK_SENT);
	th_ack(t, 0);
	th_expect_sent(t, 1);
	th_expect_blocks(t, 0, 1, 1);
	assert_int_equal(th_state(t), DPT_TFTP_S_SENDING);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TH_TEST(no_options_no_oack),
		TH_TEST(blksize_echoed),
		TH_TEST(blksize_bounds_and_ceiling),
		TH_TEST(blksize_config_ceiling),
		TH_TEST(blksize_invalid_ignored),
		TH_TEST(invalid_option_left_out_of_oack),
		TH_TEST(timeout_range),
		TH_TEST(tsize_rrq_octet_real_size),
		TH_TEST(tsize_rrq_netascii_declined),
		TH_TEST(tsize_wrq_echoed),
		TH_TEST(tsize_wrq_upload_max),
		TH_TEST(windowsize_range),
		TH_TEST(oack_client_order),
		TH_TEST(oack_names_lower_case),
		TH_TEST(unknown_options_ignored),
		TH_TEST(duplicate_option_first_wins),
		TH_TEST(duplicate_option_first_invalid),
		TH_TEST(refused_options_unknown),
		TH_TEST(build_oack_direct),
		TH_TEST(option_probe_rrq),
		TH_TEST(option_probe_wrq),
		TH_TEST(oack_answered_other_error),
		TH_TEST(wrq_oack_then_data),
		TH_TEST(wrq_no_options_ack0),
		TH_TEST(rrq_oack_waits_for_ack0),
	};

	return cmocka_run_group_tests_name("tftp_options", tests, NULL, NULL);
}
