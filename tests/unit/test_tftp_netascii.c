/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Netascii (RFC 764 via RFC 1350): LF <-> CR LF and CR <-> CR NUL, through
 * the streaming encoder/decoder and through whole RRQ and WRQ sessions,
 * with pairs split across every kind of block boundary.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tftp_harness.h"

/* Texts that put CR, LF and pairs on block edges for small block sizes. */
#define TEXT(s) { (const uint8_t *)(s), sizeof(s) - 1 }
static const struct {
	const uint8_t *p;
	size_t len;
} adv[] = {
	TEXT(""),
	TEXT("\n"),
	TEXT("\r"),
	TEXT("abc\r"),
	TEXT("abcdefg\nabcdefg\nabcdefg\nabcdefg\n"),
	TEXT("abcdefg\rabcdefg\rabcdefg\rabcdefg\r"),
	TEXT("abcdef\r\nabcdef\r\nabcdef\r\n"),
	TEXT("\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"),
	TEXT("\r\r\r\r\r\r\r\r\r"),
	TEXT("\r\n\r\n\r\n\r\n\r\n\r"),
	TEXT("x\0y\r\0\n\0"),
	TEXT("abcdefgh"),
	TEXT("abc\rdef\nghi\r\r\n\n\rjkl\r"),
};
#define N_ADV (sizeof(adv) / sizeof(adv[0]))

/* A text of len bytes, dense in CR and LF, from seed. */
static uint8_t *
random_text(size_t len, uint32_t seed)
{
	static const uint8_t alphabet[] = { 'a', '\r', '\n', '\0', 'z', '\r',
					    '\n', ' ' };
	uint8_t *p = malloc(len + 1);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = alphabet[th_rand(&seed) % sizeof(alphabet)];
	return p;
}

/* Text i of the loops: the adversarial ones, then random ones of rlen
 * bytes; *len gets its length. The caller frees it. */
static uint8_t *
text_at(size_t i, size_t rlen, size_t *len)
{
	uint8_t *p;

	if (i >= N_ADV) {
		*len = rlen;
		return random_text(rlen, (uint32_t)(i * 77 + 1));
	}
	*len = adv[i].len;
	p = malloc(adv[i].len + 1);
	assert_non_null(p);
	memcpy(p, adv[i].p, adv[i].len);
	return p;
}

/* Encodes in with output pieces of at most cap (cap 0: random 1..9). */
static size_t
encode_pieces(const uint8_t *in, size_t len, uint8_t *out, size_t cap,
	      uint32_t seed)
{
	struct dpt_tftp_nva_enc st = { 0 };
	size_t pos = 0, o = 0;

	while (pos < len || st.pending != 0) {
		size_t c = cap != 0 ? cap : 1 + th_rand(&seed) % 9;
		size_t used = 0, n;

		n = dpt_tftp_nva_encode(&st, in + pos, len - pos, out + o, c,
					&used);
		assert_true(n > 0 && n <= c);
		pos += used;
		o += n;
	}
	return o;
}

/* Decodes in cut at the given points, flushing at the end. */
static size_t
decode_cut(const uint8_t *in, size_t len, size_t cut1, size_t cut2,
	   uint8_t *out)
{
	struct dpt_tftp_nva_dec st = { 0 };
	size_t o = 0;

	o += dpt_tftp_nva_decode(&st, in, cut1, out + o);
	o += dpt_tftp_nva_decode(&st, in + cut1, cut2 - cut1, out + o);
	o += dpt_tftp_nva_decode(&st, in + cut2, len - cut2, out + o);
	o += dpt_tftp_nva_decode_end(&st, out + o);
	return o;
}

/* Verifies: LF -> CR LF, CR -> CR NUL, other bytes (NUL too) as they
 * are; counting only (out NULL) gives the same sizes. */
static void
encode_basic(void **state)
{
	static const uint8_t in[] = "a\nb\rc\0d";
	static const uint8_t want[] = "a\r\nb\r\0c\0d";
	struct dpt_tftp_nva_enc st = { 0 };
	uint8_t out[32];
	size_t used;

	assert_int_equal(dpt_tftp_nva_encode(&st, in, 7, out, sizeof(out),
					     &used), 9);
	assert_int_equal(used, 7);
	assert_memory_equal(out, want, 9);
	assert_int_equal(st.pending, 0);
	/* Counting only (out NULL) stops at the same place. */
	assert_int_equal(dpt_tftp_nva_encode(&st, in, 7, NULL, 5, &used), 5);
	assert_int_equal(used, 4);
	assert_int_equal(st.pending, 0xff);
}

/* Verifies: a pair cut by the output's end is finished first by the next
 * call: CR | LF, and CR | NUL. */
static void
encode_pair_split(void **state)
{
	struct dpt_tftp_nva_enc st = { 0 };
	uint8_t out[4];
	size_t used;

	assert_int_equal(dpt_tftp_nva_encode(&st, (const uint8_t *)"\n", 1, out,
					     1, &used), 1);
	assert_int_equal(used, 1);
	assert_int_equal(out[0], '\r');
	assert_int_equal(dpt_tftp_nva_encode(&st, (const uint8_t *)"\r", 1, out,
					     4, &used), 3);
	assert_int_equal(used, 1);
	assert_memory_equal(out, "\n\r\0", 3);
	assert_int_equal(dpt_tftp_nva_encode(&st, (const uint8_t *)"x\r", 2,
					     out, 2, &used), 2);
	assert_int_equal(used, 2);
	assert_memory_equal(out, "x\r", 2);
	assert_int_equal(dpt_tftp_nva_encode(&st, NULL, 0, out, 4, &used), 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(st.pending, 0);
}

/* Verifies: with every output size 1..9 and random ones, the encoder's
 * pieces join into the reference encoding, for adversarial and random
 * texts. */
static void
encode_any_split(void **state)
{
	uint8_t ref[8192], out[8192];
	size_t i, cap, n, n2;

	for (i = 0; i < N_ADV + 4; i++) {
		size_t len;
		uint8_t *text = text_at(i, 1500, &len);

		n = th_nva_ref_encode(text, len, ref);
		for (cap = 0; cap <= 9; cap++) {
			memset(out, 0x5a, sizeof(out));
			n2 = encode_pieces(text, len, out, cap,
					   (uint32_t)(9 + i));
			assert_int_equal(n2, n);
			assert_memory_equal(out, ref, n);
		}
		free(text);
	}
}

/* Verifies: CR LF -> LF, CR NUL -> CR, a bare CR followed by anything
 * else is kept with that byte. */
static void
decode_basic(void **state)
{
	static const uint8_t in[] = "a\r\nb\r\0c\rd\r\r\n";
	static const uint8_t want[] = "a\nb\rc\rd\r\n";
	struct dpt_tftp_nva_dec st = { 0 };
	uint8_t out[32];

	assert_int_equal(dpt_tftp_nva_decode(&st, in, sizeof(in) - 1, out),
			 sizeof(want) - 1);
	assert_memory_equal(out, want, sizeof(want) - 1);
	assert_false(st.cr);
	assert_int_equal(dpt_tftp_nva_decode_end(&st, out), 0);
}

/* Verifies: a CR ending one block is resolved by the next one, and a CR
 * at the very end of the stream comes out at the flush. */
static void
decode_cr_carried(void **state)
{
	struct dpt_tftp_nva_dec st = { 0 };
	uint8_t out[8];

	assert_int_equal(dpt_tftp_nva_decode(&st, (const uint8_t *)"ab\r", 3,
					     out), 2);
	assert_true(st.cr);
	assert_int_equal(dpt_tftp_nva_decode(&st, (const uint8_t *)"\n", 1,
					     out), 1);
	assert_int_equal(out[0], '\n');
	assert_int_equal(dpt_tftp_nva_decode(&st, (const uint8_t *)"\r", 1,
					     out), 0);
	assert_int_equal(dpt_tftp_nva_decode(&st, (const uint8_t *)"\0", 1,
					     out), 1);
	assert_int_equal(out[0], '\r');
	assert_int_equal(dpt_tftp_nva_decode(&st, (const uint8_t *)"\r", 1,
					     out), 0);
	assert_int_equal(dpt_tftp_nva_decode(&st, (const uint8_t *)"\r", 1,
					     out), 1);
	assert_int_equal(out[0], '\r');
	assert_int_equal(dpt_tftp_nva_decode_end(&st, out), 1);
	assert_int_equal(out[0], '\r');
	assert_false(st.cr);
}

/* Verifies: encode then decode gives the text back, whatever two cuts
 * the encoded stream gets (every pair of cut points for short texts). */
static void
round_trip_any_cut(void **state)
{
	uint8_t enc[4096], dec[4096];
	size_t i, a, b, n;

	for (i = 0; i < N_ADV + 6; i++) {
		size_t len, step;
		uint8_t *text = text_at(i, 40 + 300 * (i % 6), &len);

		n = th_nva_ref_encode(text, len, enc);
		step = n > 60 ? n / 37 + 1 : 1;
		for (a = 0; a <= n; a += step) {
			for (b = a; b <= n; b += step) {
				assert_int_equal(decode_cut(enc, n, a, b, dec),
						 len);
				assert_memory_equal(dec, text, len);
			}
		}
		free(text);
	}
}

/* Steps: start an RRQ netascii of text with blksize bs and window w,
 * answer the OACK. */
static void
rrq_nva_start(struct th *t, const uint8_t *text, size_t len, const char *bs,
	      const char *w)
{
	th_file(t, text, len);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "netascii", "blksize", bs,
				  "windowsize", w, NULL), 0);
	th_expect_oack(t, 0, "blksize", bs, "windowsize", w);
	th_clear(t);
	th_ack(t, 0);
}

/*
 * Steps: an RRQ netascii session reads text to the end. Verifies: the
 * DATA payloads join into the reference encoding, every block but the
 * last is full, their count is length / blksize + 1, and decoding gives
 * the text back.
 */
static void
rrq_nva_check(struct th *t, const uint8_t *text, size_t len, size_t bs,
	      size_t w)
{
	char bss[8], ws[8];
	uint8_t *ref = malloc(2 * len + 1), *got, *dec;
	size_t n, glen;
	uint64_t n_data;
	struct dpt_tftp_nva_dec st = { 0 };

	assert_non_null(ref);
	snprintf(bss, sizeof(bss), "%zu", bs);
	snprintf(ws, sizeof(ws), "%zu", w);
	n = th_nva_ref_encode(text, len, ref);
	rrq_nva_start(t, text, len, bss, ws);
	got = th_client_read(t, &glen, &n_data);
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
	assert_int_equal(glen, n);
	assert_memory_equal(got, ref, n);
	assert_int_equal(n_data, n / bs + 1);
	dec = malloc(glen + 2);
	assert_non_null(dec);
	n = dpt_tftp_nva_decode(&st, got, glen, dec);
	n += dpt_tftp_nva_decode_end(&st, dec + n);
	assert_int_equal(n, len);
	assert_memory_equal(dec, text, len);
	free(dec);
	free(ref);
}

/* Verifies: DATA bytes are exact when LF pairs straddle 8-byte blocks. */
static void
rrq_nva_exact_blocks(void **state)
{
	struct th *t = *state;

	rrq_nva_start(t, (const uint8_t *)"abcdefg\nabcdefg\n", 16, "8", "1");
	th_expect_sent(t, 1);
	th_expect_data(t, 0, 1, "abcdefg\r", 8);
	th_clear(t);
	th_ack(t, 1);
	th_expect_data(t, 0, 2, "\nabcdefg", 8);
	th_clear(t);
	th_ack(t, 2);
	th_expect_data(t, 0, 3, "\r\n", 2);
	th_clear(t);
	th_ack(t, 3);
	th_expect_sent(t, 0);
	assert_int_equal(th_end(t), DPT_TFTP_END_COMPLETE);
}

/* Verifies: an encoding of exactly k blocks ends with an empty DATA. */
static void
rrq_nva_empty_final(void **state)
{
	struct th *t = *state;

	rrq_nva_start(t, (const uint8_t *)"abc\rdefghi\n", 11, "8", "4");
	th_expect_sent(t, 2);
	th_expect_data(t, 0, 1, "abc\r\0def", 8);
	th_expect_data(t, 1, 2, "ghi\r\n", 5);
	th_clear(t);
	rrq_nva_start(t, (const uint8_t *)"abcdef\n", 7, "8", "4");
	th_expect_sent(t, 2);
	th_expect_data(t, 0, 1, "abcdef\r\n", 8);
	th_expect_data(t, 1, 2, "", 0);
}

/* Verifies: whole RRQ sessions over adversarial texts at block sizes 8,
 * 9, 512 and windows 1 and 3. */
static void
rrq_nva_adversarial(void **state)
{
	static const size_t sizes[] = { 8, 9, 512 };
	struct th *t = *state;
	size_t i, j;

	for (i = 0; i < N_ADV; i++) {
		for (j = 0; j < 3; j++) {
			th_clear(t);
			rrq_nva_check(t, adv[i].p, adv[i].len, sizes[j],
				      j == 1 ? 3 : 1);
		}
	}
}

/* Verifies: whole RRQ sessions over random texts, windows 1 and 4. */
static void
rrq_nva_random(void **state)
{
	struct th *t = *state;
	uint8_t *text;
	uint32_t seed;

	for (seed = 1; seed <= 4; seed++) {
		text = random_text(3000 + seed * 7, seed);
		th_clear(t);
		rrq_nva_check(t, text, 3000 + seed * 7, seed == 1 ? 512 : 8,
			      seed % 2 == 0 ? 4 : 1);
		free(text);
	}
}

/* Verifies: a partial ACK in a netascii window restarts at the block
 * after it with the right bytes (the encoder state of that boundary). */
static void
rrq_nva_partial_ack(void **state)
{
	struct th *t = *state;
	uint8_t text[80], ref[160];
	size_t i, n;

	for (i = 0; i < sizeof(text); i++)
		text[i] = i % 8 == 7 ? '\n' : (uint8_t)('a' + i % 8);
	n = th_nva_ref_encode(text, sizeof(text), ref);
	assert_int_equal(n, 90);
	rrq_nva_start(t, text, sizeof(text), "8", "4");
	th_expect_sent(t, 4);
	for (i = 0; i < 4; i++)
		th_expect_data(t, i, (uint16_t)(i + 1), ref + 8 * i, 8);
	th_clear(t);
	th_ack(t, 2);
	th_expect_sent(t, 4);
	for (i = 0; i < 4; i++)
		th_expect_data(t, i, (uint16_t)(i + 3), ref + 8 * (i + 2), 8);
}

/* Verifies: a timeout resends the unacknowledged blocks byte for byte. */
static void
rrq_nva_timeout_same_bytes(void **state)
{
	struct th *t = *state;
	uint8_t text[40], ref[80];
	size_t i;

	for (i = 0; i < sizeof(text); i++)
		text[i] = i % 5 == 4 ? '\r' : (uint8_t)('0' + i % 5);
	th_nva_ref_encode(text, sizeof(text), ref);
	rrq_nva_start(t, text, sizeof(text), "8", "3");
	th_clear(t);
	th_ack(t, 3);
	th_expect_sent(t, 3);
	th_clear(t);
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 3);
	for (i = 0; i < 3; i++)
		th_expect_data(t, i, (uint16_t)(i + 4), ref + 8 * (i + 3), 8);
}

/* Verifies: netascii never uses the zero-copy send_data() callback. */
static void
rrq_nva_no_zero_copy(void **state)
{
	struct th *t = *state;

	t->zero_copy = true;
	th_file(t, "a\nb", 3);
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "NETASCII", NULL), 0);
	assert_int_equal(t->n_zc, 0);
	th_expect_sent(t, 1);
	th_expect_data(t, 0, 1, "a\r\nb", 4);
}

/* Steps: a WRQ netascii session receives the reference encoding of text
 * in blocks of bs with window w. Verifies: the file holds text. */
static void
wrq_nva_check(struct th *t, const uint8_t *text, size_t len, const char *bs,
	      const char *w)
{
	uint8_t *wire = malloc(2 * len + 1);
	size_t n = th_nva_ref_encode(text, len, wire);

	assert_non_null(wire);
	t->wlen = 0;
	t->w_bytes = 0;
	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "netascii", "blksize", bs,
				  "windowsize", w, NULL), 0);
	th_client_write(t, wire, n);
	assert_int_equal(th_state(t), DPT_TFTP_S_DALLY);
	assert_int_equal(t->wlen, len);
	assert_int_equal(t->w_bytes, len);
	if (len > 0)
		assert_memory_equal(t->wbuf, text, len);
	free(wire);
}

/* Verifies: WRQ netascii decodes adversarial texts split at 8 and 9
 * bytes, and random texts at 512, into the original file. */
static void
wrq_nva_round_trip(void **state)
{
	struct th *t = *state;
	uint8_t *text;
	size_t i;

	for (i = 0; i < N_ADV; i++) {
		wrq_nva_check(t, adv[i].p, adv[i].len, "8", "1");
		wrq_nva_check(t, adv[i].p, adv[i].len, "9", "2");
	}
	for (i = 0; i < 3; i++) {
		text = random_text(2000 + i * 600, (uint32_t)(i + 40));
		wrq_nva_check(t, text, 2000 + i * 600, "512", "1");
		wrq_nva_check(t, text, 2000 + i * 600, "8", "4");
		free(text);
	}
}

/* Verifies: a bare CR ending the upload (a sender that did not write
 * CR NUL) is kept as CR at the end of the file. */
static void
wrq_nva_bare_final_cr(void **state)
{
	struct th *t = *state;

	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "netascii", NULL), 0);
	th_clear(t);
	th_data(t, 1, "ab\r\ncd\r", 7);
	th_expect_ack(t, 0, 1);
	assert_int_equal(t->wlen, 6);
	assert_memory_equal(t->wbuf, "ab\ncd\r", 6);
}

/* Verifies: a read() -EAGAIN in the middle of a netascii block sends
 * nothing; once resident, the block comes out whole and exact. */
static void
rrq_nva_stall_mid_block(void **state)
{
	struct th *t = *state;

	th_file(t, "abc\ndef\rghij", 12);
	t->resident = 5;
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "netascii", "blksize", "8",
				  NULL), 0);
	th_clear(t);
	th_ack(t, 0);
	th_expect_sent(t, 0);
	assert_int_equal(dpt_tftp_session_deadline(t->s),
			 t->now + t->cfg.stall_us);
	t->resident = t->file_size;
	dpt_tftp_session_kick(t->s, t->now);
	th_expect_sent(t, 1);
	th_expect_data(t, 0, 1, "abc\r\ndef", 8);
	th_clear(t);
	th_ack(t, 1);
	th_expect_data(t, 0, 2, "\r\0ghij", 6);
}

/* Verifies: a block built from several reads (blksize 1024 > the 512-byte
 * read chunk) that stalls on its second read is not sent short; it goes
 * out whole once resident. */
static void
rrq_nva_stall_second_read(void **state)
{
	struct th *t = *state;
	uint8_t text[1000];
	size_t i;

	for (i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)('A' + i % 23);
	th_file(t, text, sizeof(text));
	t->resident = 600;
	assert_int_equal(th_start(t, DPT_TFTP_RRQ, "netascii", "blksize",
				  "1024", NULL), 0);
	th_clear(t);
	th_ack(t, 0);
	th_expect_sent(t, 0);
	t->resident = t->file_size;
	th_at(t, dpt_tftp_session_deadline(t->s));
	th_expect_sent(t, 1);
	th_expect_data(t, 0, 1, text, sizeof(text));
}

/* Verifies: a netascii block refused by write() -EAGAIN does not eat the
 * CR carried from the block before: the resent block decodes the same. */
static void
wrq_nva_eagain_keeps_cr(void **state)
{
	struct th *t = *state;

	assert_int_equal(th_start(t, DPT_TFTP_WRQ, "netascii", "blksize", "8",
				  NULL), 0);
	th_clear(t);
	th_data(t, 1, "abcdefg\r", 8);
	th_expect_ack(t, 0, 1);
	th_clear(t);
	t->write_eagain_once = true;
	th_data(t, 2, "\0xyz", 4);
	th_expect_sent(t, 0);
	th_data(t, 2, "\0xyz", 4);
	th_expect_ack(t, 0, 2);
	assert_int_equal(t->wlen, 11);
	assert_memory_equal(t->wbuf, "abcdefg\rxyz", 11);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode_basic),
		cmocka_unit_test(encode_pair_split),
		cmocka_unit_test(encode_any_split),
		cmocka_unit_test(decode_basic),
		cmocka_unit_test(decode_cr_carried),
		cmocka_unit_test(round_trip_any_cut),
		TH_TEST(rrq_nva_exact_blocks),
		TH_TEST(rrq_nva_empty_final),
		TH_TEST(rrq_nva_adversarial),
		TH_TEST(rrq_nva_random),
		TH_TEST(rrq_nva_partial_ack),
		TH_TEST(rrq_nva_timeout_same_bytes),
		TH_TEST(rrq_nva_no_zero_copy),
		TH_TEST(wrq_nva_round_trip),
		TH_TEST(wrq_nva_bare_final_cr),
		TH_TEST(rrq_nva_stall_mid_block),
		TH_TEST(rrq_nva_stall_second_read),
		TH_TEST(wrq_nva_eagain_keeps_cr),
	};

	return cmocka_run_group_tests_name("tftp_netascii", tests, NULL, NULL);
}
