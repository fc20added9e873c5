# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""The real TFTP clients Debian ships, each run in the client namespace.

Command lines (checked against Debian 12's packages, by capturing the
request each one sends):

  tftp-hpa 5.2   tftp -m octet|netascii SERVER PORT -c get REMOTE LOCAL
                 sends no options at all (no blksize, no tsize); in
                 netascii it converts CR LF -> LF and CR NUL -> CR on receive.
                 Exits 0 even after an ERROR ("Error code 1: File not
                 found" on stderr), so its output is checked too.
  curl 7.88      curl -sS tftp://SERVER:PORT/REMOTE -o LOCAL
                 always sends tsize 0, blksize 512, timeout 6;
                 --tftp-blksize N changes blksize; --tftp-no-options sends
                 none; ";mode=netascii" after the path asks for netascii
                 and writes the netascii bytes as received (no conversion).
                 It rejects an OACK with tsize 0 (an empty file): exit 71,
                 "invalid tsize -:0:- value in OACK packet".
  atftp 0.8.0    atftp -g -r REMOTE -l LOCAL SERVER PORT
                 sends no options unless asked: --option "blksize N",
                 --option "windowsize N", --option "mode netascii" (it
                 converts back to local line ends on receive).
                 (--option "tsize enable" sends the value "enable", not 0.)
  busybox 1.35   busybox tftp -g -r REMOTE -l LOCAL SERVER PORT
                 always sends tsize 0; -b N adds blksize N (before tsize).
                 No netascii.

Uploads (put): `tftp ... -c put LOCAL REMOTE` (tftp-hpa: no options;
netascii converts LF -> CR LF and CR -> CR NUL on the way out), `curl -T
LOCAL tftp://SERVER:PORT/REMOTE` (sends tsize = the file's size and
blksize 512 unless told), `atftp -p -l LOCAL -r REMOTE` (its --option
lines as for get), `busybox tftp -p -l LOCAL -r REMOTE` (always tsize).

get() runs one download to the end; start() returns a handle for running
many at once; put() and start_put() are the same for uploads. All log the
command, exit status, time and output to the case's clients.log.
"""

import os
import subprocess
import threading
import time
import urllib.parse

from .netns import ns_argv
from .outcome import Skip

_log_lock = threading.Lock()


class ClientRun:
    """One client invocation: argv, rc, output, seconds taken."""

    def __init__(self, client, argv, out):
        self.client = client
        self.argv = argv
        self.out = out
        self.rc = None
        self.stdout = ""
        self.stderr = ""
        self.elapsed = 0.0
        self.timed_out = False
        self._proc = None
        self._start = None

    @property
    def ok(self):
        if self.rc != 0 or self.timed_out:
            return False
        text = self.stdout + self.stderr
        return not any(m in text for m in self.client.failure_markers)

    def describe(self):
        s = "%s rc=%s %.2fs" % (self.client.name, self.rc, self.elapsed)
        if self.timed_out:
            s += " (timed out)"
        err = (self.stderr or self.stdout).strip()
        if err:
            s += ": " + err.splitlines()[-1][:200]
        return s

    def wait(self, timeout):
        try:
            out, err = self._proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self._proc.kill()
            out, err = self._proc.communicate()
        self.rc = self._proc.returncode
        self.stdout = out.decode("utf-8", "replace")
        self.stderr = err.decode("utf-8", "replace")
        self.elapsed = time.monotonic() - self._start
        self.client.record(self)
        return self

    def kill(self):
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()


class RealClient:
    """A client program; subclasses build its argv."""

    name = "client"
    binary = None
    modes = ("octet",)
    can = set()        # which of blksize, windowsize, no_options it takes
    failure_markers = ()    # output that means failure despite rc 0

    def __init__(self, topo, logdir, port=69, tracker=None):
        self.topo = topo
        self.logdir = logdir
        self.port = port
        self.tracker = tracker      # list the case kills at teardown

    @classmethod
    def available(cls):
        return os.access(cls.binary, os.X_OK)

    def argv(self, remote, out, mode, blksize, windowsize, no_options):
        raise NotImplementedError

    def argv_put(self, local, remote, mode, blksize, windowsize,
                 no_options):
        raise Skip("%s: no upload command line here" % self.name)

    def _check(self, mode, **asked):
        if mode not in self.modes:
            raise Skip("%s cannot do mode %s" % (self.name, mode))
        for key, value in asked.items():
            if value and key not in self.can:
                raise Skip("%s cannot request %s" % (self.name, key))

    def start(self, remote, out, mode="octet", blksize=None,
              windowsize=None, no_options=False):
        self._check(mode, blksize=blksize, windowsize=windowsize,
                    no_options=no_options)
        return self._spawn(self.argv(remote, out, mode, blksize, windowsize,
                                     no_options), out)

    def start_put(self, local, remote, mode="octet", blksize=None,
                  windowsize=None, no_options=False):
        """Start uploading file `local` as `remote`; returns the ClientRun
        (its `out` is the local file)."""
        self._check(mode, blksize=blksize, windowsize=windowsize,
                    no_options=no_options)
        return self._spawn(self.argv_put(local, remote, mode, blksize,
                                         windowsize, no_options), local)

    def put(self, local, remote, mode="octet", blksize=None,
            windowsize=None, no_options=False, timeout=60):
        """Upload file `local` as `remote`; returns the ClientRun."""
        return self.start_put(local, remote, mode, blksize, windowsize,
                              no_options).wait(timeout)

    def _spawn(self, cmd, out):
        argv = ns_argv(self.topo.client_ns, cmd)
        run = ClientRun(self, argv, out)
        run._start = time.monotonic()
        run._proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        if self.tracker is not None:
            self.tracker.append(run)
        return run

    def get(self, remote, out, mode="octet", blksize=None, windowsize=None,
            no_options=False, timeout=60):
        """Download `remote` to `out`; returns the ClientRun."""
        return self.start(remote, out, mode, blksize, windowsize,
                          no_options).wait(timeout)

    def record(self, run):
        os.makedirs(self.logdir, exist_ok=True)
        with _log_lock, open(os.path.join(self.logdir, "clients.log"),
                             "a") as f:
            f.write("$ %s\n# rc=%s %.3fs%s\n" % (
                " ".join(run.argv), run.rc, run.elapsed,
                " TIMED OUT" if run.timed_out else ""))
            for text in (run.stdout, run.stderr):
                if text.strip():
                    f.write(text[-2000:].rstrip("\n") + "\n")


class TftpHpa(RealClient):
    name = "tftp-hpa"
    binary = "/usr/bin/tftp"
    modes = ("octet", "netascii")
    # tftp-hpa exits 0 even when the server answered with an ERROR.
    failure_markers = ("Error code", "timed out", "tftp: ")

    def argv(self, remote, out, mode, blksize, windowsize, no_options):
        return [self.binary, "-m", mode, self.topo.server_ip, str(self.port),
                "-c", "get", remote, out]

    def argv_put(self, local, remote, mode, blksize, windowsize,
                 no_options):
        return [self.binary, "-m", mode, self.topo.server_ip, str(self.port),
                "-c", "put", local, remote]


class Curl(RealClient):
    name = "curl"
    binary = "/usr/bin/curl"
    modes = ("octet", "netascii")
    can = {"blksize", "no_options"}

    def argv(self, remote, out, mode, blksize, windowsize, no_options):
        url = "tftp://%s:%d/%s" % (self.topo.server_ip, self.port,
                                   urllib.parse.quote(remote))
        if mode == "netascii":
            url += ";mode=netascii"
        argv = [self.binary, "-sS", "--max-time", "120", url, "-o", out]
        if blksize:
            argv += ["--tftp-blksize", str(blksize)]
        if no_options:
            argv += ["--tftp-no-options"]
        return argv

    def argv_put(self, local, remote, mode, blksize, windowsize,
                 no_options):
        argv = self.argv(remote, "-", mode, blksize, windowsize, no_options)
        at = argv.index("-o")
        return argv[:at] + ["-T", local] + argv[at + 2:]


class Atftp(RealClient):
    name = "atftp"
    binary = "/usr/bin/atftp"
    modes = ("octet", "netascii")
    can = {"blksize", "windowsize", "no_options"}

    def argv(self, remote, out, mode, blksize, windowsize, no_options,
             op="-g"):
        argv = [self.binary, op, "-r", remote, "-l", out]
        if mode != "octet":
            argv += ["--option", "mode %s" % mode]
        if blksize:
            argv += ["--option", "blksize %d" % blksize]
        if windowsize:
            argv += ["--option", "windowsize %d" % windowsize]
        return argv + [self.topo.server_ip, str(self.port)]

    def argv_put(self, local, remote, mode, blksize, windowsize,
                 no_options):
        return self.argv(remote, local, mode, blksize, windowsize,
                         no_options, op="-p")


class Busybox(RealClient):
    name = "busybox"
    binary = "/usr/bin/busybox"
    can = {"blksize"}

    def argv(self, remote, out, mode, blksize, windowsize, no_options,
             op="-g"):
        argv = [self.binary, "tftp", op, "-r", remote, "-l", out]
        if blksize:
            argv += ["-b", str(blksize)]
        return argv + [self.topo.server_ip, str(self.port)]

    def argv_put(self, local, remote, mode, blksize, windowsize,
                 no_options):
        return self.argv(remote, local, mode, blksize, windowsize,
                         no_options, op="-p")


CLIENTS = {c.name: c for c in (TftpHpa, Curl, Atftp, Busybox)}
