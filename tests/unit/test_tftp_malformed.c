/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Malformed input: every truncation of a request, missing NULs, padded
 * requests from real firmware, and illegal packets inside a session. Each
 * input lies in a heap buffer of exactly its length (the harness copies),
 * so AddressSanitizer reports any read past its end.
 */

#include <string.h>

#include "tftp_harness.h"

/*
 * Steps: parse every prefix of req (len bytes) whose mode ends at
 * mode_end (offset just past its NUL). Verifies: prefixes ending inside
 * the opcode, filename or mode are ERROR 4; longer ones parse, and hold
 * exactly the options whose value's NUL lies inside the prefix.
 */
static void
check_prefixes(const uint8_t *req, size_t len, size_t mode_end,
	       const enum dpt_tftp_opt *opts, const size_t *opt_end,
	       size_t n_opts, const uint64_t *values)
{
	struct dpt_tftp_request r;
	const char *msg;
	size_t l, k;

	for (l = 0; l <= len; l++) {
		int rc = th_parse(req, l, &r, &msg);

		if (l < mode_end) {
			assert_int_equal(rc, -DPT_TFTP_EBADOP);
			assert_non_null(msg);
			continue;
		}
		assert_int_equal(rc, 0);
		for (k = 0; k < n_opts; k++) {
			const struct dpt_tftp_reqopt *o = &r.opt[opts[k]];

			assert_int_equal(o->present, l >= opt_end[k]);
			assert_int_equal(o->valid, l >= opt_end[k]);
			if (o->valid)
				assert_int_equal(o->value, values[k]);
		}
		/* A prefix that stops inside a pair leaves a trailing part. */
		for (k = 0; k < n_opts; k++)
			if (l == opt_end[k])
				break;
		assert_int_equal(r.trailing, !(l == mode_end || k < n_opts));
	}
}

/* Verifies: the prefix rule on an RRQ octet with three options. */
static void
every_prefix_of_rrq(void **state)
{
	static const enum dpt_tftp_opt opts[] = {
		DPT_TFTP_OPT_BLKSIZE, DPT_TFTP_OPT_TSIZE,
		DPT_TFTP_OPT_WINDOWSIZE,
	};
	static const uint64_t values[] = { 1428, 0, 16 };
	uint8_t req[128];
	size_t len, mode_end, ends[3];

	mode_end = 2 + sizeof("pxelinux.0") + sizeof("octet");
	ends[0] = mode_end + sizeof("blksize") + sizeof("1428");
	ends[1] = ends[0] + sizeof("tsize") + sizeof("0");
	ends[2] = ends[1] + sizeof("windowsize") + sizeof("16");
	len = th_req(req, sizeof(req), DPT_TFTP_RRQ, "pxelinux.0", "octet",
		     "blksize", "1428", "tsize", "0", "windowsize", "16", NULL);
	assert_int_equal(len, ends[2]);
	check_prefixes(req, len, mode_end, opts, ends, 3,
		       values);
}

/* Verifies: the prefix rule on a WRQ netascii with two options. */
static void
every_prefix_of_wrq(void **state)
{
	static const enum dpt_tftp_opt opts[] = {
		DPT_TFTP_OPT_TIMEOUT, DPT_TFTP_OPT_TSIZE,
	};
	static const uint64_t values[] = { 5, 123456 };
	uint8_t req[128];
	size_t len, mode_end, ends[2];

	mode_end = 2 + sizeof("a") + sizeof("NetAscii");
	ends[0] = mode_end + sizeof("timeout") + sizeof("5");
	ends[1] = ends[0] + sizeof("tsize") + sizeof("123456");
	len = th_req(req, sizeof(req), DPT_TFTP_WRQ, "a", "NetAscii",
		     "timeout", "5", "tsize", "123456", NULL);
	assert_int_equal(len, ends[1]);
	check_prefixes(req, len, mode_end, opts, ends, 2,
		       values);
}

/* Verifies: a request without any NUL, or with the mode missing or
 * unterminated, is ERROR 4 with the documented message. */
static void
missing_nuls(void **state)
{
	static const uint8_t no_nul[] = { 0, 1, 'f', 'i', 'l', 'e' };
	static const uint8_t no_mode_nul[] = { 0, 1, 'f', 0, 'o', 'c', 't',
					       'e', 't' };
	static const uint8_t no_mode[] = { 0, 2, 'f', 0 };
	struct dpt_tftp_request r;
	const char *msg;

	assert_int_equal(th_parse(no_nul, sizeof(no_nul), &r, &msg),
			 -DPT_TFTP_EBADOP);
	assert_string_equal(msg, "Unterminated filename");
	assert_int_equal(th_parse(no_mode_nul, sizeof(no_mode_nul), &r, &msg),
			 -DPT_TFTP_EBADOP);
	assert_string_equal(msg, "Unterminated mode");
	assert_int_equal(th_parse(no_mode, sizeof(no_mode), &r, &msg),
			 -DPT_TFTP_EBADOP);
	assert_string_equal(msg, "Unterminated mode");
}

/* Verifies: a request NUL-padded to 512 bytes (HP PA-RISC, Apple
 * firmware) is served: its options count, and the session sends the OACK. */
static void
nul_padding_served(void **state)
{
	struct th *t = *state;
	uint8_t req[512];
	size_t n;

	memset(req, 0, sizeof(req));
	n = th_req(req, sizeof(req), DPT_TFTP_RRQ, TH_FILE, "octet", "blksize",
		   "1024", "tsize", "0", NULL);
	assert_true(n < sizeof(req));
	th_file_pattern(t, 2000);
	assert_int_equal(th_start_buf(t, req, sizeof(req)), 0);
	assert_true(t->req.opt[DPT_TFTP_OPT_BLKSIZE].valid);
	th_expect_sent(t, 1);
	th_expect_oack(t, 0, "blksize", "1024", "tsize", "2000");
	th_clear(t);
	th_ack(t, 0);
	th_expect_blocks(t, 0, 1, 1);
}

/* Verifies: an odd-length NUL padding and unterminated garbage after the
 * last option are ignored (trailing), the options kept. */
static void
garbage_tail_served(void **state)
{
	static const uint8_t tails[][6] = {
		{ 0 }, { 0xff, 0xfe, 'x' }, { 'b', 'l', 'k', 0, '9' },
	};
	static const size_t tail_len[] = { 1, 3, 5 };
	struct dpt_tftp_request r;
	const char *msg;
	uint8_t req[128];
	size_t n, i;

	for (i = 0; i < 3; i++) {
		n = th_req(req, sizeof(req), DPT_TFTP_RRQ, "f", "octet",
			   "windowsize", "4", NULL);
		memcpy(req + n, tails[i], tail_len[i]);
		assert_int_equal(th_parse(req, n + tail_len[i], &r, &msg), 0);
		assert_true(r.trailing);
		assert_true(r.opt[DPT_TFTP_OPT_WINDOWSIZE].valid);
		assert_int_equal(r.opt[DPT_TFTP_OPT_WINDOWSIZE].value, 4);
	}
}

/* Verifies: a request ending right after the mode has no options and no
 * trailing part, even in the longest legal filename. */
static void
no_options_exact(void **state)
{
	char name[DPT_TFTP_FILENAME_MAX];
	struct dpt_tftp_request r;
	const char *msg;
	uint8_t req[DPT_TFTP_FILENAME_MAX + 16];
	size_t n;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	n = th_req(req, sizeof(req), DPT_TFTP_RRQ, name, "octet", NULL);
	assert_int_equal(th_parse(req, n, &r, &msg), 0);
	assert_false(r.trailing);
	assert_int_equal(r.n_options, 0);
	/* Cut one byte: the mode loses its NUL. */
	assert_int_equal(th_parse(req, n - 1, &r, &msg), -DPT_TFTP_EBADOP);
}

/* Steps: start an RRQ of 2000 bytes; DATA 1 sent. */
static void
rrq_started(struct th *t)
{
	th_file_pattern(t, 2000);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", NULL), 0);
	th_clear(t);
}

/* Steps: start a WRQ; ACK 0 sent. */
static void
wrq_started(struct th *t)
{
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "octet", NULL), 0);
	th_clear(t);
}

/* Verifies: the packet ends the session with one ERROR 4, end reason
 * protocol, err_sent 5. */
static void
expect_protocol_end(struct th *t)
{
	th_expect_sent(t, 1);
	th_expect_error(t, 0, DPT_TFTP_EBADOP, NULL);
	assert_true(dpt_tftp_session_done(t->s));
	assert_int_equal(th_end(t), DPT_TFTP_END_PROTOCOL);
	assert_int_equal(th_err_sent(t), 1 + DPT_TFTP_EBADOP);
	assert_true(dpt_tftp_session_deadline(t->s) == UINT64_MAX);
}

/* Verifies: DATA sent to an RRQ session is ERROR 4. */
static void
rrq_gets_data(void **state)
{
	struct th *t = *state;

	rrq_started(t);
	th_data(t, 1, "x", 1);
	expect_protocol_end(t);
}

/* Verifies: an RRQ or WRQ arriving inside an RRQ session is ERROR 4. */
static void
rrq_gets_request(void **state)
{
	struct th *t = *state;
	uint8_t req[64];

	rrq_started(t);
	th_input(t, req, th_req(req, sizeof(req), DPT_TFTP_WRQ, "f", "octet",
				NULL));
	expect_protocol_end(t);
}

/* Verifies: a truncated ACK (2 or 3 bytes) is ERROR 4. */
static void
rrq_truncated_ack(void **state)
{
	static const uint8_t ack[] = { 0, 4, 0 };
	struct th *t = *state;

	rrq_started(t);
	th_input(t, ack, 3);
	expect_protocol_end(t);
	th_clear(t);
	rrq_started(t);
	th_input(t, ack, 2);
	expect_protocol_end(t);
}

/* Verifies: an empty or one-byte datagram to a session is ERROR 4. */
static void
session_short_datagrams(void **state)
{
	static const uint8_t b[1] = { 0 };
	struct th *t = *state;

	rrq_started(t);
	th_input(t, b, 0);
	expect_protocol_end(t);
	th_clear(t);
	wrq_started(t);
	th_input(t, b, 1);
	expect_protocol_end(t);
}

/* Verifies: an unknown opcode is ERROR 4, for both directions. */
static void
session_unknown_opcode(void **state)
{
	static const uint8_t p[] = { 0, 9, 0, 1 };
	static const uint8_t q[] = { 0xff, 0xff, 0, 0, 0 };
	struct th *t = *state;

	rrq_started(t);
	th_input(t, p, sizeof(p));
	expect_protocol_end(t);
	th_clear(t);
	wrq_started(t);
	th_input(t, q, sizeof(q));
	expect_protocol_end(t);
}

/* Verifies: an ACK sent to a WRQ session is ERROR 4. */
static void
wrq_gets_ack(void **state)
{
	struct th *t = *state;

	wrq_started(t);
	th_ack(t, 0);
	expect_protocol_end(t);
	assert_int_equal(t->n_write, 0);
}

/* Verifies: a truncated DATA (3 bytes) to a WRQ is ERROR 4. */
static void
wrq_truncated_data(void **state)
{
	static const uint8_t d[] = { 0, 3, 0 };
	struct th *t = *state;

	wrq_started(t);
	th_input(t, d, sizeof(d));
	expect_protocol_end(t);
	assert_int_equal(t->n_commit, 0);
}

/* Verifies: DATA longer than the block size is ERROR 4, never written. */
static void
wrq_data_over_blksize(void **state)
{
	struct th *t = *state;
	uint8_t blk[513];

	memset(blk, 'o', sizeof(blk));
	wrq_started(t);
	th_data(t, 1, blk, 513);
	expect_protocol_end(t);
	th_expect_error(t, 0, DPT_TFTP_EBADOP, "DATA exceeds blksize");
	assert_int_equal(t->n_write, 0);
}

/* Verifies: a non-ACK while an RRQ waits for ACK 0 of its OACK is
 * ERROR 4. */
static void
rrq_oack_gets_data(void **state)
{
	struct th *t = *state;

	th_file_pattern(t, 100);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "octet", "tsize", "0",
				  NULL), 0);
	th_clear(t);
	th_data(t, 0, "", 0);
	expect_protocol_end(t);
}

/* Verifies: a client ERROR without message or code bytes still ends the
 * session quietly. */
static void
truncated_client_error(void **state)
{
	static const uint8_t e[] = { 0, 5 };
	struct th *t = *state;

	rrq_started(t);
	th_input(t, e, sizeof(e));
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_CLIENT_ERROR);
	assert_int_equal(th_err_sent(t), 0);
}

/* Verifies: the client's ERROR is kept for the transfer log: its code
 * and message, a long one cut to DPT_TFTP_ERRMSG_KEEP - 1 bytes, a
 * truncated one as code 0 with no message. */
static void
client_error_kept(void **state)
{
	static const uint8_t e[] = { 0, 5 };
	struct th *t = *state;
	char longmsg[200];
	const char *msg = NULL;
	uint16_t code = 99;

	rrq_started(t);
	assert_int_equal(dpt_tftp_session_error(t->s, &code, &msg),
			 DPT_TFTP_ERR_NONE);
	th_error(t, DPT_TFTP_ENOSPACE, "Disk \x1b full");
	assert_int_equal(dpt_tftp_session_error(t->s, &code, &msg),
			 DPT_TFTP_ERR_RECEIVED);
	assert_int_equal(code, DPT_TFTP_ENOSPACE);
	assert_string_equal(msg, "Disk \x1b full");

	memset(longmsg, 'a', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	rrq_started(t);
	th_error(t, DPT_TFTP_EACCESS, longmsg);
	dpt_tftp_session_error(t->s, &code, &msg);
	assert_int_equal(strlen(msg), DPT_TFTP_ERRMSG_KEEP - 1);

	rrq_started(t);
	th_input(t, e, sizeof(e));
	assert_int_equal(dpt_tftp_session_error(t->s, &code, &msg),
			 DPT_TFTP_ERR_RECEIVED);
	assert_int_equal(code, 0);
	assert_string_equal(msg, "");
}

/* Verifies: an ERROR the session sends is kept as sent, with its default
 * text when none was given. */
static void
sent_error_kept(void **state)
{
	struct th *t = *state;
	const char *msg = NULL;
	uint16_t code = 99;

	rrq_started(t);
	dpt_tftp_session_abort(t->s, DPT_TFTP_EACCESS, NULL,
			       DPT_TFTP_END_ABORTED);
	assert_int_equal(dpt_tftp_session_error(t->s, &code, &msg),
			 DPT_TFTP_ERR_SENT);
	assert_int_equal(code, DPT_TFTP_EACCESS);
	assert_string_equal(msg, dpt_tftp_err_str(DPT_TFTP_EACCESS));
	rrq_started(t);
	th_data(t, 1, "x", 1);		/* DATA to a download: ERROR 4 */
	assert_int_equal(dpt_tftp_session_error(t->s, &code, &msg),
			 DPT_TFTP_ERR_SENT);
	assert_int_equal(code, DPT_TFTP_EBADOP);
}

/* Verifies: once done, a session ignores input, timers and kicks. */
static void
done_session_silent(void **state)
{
	struct th *t = *state;

	rrq_started(t);
	th_error(t, 0, "bye");
	th_ack(t, 1);
	th_data(t, 1, "x", 1);
	th_at(t, t->now + 100000000);
	dpt_tftp_session_kick(t->s, t->now);
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_CLIENT_ERROR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_prefix_of_rrq),
		cmocka_unit_test(every_prefix_of_wrq),
		cmocka_unit_test(missing_nuls),
		TH_TEST(nul_padding_served),
		cmocka_unit_test(garbage_tail_served),
		cmocka_unit_test(no_options_exact),
		TH_TEST(rrq_gets_data),
		TH_TEST(rrq_gets_request),
		TH_TEST(rrq_truncated_ack),
		TH_TEST(session_short_datagrams),
		TH_TEST(session_unknown_opcode),
		TH_TEST(wrq_gets_ack),
		TH_TEST(wrq_truncated_data),
		TH_TEST(wrq_data_over_blksize),
		TH_TEST(rrq_oack_gets_data),
		TH_TEST(truncated_client_error),
		TH_TEST(client_error_kept),
		TH_TEST(sent_error_kept),
		TH_TEST(done_session_silent),
	};

	return cmocka_run_group_tests_name("tftp_malformed", tests, NULL,
					   NULL);
}
