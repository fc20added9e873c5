/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The wire codec: request parsing (RFC 1350 section 5, RFC 2347), transfer
 * modes, filename limits, and the builders of ERROR, ACK and DATA headers.
 */

#include <string.h>

#include "tftp_harness.h"

/* Parses "\0<op>name\0mode\0" and returns the result. */
static int
parse_simple(uint16_t op, const char *name, const char *mode,
	     struct dpt_tftp_request *req, const char **msg)
{
	uint8_t buf[1024];
	size_t n = th_req(buf, sizeof(buf), op, name, mode, NULL);

	return th_parse(buf, n, req, msg);
}

/* Steps: parse a plain RRQ. Verifies: opcode, filename, octet mode, no
 * options, no trailing bytes, no error message. */
static void
parse_rrq_octet(void **state)
{
	struct dpt_tftp_request req;
	const char *msg = "x";

	assert_int_equal(parse_simple(DPT_TFTP_RRQ, "boot/pxelinux.0",
				      "octet", &req, &msg), 0);
	assert_int_equal(req.op, DPT_TFTP_RRQ);
	assert_int_equal(req.mode, DPT_TFTP_MODE_OCTET);
	assert_string_equal(req.filename, "boot/pxelinux.0");
	assert_int_equal(req.filename_len, strlen("boot/pxelinux.0"));
	assert_int_equal(req.n_options, 0);
	assert_int_equal(req.n_unknown, 0);
	assert_false(req.trailing);
	assert_null(msg);
}

/* Verifies: a WRQ in netascii mode is parsed as such. */
static void
parse_wrq_netascii(void **state)
{
	struct dpt_tftp_request req;
	const char *msg;

	assert_int_equal(parse_simple(DPT_TFTP_WRQ, "up.txt", "netascii",
				      &req, &msg), 0);
	assert_int_equal(req.op, DPT_TFTP_WRQ);
	assert_int_equal(req.mode, DPT_TFTP_MODE_NETASCII);
	assert_string_equal(req.filename, "up.txt");
}

/* Verifies: mode names are case-insensitive (RFC 1350 section 5). */
static void
parse_mode_case_insensitive(void **state)
{
	static const struct {
		const char *name;
		enum dpt_tftp_mode mode;
	} cases[] = {
		{ "OCTET", DPT_TFTP_MODE_OCTET },
		{ "Octet", DPT_TFTP_MODE_OCTET },
		{ "oCtEt", DPT_TFTP_MODE_OCTET },
		{ "NETASCII", DPT_TFTP_MODE_NETASCII },
		{ "NetAscii", DPT_TFTP_MODE_NETASCII },
		{ "netASCII", DPT_TFTP_MODE_NETASCII },
	};
	struct dpt_tftp_request req;
	const char *msg;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse_simple(DPT_TFTP_RRQ, "f", cases[i].name,
					      &req, &msg), 0);
		assert_int_equal(req.mode, cases[i].mode);
	}
}

/* Verifies: mail mode, in any case, is refused with ERROR 4 and a text. */
static void
parse_mode_mail_refused(void **state)
{
	static const char *const names[] = { "mail", "MAIL", "Mail" };
	struct dpt_tftp_request req;
	const char *msg;
	size_t i;

	for (i = 0; i < 3; i++) {
		msg = NULL;
		assert_int_equal(parse_simple(DPT_TFTP_WRQ, "root", names[i],
					      &req, &msg), -DPT_TFTP_EBADOP);
		assert_string_equal(msg, "Mail mode not supported");
		assert_true(strlen(msg) > 0);
	}
}

/* Verifies: unknown modes, prefixes and extensions of known ones, and an
 * empty mode are refused with ERROR 4. */
static void
parse_mode_unknown_refused(void **state)
{
	static const char *const names[] = {
		"binary", "ascii", "octe", "octets", "netascii ", " octet",
		"", "image", "octet\x01",
	};
	struct dpt_tftp_request req;
	const char *msg;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		msg = NULL;
		assert_int_equal(parse_simple(DPT_TFTP_RRQ, "f", names[i],
					      &req, &msg), -DPT_TFTP_EBADOP);
		assert_string_equal(msg, "Unknown transfer mode");
	}
}

/* Verifies: an empty filename is refused with ERROR 4. */
static void
parse_empty_filename(void **state)
{
	struct dpt_tftp_request req;
	const char *msg;

	assert_int_equal(parse_simple(DPT_TFTP_RRQ, "", "octet", &req, &msg),
			 -DPT_TFTP_EBADOP);
	assert_string_equal(msg, "Empty filename");
}

/* Verifies: a filename of DPT_TFTP_FILENAME_MAX - 1 bytes is the longest
 * accepted, and is copied whole and NUL-terminated. */
static void
parse_filename_longest(void **state)
{
	char name[DPT_TFTP_FILENAME_MAX];
	struct dpt_tftp_request req;
	const char *msg;
	size_t i;

	for (i = 0; i < sizeof(name) - 1; i++)
		name[i] = (char)('a' + i % 26);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(parse_simple(DPT_TFTP_RRQ, name, "octet", &req, &msg),
			 0);
	assert_int_equal(req.filename_len, DPT_TFTP_FILENAME_MAX - 1);
	assert_memory_equal(req.filename, name, DPT_TFTP_FILENAME_MAX);
}

/* Verifies: filenames of DPT_TFTP_FILENAME_MAX bytes or more are refused. */
static void
parse_filename_too_long(void **state)
{
	static const size_t lens[] = { DPT_TFTP_FILENAME_MAX,
				       DPT_TFTP_FILENAME_MAX + 1, 900 };
	struct dpt_tftp_request req;
	const char *msg;
	char name[901];
	size_t i;

	for (i = 0; i < 3; i++) {
		memset(name, 'x', lens[i]);
		name[lens[i]] = '\0';
		msg = NULL;
		assert_int_equal(parse_simple(DPT_TFTP_RRQ, name, "octet", &req,
					      &msg), -DPT_TFTP_EBADOP);
		assert_string_equal(msg, "Filename too long");
	}
}

/* Verifies: datagrams of zero and one byte are refused without reading
 * past them (the copies are exactly that long). */
static void
parse_empty_and_one_byte(void **state)
{
	static const uint8_t one[1] = { 0 };
	struct dpt_tftp_request req;
	const char *msg;

	assert_int_equal(th_parse(one, 0, &req, &msg), -DPT_TFTP_EBADOP);
	assert_string_equal(msg, "Truncated request");
	assert_int_equal(th_parse(one, 1, &req, &msg), -DPT_TFTP_EBADOP);
	assert_string_equal(msg, "Truncated request");
}

/* Verifies: any opcode but RRQ and WRQ makes a request ERROR 4. */
static void
parse_unknown_opcode(void **state)
{
	static const uint16_t ops[] = { 0, DPT_TFTP_DATA, DPT_TFTP_ACK,
					DPT_TFTP_ERROR, DPT_TFTP_OACK, 7,
					0x0101, 0xffff };
	struct dpt_tftp_request req;
	const char *msg;
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		msg = NULL;
		assert_int_equal(parse_simple(ops[i], "f", "octet", &req, &msg),
				 -DPT_TFTP_EBADOP);
		assert_string_equal(msg, "Unknown opcode");
	}
}

/* Verifies: filename bytes are kept as sent, case included. */
static void
parse_filename_bytes_kept(void **state)
{
	static const char name[] = "Dir/File \xc3\xa9.BIN";
	struct dpt_tftp_request req;
	const char *msg;

	assert_int_equal(parse_simple(DPT_TFTP_RRQ, name, "octet", &req, &msg),
			 0);
	assert_int_equal(req.filename_len, sizeof(name) - 1);
	assert_memory_equal(req.filename, name, sizeof(name));
}

/* Verifies: ERROR is opcode 5, code, message, NUL (RFC 1350 section 5);
 * a NULL message takes the default text. */
static void
build_error_bytes(void **state)
{
	static const uint8_t want[] = "\0\5\0\1File not found";
	static const uint8_t want3[] =
		"\0\5\0\3Disk full or allocation exceeded";
	uint8_t buf[200];

	assert_int_equal(dpt_tftp_build_error(buf, sizeof(buf), 1,
					      "File not found"), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(dpt_tftp_build_error(buf, sizeof(buf), 3, NULL),
			 sizeof(want3));
	assert_memory_equal(buf, want3, sizeof(want3));
}

/* Verifies: a message longer than DPT_TFTP_ERRMSG_MAX - 1 is cut to fit,
 * and a buffer too small gives 0. */
static void
build_error_limits(void **state)
{
	char msg[300];
	uint8_t buf[300];
	size_t n;

	memset(msg, 'm', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	n = dpt_tftp_build_error(buf, sizeof(buf), 0, msg);
	assert_int_equal(n, DPT_TFTP_HDR_LEN + DPT_TFTP_ERRMSG_MAX);
	assert_int_equal(buf[n - 1], 0);
	assert_memory_equal(buf + 4, msg, DPT_TFTP_ERRMSG_MAX - 1);
	assert_int_equal(dpt_tftp_build_error(buf, 4 + 5, 0, "abcde"), 0);
	assert_int_equal(dpt_tftp_build_error(buf, 4 + 6, 0, "abcde"), 10);
}

/* Verifies: ACK and DATA headers are opcode and block, big-endian. */
static void
build_ack_and_data_hdr(void **state)
{
	static const uint8_t ack[] = { 0, 4, 0x12, 0x34 };
	static const uint8_t ackmax[] = { 0, 4, 0xff, 0xff };
	static const uint8_t data[] = { 0, 3, 0xab, 0xcd };
	uint8_t buf[8];

	assert_int_equal(dpt_tftp_build_ack(buf, sizeof(buf), 0x1234), 4);
	assert_memory_equal(buf, ack, 4);
	assert_int_equal(dpt_tftp_build_ack(buf, sizeof(buf), 65535), 4);
	assert_memory_equal(buf, ackmax, 4);
	assert_int_equal(dpt_tftp_build_data_hdr(buf, sizeof(buf), 0xabcd), 4);
	assert_memory_equal(buf, data, 4);
	assert_int_equal(dpt_tftp_build_ack(buf, 3, 1), 0);
	assert_int_equal(dpt_tftp_build_data_hdr(buf, 3, 1), 0);
}

/* Verifies: the opcode is the first two bytes, 0 when fewer exist. */
static void
opcode_of_datagram(void **state)
{
	static const uint8_t p[] = { 0x01, 0x02, 0x03 };

	assert_int_equal(dpt_tftp_opcode(p, 0), 0);
	assert_int_equal(dpt_tftp_opcode(p, 1), 0);
	assert_int_equal(dpt_tftp_opcode(p, 2), 0x0102);
	assert_int_equal(dpt_tftp_opcode(p, 3), 0x0102);
}

/* Verifies: the default texts of RFC 1350 and RFC 2347 error codes. */
static void
error_strings(void **state)
{
	assert_string_equal(dpt_tftp_err_str(0), "Undefined error");
	assert_string_equal(dpt_tftp_err_str(1), "File not found");
	assert_string_equal(dpt_tftp_err_str(2), "Access violation");
	assert_string_equal(dpt_tftp_err_str(3),
			    "Disk full or allocation exceeded");
	assert_string_equal(dpt_tftp_err_str(4), "Illegal TFTP operation");
	assert_string_equal(dpt_tftp_err_str(5), "Unknown transfer ID");
	assert_string_equal(dpt_tftp_err_str(6), "File already exists");
	assert_string_equal(dpt_tftp_err_str(7), "No such user");
	assert_string_equal(dpt_tftp_err_str(8), "Option negotiation failed");
	assert_string_equal(dpt_tftp_err_str(9), "Unknown error");
	assert_string_equal(dpt_tftp_err_str(0xffff), "Unknown error");
}

/* Verifies: option names are looked up case-insensitively, by exact
 * length (the name need not be NUL-terminated). */
static void
option_lookup(void **state)
{
	assert_int_equal(dpt_tftp_opt_lookup("blksize", 7),
			 DPT_TFTP_OPT_BLKSIZE);
	assert_int_equal(dpt_tftp_opt_lookup("BlkSize", 7),
			 DPT_TFTP_OPT_BLKSIZE);
	assert_int_equal(dpt_tftp_opt_lookup("TIMEOUT", 7),
			 DPT_TFTP_OPT_TIMEOUT);
	assert_int_equal(dpt_tftp_opt_lookup("Tsize", 5), DPT_TFTP_OPT_TSIZE);
	assert_int_equal(dpt_tftp_opt_lookup("WindowSize", 10),
			 DPT_TFTP_OPT_WINDOWSIZE);
	assert_int_equal(dpt_tftp_opt_lookup("tsizeXYZ", 5),
			 DPT_TFTP_OPT_TSIZE);
	assert_int_equal(dpt_tftp_opt_lookup("blksiz", 6), -1);
	assert_int_equal(dpt_tftp_opt_lookup("blksize2", 8), -1);
	assert_int_equal(dpt_tftp_opt_lookup("multicast", 9), -1);
	assert_int_equal(dpt_tftp_opt_lookup("", 0), -1);
	assert_string_equal(dpt_tftp_opt_name(DPT_TFTP_OPT_BLKSIZE), "blksize");
	assert_string_equal(dpt_tftp_opt_name(DPT_TFTP_OPT_TIMEOUT), "timeout");
	assert_string_equal(dpt_tftp_opt_name(DPT_TFTP_OPT_TSIZE), "tsize");
	assert_string_equal(dpt_tftp_opt_name(DPT_TFTP_OPT_WINDOWSIZE),
			    "windowsize");
}

/* Verifies: every state and end reason has its console name, and values
 * out of range give "?". */
static void
state_and_end_names(void **state)
{
	assert_string_equal(dpt_tftp_state_name(DPT_TFTP_S_OACK_SENT),
			    "oack-sent");
	assert_string_equal(dpt_tftp_state_name(DPT_TFTP_S_DALLY), "dally");
	assert_string_equal(dpt_tftp_state_name(DPT_TFTP_S_DONE), "done");
	assert_string_equal(dpt_tftp_state_name((enum dpt_tftp_state)99), "?");
	assert_string_equal(dpt_tftp_end_name(DPT_TFTP_END_OPTION_PROBE),
			    "option-probe");
	assert_string_equal(dpt_tftp_end_name(DPT_TFTP_END_TIMEOUT),
			    "timeout");
	assert_string_equal(dpt_tftp_end_name(DPT_TFTP_END_COUNT), "?");
}

/* Verifies: the default block size ceiling is 1468 (1500-byte MTU) and
 * the timers are ordered min <= first <= max. */
static void
config_defaults(void **state)
{
	struct dpt_tftp_config c;

	memset(&c, 0xa5, sizeof(c));
	dpt_tftp_config_default(&c);
	assert_int_equal(c.blksize_max, 1468);
	assert_int_equal(c.refuse_mask, 0);
	assert_int_equal(c.upload_max, 0);
	assert_true(c.windowsize_max >= 1);
	assert_true(c.retries >= 1);
	assert_true(c.timeout_min_us <= c.timeout_us);
	assert_true(c.timeout_us <= c.timeout_max_us);
	assert_true(c.pace);
	assert_true(c.pace_min_us > 0 && c.pace_min_us < 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_rrq_octet),
		cmocka_unit_test(parse_wrq_netascii),
		cmocka_unit_test(parse_mode_case_insensitive),
		cmocka_unit_test(parse_mode_mail_refused),
		cmocka_unit_test(parse_mode_unknown_refused),
		cmocka_unit_test(parse_empty_filename),
		cmocka_unit_test(parse_filename_longest),
		cmocka_unit_test(parse_filename_too_long),
		cmocka_unit_test(parse_empty_and_one_byte),
		cmocka_unit_test(parse_unknown_opcode),
		cmocka_unit_test(parse_filename_bytes_kept),
		cmocka_unit_test(build_error_bytes),
		cmocka_unit_test(build_error_limits),
		cmocka_unit_test(build_ack_and_data_hdr),
		cmocka_unit_test(opcode_of_datagram),
		cmocka_unit_test(error_strings),
		cmocka_unit_test(option_lookup),
		cmocka_unit_test(state_and_end_names),
		cmocka_unit_test(config_defaults),
	};

	return cmocka_run_group_tests_name("tftp_codec", tests, NULL, NULL);
}
