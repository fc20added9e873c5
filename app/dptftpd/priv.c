/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dptftp authors
 */

/*
 * Least privilege (--user), as tftpd-hpa's -u and dnsmasq's --user: root
 * is needed to start EAL, open the ports and bind port 69, and for nothing
 * after. Once those are up every thread switches to the user and its
 * groups, and no capability is left in any thread (the main thread keeps
 * what a running port needs, where it needs anything).
 *
 * setresuid() through glibc changes every thread of the process, and the
 * kernel clears a thread's permitted and effective capabilities when its
 * uids all leave 0. Capabilities are per thread, though, and a server
 * started by systemd as the user with ambient capabilities changes no uid:
 * so every thread also drops its own, on a signal sent to each (EAL's
 * threads run no code of ours), and /proc/self/task is read back to check
 * that each did.
 */

#define _GNU_SOURCE	/* setresuid(), setresgid() */

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <limits.h>
#include <sys/stat.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <rte_eal.h>
#include <rte_vfio.h>

#include "dptftpd.h"

/* The signal each thread drops its capabilities on: a real-time one that
 * neither glibc nor DPDK uses. */
#define PRIV_SIGNAL (SIGRTMIN + 5)

/* How long threads get to answer it. */
#define PRIV_WAIT_MS 2000

static bool threads_drop;		/* the handler drops caps, not only
					 * seals */
static unsigned int threads_done;	/* handlers run, atomically */

/* Sets this thread's permitted and effective sets to keep, inheritable
 * and ambient to nothing. Async-signal-safe. */
static int
caps_set(uint64_t keep)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	data[0].permitted = data[0].effective = (uint32_t)keep;
	data[1].permitted = data[1].effective = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return 0;
}

/* This thread: no new privileges through exec, ever, and no capability
 * outside keep in its bounding set (where it may still drop them). */
static void
thread_seal(uint64_t keep)
{
	unsigned long cap;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	for (cap = 0; cap < 64; cap++)
		if (!(keep & (UINT64_C(1) << cap)) &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno == EINVAL)
			break;		/* past the last capability */
}

static void
on_priv_signal(int sig)
{
	int saved = errno;

	(void)sig;
	thread_seal(0);
	if (threads_drop)
		caps_set(0);
	__atomic_fetch_add(&threads_done, 1, __ATOMIC_RELEASE);
	errno = saved;
}

/* Runs the handler on every thread but this one: seals it, and drops its
 * capabilities when drop; returns how many did not answer in time. */
static unsigned int
each_other_thread(bool drop)
{
	struct timespec nap = { .tv_nsec = 1000000 };
	struct sigaction sa, old;
	pid_t pid = getpid(), self = (pid_t)syscall(SYS_gettid);
	unsigned int sent = 0, ms;
	struct dirent *d;
	DIR *dir;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_priv_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(PRIV_SIGNAL, &sa, &old);
	threads_drop = drop;
	__atomic_store_n(&threads_done, 0, __ATOMIC_RELEASE);
	dir = opendir("/proc/self/task");
	while (dir != NULL && (d = readdir(dir)) != NULL) {
		pid_t tid = (pid_t)atoi(d->d_name);

		if (tid > 0 && tid != self &&
		    syscall(SYS_tgkill, pid, tid, PRIV_SIGNAL) == 0)
			sent++;
	}
	if (dir != NULL)
		closedir(dir);
	for (ms = 0; ms < PRIV_WAIT_MS &&
	     __atomic_load_n(&threads_done, __ATOMIC_ACQUIRE) < sent; ms++)
		nanosleep(&nap, NULL);
	sigaction(PRIV_SIGNAL, &old, NULL);
	return sent - __atomic_load_n(&threads_done, __ATOMIC_ACQUIRE);
}

/* Reads one hex or decimal field of a /proc status file. */
static bool
status_field(const char *text, const char *key, bool hex, uint64_t *v)
{
	const char *p = strstr(text, key);

	if (p == NULL)
		return false;
	*v = strtoull(p + strlen(key), NULL, hex ? 16 : 10);
	return true;
}

/* Checks every thread: all its uids u's, no capability but keep on the
 * main thread and none elsewhere. */
static int
verify_threads(const struct app_user *u, uint64_t keep, char *err,
	       size_t errlen)
{
	pid_t pid = getpid();
	char path[64], text[4096];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/task");
	int rc = 0;

	if (dir == NULL) {
		snprintf(err, errlen, "cannot check the threads' privileges: "
			 "/proc/self/task: %s", strerror(errno));
		return -1;
	}
	while (rc == 0 && (d = readdir(dir)) != NULL) {
		pid_t tid = (pid_t)atoi(d->d_name);
		uint64_t uid = 0, prm = 0, eff = 0, amb = 0, want;
		FILE *f;
		size_t n;

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/status",
			 (int)tid);
		f = fopen(path, "r");
		if (f == NULL)
			continue;	/* gone meanwhile */
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		want = tid == pid ? keep : 0;
		/* "Uid:" lists real, effective, saved and file-system uids:
		 * the first stands for all four here, setresuid set three */
		if (!status_field(text, "\nUid:\t", false, &uid) ||
		    !status_field(text, "\nCapPrm:\t", true, &prm) ||
		    !status_field(text, "\nCapEff:\t", true, &eff) ||
		    !status_field(text, "\nCapAmb:\t", true, &amb) ||
		    uid != u->uid || prm != want || eff != want || amb != 0) {
			snprintf(err, errlen, "thread %d kept privileges after "
				 "switching to user %s (uid %llu, CapPrm %llx, "
				 "CapEff %llx, CapAmb %llx)", (int)tid, u->name,
				 (unsigned long long)uid,
				 (unsigned long long)prm,
				 (unsigned long long)eff,
				 (unsigned long long)amb);
			rc = -1;
		}
	}
	closedir(dir);
	return rc;
}

int
app_user_find(const struct dpt_conf *c, struct app_user *u, char *err,
	      size_t errlen)
{
	const struct passwd *pw;
	int n = (int)(sizeof(u->groups) / sizeof(u->groups[0]));

	memset(u, 0, sizeof(*u));
	if (c->user[0] != '\0') {
		pw = getpwnam(c->user);
	} else if (geteuid() == 0) {
		u->by_default = true;
		pw = getpwnam("tftp");
		if (pw == NULL)
			pw = getpwnam("nobody");
	} else {
		u->by_default = true;
		pw = getpwuid(geteuid());	/* already who we are */
	}
	if (pw == NULL) {
		snprintf(err, errlen, "--user: no user %s on this host",
			 c->user[0] != '\0' ? c->user : "tftp or nobody");
		return -1;
	}
	snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	if (geteuid() != 0 && u->uid != geteuid()) {
		snprintf(err, errlen, "--user %s: started as uid %u, not root: "
			 "only root can switch to another user", u->name,
			 (unsigned int)geteuid());
		return -1;
	}
	u->stay = u->uid == 0;
	if (getgrouplist(pw->pw_name, pw->pw_gid, u->groups, &n) < 0) {
		snprintf(err, errlen, "--user %s: more than %d groups",
			 u->name, n);
		return -1;
	}
	u->n_groups = n;
	return 0;
}

/*
 * EAL's runtime folder of this instance (/var/run/dpdk/INSTANCE when
 * started as root): the primary keeps using it after the switch, to reach
 * secondary processes (a vdev's unplug asks them; dpdk-dumpcap is one) and
 * to clean up at the end. Its folder and files become the user's; the
 * parent, EAL's 0700 /var/run/dpdk, gets search permission for others
 * (no read: no name in it is listed, and every instance's folder stays
 * 0700).
 */
static void
own_runtime_dir(const struct app_user *u)
{
	const char *dir = rte_eal_get_runtime_dir();
	char parent[PATH_MAX], path[PATH_MAX];
	struct dirent *d;
	struct stat st;
	char *slash;
	DIR *dd;

	if (dir == NULL || dir[0] != '/' || lchown(dir, u->uid, u->gid) < 0)
		return;
	dd = opendir(dir);
	while (dd != NULL && (d = readdir(dd)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (lchown(path, u->uid, u->gid) < 0)
			fprintf(stderr, "dptftpd: %s: chown to %s: %s\n", path,
				u->name, strerror(errno));
	}
	if (dd != NULL)
		closedir(dd);
	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash == NULL || slash == parent)
		return;
	*slash = '\0';
	if (lstat(parent, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
	    !(st.st_mode & S_IXOTH) &&
	    chmod(parent, (st.st_mode & 07777) | S_IXOTH) < 0)
		fprintf(stderr, "dptftpd: %s: chmod o+x: %s\n", parent,
			strerror(errno));
}

void
app_user_own(const struct app_user *u, const struct dpt_conf *c)
{
	if (u->stay || geteuid() != 0)
		return;
	own_runtime_dir(u);
	/* The console socket: the user, and root, may connect. */
	if (c->console_socket[0] != '\0' &&
	    lchown(c->console_socket, u->uid, u->gid) < 0)
		fprintf(stderr, "dptftpd: console socket %s: chown to %s: %s\n",
			c->console_socket, u->name, strerror(errno));
}

void
app_user_own_fd(const struct app_user *u, int fd, const char *what)
{
	struct stat st;

	if (u->stay || geteuid() != 0 || fd < 0 || fstat(fd, &st) < 0 ||
	    st.st_uid != 0)
		return;
	if (fchown(fd, u->uid, u->gid) < 0)
		fprintf(stderr, "dptftpd: %s: chown to %s: %s\n", what,
			u->name, strerror(errno));
}

int
app_user_switch(struct app_user *u, uint64_t keep, char *err, size_t errlen)
{
	unsigned int late;
	int rc;

	if (u->stay)
		return 0;		/* --user root: on purpose */
	/* Hugepages with physical addresses: every chunk the heap grows
	 * into later is translated through /proc/self/pagemap, which only
	 * root may read. Said now, not as a NIC DMAing to address 0. */
	if (rte_eal_has_hugepages() && rte_eal_iova_mode() == RTE_IOVA_PA) {
		snprintf(err, errlen, "EAL uses physical addresses (IOVA as "
			 "PA) with hugepages: memory allocated later needs "
			 "root to translate; give EAL --iova-mode=va (vdevs, "
			 "vfio-pci with an IOMMU) or run --user root");
		return -1;
	}
	/* While still root: no thread may gain privileges through exec
	 * again, nor hold a capability beyond keep in its bounding set. */
	thread_seal(keep);
	each_other_thread(false);
	if (geteuid() == 0) {
		u->switched = true;
		if (keep != 0)
			prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
		if (setgroups((size_t)u->n_groups, u->groups) < 0 ||
		    setresgid(u->gid, u->gid, u->gid) < 0 ||
		    setresuid(u->uid, u->uid, u->uid) < 0) {
			snprintf(err, errlen, "cannot switch to user %s: %s",
				 u->name, strerror(errno));
			return -1;
		}
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	}
	rc = caps_set(keep);
	if (rc < 0) {
		snprintf(err, errlen, "cannot set the main thread's "
			 "capabilities: %s", strerror(-rc));
		return -1;
	}
	late = each_other_thread(true);
	if (late != 0) {
		snprintf(err, errlen, "%u thread%s did not drop their "
			 "capabilities", late, late == 1 ? "" : "s");
		return -1;
	}
	return verify_threads(u, keep, err, errlen);
}

uint64_t
app_user_keep(const struct dpt_conf *c)
{
	uint64_t keep = 0;
	unsigned int i;

	/* A NIC bound to vfio-pci: the heap the cache grows into is pinned
	 * for the device's DMA as it grows, which takes CAP_IPC_LOCK unless
	 * RLIMIT_MEMLOCK is unlimited. Sockets, net_af_packet and net_tap
	 * need nothing once their ports are open. */
	if (c->backend == DPT_BACKEND_ETHDEV && rte_vfio_is_enabled("vfio"))
		keep |= UINT64_C(1) << CAP_IPC_LOCK;
	/* net_af_xdp detaches its XDP program at the close (netlink and
	 * libxdp's bpf map): without these it stays on the interface. */
	for (i = 0; i < c->n_ifaces && i < DPT_CONF_MAX_IFACES; i++)
		if (c->ifaces[i].xdp != DPT_XDP_OFF)
			keep |= UINT64_C(1) << CAP_NET_ADMIN |
				UINT64_C(1) << CAP_BPF;
	return keep;
}

/* "cap_ipc_lock, cap_net_admin" for the capabilities of keep we name. */
static void
caps_names(uint64_t keep, char *out, size_t cap)
{
	static const struct {
		int cap;
		const char *name;
	} names[] = {
		{ CAP_IPC_LOCK, "cap_ipc_lock" },
		{ CAP_NET_ADMIN, "cap_net_admin" },
		{ CAP_BPF, "cap_bpf" },
	};
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (keep & (UINT64_C(1) << names[i].cap))
			n += (size_t)snprintf(out + n, n < cap ? cap - n : 0,
					      "%s%s", n != 0 ? ", " : "",
					      names[i].name);
}

void
app_user_say(const struct app_user *u, uint64_t keep)
{
	const char *why = "";
	char caps[96];

	if (u->stay) {
		printf("dptftpd: running as %s (--user %s): every privilege "
		       "kept\n", u->name, u->name);
		return;
	}
	if (u->by_default && geteuid() == u->uid && getuid() == u->uid &&
	    !u->switched)
		why = "; as started";
	else if (u->by_default && strcmp(u->name, "tftp") == 0)
		why = "; the default";
	else if (u->by_default)
		why = "; the default, as there is no user tftp";
	caps_names(keep, caps, sizeof(caps));
	printf("dptftpd: running as user %s (uid %u, gid %u%s), capabilities: "
	       "%s%s\n", u->name, (unsigned int)u->uid, (unsigned int)u->gid,
	       why, keep != 0 ? caps : "none",
	       keep != 0 ? " (main thread, for the ports' close)" : "");
}

/* Whether u may use path as asked (access() checks the real ids, which
 * are u's now). */
static int
usable(const char *what, const char *path, int mode,
       const struct app_user *u, char *err, size_t errlen)
{
	if (access(path, mode) == 0)
		return 0;
	snprintf(err, errlen, "%s: %s is not %s by user %s (%s)", what, path,
		 mode & W_OK ? "writable" : "readable", u->name,
		 strerror(errno));
	return -1;
}

int
app_user_check_files(const struct dpt_conf *c, const struct app_user *u,
		     char *err, size_t errlen)
{
	char path[DPT_CONF_PATH_MAX * 2], what[DPT_CONF_PATH_MAX + 16];
	const char *p = c->upload_dirs;

	if (usable("--root", c->root, R_OK | X_OK, u, err, errlen) < 0)
		return -1;
	if (c->upload == DPT_UPLOAD_OFF)
		return 0;
	/* Uploads are written as u: each folder they may go to, or the
	 * root when any folder will do. */
	if (*p == '\0')
		return usable("--allow-upload (no --upload-dir)", c->root,
			      W_OK | X_OK, u, err, errlen);
	while (*p != '\0') {
		int n = (int)strcspn(p, ",");

		snprintf(path, sizeof(path), "%s/%.*s", c->root, n, p);
		snprintf(what, sizeof(what), "--upload-dir %.*s", n, p);
		if (n > 0 && usable(what, path, W_OK | X_OK, u, err,
				    errlen) < 0)
			return -1;
		p += n + (p[n] == ',');
	}
	return 0;
}
