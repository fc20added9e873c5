# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""2 MiB hugepages for a case that needs a server in hugepages (a DPDK
secondary process such as dpdk-dumpcap attaches to its memory), and the
hugepage files EAL leaves behind.

    huge = HugepagesForCase(256, self.files.top)
    if not huge.reserve():
        self.skip(huge.why)
    try:
        ... start the server with huge.eal_args() ...
    finally:
        huge.release()
"""

import os
import subprocess


class HugepagesForCase:
    """2 MiB hugepages for one case: when fewer than mib MiB are free
    on a mounted hugetlbfs, raises vm.nr_hugepages by what is missing and
    mounts a hugetlbfs of its own under `top`; release() puts both back."""

    def __init__(self, mib, top):
        self.mib, self.top = mib, top
        self.added, self.mnt, self.why = 0, None, ""

    def reserve(self):
        if hugepages_free(self.mib):
            return True
        nr = "/proc/sys/vm/nr_hugepages"
        try:
            with open(nr) as f:
                have = int(f.read())
            want = have + self.mib // 2
            with open(nr, "w") as f:
                f.write(str(want))
            with open(nr) as f:
                self.added = int(f.read()) - have
        except OSError as e:
            self.why = "vm.nr_hugepages: %s" % e
            return False
        if self.added * 2 < self.mib:
            self.why = "asked %d pages of 2 MiB, got %d" % (
                self.mib // 2, self.added)
            self.release()
            return False
        self.mnt = os.path.join(self.top, "hugetlbfs")
        os.makedirs(self.mnt, exist_ok=True)
        p = subprocess.run(["mount", "-t", "hugetlbfs", "-o",
                            "pagesize=2M", "dpt-huge", self.mnt],
                           capture_output=True, text=True)
        if p.returncode != 0:
            self.why = "mount hugetlbfs: %s" % p.stderr.strip()
            self.mnt = None
            self.release()
            return False
        return True

    def eal_args(self):
        return ["--huge-dir", self.mnt] if self.mnt else []

    def release(self):
        if self.mnt:
            subprocess.run(["umount", self.mnt], capture_output=True)
            os.rmdir(self.mnt)
            self.mnt = None
        if self.added:
            nr = "/proc/sys/vm/nr_hugepages"
            with open(nr) as f:
                have = int(f.read())
            with open(nr, "w") as f:
                f.write(str(max(0, have - self.added)))
            self.added = 0


def hugepages_free(mib):
    """Whether hugetlbfs is mounted with mib MiB of pages free."""
    try:
        with open("/proc/mounts") as f:
            if " hugetlbfs " not in f.read():
                return False
        with open("/proc/meminfo") as f:
            info = dict(l.split(":", 1) for l in f.read().splitlines())
    except OSError:
        return False
    size_kb = int(info["Hugepagesize"].split()[0])
    return int(info["HugePages_Free"]) * size_kb >= mib * 1024


def hugepage_files(prefix):
    """The hugepage files EAL made for file prefix `prefix`."""
    found = []
    try:
        with open("/proc/mounts") as f:
            mounts = [l.split()[1] for l in f if " hugetlbfs " in l]
        for mnt in mounts:
            found += [os.path.join(mnt, n) for n in os.listdir(mnt)
                      if n.startswith(prefix + "map_")]
    except OSError:
        pass
    return found
