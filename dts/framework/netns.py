# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Sockets and commands inside a network namespace.

A socket keeps the namespace it was created in. So the stdlib client enters
the namespace for the length of one socket() call, on the calling thread only
(namespaces are per thread in Linux), and comes straight back: the rest of
the process, and the other threads, never leave the host namespace.
Commands run through `ip netns exec NS`, which execs them, so a Popen's pid
is the program's own pid.
"""

import ctypes
import ctypes.util
import os
import signal
import socket
import threading

CLONE_NEWNET = 0x40000000
NETNS_DIR = "/run/netns"

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6",
            use_errno=True)
_lock = threading.Lock()
_HELD = {signal.SIGALRM, signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "setns: " + os.strerror(err))


def netns_socket(netns, family=socket.AF_INET, kind=socket.SOCK_DGRAM):
    """A new socket living in namespace `netns` (None: the current one)."""
    if netns is None:
        return socket.socket(family, kind)
    target = os.open(os.path.join(NETNS_DIR, netns), os.O_RDONLY)
    try:
        own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    except OSError:
        os.close(target)
        raise
    # A signal handler raising between the two setns() calls would leave
    # this thread in the test namespace: hold signals back meanwhile.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        with _lock:
            _setns(target)
            try:
                return socket.socket(family, kind)
            finally:
                # Not getting back would leave this thread in the
                # test namespace; nothing sane can follow.
                try:
                    _setns(own)
                except OSError as e:
                    os.write(2, ("dts: cannot leave netns %s: %s\n"
                                 % (netns, e)).encode())
                    os._exit(3)
    finally:
        os.close(target)
        os.close(own)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def ns_argv(netns, argv):
    """argv that runs `argv` inside `netns` (None: as is)."""
    if netns is None:
        return list(argv)
    return ["ip", "netns", "exec", netns] + list(argv)
