# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""What the host says about a process: its threads' credentials from
/proc/PID/task/*/status, and IN_OPEN events on files (inotify through
libc: no pip package).

    for tid, st in thread_status(pid):
        st["Uid"].split()       # real, effective, saved, file-system
        int(st["CapEff"], 16)   # capability sets are hex
"""

import ctypes
import os
import struct

IN_OPEN = 0x20

# The capability sets of a thread, as /proc/PID/task/TID/status names them.
CAP_SETS = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")


def thread_status(pid):
    """[(tid, {field: value})] for every thread of pid; the values keep
    their text (stripped). A thread that ends meanwhile is left out."""
    found = []
    for tid in sorted(os.listdir("/proc/%d/task" % pid), key=int):
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                st = dict((k, v.strip()) for k, v in
                          (line.split(":", 1) for line in f if ":" in line))
        except FileNotFoundError:
            continue
        found.append((tid, st))
    return found


def check_threads(case, pid, uid=None, gid=None, zero=(), extra=None,
                  min_threads=1):
    """Every thread of pid has its four uids uid and gids gid (where not
    None) and each capability set in zero empty; extra(tid, name, st),
    when given, checks more. Fails the case on the first that does not;
    logs each thread. Returns how many threads there are."""
    threads = thread_status(pid)
    case.check(len(threads) >= min_threads, "threads of %d: %r"
               % (pid, [t for t, _ in threads]))
    for tid, st in threads:
        name = st["Name"]
        case.log("thread %s %s: Uid %s Gid %s %s" % (
            tid, name, st["Uid"].split(), st["Gid"].split(),
            " ".join("%s %s" % (k, st[k]) for k in CAP_SETS)))
        what = "thread %s (%s)" % (tid, name)
        if uid is not None:
            case.check_eq(st["Uid"].split(), [str(uid)] * 4, what + " uids")
        if gid is not None:
            case.check_eq(st["Gid"].split(), [str(gid)] * 4, what + " gids")
        for key in zero:
            case.check_eq(int(st[key], 16), 0, "%s %s" % (what, key))
        if extra is not None:
            extra(tid, name, st)
    return len(threads)


class Inotify:
    """IN_OPEN events on some paths, through libc."""

    def __init__(self, *paths):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        for p in paths:
            if self.libc.inotify_add_watch(self.fd, p.encode(),
                                           IN_OPEN) < 0:
                raise OSError(ctypes.get_errno(), "inotify_add_watch")

    def opens(self):
        """How many IN_OPEN events came since the last call."""
        n = 0
        while True:
            try:
                buf = os.read(self.fd, 4096)
            except BlockingIOError:
                return n
            off = 0
            while off < len(buf):
                _, mask, _, size = struct.unpack_from("iIII", buf, off)
                n += bool(mask & IN_OPEN)
                off += 16 + size

    def close(self):
        os.close(self.fd)
