/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The transfer log: what a record reads like in each format (client text
 * escaped, never raw), the history `show transfers` reads, and the JSON
 * file sink across a logrotate-style move and SIGHUP's reopen.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "dpt_xlog.h"

/* A download of 26000 bytes from 10.0.0.2:40001, blksize asked and
 * granted, tsize asked, an unknown option. */
static void
sample(struct dpt_transfer *t, const char *file)
{
	memset(t, 0, sizeof(*t));
	t->start_us = 1000;
	t->end_us = 1000 + 12345;
	t->bytes = 26000;
	t->blocks = 18;
	t->retransmits = 1;
	t->client_port = 40001;
	t->server_port = 50123;
	t->family = AF_INET;
	t->client_ip[0] = 10;
	t->client_ip[3] = 2;
	t->op = DPT_TFTP_RRQ;
	t->mode = DPT_TFTP_MODE_OCTET;
	t->result = DPT_TFTP_END_COMPLETE;
	t->asked[DPT_TFTP_OPT_BLKSIZE].present = true;
	t->asked[DPT_TFTP_OPT_BLKSIZE].valid = true;
	t->asked[DPT_TFTP_OPT_BLKSIZE].value = 1468;
	t->asked[DPT_TFTP_OPT_TSIZE].present = true;
	t->n_unknown = 1;
	t->granted.accepted = DPT_TFTP_OPT_BIT(DPT_TFTP_OPT_BLKSIZE);
	t->granted.blksize = 1468;
	snprintf(t->file, sizeof(t->file), "%s", file);
}

static void
entry(struct dpt_xlog_entry *e, const char *file)
{
	memset(e, 0, sizeof(*e));
	e->seq = 7;
	e->start_unix_us = 1767225600000000ull + 250000;  /* 2026-01-01 */
	sample(&e->t, file);
}

/* Verifies: the JSON line carries every field, options as numbers (an
 * invalid value as null), and the file name in lib/text's form with its
 * backslashes and quotes escaped for JSON: no raw control byte. */
static void
json_line(void **state)
{
	struct dpt_xlog_entry e;
	char buf[DPT_XLOG_LINE_MAX];
	size_t n;

	entry(&e, "a\"b\\c\x1b\n.bin");
	n = dpt_xlog_json(&e, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf,
		"{\"seq\":7,\"start\":\"2026-01-01T00:00:00.250000Z\","
		"\"client\":\"10.0.0.2\",\"client_port\":40001,"
		"\"server_port\":50123,\"request\":\"RRQ\","
		"\"file\":\"a\\\"b\\\\x5cc\\\\x1b\\\\x0a.bin\",\"mode\":\"octet\","
		"\"options_asked\":{\"blksize\":1468,\"tsize\":null},"
		"\"options_unknown\":1,\"options_granted\":{\"blksize\":1468},"
		"\"bytes\":26000,\"blocks\":18,\"retransmits\":1,"
		"\"duration\":0.012345,\"result\":\"complete\"}");
}

/* Verifies: an ERROR is in the JSON line with who sent it, its code and
 * its escaped message; a refusal reads "refused". */
static void
json_error(void **state)
{
	struct dpt_xlog_entry e;
	char buf[DPT_XLOG_LINE_MAX];

	entry(&e, "x");
	e.t.result = DPT_XFER_REFUSED;
	e.t.err_dir = DPT_TFTP_ERR_SENT;
	e.t.err_code = 1;
	snprintf(e.t.err_msg, sizeof(e.t.err_msg), "File not found");
	dpt_xlog_json(&e, buf, sizeof(buf));
	assert_non_null(strstr(buf, ",\"result\":\"refused\",\"error\":"
			       "{\"from\":\"server\",\"code\":1,"
			       "\"message\":\"File not found\"}}"));
	e.t.err_dir = DPT_TFTP_ERR_RECEIVED;
	snprintf(e.t.err_msg, sizeof(e.t.err_msg), "bad\x07");
	dpt_xlog_json(&e, buf, sizeof(buf));
	assert_non_null(strstr(buf, "{\"from\":\"client\",\"code\":1,"
			       "\"message\":\"bad\\\\x07\"}"));
}

/* Verifies: the syslog line is logfmt, starting with the request's time
 * as the JSON record has it; quotes in client text as \x22. */
static void
logfmt_line(void **state)
{
	struct dpt_xlog_entry e;
	char buf[DPT_XLOG_LINE_MAX];

	entry(&e, "pxe\"linux.0");
	e.t.result = DPT_TFTP_END_CLIENT_ERROR;
	e.t.err_dir = DPT_TFTP_ERR_RECEIVED;
	e.t.err_code = 8;
	snprintf(e.t.err_msg, sizeof(e.t.err_msg), "no");
	dpt_xlog_logfmt(&e, buf, sizeof(buf));
	assert_string_equal(buf,
		"transfer 7: start=2026-01-01T00:00:00.250000Z "
		"client=10.0.0.2:40001 port=50123 op=RRQ "
		"file=\"pxe\\x22linux.0\" mode=octet "
		"asked=\"blksize=1468 tsize=invalid unknown=1\" "
		"granted=\"blksize=1468\" bytes=26000 blocks=18 "
		"retransmits=1 duration=0.012345s result=client-error "
		"error_code=8 error=\"no\" error_from=client");
}

/* Verifies: the console block, IPv6 client in brackets. */
static void
console_block(void **state)
{
	struct dpt_xlog_entry e;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	entry(&e, "f1.bin");
	e.t.family = AF_INET6;
	memset(e.t.client_ip, 0, 16);
	e.t.client_ip[0] = 0xfd;
	e.t.client_ip[15] = 2;
	dpt_xlog_print(f, &e);
	fclose(f);
	assert_string_equal(buf,
		"Transfer: 7\n  Start: 2026-01-01T00:00:00.250000Z\n"
		"  Client: [fd00::2]:40001\n  Server-port: 50123\n"
		"  Request: RRQ\n  File: f1.bin\n  Mode: octet\n"
		"  Options-asked: blksize=1468 tsize=invalid unknown=1\n"
		"  Options-granted: blksize=1468\n  Bytes: 26000\n"
		"  Blocks: 18\n  Retransmits: 1\n  Duration: 0.012345 s\n"
		"  Result: complete\n  Error: none\n");
	free(buf);
}

static void
collect(const struct dpt_xlog_entry *e, void *arg)
{
	char *names = arg;

	strcat(names, e->t.file);
}

/* Verifies: the history keeps the last records, oldest first, numbered
 * from 1; asking for more than there are gives what there is. */
static void
history(void **state)
{
	struct dpt_xlog *xl = dpt_xlog_create(3);
	struct dpt_transfer t;
	struct dpt_xlog_stats st;
	char names[64] = "";
	const char *files[] = { "a", "b", "c", "d", "e" };
	unsigned int i;

	assert_non_null(xl);
	assert_int_equal(dpt_xlog_last(xl, 10, collect, names), 0);
	for (i = 0; i < 2; i++) {
		sample(&t, files[i]);
		dpt_xlog_add(&t, xl);
	}
	assert_int_equal(dpt_xlog_last(xl, 10, collect, names), 2);
	assert_string_equal(names, "ab");
	for (; i < 5; i++) {
		sample(&t, files[i]);
		dpt_xlog_add(&t, xl);
	}
	names[0] = '\0';
	assert_int_equal(dpt_xlog_last(xl, 2, collect, names), 2);
	assert_string_equal(names, "de");
	names[0] = '\0';
	assert_int_equal(dpt_xlog_last(xl, 100, collect, names), 3);
	assert_string_equal(names, "cde");
	dpt_xlog_stats(xl, &st);
	assert_int_equal(st.records, 5);
	assert_int_equal(st.written, 0);	/* sink off */
	dpt_xlog_destroy(xl);
}

static unsigned int
count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned int n = 0;
	int c;

	if (f == NULL)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Verifies: the file sink appends one line a record; after the file is
 * moved away (logrotate), records follow it until the reopen, then go to
 * a new file at the path; an unopenable path is refused with the sink
 * unchanged. */
static void
file_sink_reopen(void **state)
{
	char dir[] = "/tmp/dpt-test-xlog-XXXXXX", path[128], moved[128];
	char err[256];
	struct dpt_xlog *xl = dpt_xlog_create(4);
	struct dpt_transfer t;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/transfers.json", dir);
	snprintf(moved, sizeof(moved), "%s/transfers.json.1", dir);
	assert_int_equal(dpt_xlog_set_sink(xl, path, err, sizeof(err)), 0);
	assert_int_equal(dpt_xlog_sink(xl), DPT_XLOG_FILE);
	sample(&t, "one");
	dpt_xlog_add(&t, xl);
	dpt_xlog_add(&t, xl);
	assert_int_equal(count_lines(path), 2);
	assert_int_equal(rename(path, moved), 0);
	dpt_xlog_add(&t, xl);
	assert_int_equal(count_lines(moved), 3);
	assert_int_equal(dpt_xlog_reopen(xl, err, sizeof(err)), 0);
	dpt_xlog_add(&t, xl);
	assert_int_equal(count_lines(path), 1);
	assert_int_equal(count_lines(moved), 3);
	assert_int_equal(dpt_xlog_set_sink(xl, "/nonexistent/dir/x.json", err,
					   sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot open"));
	assert_int_equal(dpt_xlog_sink(xl), DPT_XLOG_FILE);
	dpt_xlog_destroy(xl);
	unlink(path);
	unlink(moved);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_line),
		cmocka_unit_test(json_error),
		cmocka_unit_test(logfmt_line),
		cmocka_unit_test(console_block),
		cmocka_unit_test(history),
		cmocka_unit_test(file_sink_reopen),
	};

	return cmocka_run_group_tests_name("xlog", tests, NULL, NULL);
}
