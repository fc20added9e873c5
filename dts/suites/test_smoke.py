# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Smoke: the server starts, serves a file to each real client, stops."""

from dts.framework.suite import TestSuite, params, timeout


class TestSmoke(TestSuite):
    """Smoke: one file with each client Debian ships, and the stdlib one."""

    @params("tftp-hpa", "curl", "atftp", "busybox")
    @timeout(60)
    def test_get(self, client):
        """Steps: start the server with default options; fetch f1M.bin
        (1 MiB) with the client, each with its own default options.
        Verifies: the client exits 0 and the file is byte-exact (sha256);
        the server stops cleanly."""
        self.start_server()
        self.fetch(client, "f1M.bin")

    @timeout(60)
    def test_get_stdlib(self):
        """Steps: start the server; fetch f1M.bin with the stdlib client
        and no options.
        Verifies: the first reply is DATA block 1 (no OACK without
        options); the content is byte-exact."""
        self.start_server()
        res = self.fetch_stdlib("f1M.bin")
        self.check_eq(res.first.name, "DATA", "first reply")
        self.check_eq(res.first.block, 1, "first block")
