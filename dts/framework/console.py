# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""dptftpd's console from a case: --console-socket and its output.

Two ways in, both to a server started with console_socket=PATH:

  console_run(suite, PATH, "show cache")   scripts/dptftp-console, what an
                                           operator runs; a CompletedProcess
  Console(PATH)                            one connection kept open, for a
                                           case that must ask between two
                                           datagrams (no process to start)

The output is the `Key: value` text of docs/console.md: keyvals() reads
it flat, blocks() as the list of `File:` (show cache) or `Session:` (show
sessions) blocks.
"""

import os
import re
import select
import socket
import subprocess
import sys
import time

from .wait import eventually

PROMPT = b"dptftp> "
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CONSOLE_CLIENT = os.path.join(REPO, "scripts", "dptftp-console")


def socket_path(topo):
    """A console socket path of the case's own (the server namespace's
    name is unique to the case)."""
    return "/tmp/%s.console" % topo.server_ns


def keyvals(text):
    """{key: value} of `Key: value` lines (indented ones too; the last
    one of a key wins)."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([^:]+?): ?(.*)$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def idle(con):
    """Waits until `show worker stats` says no session is active: the
    final ACKs taken in, the sessions retired and counted. con: anything
    with cmd(), a Console or a prompt."""
    eventually(lambda: keyvals(con.cmd("show worker stats")).get(
        "Total sessions-active") == "0", "sessions still active")


def blocks(text, head):
    """The blocks that start with a `head: x` line (File, Session), as
    dicts of their lines, in order."""
    found = []
    for line in text.splitlines():
        m = re.match(r"^\s*([^:]+?): ?(.*)$", line)
        if not m:
            continue
        if m.group(1) == head:
            found.append({})
        if found and (m.group(1) == head or line.startswith(" ")):
            found[-1][m.group(1)] = m.group(2)
    return found


def console_run(suite, path, *commands, timeout=30, stdin=None):
    """scripts/dptftp-console PATH COMMANDS...; the CompletedProcess (the
    command line and output go to case.log). stdin: text on its standard
    input (for the command "-"), else none."""
    argv = [sys.executable, CONSOLE_CLIENT, path] + list(commands)
    where = {"stdin": subprocess.DEVNULL} if stdin is None else \
        {"input": stdin}
    p = subprocess.run(argv, capture_output=True, text=True,
                       timeout=timeout, **where)
    suite.log("$ %s\n# rc=%d\n%s%s" % (" ".join(argv), p.returncode,
                                        p.stdout, p.stderr))
    return p


class Console:
    """One open connection to a console socket. cmd() sends a line and
    returns what the server printed for it (no echo, no prompt)."""

    def __init__(self, path, log=None, timeout=10.0):
        self.log = log
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.sock.connect(path)
            self._until_prompt()
        except BaseException:
            self.sock.close()
            raise

    def _until_prompt(self):
        buf = b""
        deadline = time.monotonic() + self.timeout
        while not buf.endswith(PROMPT):
            left = deadline - time.monotonic()
            r, _, _ = select.select([self.sock], [], [], max(left, 0))
            if not r:
                raise TimeoutError("no console prompt within %.0fs; got %r"
                                   % (self.timeout, buf[-200:]))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the console closed; got %r"
                                      % buf[-200:])
            buf += chunk
        return buf[:-len(PROMPT)]

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\n")
        text = self._until_prompt().decode("utf-8", "replace")
        lines = text.replace("\r", "").split("\n")
        out = "\n".join(lines[1:]).rstrip("\n")   # lines[0]: the echo
        if self.log is not None:
            self.log("console> %s\n%s" % (line, out))
        return out

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
