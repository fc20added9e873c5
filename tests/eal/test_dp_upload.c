/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * lib/dp: an upload's messages between its worker and the main lcore's
 * writer (open, each block, the commit or the abort), on a real folder:
 * the file appears whole or not at all, and every message goes back to
 * its pool.
 */

#include <dirent.h>
#include <sys/stat.h>

#include "test_dp.h"

static const struct dpt_upload_policy upload_on = {
	.enabled = true,
	.replace = false,
	.mode = 0644,
};

static const struct tdp_opts opts_upload = { .upload = &upload_on };

/* Temporary files (DPT_UPLOAD_TMP_PREFIX) left in the root. */
static unsigned int
temporaries(void)
{
	DIR *d = opendir(F.root);
	struct dirent *e;
	unsigned int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, DPT_UPLOAD_TMP_PREFIX,
			    strlen(DPT_UPLOAD_TMP_PREFIX)) == 0)
			n++;
	closedir(d);
	return n;
}

static void
remove_file(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", F.root, name);
	unlink(path);
}

/* Block b of the upload: 512 bytes of a pattern of b. */
static void
block_of(uint8_t *p, uint16_t b)
{
	size_t i;

	for (i = 0; i < 512; i++)
		p[i] = (uint8_t)(b * 7 + i);
}

/*
 * Verifies: a WRQ is answered ACK 0 from a session port once the writer
 * opened its temporary; each DATA is acknowledged once the main lcore
 * has it; the final ACK waits for the commit, and then the file holds
 * exactly the bytes sent; uploads 1, bytes-uploaded 612; no temporary
 * left, every message back in its pool.
 */
static void
upload_committed(void **state)
{
	uint8_t req[64], blk[512], got[1024];
	size_t n = wrq(req, "up.bin");
	uint16_t sport, op, block;
	char path[128];
	uint64_t t;
	FILE *f;

	tdp_create(&opts_upload);
	F.dp->workers[0].tftp.dally_us = 20000;
	send_at(32001, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(32001, &op, &block, &sport), 1);
	assert_int_equal(op, DPT_TFTP_ACK);
	assert_int_equal(block, 0);
	assert_int_not_equal(sport, DPT_TFTP_PORT);
	assert_int_equal(temporaries(), 1);
	tx_clear();
	block_of(blk, 1);
	data(32001, sport, 1, blk, 512);
	run();
	assert_int_equal(sent_to(32001, &op, &block, NULL), 1);
	assert_int_equal(op, DPT_TFTP_ACK);
	assert_int_equal(block, 1);
	tx_clear();
	block_of(blk, 2);
	data(32001, sport, 2, blk, 100);
	run();
	assert_int_equal(sent_to(32001, &op, &block, NULL), 1);
	assert_int_equal(block, 2);
	assert_int_equal(temporaries(), 0);	/* renamed into place */
	/* the session dallies (a lost final ACK is sent again), then ends */
	t = dpt_dp_now_us();
	while (stats().active != 0 && dpt_dp_now_us() < t + 2000000)
		run();
	assert_int_equal(stats().uploads_done, 1);
	assert_int_equal(stats().bytes_uploaded, 612);
	assert_int_equal(stats().active, 0);
	assert_int_equal(temporaries(), 0);
	snprintf(path, sizeof(path), "%s/up.bin", F.root);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof(got), f), 612);
	fclose(f);
	block_of(blk, 1);
	assert_memory_equal(got, blk, 512);
	block_of(blk, 2);
	assert_memory_equal(got + 512, blk, 100);
	assert_int_equal(rte_mempool_avail_count(F.dp->msg_pool), F.msgs_free);
	remove_file("up.bin");
}

/*
 * Verifies: an upload the client gives up (ERROR after block 1) leaves
 * neither the file nor its temporary, counts failed, and gives every
 * message back; a WRQ for a file that exists is ERROR 6 (create only),
 * the file untouched.
 */
static void
upload_aborted(void **state)
{
	uint8_t req[64], blk[512];
	size_t n = wrq(req, "gone.bin");
	uint16_t sport, op, code;
	struct stat st;
	char path[128];

	tdp_create(&opts_upload);
	send_at(32002, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(32002, NULL, NULL, &sport), 1);
	block_of(blk, 1);
	data(32002, sport, 1, blk, 512);
	run();
	error_to(32002, sport, DPT_TFTP_ENOTDEFINED, "cancelled");
	run();
	assert_int_equal(stats().sess_failed, 1);
	assert_int_equal(stats().uploads_done, 0);
	assert_int_equal(temporaries(), 0);
	snprintf(path, sizeof(path), "%s/gone.bin", F.root);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(rte_mempool_avail_count(F.dp->msg_pool), F.msgs_free);

	n = wrq(req, "small.bin");
	tx_clear();
	send_at(32003, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(32003, &op, &code, NULL), 1);
	assert_int_equal(op, DPT_TFTP_ERROR);
	assert_int_equal(code, DPT_TFTP_EEXISTS);
	snprintf(path, sizeof(path), "%s/small.bin", F.root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, SMALL_SIZE);
	assert_int_equal(rte_mempool_avail_count(F.dp->msg_pool), F.msgs_free);
}

/* Verifies: with uploads off a WRQ is ERROR 2 "Uploads are disabled",
 * and no session starts. */
static void
upload_disabled(void **state)
{
	uint8_t req[64];
	size_t n = wrq(req, "no.bin");
	uint16_t op, code;

	send_at(32004, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(32004, &op, &code, NULL), 1);
	assert_int_equal(op, DPT_TFTP_ERROR);
	assert_int_equal(code, DPT_TFTP_EACCESS);
	assert_string_equal(error_sent_to(32004), "Uploads are disabled");
	assert_int_equal(stats().sess_started, 0);
}

static struct dpt_transfer up_rec;
static unsigned int up_recs;

static void
take_up_rec(const struct dpt_transfer *r, void *arg)
{
	up_rec = *r;
	up_recs++;
}

/*
 * Verifies: an upload's record and the duration histogram end when the
 * final ACK went out, not when the dally after it does: with a 300 ms
 * dally (that runs: the session stays that long), the duration and the
 * histogram's sum stay under it; the record says WRQ, complete, 612
 * bytes.
 */
static void
upload_record_ends_at_final_ack(void **state)
{
	uint8_t req[64], blk[512];
	size_t n = wrq(req, "rec.bin");
	uint16_t sport, block;
	uint64_t t;

	tdp_create(&opts_upload);
	F.dp->workers[0].tftp.dally_us = 300000;
	up_recs = 0;
	dpt_dp_set_transfer_fn(F.dp, take_up_rec, NULL);
	send_at(32005, DPT_TFTP_PORT, req, n, rte_rdtsc());
	run();
	assert_int_equal(sent_to(32005, NULL, NULL, &sport), 1);
	block_of(blk, 1);
	data(32005, sport, 1, blk, 512);
	run();
	data(32005, sport, 2, blk, 100);
	run();
	assert_int_equal(sent_to(32005, NULL, &block, NULL), 3);
	assert_int_equal(block, 2);		/* the final ACK */
	t = dpt_dp_now_us();
	while (stats().active != 0 && dpt_dp_now_us() < t + 2000000)
		run();
	assert_true(dpt_dp_now_us() - t > 200000);	/* it dallied */
	assert_int_equal(up_recs, 1);
	assert_int_equal(up_rec.op, DPT_TFTP_WRQ);
	assert_int_equal(up_rec.result, DPT_TFTP_END_COMPLETE);
	assert_int_equal(up_rec.bytes, 612);
	assert_true(up_rec.end_us >= up_rec.start_us);
	assert_true(up_rec.end_us - up_rec.start_us < 200000);
	assert_true(stats().dur_sum_us < 200000);
	dpt_dp_set_transfer_fn(F.dp, NULL, NULL);
	remove_file("rec.bin");
}

const struct CMUnitTest tdp_upload_tests[] = {
	TDP_TEST_OWN(upload_record_ends_at_final_ack),
	TDP_TEST_OWN(upload_committed),
	TDP_TEST_OWN(upload_aborted),
	TDP_TEST(upload_disabled),
};

const size_t tdp_upload_count = TDP_DIM(tdp_upload_tests);
