# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""RRQ: downloads of every size, both modes, and option negotiation.

RFC 1350 (sizes, the empty last block, block-number rollover, netascii),
RFC 2347 (OACK only for options the client sent, in its order), RFC 2348
(blksize), RFC 2349 (tsize, timeout), RFC 7440 (windowsize). The OACK cases
use the stdlib client and compare the OACK byte for byte.
"""

from dts.framework import files
from dts.framework.suite import TestSuite, params, requires, timeout
from dts.framework.tftpclient import OP_DATA, oack

SIZES = ["f0.bin", "f1.bin", "f511.bin", "f512.bin", "f513.bin", "f1M.bin"]


class TestRrq(TestSuite):
    """RRQ: sizes, rollover, netascii, options."""

    @params("tftp-hpa", "curl", "atftp", "busybox")
    @timeout(60)
    def test_sizes(self, client):
        """Steps: start the server; fetch files of 0, 1, 511, 512, 513
        bytes and 1 MiB with the client and its default options (curl
        fetches the empty file with --tftp-no-options: curl 7.88 rejects
        an OACK saying tsize 0).
        Verifies: each file arrives byte-exact, including the empty file
        and the ones that end exactly on a block boundary."""
        self.start_server()
        for name in SIZES:
            opts = {}
            if client == "curl" and name == "f0.bin":
                opts["no_options"] = True
            self.fetch(client, name, **opts)

    @timeout(60)
    def test_sizes_stdlib(self):
        """Steps: start the server; fetch each size with the stdlib client,
        no options.
        Verifies: the content is byte-exact; the transfer takes
        size // 512 + 1 DATA blocks, so a file of k * 512 bytes ends with
        an empty block, and all but the last carry 512 bytes."""
        self.start_server()
        for name in SIZES:
            res = self.fetch_stdlib(name)
            size = self.files.sizes[name]
            self.check_eq(res.blocks, size // 512 + 1,
                          "%s: DATA blocks" % name)
            datas = [p for p in res.packets if p.opcode == OP_DATA]
            for p in datas[:-1]:
                self.check_eq(len(p.payload), 512, "%s: block %d size"
                              % (name, p.block))

    @params("curl:1024", "busybox:1024", "atftp:1428")
    @timeout(60)
    def test_sizes_blksize(self, spec):
        """Steps: start the server; fetch every size with the client asking
        for the given blksize (curl --tftp-blksize, busybox -b, atftp
        --option "blksize N"); curl skips the empty file (it rejects
        tsize 0 in an OACK).
        Verifies: every file arrives byte-exact at that block size."""
        client, blksize = spec.split(":")
        self.start_server()
        for name in SIZES:
            if client == "curl" and name == "f0.bin":
                continue
            self.fetch(client, name, blksize=int(blksize))

    @params("tftp-hpa", "curl", "atftp", "busybox")
    @timeout(120)
    def test_rollover_40MiB(self, client):
        """Steps: start the server; fetch f40M.bin (40 MiB) at blksize 512
        (81921 blocks, so the 16-bit block number wraps past 65535 to 0)
        with the client (curl asks --tftp-blksize 512, the others send no
        blksize).
        Verifies: the file arrives byte-exact (sha256)."""
        self.start_server()
        opts = {"blksize": 512} if client == "curl" else {}
        self.fetch(client, "f40M.bin", timeout=100, **opts)

    @requires("windowsize")
    @timeout(120)
    def test_rollover_40MiB_windowed(self):
        """Steps: start the server; fetch f40M.bin with the stdlib client,
        blksize 512 and windowsize 16.
        Verifies: OACK grants both; the file is byte-exact across the
        rollover with windows straddling block 65535 -> 0."""
        self.start_server()
        res = self.fetch_stdlib("f40M.bin", [("blksize", 512),
                                             ("windowsize", 16)],
                                deadline=100)
        self.check_eq(res.oack.raw, oack([("blksize", 512),
                                          ("windowsize", 16)]), "OACK")
        self.check_eq(res.blocks, 40 * 2048 + 1, "DATA blocks")

    @params("tftp-hpa", "atftp", "curl")
    @timeout(30)
    def test_netascii(self, client):
        """Steps: start the server; fetch text.txt (LF, CR LF, bare CR,
        a CR at a block's end and at the end of file) in netascii mode:
        tftp-hpa -m netascii, atftp --option "mode netascii", curl
        ";mode=netascii" with --tftp-no-options.
        Verifies: tftp-hpa and atftp convert back, so their file equals the
        original; curl writes the wire bytes, which must equal the file
        converted to netascii (LF -> CR LF, CR -> CR NUL)."""
        self.start_server()
        out = self.out("%s.text.txt" % client)
        kwargs = {"no_options": True} if client == "curl" else {}
        run = self.client(client).get("text.txt", out, mode="netascii",
                                      **kwargs)
        if not run.ok:
            self.fail("%s netascii: %s" % (client, run.describe()))
        transform = files.to_netascii if client == "curl" else None
        self.verify_file(out, "text.txt", transform)

    @timeout(30)
    def test_netascii_stdlib(self):
        """Steps: start the server; fetch text.txt in netascii with the
        stdlib client, which keeps the bytes as received.
        Verifies: the received bytes equal the file converted LF -> CR LF
        and CR -> CR NUL, and decode back to the original."""
        self.start_server()
        res = self.fetch_stdlib("text.txt", mode="netascii")
        self.expect_bytes(files.from_netascii(res.data),
                          self.files.read("text.txt"), "decoded netascii")

    @timeout(30)
    def test_netascii_tsize_declined(self):
        """Steps: start the server; RRQ text.txt in netascii with
        blksize 1024 and tsize 0.
        Verifies: the OACK carries blksize 1024 and no tsize (the file's
        size is not the netascii size); the content is right."""
        self.start_server()
        res = self.fetch_stdlib("text.txt", [("blksize", 1024),
                                             ("tsize", 0)],
                                mode="netascii")
        self.check(res.oack is not None, "no OACK (first reply %r)"
                   % res.first)
        self.check_eq(res.oack.raw, oack([("blksize", 1024)]), "OACK")

    # ---------------------------------------------------------- options

    def _oack_case(self, name, options, want, **server):
        self.start_server(**server)
        res = self.fetch_stdlib(name, options)
        self.check(res.oack is not None, "no OACK; first reply %r"
                   % res.first)
        self.check_eq(res.oack.raw, want, "OACK bytes")
        return res

    @timeout(30)
    def test_oack_blksize(self):
        """Steps: start the server; RRQ f1M.bin with blksize 1024.
        Verifies: the OACK is exactly "blksize\\0 1024\\0"; DATA blocks
        carry 1024 bytes; the file is byte-exact."""
        res = self._oack_case("f1M.bin", [("blksize", 1024)],
                              oack([("blksize", 1024)]))
        for p in res.packets:
            if p.opcode == OP_DATA and p.block < 1024:
                self.check_eq(len(p.payload), 1024, "DATA %d size"
                              % p.block)

    @timeout(30)
    def test_oack_blksize_clamped(self):
        """Steps: start the server with --blksize-max 1468; RRQ f1M.bin
        with blksize 65464.
        Verifies: the OACK lowers it to exactly "blksize\\0 1468\\0"; no
        DATA exceeds 1468 bytes; the file is byte-exact."""
        res = self._oack_case("f1M.bin", [("blksize", 65464)],
                              oack([("blksize", 1468)]), blksize_max=1468)
        for p in res.packets:
            if p.opcode == OP_DATA:
                self.check(len(p.payload) <= 1468, "DATA %d has %d bytes"
                           % (p.block, len(p.payload)))

    @params("f0.bin", "f513.bin", "f1M.bin")
    @timeout(30)
    def test_oack_tsize(self, name):
        """Steps: start the server; RRQ the file with tsize 0.
        Verifies: the OACK is exactly "tsize\\0 <file size>\\0"; the
        content follows byte-exact."""
        self._oack_case(name, [("tsize", 0)],
                        oack([("tsize", self.files.sizes[name])]))

    @timeout(30)
    def test_oack_timeout(self):
        """Steps: start the server; RRQ f64K.bin with timeout 3.
        Verifies: the OACK is exactly "timeout\\0 3\\0"; content exact."""
        self._oack_case("f64K.bin", [("timeout", 3)], oack([("timeout", 3)]))

    @timeout(30)
    def test_oack_order(self):
        """Steps: start the server; RRQ f1M.bin with blksize 1024, tsize 0,
        timeout 2, in that order.
        Verifies: the OACK holds the three, in the client's order, with
        tsize 1048576; content exact."""
        self._oack_case("f1M.bin",
                        [("blksize", 1024), ("tsize", 0), ("timeout", 2)],
                        oack([("blksize", 1024), ("tsize", 1048576),
                              ("timeout", 2)]))

    @requires("windowsize")
    @timeout(30)
    def test_oack_windowsize(self):
        """Steps: start the server; RRQ f1M.bin with windowsize 8; the
        stdlib client ACKs only every 8th block.
        Verifies: the OACK is exactly "windowsize\\0 8\\0"; the transfer
        needs no retransmission on either side (the server really sends 8
        blocks per ACK); content exact."""
        res = self._oack_case("f1M.bin", [("windowsize", 8)],
                              oack([("windowsize", 8)]))
        self.check_eq(res.retransmits, 0, "client retransmissions")
        self.check_eq(res.duplicates, 0, "duplicate DATA")

    @requires("windowsize")
    @timeout(30)
    def test_oack_windowsize_clamped(self):
        """Steps: start the server with --windowsize-max 4; RRQ f1M.bin
        with windowsize 64 and blksize 1024.
        Verifies: the OACK grants windowsize 4 and blksize 1024; the
        transfer completes without retransmissions; content exact."""
        res = self._oack_case("f1M.bin",
                              [("windowsize", 64), ("blksize", 1024)],
                              oack([("windowsize", 4), ("blksize", 1024)]),
                              windowsize_max=4)
        self.check_eq(res.retransmits, 0, "client retransmissions")

    @params("7", "65465", "abc")
    @timeout(30)
    def test_invalid_blksize_ignored(self, value):
        """Steps: start the server; RRQ f1M.bin with blksize VALUE (out of
        RFC 2348's 8..65464, or not a number) and tsize 0.
        Verifies: the transfer goes ahead: the OACK carries tsize only
        (blksize not echoed), DATA blocks are 512 bytes, content exact."""
        res = self._oack_case("f1M.bin", [("blksize", value), ("tsize", 0)],
                              oack([("tsize", 1048576)]))
        self.check_eq(res.blksize, 512, "block size used")

    @timeout(30)
    def test_unknown_option_ignored(self):
        """Steps: start the server; RRQ f64K.bin with an unknown option
        "colour blue" then tsize 0.
        Verifies: the OACK carries tsize only; content exact."""
        self._oack_case("f64K.bin", [("colour", "blue"), ("tsize", 0)],
                        oack([("tsize", 65536)]))

    @timeout(30)
    def test_unknown_option_only(self):
        """Steps: start the server; RRQ f64K.bin with only an unknown
        option.
        Verifies: no OACK at all (RFC 2347: the server answers as if no
        option had been sent): the first reply is DATA block 1."""
        self.start_server()
        res = self.fetch_stdlib("f64K.bin", [("colour", "blue")])
        self.check_eq(repr(res.first), "DATA(1, 512 bytes)", "first reply")

    @requires("counters")
    @timeout(30)
    def test_option_probe(self):
        """Steps: start dptftpd; RRQ f1M.bin with tsize 0 and answer the
        OACK with ERROR 8 (what UEFI firmware does); then fetch the file
        for real; stop the server.
        Verifies: the probe got an OACK with the size; the real transfer is
        byte-exact; counters: 1 option probe, 2 sessions started, 1
        completed, 0 failed."""
        srv = self.start_server()
        res = self.tftp().get("f1M.bin", options=[("tsize", 0)],
                              ack_oack=False)
        self.check(res.oack is not None, "no OACK to the probe")
        self.check_eq(res.oack.raw, oack([("tsize", 1048576)]), "OACK")
        self.fetch_stdlib("f1M.bin")
        result = self.stop_server(srv)
        self.check_eq(result.counter("Total option-probes"), 1,
                      "Total option-probes")
        self.check_eq(result.counter("Total sessions-started"), 2,
                      "Total sessions-started")
        self.check_eq(result.counter("Total sessions-completed"), 1,
                      "Total sessions-completed")
        self.check_eq(result.counter("Total sessions-failed"), 0,
                      "Total sessions-failed")
