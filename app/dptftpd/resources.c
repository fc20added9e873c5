/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * What dptftpd asks of the host at start: the mbufs' data room, EAL's
 * memory without hugepages, descriptors for the cache; and a warning,
 * said once, where the cache budget cannot fit what EAL has.
 */

#include <dirent.h>
#include <stdio.h>
#include <sys/resource.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dpt_dp.h"
#include "dpt_host.h"
#include "dptftpd.h"

/* Descriptors kept for uploads, console connections, telemetry and EAL
 * beyond the ports' and the cache's. */
#define FD_SPARE 128

/* Data room of the mbufs: a whole DATA packet or frame behind the
 * headroom. */
uint16_t
app_data_room(const struct dpt_conf *c)
{
	uint32_t need = DPT_TFTP_HDR_LEN + (uint32_t)(c->blksize_max != 0 ?
						      c->blksize_max : 1468);
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++)	/* a whole tagged frame */
		if ((uint32_t)c->ifaces[i].mtu + 18 > need)
			need = (uint32_t)c->ifaces[i].mtu + 18;

	if (need < 2048)	/* net_af_packet's frames need 2016 */
		need = 2048;
	need += RTE_PKTMBUF_HEADROOM;
	return need > UINT16_MAX ? UINT16_MAX : (uint16_t)need;
}

/* Memory EAL must give us without hugepages, in MiB. */
uint64_t
app_memory_mb(const struct dpt_conf *c, unsigned int n_workers, uint16_t room)
{
	uint64_t mbufs = dpt_dp_pool_count(c, n_workers);
	uint64_t bytes = mbufs * (room + 256ull) + c->cache_size +
			 (uint64_t)c->max_sessions * 2048 +
			 (uint64_t)n_workers * (16ull << 20) + (96ull << 20);

	return (bytes + (1 << 20) - 1) >> 20;
}

/*
 * A cache budget the DPDK heap cannot hold does not fail: chunks stop
 * loading when the heap is full and sessions wait for them. Say so at
 * start, once, while the cause is still obvious. Without hugepages the
 * heap is what -m gave; with them it can grow into the free hugepages.
 */
void
app_warn_cache_memory(uint64_t budget)
{
	struct rte_malloc_socket_stats st;
	uint64_t avail;

	if (rte_malloc_get_socket_stats((int)rte_socket_id(), &st) < 0)
		return;
	avail = st.heap_freesz_bytes;
	if (rte_eal_has_hugepages())	/* the heap may grow into them */
		avail += dpt_host_hugepages_free(NULL);
	/* chunks carry 1/16 more for their prefix sums */
	if (budget + budget / 16 <= avail)
		return;
	fprintf(stderr, "dptftpd: warning: --cache-size %llu MiB is more than "
		"the %llu MiB left in EAL's memory%s: files stop loading when "
		"it is full; lower --cache-size or give EAL more memory\n",
		(unsigned long long)(budget >> 20),
		(unsigned long long)(avail >> 20),
		rte_eal_has_hugepages() ? " (heap and free hugepages)" :
		" (-m, no hugepages)");
}

/* Descriptors open now: the ports' sockets among them. */
static unsigned int
fds_in_use(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned int n = 0;

	if (d == NULL)
		return 0;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/*
 * The cache's descriptors come on top of the ports' sockets (the socket
 * backend raises the limit to what its sessions need), uploads, console
 * connections and EAL: raise the soft limit for them too, or say at start
 * that opens may fail with EMFILE.
 */
void
app_reserve_open_files(uint32_t max_open)
{
	uint64_t need = (uint64_t)fds_in_use() + max_open + FD_SPARE;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max >= need ? need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= need)
		return;
	fprintf(stderr, "dptftpd: warning: --max-open-files %u and the %u "
		"descriptors open do not fit the limit (ulimit -n %llu): "
		"opens may fail with EMFILE; lower it or raise the limit\n",
		max_open, fds_in_use(), (unsigned long long)rl.rlim_cur);
}
