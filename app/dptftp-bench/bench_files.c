/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * The local copies transfers are checked against: read once before the
 * run (size and CRC32C), so checking a transfer costs one compare.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define CHUNK (1u << 20)

/* Size and CRC32C of a local file; 0 or -errno. */
static int
sum_file(const char *path, uint64_t *size, uint32_t *crc)
{
	uint8_t *buf = malloc(CHUNK);
	ssize_t n;
	int fd, err = 0;

	if (buf == NULL)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(buf);
		return err;
	}
	*size = 0;
	*crc = 0;
	for (;;) {
		n = read(fd, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		*crc = dpt_bench_crc32c(*crc, buf, (size_t)n);
		*size += (uint64_t)n;
	}
	close(fd);
	free(buf);
	return err;
}

static int
sum_pattern(uint64_t seed, uint64_t size, uint32_t *crc)
{
	uint8_t *buf = malloc(CHUNK);
	uint64_t off;
	size_t n;

	if (buf == NULL)
		return -ENOMEM;
	*crc = 0;
	for (off = 0; off < size; off += n) {
		n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		dpt_bench_pattern(seed, off, buf, n);
		*crc = dpt_bench_crc32c(*crc, buf, n);
	}
	free(buf);
	return 0;
}

int
dpt_bench_files_load(const struct dpt_bench_opts *o,
		     struct dpt_bench_file *files, char *err, size_t err_len)
{
	char path[4096];
	unsigned int i;
	uint64_t size = 0;
	uint32_t crc = 0;
	int rc;

	if (o->op == DPT_TFTP_WRQ) {
		files[0].name = o->put_name;
		files[0].known = true;
		files[0].size = o->size;
		return sum_pattern(o->seed, o->size, &files[0].crc);
	}
	if (o->verify_file != NULL) {
		rc = sum_file(o->verify_file, &size, &crc);
		if (rc < 0) {
			snprintf(err, err_len, "cannot read --verify %s: %s",
				 o->verify_file, strerror(-rc));
			return -1;
		}
	}
	for (i = 0; i < o->n_files; i++) {
		files[i].name = o->files[i];
		files[i].known = o->verify_file != NULL;
		files[i].size = size;
		files[i].crc = crc;
		if (o->verify_dir == NULL)
			continue;
		/* The server resolves names beneath its root: so do we. */
		snprintf(path, sizeof(path), "%s/%s", o->verify_dir,
			 o->files[i] + strspn(o->files[i], "/"));
		rc = sum_file(path, &files[i].size, &files[i].crc);
		if (rc < 0) {
			snprintf(err, err_len, "cannot read %s "
				 "(--verify-dir): %s", path, strerror(-rc));
			return -1;
		}
		files[i].known = true;
	}
	return 0;
}
