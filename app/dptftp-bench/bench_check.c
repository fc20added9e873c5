/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Checksums and the upload pattern. Every byte a transfer receives is
 * checksummed in order, so the checksum must run far faster than a NIC:
 * CRC32C uses the SSE4.2 instruction (several GB/s on one core), with a
 * slicing-by-8 table version for other CPUs and for the tests.
 */

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#define CRC32C_POLY 0x82f63b78u	/* Castagnoli, reflected */

static uint32_t crc_table[8][256];
static uint32_t (*crc_impl)(uint32_t, const uint8_t *, size_t);

static uint32_t
crc_sw(uint32_t c, const uint8_t *p, size_t len)
{
	uint64_t v;

	while (len > 0 && ((uintptr_t)p & 7) != 0) {
		c = crc_table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
		len--;
	}
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&v, p, 8);
		v = le64toh(v) ^ c;
		c = crc_table[7][v & 0xff] ^ crc_table[6][(v >> 8) & 0xff] ^
		    crc_table[5][(v >> 16) & 0xff] ^
		    crc_table[4][(v >> 24) & 0xff] ^
		    crc_table[3][(v >> 32) & 0xff] ^
		    crc_table[2][(v >> 40) & 0xff] ^
		    crc_table[1][(v >> 48) & 0xff] ^ crc_table[0][v >> 56];
	}
	while (len-- > 0)
		c = crc_table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
	return c;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t
crc_hw(uint32_t c, const uint8_t *p, size_t len)
{
	uint64_t c64, v;

	while (len > 0 && ((uintptr_t)p & 7) != 0) {
		c = _mm_crc32_u8(c, *p++);
		len--;
	}
	for (c64 = c; len >= 8; p += 8, len -= 8) {
		memcpy(&v, p, 8);
		c64 = _mm_crc32_u64(c64, v);
	}
	c = (uint32_t)c64;
	while (len-- > 0)
		c = _mm_crc32_u8(c, *p++);
	return c;
}
#endif

/* Before main(): the tables, and the fastest version this CPU runs. */
__attribute__((constructor)) static void
crc_init(void)
{
	uint32_t c;
	int i, j, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = (c & 1) != 0 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			crc_table[k][i] =
				(crc_table[k - 1][i] >> 8) ^
				crc_table[0][crc_table[k - 1][i] & 0xff];
	crc_impl = crc_sw;
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sse4.2"))
		crc_impl = crc_hw;
#endif
}

uint32_t
dpt_bench_crc32c(uint32_t crc, const void *buf, size_t len)
{
	return ~crc_impl(~crc, buf, len);
}

uint32_t
dpt_bench_crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	return ~crc_sw(~crc, buf, len);
}

static inline uint64_t
splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

void
dpt_bench_pattern(uint64_t seed, uint64_t off, void *dst, size_t len)
{
	uint8_t *d = dst;
	uint64_t w, k = off >> 3;
	unsigned int skip = (unsigned int)(off & 7), n;

	if (len == 0)
		return;
	if (skip != 0) {	/* the tail of a word */
		w = htole64(splitmix64(seed + k++));
		n = 8 - skip < len ? 8 - skip : (unsigned int)len;
		memcpy(d, (uint8_t *)&w + skip, n);
		d += n;
		len -= n;
	}
	for (; len >= 8; d += 8, len -= 8) {
		w = htole64(splitmix64(seed + k++));
		memcpy(d, &w, 8);
	}
	if (len > 0) {
		w = htole64(splitmix64(seed + k));
		memcpy(d, &w, len);
	}
}

int
dpt_bench_pattern_write(const char *path, uint64_t seed, uint64_t size)
{
	const size_t chunk = 1 << 20;
	uint64_t off = 0;
	uint8_t *buf;
	ssize_t w;
	size_t n, done;
	int fd, err = 0;

	buf = malloc(chunk);
	if (buf == NULL)
		return -ENOMEM;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		free(buf);
		return err;
	}
	while (off < size && err == 0) {
		n = size - off < chunk ? (size_t)(size - off) : chunk;
		dpt_bench_pattern(seed, off, buf, n);
		for (done = 0; done < n; done += (size_t)w) {
			w = write(fd, buf + done, n - done);
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				err = -errno;
				break;
			}
		}
		off += n;
	}
	if (close(fd) < 0 && err == 0)
		err = -errno;
	free(buf);
	return err;
}
