# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""dptftpd -i on a pseudo-terminal, as an operator runs it (suite console).

A PromptSuite case starts the server with prompt(): on a pty, with an EAL
instance of its own (--instance), which is what telemetry() and
dpdk-dumpcap find it by. It types commands and reads until the next
`dptftp> ` prompt:

    pr = self.prompt(workers=2)
    conf = keyvals(pr.cmd("show config"))
    self.check_exit_ok(pr.finish())         # quit; exit 0, no mbuf left

The instance's runtime folder and the hugepage files EAL leaves for
secondary processes are removed when the case ends.
"""

import fcntl
import json
import os
import shutil
import socket
import struct
import subprocess
import termios
import threading
import time

from .console import PROMPT
from .hugepages import hugepage_files
from .outcome import Failure
from .servers import ServerResult
from .suite import TestSuite
from .topology import DPDK_RUN_DIR

CONSOLE_OPTIONS = {"instance", "console_socket", "cmdline_file",
                   "cache_size"}


class Prompt:
    """dptftpd -i on a pseudo-terminal. Everything it prints also goes to
    the server's stdout log, so its result parses as usual."""

    def __init__(self, suite, srv, argv):
        self.suite = suite
        self.srv = srv
        master, slave = os.openpty()
        # wide, so the server's lines never wrap on their way back
        fcntl.ioctl(slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", 60, 250, 0, 0))
        self.fd = master
        self.buf = bytearray()
        self.cond = threading.Condition()
        self.eof = False
        self.log = open(srv.stdout_path, "ab")
        self.err = open(srv.stderr_path, "ab")
        suite.log("start (pty): " + " ".join(argv))
        srv.proc = subprocess.Popen(argv, stdin=slave, stdout=slave,
                                    stderr=self.err, start_new_session=True)
        os.close(slave)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            with self.cond:
                if not data:
                    self.eof = True
                    self.cond.notify_all()
                    break
                self.buf += data
                self.log.write(data.replace(b"\r", b""))
                self.log.flush()
                self.cond.notify_all()

    def wait_for(self, pred, what, timeout_s=20):
        deadline = time.monotonic() + timeout_s
        with self.cond:
            while not pred(bytes(self.buf)):
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    raise Failure("%s: not seen; the prompt shows: %r"
                                  % (what, bytes(self.buf[-600:])))
                self.cond.wait(min(left, 0.5))

    def ready(self):
        self.wait_for(lambda b: b"dptftpd: ready:" in b and
                      b.endswith(PROMPT), "the ready line and the prompt",
                      30)
        getattr(self.srv, "after_ready", lambda: None)()
        self.suite.log("dptftpd ready on its prompt (pid %d)"
                       % self.srv.proc.pid)
        return self

    def type(self, data):
        os.write(self.fd, data)

    def cmd(self, line, timeout_s=20):
        """Types line; returns what it printed (echo and prompt off)."""
        with self.cond:
            start = len(self.buf)
        self.type(line.encode() + b"\n")
        self.wait_for(lambda b: len(b) > start + len(line) and
                      b.endswith(PROMPT), "the prompt after %r" % line,
                      timeout_s)
        with self.cond:
            text = bytes(self.buf[start:-len(PROMPT)])
        lines = text.decode("utf-8", "replace").replace("\r", "").split("\n")
        out = "\n".join(lines[1:])     # lines[0]: the echo of what we typed
        self.suite.log("dptftp> %s\n%s" % (line, out.rstrip()))
        return out

    def finish(self, typed=b"quit\n", timeout_s=20):
        """Ends the prompt (quit, or Ctrl-D); returns the ServerResult."""
        self.type(typed)
        try:
            rc = self.srv.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            raise Failure("dptftpd did not exit after %r" % typed)
        self.reader.join(5)
        self.log.close()
        self.err.close()
        os.close(self.fd)
        self.srv.result = ServerResult(rc, self.srv.stdout_text(),
                                       self.srv.stderr_text())
        getattr(self.srv, "after_exit", lambda: None)()
        self.suite.log("dptftpd exited: rc %s" % rc)
        return self.srv.result


class PromptSuite(TestSuite):
    """A suite whose cases start dptftpd on its prompt (prompt()) or with
    an instance of their own (instance())."""

    def _begin_case(self, topo, logdir):
        super()._begin_case(topo, logdir)
        self._instances = []

    def _end_case(self):
        problem = super()._end_case()
        for name in self._instances:
            shutil.rmtree(os.path.join(DPDK_RUN_DIR, name),
                          ignore_errors=True)
            for path in hugepage_files(name):
                os.unlink(path)     # EAL leaves them for secondaries
        return problem

    def instance(self):
        name = "%s-c%d" % (self.topo.server_ns, len(self._instances))
        self._instances.append(name)
        return name

    def console_server(self):
        srv = self.new_server()
        srv.OPTIONS = set(srv.OPTIONS) | CONSOLE_OPTIONS
        return srv

    @staticmethod
    def prefix_of(argv):
        """The EAL file prefix the server runs under: --instance unless
        EAL arguments name one (the tap backend's)."""
        if "--file-prefix" in argv:
            return argv[argv.index("--file-prefix") + 1]
        # the last --instance wins, as any option given twice
        return [v for k, v in zip(argv, argv[1:]) if k == "--instance"][-1]

    def prompt(self, eal=None, **options):
        """dptftpd -i on a pty, with an instance of its own; ready."""
        self.require("cli")
        srv = self.console_server()
        if eal is not None:
            srv.eal_args = list(eal)
        options.setdefault("instance", self.instance())
        argv = srv.command(**options) + ["-i"]
        pr = Prompt(self, srv, argv).ready()
        pr.instance = options["instance"]
        pr.prefix = self.prefix_of(argv)
        return pr

    def slow_get(self, name="f1M.bin", options=(), bind=""):
        """A stdlib download ACKing every 50 ms, on a thread, under way (a
        session to show, kill or count at the prompt); returns (thread,
        {"res": its Result once done}, a stop event)."""
        started, stop, holder = threading.Event(), threading.Event(), {}

        def hook(sess, block):
            if block == 3:
                started.set()
            return stop.is_set()

        client = self.tftp(bind=bind, timeout=2.0)

        def run():
            holder["res"] = client.get(name, options=options,
                                       ack_delay=0.05, on_data=hook,
                                       deadline=50)
            started.set()

        th = threading.Thread(target=run, daemon=True)
        th.start()
        self.check(started.wait(10), "the slow transfer did not start")
        return th, holder, stop

    def check_exit_ok(self, res):
        self.check_eq(res.rc, 0, "exit status")
        self.check("dptftpd: quit: shutting down" in res.stdout,
                   "no 'dptftpd: quit: shutting down'")
        self.check("dptftpd: shutdown complete" in res.stdout,
                   "no 'dptftpd: shutdown complete'")
        self.check_eq(res.counter("Mbufs in use"), 0, "Mbufs in use")


def reap(suite, srv, timeout_s=20):
    """The result of a server that stops by itself (quit)."""
    try:
        rc = srv.proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        raise Failure("dptftpd did not exit after quit")
    srv._close()
    srv.result = ServerResult(rc, srv.stdout_text(), srv.stderr_text())
    getattr(srv, "after_exit", lambda: None)()
    suite.log("dptftpd exited: rc %s" % rc)
    return srv.result


def telemetry(prefix, *cmds):
    """{command: its JSON value}, read from the instance's telemetry
    socket the way dpdk-telemetry.py does."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.settimeout(10)
    sock.connect(os.path.join(DPDK_RUN_DIR, prefix,
                              "dpdk_telemetry.v2"))
    try:
        size = json.loads(sock.recv(4096).decode())["max_output_len"]
        out = {}
        for cmd in cmds:
            sock.send(cmd.encode())
            name = cmd.split(",")[0]
            out[name] = json.loads(sock.recv(size).decode())[name]
        return out
    finally:
        sock.close()
