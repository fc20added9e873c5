# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Errors: what the server refuses, and that refusing never leaks content.

RFC 1350 error codes: 1 file not found, 2 access violation, 4 illegal
operation, 5 unknown transfer ID. Paths resolve beneath --root only: no
`..` escape, no absolute path outside it, no symlink out, no directory or
device served. Each case sends its request from the stdlib client and
looks at every datagram that comes back.
"""

import os

from dts.framework import files
from dts.framework.suite import TestSuite, params, timeout
from dts.framework.tftpclient import (OP_DATA, OP_ERROR, OP_OACK, ack,
                                      rrq)

MALFORMED = {
    "filename-no-nul": b"\x00\x01f1.bin",
    "mode-no-nul": b"\x00\x01f1.bin\x00octet",
    "mode-mail": b"\x00\x01f1.bin\x00mail\x00",
    "mode-bogus": b"\x00\x01f1.bin\x00bogus\x00",
}

OUTSIDE = ["../etc/passwd", "sub/../../x", "/etc/passwd", "../secret",
           "sub/../../secret", "link-abs", "link-rel"]


class TestErrors(TestSuite):
    """Errors: missing files, escapes from the root, bad requests, TIDs."""

    def _exchange(self, raw, wait=2.0):
        """Send raw to port 69; every datagram back within `wait` s of the
        first reply (or `wait` s if none)."""
        client = self.tftp()
        sock = client.socket()
        try:
            sock.sendto(raw, (self.topo.server_ip, 69))
            got = client.receive(sock, wait, 1)
            if got:
                got += client.receive(sock, 0.5, 16)
        finally:
            sock.close()
        self.log("sent %r, got %r" % (raw[:60], got))
        return got

    def _expect_error(self, raw, codes, what):
        got = self._exchange(raw)
        if not got:
            self.fail("%s: no reply" % what)
        for pkt, _ in got:
            if pkt.opcode in (OP_DATA, OP_OACK):
                self.fail("%s: server sent %r" % (what, pkt))
            if files.SECRET[:20] in pkt.raw or b"root:" in pkt.raw:
                self.fail("%s: reply carries file content" % what)
        first = got[0][0]
        self.check(first.opcode == OP_ERROR and first.code in codes,
                   "%s: got %r, want ERROR %s" % (
                       what, first, " or ".join(map(str, codes))))
        return first

    def _still_serving(self):
        self.fetch_stdlib("f513.bin")

    @timeout(30)
    def test_missing_file(self):
        """Steps: start the server; RRQ "no-such-file.bin".
        Verifies: the reply is ERROR 1 (file not found), nothing else."""
        self.start_server()
        self._expect_error(rrq("no-such-file.bin"), (1,), "missing file")

    @params(*OUTSIDE)
    @timeout(30)
    def test_outside_root(self, path):
        """Steps: start the server; RRQ PATH, which points outside --root:
        through "..", as an absolute path, or through a symlink in the
        root (link-abs -> /etc/passwd, link-rel -> ../secret, a file that
        exists just outside the root).
        Verifies: ERROR 1 or 2, no DATA or OACK, no byte of the target;
        the server keeps serving."""
        self.start_server()
        self._expect_error(rrq(path), (1, 2), "RRQ %s" % path)
        self._still_serving()

    @params("sub", "sub/", ".")
    @timeout(30)
    def test_directory(self, path):
        """Steps: start the server; RRQ PATH, a directory in the root.
        Verifies: ERROR 1 or 2, no DATA."""
        self.start_server()
        self._expect_error(rrq(path), (1, 2), "RRQ directory %s" % path)

    @timeout(30)
    def test_device(self):
        """Steps: create a character device (1,5: /dev/zero) in the root;
        start the server; RRQ it.
        Verifies: ERROR 1 or 2, no DATA (a server that opened it would
        stream zeros forever)."""
        dev = self.files.path("zero-device")
        try:
            os.mknod(dev, 0o20644, os.makedev(1, 5))
        except OSError as e:
            self.skip("cannot mknod in the root: %s" % e)
        try:
            self.start_server()
            self._expect_error(rrq("zero-device"), (1, 2), "RRQ device")
        finally:
            os.unlink(dev)

    @params(*MALFORMED)
    @timeout(30)
    def test_malformed(self, kind):
        """Steps: start the server; send a malformed request to port 69:
        a filename or a mode without its NUL, mode "mail" (obsolete),
        mode "bogus"; then fetch a file normally.
        Verifies: the reply is ERROR 4 (illegal operation), no DATA; the
        server still serves the next request. (A datagram that is no
        request at all, empty, one byte, opcode 9, is never answered:
        suite hostile.)"""
        self.start_server()
        self._expect_error(MALFORMED[kind], (4,), "request %s" % kind)
        self._still_serving()

    @timeout(30)
    def test_wrong_tid(self):
        """Steps: start the server; fetch f1M.bin with the stdlib client;
        after DATA 10, send ACK 10 to the session's port from a second
        socket (another source port: an unknown TID); go on.
        Verifies: the second socket gets ERROR 5 from the session port;
        the real transfer gets no ERROR and completes byte-exact."""
        self.start_server()
        client = self.tftp()
        seen = {}

        def intrude(sess, block):
            if block != 10:
                return
            other = sess.new_socket()
            try:
                sess.send_to_server(ack(10), sock=other)
                seen["replies"] = client.receive(other, 2.0, 1)
            finally:
                other.close()

        res = self.fetch_stdlib("f1M.bin", client=client, on_data=intrude)
        replies = seen.get("replies")
        self.check(replies, "no reply to the unknown TID")
        pkt, addr = replies[0]
        self.check(pkt.opcode == OP_ERROR and pkt.code == 5,
                   "unknown TID got %r, want ERROR 5" % pkt)
        self.check_eq(addr, res.server_tid, "ERROR 5 source")
