# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Logging: log levels that reach every library.

--log-level LEVEL sets every dptftp.* log type, and the console's `set
log-level LIB LEVEL` one of them (dptftp.dp, dptftp.port, ...). DPDK
writes the lines to stderr (and syslog), each starting with its type.
"""


from dts.framework.console import Console, socket_path
from dts.framework.suite import TestSuite, requires, timeout

# The dataplane's line for each file open, at debug level only.
DP_OPEN = "dptftp.dp: worker 0: RRQ f1.bin from 10.99.0.2: opened"


class TestLogging(TestSuite):
    """Logging: --log-level and set log-level reach lib/dp and lib/port."""

    def _lines(self, srv, prefix):
        return [l for l in srv.stderr_text().splitlines()
                if l.startswith(prefix)]

    def _wait_line(self, srv, text, secs=5.0):
        return self.eventually(lambda: text in srv.stderr_text(),
                               "the server saying %r" % text, timeout=secs,
                               fail=False)

    @requires("cli")
    @timeout(60)
    def test_log_level_debug(self):
        """Steps: start dptftpd at the default level, fetch f1.bin, stop;
        start it with --log-level debug, fetch f1.bin, stop.
        Verifies: at the default level no dptftp.dp debug line; at debug
        the open is logged by dptftp.dp (who asked, what, the result)."""
        srv = self.start_server(workers=1)
        self.fetch_stdlib("f1.bin")
        self.stop_server(srv)
        self.check(not self._lines(srv, "dptftp.dp: "),
                   "dptftp.dp lines at the default level: %r"
                   % self._lines(srv, "dptftp.dp: "))
        srv = self.start_server(workers=1, log_level="debug")
        self.fetch_stdlib("f1.bin")
        self.check(self._wait_line(srv, DP_OPEN),
                   "no %r at --log-level debug" % DP_OPEN)
        self.stop_server(srv)

    @requires("cli")
    @timeout(60)
    def test_set_log_level_dp(self):
        """Steps: start dptftpd with a console socket; fetch f1.bin; `set
        log-level dp debug`; fetch f1.bin again; `set log-level dp notice`;
        fetch once more.
        Verifies: the console answers "log-level dptftp.dp: debug"; the
        open is logged only while dptftp.dp is at debug."""
        path = socket_path(self.topo)
        srv = self.start_server(workers=1, console_socket=path)
        self.fetch_stdlib("f1.bin")
        self.check(not self._lines(srv, DP_OPEN), "logged before the set")
        with Console(path, log=self.log) as con:
            self.check_eq(con.cmd("set log-level dp debug").strip(),
                          "log-level dptftp.dp: debug", "set log-level")
            self.fetch_stdlib("f1.bin")
            self.check(self._wait_line(srv, DP_OPEN),
                       "no %r after set log-level dp debug" % DP_OPEN)
            con.cmd("set log-level dp notice")
            self.fetch_stdlib("f1.bin")
        self.stop_server(srv)
        self.check_eq(len(self._lines(srv, DP_OPEN)), 1,
                      "open lines (debug for one fetch of three)")
