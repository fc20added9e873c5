/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * dptftp-bench(1), written from the option table as --help is: the build
 * runs `dptftp-bench --man` and installs what it writes.
 */

#include <stdio.h>

#include "bench_opts.h"

static const char *const man_tail[] = {
	".SH EXIT STATUS",
	"0: every transfer succeeded; 1: bad usage (one line on stderr); 2: "
	"the run could not start or its output could not be written; 3: "
	"some transfers failed.",
	".SH EXAMPLES",
	".nf",
	"dptftp\\-bench \\-\\-server 10.0.0.1 \\-\\-get boot.img \\-\\-blksize "
	"1468 \\-\\-count 100 \\-c 10",
	"dptftp\\-bench \\-\\-server 10.0.0.1 \\-\\-files pxelinux.0,vmlinuz "
	"\\-\\-storm 1000 \\-\\-rate 50/s \\-\\-verify\\-dir /srv/tftp",
	"dptftp\\-bench \\-\\-server 10.0.0.1 \\-\\-put 'up/{n}.bin' \\-\\-size "
	"4M \\-\\-duration 30s \\-c 64",
	".fi",
	".SH SEE ALSO",
	"\\fBdptftpd\\fR(8); docs/bench.md in the source tree.",
	NULL,
};

void
dpt_bench_man(FILE *f)
{
	size_t i;

	fputs(".TH DPTFTP\\-BENCH 1 \"\" \"dptftp\" \"User Commands\"\n"
	      ".SH NAME\ndptftp\\-bench \\- load generator for TFTP servers, "
	      "every byte checked\n.SH SYNOPSIS\n.B dptftp\\-bench\n"
	      "\\fB\\-\\-server\\fR \\fIADDR\\fR[:\\fIPORT\\fR] "
	      "(\\fB\\-\\-get\\fR \\fIFILES\\fR | \\fB\\-\\-put\\fR \\fINAME\\fR "
	      "\\fB\\-\\-size\\fR \\fISIZE\\fR) [\\fIoptions\\fR]\n"
	      ".SH DESCRIPTION\nDrives TFTP transfers against any server, from "
	      "kernel sockets or frames of its own on a DPDK port, checks every "
	      "byte and reports goodput, transfers a second, latency "
	      "percentiles and failures by reason. Durations: 250us, 500ms, "
	      "2s, 1m, 1h, or seconds; sizes: bytes, or K, M, G, T (powers of "
	      "1024).\n.SH OPTIONS\n", f);
	dpt_opt_man(f, &dpt_bench_table);
	for (i = 0; man_tail[i] != NULL; i++)
		fprintf(f, "%s\n", man_tail[i]);
}
