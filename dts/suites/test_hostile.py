# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Hostile: a network where any host sends anything.

Forged and broken datagrams and raw frames from the client namespace: an
ERROR or anything that is not a request, sent to port 69 or to a session's
port, is never answered (two servers must not bounce errors for ever,
CVE-2024-2169); ERROR replies and ICMP echo replies are rate-limited
(--reply-limit, 100 a second to one address by default, and
--reply-limit-total in all); a repeated ACK
never makes DATA go again (RFC 1123 4.2.3.1, the Sorcerer's Apprentice);
fragmented requests, ACKs and DATA are read whole, and an upload sent in
fragments is stored byte-exact; a flood of first fragments that never
complete does not stop service; a frame from a broadcast source is not
answered. Every drop is counted, and the server serves on afterwards.
"""

import os
import socket
import struct
import time

from dts.framework import files as files_mod
from dts.framework.frames import (PacketSocket, icmp_echo,
                                  icmp_echo_reply_of, mac_bytes,
                                  udp_fragments)
from dts.framework.suite import TestSuite, backends, requires, timeout
from dts.framework.tftpclient import (OP_ACK, OP_DATA, OP_ERROR, OP_OACK,
                                      Packet, ack, data, error,
                                      receive_any, rrq, wrq)

ETHDEV = ("afpacket", "tap", "xdp")

NOT_REQUESTS = {
    "error-0": error(0, "x"),
    "error-5": error(5, "Unknown transfer ID"),
    "error-bare": b"\x00\x05",
    "ack": ack(1),
    "data": data(1, b"hello"),
    "oack": b"\x00\x06blksize\x001024\x00",
    "opcode-9": b"\x00\x09f1.bin\x00octet\x00",
    "empty": b"",
    "one-byte": b"\x05",
}


class TestHostile(TestSuite):
    """Hostile network: loops, amplification, Sorcerer's Apprentice,
    fragments, broadcast sources."""

    # ---------------------------------------------------------- helpers

    def _quiet(self, sock, wait):
        """Everything that arrives on sock within `wait` seconds."""
        return self.tftp().receive(sock, wait, 100000)

    def _session(self, options=(), name="f1M.bin"):
        """An RRQ from a new socket, its first answer taken; returns
        (socket, server address, first packet). With options the OACK
        is acknowledged, so the first packet returned is DATA 1."""
        client = self.tftp()
        sock = client.socket()
        sock.sendto(rrq(name, "octet", options), (self.topo.server_ip, 69))
        got = client.receive(sock, 3.0, 1)
        self.check(got, "no answer to the RRQ of %s" % name)
        pkt, addr = got[0]
        if pkt.opcode == OP_OACK:
            sock.sendto(ack(0), addr)
            got = client.receive(sock, 3.0, 1)
            self.check(got, "no DATA 1 after ACK 0")
            pkt, addr = got[0]
        self.check(pkt.opcode == OP_DATA and pkt.block == 1,
                   "first answer %r, want DATA 1" % pkt)
        return sock, addr, pkt

    def _frame_addrs(self):
        return (mac_bytes(self.topo.client_mac()),
                mac_bytes(self.topo.server_mac()))

    # ------------------------------------------------------------ cases

    @requires("counters")
    @timeout(60)
    def test_not_requests_to_port69(self):
        """Steps: start the server; from one socket send to port 69 each of:
        ERROR 0, ERROR 5, a bare ERROR opcode, ACK 1, DATA 1, an OACK,
        opcode 9, an empty datagram, one byte; wait 1.5 s; fetch f513.bin;
        stop the server.
        Verifies: not one datagram comes back to that socket; the next
        client is served; `Total drop-malformed` counts all 9 and
        `Total errors-sent` is 0."""
        srv = self.start_server()
        client = self.tftp()
        sock = client.socket()
        try:
            for raw in NOT_REQUESTS.values():
                sock.sendto(raw, (self.topo.server_ip, 69))
            got = self._quiet(sock, 1.5)
        finally:
            sock.close()
        self.log("answers: %r" % got)
        self.fetch_stdlib("f513.bin")
        result = self.stop_server(srv)
        self.check_eq(got, [], "answers to datagrams that are not requests")
        self.check_eq(result.counter("Total drop-malformed"),
                      len(NOT_REQUESTS), "Total drop-malformed")
        self.check_eq(result.counter("Total errors-sent"), 0,
                      "Total errors-sent")

    @requires("counters")
    @timeout(60)
    def test_error_to_session_port(self):
        """Steps: start the server; begin a download of f1M.bin from one
        socket (DATA 1 received); from a second socket send ERROR 0 and
        ERROR 5 to the session's port, and also ACK 1 (a foreign TID);
        then the real client sends ERROR 0 itself; wait 1.5 s.
        Verifies: the foreign ERRORs get nothing back, the foreign ACK
        gets ERROR 5 (RFC 1350); the client's own ERROR ends the session
        and gets nothing back; `Total drop-foreign` is 3 and
        `Total sessions-failed` 1 (the client's ERROR)."""
        srv = self.start_server()
        sock, addr, _ = self._session()
        other = self.tftp().socket()
        try:
            other.sendto(error(0, "forged"), addr)
            other.sendto(error(5, "forged"), addr)
            foreign_errors = self._quiet(other, 1.0)
            other.sendto(ack(1), addr)
            foreign_ack = self._quiet(other, 1.0)
            self._quiet(sock, 0.1)         # DATA the timer may resend
            sock.sendto(error(0, "client gives up"), addr)
            after = [p for p, _ in self._quiet(sock, 1.5)
                     if p.opcode != OP_DATA]
        finally:
            sock.close()
            other.close()
        result = self.stop_server(srv)
        self.check_eq(foreign_errors, [], "answers to foreign ERRORs")
        self.check(len(foreign_ack) == 1 and
                   foreign_ack[0][0].opcode == OP_ERROR and
                   foreign_ack[0][0].code == 5,
                   "foreign ACK got %r, want one ERROR 5" % foreign_ack)
        self.check_eq(after, [], "answers to the client's own ERROR")
        self.check_eq(result.counter("Total drop-foreign"), 3,
                      "Total drop-foreign")
        self.check_eq(result.counter("Total sessions-failed"), 1,
                      "Total sessions-failed")

    @requires("counters")
    @timeout(90)
    def test_garbage_flood(self):
        """Steps: start the server; from one socket send 2,000 malformed
        requests (an RRQ with no NUL after its name: each deserves
        ERROR 4) and 2,000 ERRORs to port 69 over about one second,
        counting what comes back until 1 s after the last; fetch f1M.bin
        with curl; stop the server.
        Verifies: at most 100 a second, bursts of 10, come back: no more
        than 10 + 100 x (the seconds the flood lasted) + 10 ERROR 4, and
        at least 50; nothing answers an ERROR; every malformed request
        is counted (`Total drop-malformed` 4,000) and the ERRORs not sent
        are `Total errors-limited`; curl's download is byte-exact."""
        srv = self.start_server()
        client = self.tftp()
        sock = client.socket()
        bad = b"\x00\x01f1.bin"
        got = []
        start = time.monotonic()
        try:
            for i in range(2000):
                sock.sendto(bad, (self.topo.server_ip, 69))
                sock.sendto(error(0, "loop?"), (self.topo.server_ip, 69))
                if i % 100 == 99:
                    got += client.receive(sock, 0.04, 100000)
            span = time.monotonic() - start
            got += client.receive(sock, 1.0, 100000)
        finally:
            sock.close()
        self.fetch("curl", "f1M.bin")
        result = self.stop_server(srv)
        codes = sorted(set((p.opcode, p.code) for p, _ in got))
        self.log("%d answers over %.2fs of flood: %r" % (len(got), span,
                                                         codes))
        self.check(all(p.opcode == OP_ERROR and p.code == 4 for p, _ in got),
                   "answers %r, want ERROR 4 only" % codes)
        most = 10 + int(100 * (span + 1.0)) + 10
        self.check(50 <= len(got) <= most,
                   "%d ERROR 4 over a %.2fs flood, want 50..%d"
                   % (len(got), span, most))
        self.check_eq(result.counter("Total drop-malformed"), 4000,
                      "Total drop-malformed")
        limited = result.counter("Total errors-limited")
        self.check_eq(limited + len(got), 2000,
                      "ERROR 4 sent (%d) + errors-limited (%d)"
                      % (len(got), limited))

    @requires("counters")
    @timeout(90)
    def test_total_reply_limit(self):
        """Steps: add 10.99.0.3 to 10.99.0.6 to the client interface; start
        the server with --reply-limit-total 50 and --reply-limit 100000;
        from a socket on each of the five addresses send 400 malformed
        requests to port 69 (each deserves ERROR 4), the addresses in
        turn, over about a second, counting what comes back until 1 s
        after the last; stop the server.
        Verifies: the total limit holds across sources: over the T
        seconds counted, no more than 5 + 50 x T + 5 ERROR 4 come back in
        all (the per-address limit alone would let 500 a second through),
        at least 5, to more than one address; `Total drop-malformed` is
        2,000 and `Total errors-limited` counts every ERROR 4 not sent."""
        extra = ["10.99.0.%d" % i for i in range(3, 7)]
        for ip in extra:
            self.topo.add_client_ip(ip)
        srv = self.start_server(reply_limit=100000, reply_limit_total=50)
        socks = [self.tftp(bind=ip).socket()
                 for ip in [self.topo.client_ip] + extra]
        got = []
        start = time.monotonic()
        try:
            for i in range(400):
                for s in socks:
                    s.sendto(b"\x00\x01f1.bin", (self.topo.server_ip, 69))
                if i % 20 == 19:
                    got += receive_any(socks, 0.04)
            got += receive_any(socks, 1.0)
            window = time.monotonic() - start
            result = self.stop_server(srv)
            late = receive_any(socks, 0.2)
        finally:
            for s in socks:
                s.close()
        codes = sorted(set((p.opcode, p.code) for p, _ in got + late))
        self.log("%d answers over %.2fs, %d after: %r to %r" % (
            len(got), window, len(late), codes,
            sorted(set(a for _, a in got))))
        self.check(codes == [(OP_ERROR, 4)], "answers %r, want ERROR 4"
                   % codes)
        most = 5 + int(50 * window) + 5
        self.check(5 <= len(got) <= most, "%d ERROR 4 in %.2fs, want 5..%d"
                   % (len(got), window, most))
        self.check(len(set(a for _, a in got)) > 1,
                   "ERRORs to one address only")
        self.check_eq(result.counter("Total drop-malformed"), 2000,
                      "Total drop-malformed")
        limited = result.counter("Total errors-limited")
        self.check_eq(limited + len(got) + len(late), 2000,
                      "ERROR 4 received (%d) + errors-limited (%d)"
                      % (len(got) + len(late), limited))

    @requires("counters")
    @timeout(60)
    def test_repeated_acks_lockstep(self):
        """Steps: start the server; RRQ f1M.bin asking timeout 5 (so no
        timer resends for 5 s) and take DATA 1; ACK 1, take DATA 2; send
        ACK 1 fifty times and ACK 0 fifty times; wait 1 s; then finish the
        transfer normally, ACKing each block once.
        Verifies: the 100 stale ACKs make the server send nothing (no
        second DATA 2: the Sorcerer's Apprentice); the transfer completes
        byte-exact; `Total dup-acks` is at least 100 and
        `Total retransmits` 0."""
        srv = self.start_server()
        sock, addr, first = self._session([("timeout", 5)])
        client = self.tftp()
        blocks = [first.payload]
        try:
            sock.sendto(ack(1), addr)
            p, _ = client.receive(sock, 3.0, 1)[0]
            self.check(p.opcode == OP_DATA and p.block == 2,
                       "after ACK 1: %r, want DATA 2" % p)
            blocks.append(p.payload)
            for _ in range(50):
                sock.sendto(ack(1), addr)
                sock.sendto(ack(0), addr)
            stale = self._quiet(sock, 1.0)
            block = 2
            while len(blocks[-1]) == 512:
                sock.sendto(ack(block), addr)
                got = client.receive(sock, 3.0, 1)
                self.check(got, "no DATA %d" % (block + 1))
                p = got[0][0]
                self.check(p.opcode == OP_DATA and p.block == block + 1,
                           "after ACK %d: %r" % (block, p))
                blocks.append(p.payload)
                block += 1
            sock.sendto(ack(block), addr)
        finally:
            sock.close()
        result = self.stop_server(srv)
        self.check_eq([repr(p) for p, _ in stale], [],
                      "sent in answer to 100 stale ACKs")
        self.expect_bytes(b"".join(blocks), self.files.read("f1M.bin"),
                          "f1M.bin")
        self.check(result.counter("Total dup-acks") >= 100,
                   "Total dup-acks %d, want >= 100"
                   % result.counter("Total dup-acks"))
        self.check_eq(result.counter("Total retransmits"), 0,
                      "Total retransmits")

    @requires("counters", "windowsize")
    @timeout(60)
    def test_repeated_acks_windowed(self):
        """Steps: start the server; RRQ f1M.bin with windowsize 4 and
        timeout 5; ACK 0; take DATA 1-4; ACK 4, take DATA 5-8; send ACK 4
        fifty times; wait 1 s; send ACK 6 (a partial ACK: the client lost
        7), take DATA 7-10; send ACK 6 fifty times; wait 1 s; then finish
        with an ACK at the end of each window.
        Verifies: each partial or window-end ACK acts once: the repeats
        make the server send nothing; after ACK 6 the window restarts at
        7; the transfer completes byte-exact."""
        srv = self.start_server()
        sock, addr, first = self._session([("windowsize", 4),
                                           ("timeout", 5)])
        client = self.tftp()
        got = {1: first.payload}
        problems = []

        def take(lo, hi):
            for p, _ in client.receive(sock, 3.0, hi - lo + 1):
                if p.opcode != OP_DATA:
                    self.fail("during the window %d-%d: %r" % (lo, hi, p))
                got[p.block] = p.payload
            missing = [b for b in range(lo, hi + 1) if b not in got]
            self.check(not missing, "DATA %s did not come" % missing)

        try:
            take(2, 4)
            sock.sendto(ack(4), addr)
            take(5, 8)
            for _ in range(50):
                sock.sendto(ack(4), addr)
            problems += self._quiet(sock, 1.0)
            for b in (7, 8):
                del got[b]
            sock.sendto(ack(6), addr)
            take(7, 10)
            for _ in range(50):
                sock.sendto(ack(6), addr)
            problems += self._quiet(sock, 1.0)
            last = 10
            while len(got[last]) == 512:
                sock.sendto(ack(last), addr)
                n = 0
                for p, _ in client.receive(sock, 3.0, 4):
                    self.check(p.opcode == OP_DATA, "got %r" % p)
                    got[p.block] = p.payload
                    n = max(n, p.block)
                self.check(n > last, "no DATA after ACK %d" % last)
                last = n
            sock.sendto(ack(last), addr)
        finally:
            sock.close()
        self.stop_server(srv)
        self.check_eq([repr(p) for p, _ in problems], [],
                      "sent in answer to repeated ACKs")
        self.expect_bytes(b"".join(got[b] for b in sorted(got)),
                          self.files.read("f1M.bin"), "f1M.bin")

    @timeout(90)
    def test_fragmented_download(self):
        """Steps: start the server; from a UDP socket's port in the client
        namespace send, as raw IPv4 fragments on the client interface
        (AF_PACKET): the RRQ of f1M.bin with blksize 1024 (fragments of
        16 bytes, the last first), then every ACK as two fragments (8 + 4
        bytes);
        receive DATA on the socket.
        Verifies: the server answers the fragmented RRQ with an OACK to
        that port and the whole transfer completes byte-exact (a
        fragmented datagram is read whole, never as its first
        fragment)."""
        self.start_server()
        cmac, smac = self._frame_addrs()
        client = self.tftp()
        sock = client.socket()
        sport = sock.getsockname()[1]
        chunks = []
        ident = [100]

        ps = PacketSocket(self.topo.client_ns, self.topo.client_if)

        def send(dport, payload, size):
            ident[0] += 1
            frames = udp_fragments(cmac, smac, self.topo.client_ip,
                                   self.topo.server_ip, sport, dport,
                                   payload, size, ident[0])
            # The request last fragment first; the ACKs in order.
            for fr in (frames if size == 8 else reversed(frames)):
                ps.send(fr)

        try:
            req = rrq("f1M.bin", "octet", [("blksize", 1024)])
            send(69, req, 16)
            got = client.receive(sock, 3.0, 1)
            self.check(got, "no answer to the fragmented RRQ")
            pkt, addr = got[0]
            self.check(pkt.opcode == OP_OACK, "got %r, want OACK" % pkt)
            block = 0
            while True:
                send(addr[1], ack(block), 8)
                got = client.receive(sock, 3.0, 1)
                self.check(got, "no DATA %d after fragmented ACK %d"
                           % (block + 1, block))
                pkt = got[0][0]
                if pkt.opcode == OP_DATA and pkt.block == block:
                    continue        # a timer resend of the last block
                self.check(pkt.opcode == OP_DATA and
                           pkt.block == (block + 1) & 0xffff,
                           "after ACK %d: %r" % (block, pkt))
                chunks.append(pkt.payload)
                block += 1
                if len(pkt.payload) < 1024:
                    send(addr[1], ack(block), 8)
                    break
        finally:
            sock.close()
            ps.sock.close()
        self.expect_bytes(b"".join(chunks), self.files.read("f1M.bin"),
                          "f1M.bin")

    @requires("counters")
    @timeout(90)
    def test_fragmented_upload(self):
        """Steps: start the server with uploads allowed into an empty
        root; from a UDP socket's port send a WRQ for up.bin with blksize
        1400 (whole), then each DATA of a 100,000-byte pattern as raw IPv4
        fragments of 512 bytes (three per block, last first), the final
        short block too; wait for each ACK.
        Verifies: every block is acknowledged once whole; the stored file
        equals the pattern byte for byte (a fragmented DATA never looks
        like a short final block); `Total uploads` is 1."""
        root = os.path.join(self.files.top, "hostile-up-%s"
                            % self.topo.server_ns)
        os.makedirs(root)
        os.chmod(root, 0o777)
        try:
            self._fragmented_upload(root)
        finally:
            for name in os.listdir(root):
                os.unlink(os.path.join(root, name))
            os.rmdir(root)

    def _fragmented_upload(self, root):
        srv = self.start_server(root=root, allow_upload="create")
        cmac, smac = self._frame_addrs()
        client = self.tftp()
        sock = client.socket()
        sport = sock.getsockname()[1]
        payload = files_mod.content("hostile-upload", 100000)
        bs = 1400
        try:
            sock.sendto(wrq("up.bin", "octet", [("blksize", bs)]),
                        (self.topo.server_ip, 69))
            got = client.receive(sock, 3.0, 1)
            self.check(got, "no answer to the WRQ")
            pkt, addr = got[0]
            self.check(pkt.opcode == OP_OACK, "got %r, want OACK" % pkt)
            n_blocks = len(payload) // bs + 1
            with PacketSocket(self.topo.client_ns, self.topo.client_if) \
                    as ps:
                for b in range(1, n_blocks + 1):
                    part = payload[(b - 1) * bs:b * bs]
                    frames = udp_fragments(cmac, smac, self.topo.client_ip,
                                           self.topo.server_ip, sport,
                                           addr[1], data(b, part), 512,
                                           1000 + b)
                    for fr in reversed(frames):
                        ps.send(fr)
                    acks = [p for p, _ in client.receive(sock, 3.0, 1)]
                    self.check(acks and acks[0].opcode == OP_ACK and
                               acks[0].block == b,
                               "DATA %d in fragments: got %r, want ACK %d"
                               % (b, acks, b))
        finally:
            sock.close()
        path = os.path.join(root, "up.bin")
        self.eventually(lambda: os.path.exists(path), "up.bin stored",
                        timeout=3.0, fail=False)
        result = self.stop_server(srv)
        self.check(os.path.isfile(path), "up.bin was not stored")
        with open(path, "rb") as f:
            self.expect_bytes(f.read(), payload, "stored up.bin")
        self.check_eq(result.counter("Total uploads"), 1, "Total uploads")

    @timeout(120)
    def test_fragment_flood(self):
        """Steps: start the server; send 30,000 first fragments (valid UDP
        headers to port 69, more-fragments set, each its own IP id) that
        never complete, as raw frames; then download f1M.bin with curl and
        with the stdlib client; stop the server.
        Verifies: both downloads are byte-exact (held fragments neither
        exhaust the mbuf pool nor stop service); on the ethdev backends
        `Port 0 Fragments-dropped` is at least `Port 0 IP-fragments`
        minus `Port 0 Reassembly-max`; on tap and xdp (not afpacket,
        where the kernel defragments first) `Port 0 IP-fragments` is at
        least 25,000: the flood reached the port."""
        srv = self.start_server()
        cmac, smac = self._frame_addrs()
        req = rrq("f1M.bin") + b"x" * 64
        with PacketSocket(self.topo.client_ns, self.topo.client_if) as ps:
            for i in range(30000):
                first = udp_fragments(cmac, smac, self.topo.client_ip,
                                      self.topo.server_ip, 40000 + i % 1000,
                                      69, req, 48, i & 0xffff)[0]
                ps.send(first)
                if i % 2000 == 1999:
                    time.sleep(0.01)    # the veth's backlog holds 1000
        self.fetch("curl", "f1M.bin")
        self.fetch_stdlib("f1M.bin")
        result = self.stop_server(srv)
        if self.env.backend not in ETHDEV:
            return
        dropped = result.counter("Port 0 Fragments-dropped")
        held = result.counter("Port 0 Reassembly-max")
        seen = result.counter("Port 0 IP-fragments")
        self.log("fragments seen %d, dropped %d, table %d"
                 % (seen, dropped, held))
        self.check(dropped >= seen - held,
                   "Port 0 Fragments-dropped %d of %d seen, table of %d"
                   % (dropped, seen, held))
        # net_tap and net_af_xdp hand the port the frames as sent: the
        # flood must reach reassembly, or the case proves nothing. Not on
        # afpacket: the PMD's fanout asks the kernel to defragment
        # (PACKET_FANOUT_FLAG_DEFRAG), which holds what never completes,
        # so few or none reach the port; the downloads are the check.
        if self.env.backend in ("tap", "xdp"):
            self.check(seen >= 25000, "Port 0 IP-fragments %d of the "
                       "30,000 sent, want >= 25,000" % seen)

    @backends(*ETHDEV)
    @requires("counters")
    @timeout(60)
    def test_broadcast_source(self):
        """Steps: start the server; as raw frames on the client interface
        send ICMP echo requests to the server's MAC and address from
        source MAC ff:ff:ff:ff:ff:ff, from a multicast MAC and from
        00:00:00:00:00:00, and a TFTP RRQ from ff:ff:ff:ff:ff:ff; watch
        the client interface for 2 s; then ping normally.
        Verifies: no echo reply and no TFTP answer at all (in particular
        nothing to the broadcast address); the normal ping is answered;
        `Port 0 Drop-src-mac` is 4."""
        srv = self.start_server()
        _, smac = self._frame_addrs()
        bad = [b"\xff" * 6, b"\x01\x00\x5e\x00\x00\x01", b"\x00" * 6]
        with PacketSocket(self.topo.client_ns, self.topo.client_if) as ps:
            for i, src in enumerate(bad):
                ps.send(icmp_echo(src, smac, self.topo.client_ip,
                                  self.topo.server_ip, 0x4242, i))
            ps.send(udp_fragments(bad[0], smac, self.topo.client_ip,
                                  self.topo.server_ip, 40000, 69,
                                  rrq("f1.bin"), 1480, 7)[0])
            frames = ps.receive(2.0)
        replies = [icmp_echo_reply_of(f) for _, f in frames]
        replies = [r for r in replies if r is not None]
        udp = [f for _, f in frames if len(f) > 34 and f[23] == 17]
        p = self.client_command(["ping", "-n", "-c", "2", "-i", "0.2", "-W",
                                 "2", self.topo.server_ip])
        result = self.stop_server(srv)
        self.check_eq(replies, [], "echo replies to group/zero sources")
        self.check_eq(len(udp), 0, "UDP frames answering a broadcast "
                      "source")
        self.check_eq(p.returncode, 0, "a normal ping's exit status")
        self.check_eq(result.counter("Port 0 Drop-src-mac"), 4,
                      "Port 0 Drop-src-mac")

    @backends(*ETHDEV)
    @requires("counters")
    @timeout(60)
    def test_echo_flood_limited(self):
        """Steps: start the server; send 1,000 ICMP echo requests from the
        client's own MAC and address as raw frames, as fast as they go;
        count the echo replies on the client interface until 1 s after.
        Verifies: at most 100 a second, bursts of 10, are answered (no
        more than 10 + 100 x (the flood's seconds + 1) + 10) and at least
        10; `Port 0 Echo-limited` counts the rest."""
        srv = self.start_server()
        cmac, smac = self._frame_addrs()
        with PacketSocket(self.topo.client_ns, self.topo.client_if) as ps:
            start = time.monotonic()
            for i in range(1000):
                ps.send(icmp_echo(cmac, smac, self.topo.client_ip,
                                  self.topo.server_ip, 0x5151, i))
                if i % 250 == 249:
                    time.sleep(0.005)
            span = time.monotonic() - start
            frames = ps.receive(span + 1.0)
        replies = [r for r in (icmp_echo_reply_of(f) for _, f in frames)
                   if r is not None and r[1] == 0x5151]
        result = self.stop_server(srv)
        most = 10 + int(100 * (span + 1.0)) + 10
        self.log("%d echo replies over a %.2fs flood" % (len(replies), span))
        self.check(10 <= len(replies) <= most,
                   "%d echo replies, want 10..%d" % (len(replies), most))
        limited = result.counter("Port 0 Echo-limited")
        self.check_eq(limited + result.counter("Port 0 ICMP-echo-replies"),
                      1000, "Echo-limited + ICMP-echo-replies")
