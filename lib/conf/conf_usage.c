/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/* --help: dptftpd's words around the option table's (lib/opt writes
 * those, so --help lists what parse accepts). */

#include <string.h>

#include "conf_internal.h"

const char *const conf_section_titles[CONF_SEC_COUNT] = {
	[CONF_SEC_SERVER] = "Server, [server] in a --config file:",
	[CONF_SEC_TFTP] = "TFTP, [tftp]:",
	[CONF_SEC_DATAPLANE] = "Dataplane, [dataplane]:",
	[CONF_SEC_CACHE] = "File cache, [cache]:",
	[CONF_SEC_UPLOAD] = "Uploads (WRQ), [upload]:",
	[CONF_SEC_LOG] = "Logging and metrics, [log]:",
	[CONF_SEC_CONSOLE] = "Console, [console]:",
	[CONF_SEC_EAL] = "EAL, [eal]:",
	[CONF_SEC_CLI] = "Command line only:",
};

void
dpt_conf_usage(FILE *f, const char *prog)
{
	const char *name = "dptftpd", *slash;

	if (prog != NULL && *prog != '\0') {
		slash = strrchr(prog, '/');
		name = slash != NULL && slash[1] != '\0' ? slash + 1 : prog;
	}

	fprintf(f, "Usage: %s [EAL options --] [options]\n\n"
		"Serves files over TFTP (RFC 1350, 2347-2349, 7440) from a "
		"DPDK dataplane.\n"
		"Every option but the command line only ones can also be "
		"set in the\n"
		"--config file, as 'key = value' under its [section]; the "
		"command line wins.\n", name);
	dpt_opt_usage(f, &conf_table);
	fprintf(f, "\n"
		"Durations: 250us, 500ms, 2s, or a bare number of seconds "
		"(0.5 is 500ms).\n"
		"Sizes: bytes, or a number with K, M, G or T (powers of "
		"1024).\n"
		"\n"
		"With no EAL options, %s starts EAL itself for the socket "
		"backend\n"
		"(--no-huge --no-pci and a file prefix of its own), so a "
		"host without DPDK\n"
		"NICs or hugepages needs no setup. EAL options (cores, "
		"devices, --vdev)\n"
		"go before '--'.\n"
		"\n"
		"Examples:\n"
		"  %s --root /srv/tftp\n"
		"  %s --root /srv/tftp --listen 127.0.0.1:6969\n"
		"  %s --iface eth1 --ip 192.0.2.10/24 --root /srv/tftp\n"
		"  %s --config /etc/dptftp.ini --workers 4\n",
		name, name, name, name, name);
}
