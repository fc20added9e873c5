# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""CLI: dptftpd's command line contract.

Bad configuration: exit 1 and one line on stderr starting "dptftpd: ".
Failure to start (the port is taken): exit 2, one such line. --help lists
every option.
"""

import os
import subprocess

from dts.framework.netns import netns_socket
from dts.framework.suite import TestSuite, params, requires, timeout

BAD = {
    "unknown-option": ["--no-such-option"],
    "bad-balance": ["--balance", "bogus"],
    "missing-root": ["--root", "/nonexistent/dts-root"],
    "no-root": [],
    "bad-timeout": ["--timeout", "soon"],
    "bad-port-range": ["--port-range", "70000:80000"],
}

HELP_OPTIONS = ("--root", "--listen", "--port-range", "--workers",
                "--balance", "--blksize-max", "--windowsize-max", "--timeout",
                "--retries", "--max-sessions", "--stats-period", "--config",
                "--log-level", "--help")


class TestCli(TestSuite):
    """CLI: exit codes and messages."""

    def _run(self, srv, extra, timeout_s=30, drop_root=False):
        argv = srv.command() + extra
        if drop_root:
            i = argv.index("--root")
            del argv[i:i + 2]
        self.log("run: %s" % " ".join(argv))
        try:
            p = subprocess.run(argv, capture_output=True, text=True,
                               timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.fail("dptftpd %s did not exit within %ds"
                      % (" ".join(extra), timeout_s))
        self.log("rc %d\nstdout: %s\nstderr: %s" % (p.returncode, p.stdout,
                                                     p.stderr))
        return p

    def _check_one_line(self, p, rc, what):
        self.check_eq(p.returncode, rc, "%s: exit status" % what)
        ours = [l for l in p.stderr.splitlines() if l.startswith("dptftpd: ")]
        self.check(len(ours) == 1, "%s: want one 'dptftpd: ' line on "
                   "stderr, got %r" % (what, p.stderr.strip()[-300:]))

    @requires("cli")
    @params(*BAD)
    @timeout(40)
    def test_bad_config(self, kind):
        """Steps: run dptftpd with one bad setting (an unknown option, an
        unknown strategy, a root that does not exist, no --root at all, a
        malformed duration, ports beyond 65535).
        Verifies: exit 1 with one line on stderr starting "dptftpd: "."""
        srv = self.new_server()
        argv = BAD[kind]
        if kind == "missing-root":
            srv.root = argv[1]
            argv = []
        p = self._run(srv, argv, drop_root=(kind == "no-root"))
        self._check_one_line(p, 1, kind)

    @requires("cli")
    @timeout(40)
    def test_port_in_use(self):
        """Steps: bind UDP 10.99.0.1:69 in the server namespace; start
        dptftpd on that address.
        Verifies: exit 2 with one line on stderr starting "dptftpd: "."""
        if self.env.backend != "socket":
            self.skip("only the socket backend binds a kernel port")
        sock = netns_socket(self.topo.server_ns)
        try:
            sock.bind((self.topo.server_ip, 69))
            p = self._run(self.new_server(), [])
        finally:
            sock.close()
        self._check_one_line(p, 2, "port in use")

    @requires("cli")
    @timeout(30)
    def test_help(self):
        """Steps: run dptftpd --help.
        Verifies: exit 0; the text names every option of the command
        line."""
        srv = self.new_server()
        p = self._run(srv, ["--help"])
        self.check_eq(p.returncode, 0, "exit status")
        text = p.stdout + p.stderr
        missing = [o for o in HELP_OPTIONS if o not in text]
        self.check(not missing, "--help does not mention %s"
                   % ", ".join(missing))

    @requires("cli")
    @timeout(40)
    def test_ready_line_after_cmdline_file(self):
        """Steps: start dptftpd --workers 2 --cmdline-file FILE where FILE
        says `set balance client-hash`.
        Verifies: the ready line says "balance client-hash", what the
        first request meets, not the command line's round-robin."""
        path = "/tmp/%s.cmds" % self.topo.server_ns
        with open(path, "w") as f:
            f.write("set balance client-hash\n")
        os.chmod(path, 0o644)
        try:
            srv = self.start_server(workers=2, cmdline_file=path)
            ready = [l for l in srv.stdout_text().splitlines()
                     if l.startswith("dptftpd: ready:")]
            self.check(ready and "balance client-hash" in ready[0],
                       "ready line: %r" % ready)
            self.stop_server(srv)
        finally:
            os.unlink(path)

    @requires("cli")
    @timeout(40)
    def test_port_69_unprivileged(self):
        """Steps: run dptftpd on 10.99.0.1:69 as the user nobody, with no
        capability (setpriv).
        Verifies: exit 2, one line naming CAP_NET_BIND_SERVICE (not
        another port)."""
        if self.env.backend != "socket":
            self.skip("only the socket backend binds a kernel port")
        srv = self.new_server()
        argv = srv.command()
        i = argv.index(srv.binary)
        argv[i:i] = ["setpriv", "--reuid", "nobody", "--regid", "nogroup",
                     "--clear-groups", "--inh-caps", "-all", "--"]
        self.log("run: %s" % " ".join(argv))
        env = dict(os.environ, XDG_RUNTIME_DIR="/tmp")
        p = subprocess.run(argv, capture_output=True, text=True, timeout=30,
                           env=env)
        self.log("rc %d\nstdout: %s\nstderr: %s" % (p.returncode, p.stdout,
                                                     p.stderr))
        self._check_one_line(p, 2, "port 69 unprivileged")
        self.check("CAP_NET_BIND_SERVICE" in p.stderr, "stderr: %r"
                   % p.stderr[-300:])
