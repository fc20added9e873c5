# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""A TFTP client in plain Python, for tests that look at bytes on the wire.

It speaks RFC 1350 with the option extension (RFC 2347: blksize, timeout,
tsize, windowsize), follows block numbers past 65535, and hands back what
it received: the first reply, the OACK, the ERROR, every datagram up to a
limit. It also sends arbitrary bytes, for the negative cases.

Inside the dts its sockets are made in the client namespace (netns.py).
From a shell it runs under `ip netns exec`:

    ip netns exec dpt-cli-X python3 -m dts.framework.tftpclient \\
        get 10.99.0.1 f1M.bin /tmp/out --option blksize=1024 --json
    ip netns exec dpt-cli-X python3 -m dts.framework.tftpclient \\
        raw 10.99.0.1 000966006f6374657400
"""

import argparse
import json
import select
import socket
import sys
import threading
import time

# The datagrams (tftpwire.py), here too: the suites import them from here.
try:
    from . import netns as _netns
    from .tftpwire import *  # noqa: F401,F403
except ImportError:  # run as a plain script
    _netns = None
    from tftpwire import *  # noqa: F401,F403


# --------------------------------------------------------------- the client

class Result:
    """What one transfer saw."""

    def __init__(self):
        self.data = b""  # payload bytes, as received (netascii raw)
        self.complete = False  # the last (short) block arrived
        self.first = None  # first reply Packet
        self.oack = None  # OACK Packet, if any
        self.error = None  # ERROR Packet from the server, if any
        self.timed_out = False
        self.aborted = False
        self.server_tid = None  # (ip, port) of the session
        self.blksize = 512
        self.windowsize = 1
        self.blocks = 0  # in-order DATA blocks taken
        self.max_block = 0
        self.duplicates = 0  # DATA out of order or repeated
        self.retransmits = 0  # our resends after a timeout
        self.foreign = []  # (addr, Packet) from other sources
        self.packets = []  # received Packets, up to a limit
        self.sent = 0
        self.elapsed = 0.0

    @property
    def ok(self):
        return self.complete and self.error is None

    def summary(self):
        return {
            "ok": self.ok, "complete": self.complete,
            "bytes": len(self.data), "blocks": self.blocks,
            "blksize": self.blksize, "windowsize": self.windowsize,
            "first": repr(self.first) if self.first else None,
            "oack": self.oack.options if self.oack else None,
            "oack_hex": self.oack.raw.hex() if self.oack else None,
            "error": ([self.error.code, self.error.message]
                      if self.error else None),
            "timed_out": self.timed_out, "aborted": self.aborted,
            "duplicates": self.duplicates,
            "retransmits": self.retransmits,
            "server_tid": list(self.server_tid or ()),
            "elapsed": round(self.elapsed, 3),
        }

    def __repr__(self):
        return "Result(%s)" % self.summary()


def receive_any(socks, wait=1.0):
    """[(Packet, the receiving socket's own address)] arriving on any of
    socks within `wait` seconds."""
    got = []
    deadline = time.monotonic() + wait
    while True:
        left = deadline - time.monotonic()
        ready = select.select(socks, [], [], left)[0] if left > 0 else []
        if not ready:
            return got
        for s in ready:
            got.append((Packet(s.recvfrom(65536)[0]), s.getsockname()[0]))


def problem(res):
    """What went wrong with a transfer's Result (None: there was none),
    in words for a failure message."""
    if res is None:
        return "no result"
    if res.error is not None:
        return "ERROR %d %r after %d blocks" % (res.error.code,
                                                res.error.message,
                                                res.blocks)
    if res.complete:
        return "complete, %d blocks" % res.blocks
    if res.timed_out:
        return "timed out after %d blocks" % res.blocks
    if res.aborted:
        return "stopped after %d blocks" % res.blocks
    return "incomplete after %d blocks" % res.blocks


class Session:
    """One transfer's sockets; hooks get it to act on the wire."""

    def __init__(self, client, sock, result):
        self.client = client
        self.sock = sock
        self.result = result

    def new_socket(self):
        """Another socket in the client's namespace, on a new port."""
        return self.client.socket()

    def send_to_server(self, raw, sock=None):
        (sock or self.sock).sendto(raw, self.result.server_tid)

    def abort(self, code=ERR_UNDEF, message="aborted by test"):
        self.send_to_server(error(code, message))
        self.result.aborted = True


class _Download:
    """Where one download stands between two datagrams."""

    def __init__(self, dest, request):
        self.dest, self.last_sent = dest, request   # last_sent: to resend
        self.expected = 1               # next block wanted, 64-bit
        self.since_ack = 0              # in-order blocks since our last ACK
        self.nacked_gap = False         # already re-ACKed this gap
        self.tries = 0                  # timeouts without progress


class TftpClient:
    """A client bound to one server.

    netns: namespace to make sockets in (None: the current one).
    bind: local address, e.g. "10.99.0.3", to pick the source IP.
    timeout: seconds before we resend our last packet.
    retries: resends without progress before giving up.
    """

    def __init__(self, server, port=69, netns=None, bind="", timeout=1.0,
                 retries=5, packet_limit=256, cancel=None):
        self.server = server
        self.port = port
        self.netns = netns
        self.bind = bind
        self.timeout = timeout
        self.retries = retries
        self.packet_limit = packet_limit
        self.cancel = cancel or threading.Event()

    def socket(self):
        # An IPv6 server ("fd00:99::1") needs an IPv6 socket.
        family = socket.AF_INET6 if ":" in self.server else socket.AF_INET
        if _netns is not None:
            s = _netns.netns_socket(self.netns, family)
        else:
            s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((self.bind, 0))
        return s

    # ----------------------------------------------------- negative cases

    def send_raw(self, raw, port=None, wait=1.0, count=1, sock=None):
        """Send raw bytes to the server; returns [(Packet, addr)] received
        within `wait` seconds (stops after `count` replies)."""
        own = sock is None
        sock = sock or self.socket()
        try:
            sock.sendto(raw, (self.server, port or self.port))
            return self.receive(sock, wait, count)
        finally:
            if own:
                sock.close()

    def receive(self, sock, wait=1.0, count=1):
        """[(Packet, addr)] arriving on sock within `wait` seconds."""
        got = []
        deadline = time.monotonic() + wait
        while len(got) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([sock], [], [], left)
            if not r:
                break
            raw, addr = sock.recvfrom(65536)
            got.append((Packet(raw), addr))
        return got

    # ---------------------------------------------------------- downloads

    def get(self, filename, mode="octet", options=(), out=None,
            ack_delay=0.0, on_data=None, stop_after=None, deadline=120.0,
            raw_request=None, ack_oack=True, sock=None):
        """Download `filename`; returns a Result (never raises on TFTP
        errors). options: [(name, value)] in the order to send them.
        ack_delay: seconds to wait before each ACK (a slow client).
        on_data(session, block): called for each in-order DATA; a true
        return abandons the transfer (ERROR 0 to the server).
        stop_after: abandon (ERROR 0) after that many blocks.
        raw_request: send these bytes instead of building the RRQ.
        ack_oack: False answers an OACK with ERROR 8 (an option probe).
        sock: send from this socket (kept open), not a new one: the same
        client port for several transfers."""
        res = Result()
        start = time.monotonic()
        own = sock is None
        sock = sock or self.socket()
        sess = Session(self, sock, res)
        chunks = []
        try:
            self._get(sess, filename, mode, list(options), chunks,
                      ack_delay, on_data, stop_after,
                      start + deadline, raw_request, ack_oack)
        finally:
            if own:
                sock.close()
            res.data = b"".join(chunks)
            res.elapsed = time.monotonic() - start
        if out is not None:
            with open(out, "wb") as f:
                f.write(res.data)
        return res

    def _keep(self, res, pkt):
        if len(res.packets) < self.packet_limit:
            res.packets.append(pkt)

    def _get(self, sess, filename, mode, options, chunks, ack_delay,
             on_data, stop_after, deadline, raw_request, ack_oack):
        res = sess.result
        req = raw_request if raw_request is not None else \
            rrq(filename, mode, options)
        st = _Download((self.server, self.port), req)
        sess.sock.sendto(req, st.dest)
        res.sent += 1
        while True:
            pkt = self._get_next(sess, st, deadline)
            if pkt is None:
                return
            self._keep(res, pkt)
            if pkt.opcode == OP_ERROR:
                res.error = pkt
                return
            if pkt.opcode == OP_OACK:
                if st.expected != 1:
                    continue
                if res.oack is None:
                    res.oack = pkt
                    self._apply_oack(res, pkt)
                if not ack_oack:
                    sess.sock.sendto(error(ERR_OPTION, "option probe"),
                                     st.dest)
                    return
                st.tries = 0
                self._get_send(sess, st, ack(0))
                continue
            if pkt.opcode != OP_DATA or pkt.block is None:
                continue
            if self._get_data(sess, st, pkt, chunks, ack_delay, on_data,
                              stop_after):
                return

    def _get_send(self, sess, st, raw):
        st.last_sent = raw
        sess.sock.sendto(raw, st.dest)
        sess.result.sent += 1

    def _get_next(self, sess, st, deadline):
        """The next datagram from the session's port (others: res.foreign,
        and ERROR 5 from the server's address), resending our last packet
        after each timeout; None once cancelled or out of time or tries."""
        res, sock = sess.result, sess.sock
        while True:
            if self.cancel.is_set():
                res.aborted = True
                return None
            now = time.monotonic()
            if now >= deadline:
                res.timed_out = True
                return None
            r, _, _ = select.select([sock], [], [],
                                    min(self.timeout, deadline - now))
            if not r:
                st.tries += 1
                if st.tries > self.retries:
                    res.timed_out = True
                    return None
                res.retransmits += 1
                sock.sendto(st.last_sent, st.dest)
                continue
            raw, addr = sock.recvfrom(65536)
            pkt = Packet(raw)
            if addr[0] != self.server or \
               (res.server_tid is not None and addr != res.server_tid):
                res.foreign.append((addr, pkt))
                if addr[0] == self.server:
                    sock.sendto(error(ERR_BADTID, "Unknown transfer ID"),
                                addr)
                continue
            if res.server_tid is None:
                res.server_tid = addr
                st.dest = addr
                res.first = pkt
            return pkt

    def _get_data(self, sess, st, pkt, chunks, ack_delay, on_data,
                  stop_after):
        """Takes one DATA: in order it is kept and ACKed at the window's
        end, out of order the gap is ACKed once. True: the transfer is
        over (complete, or abandoned by on_data or stop_after)."""
        res = sess.result
        if pkt.block != st.expected & 0xFFFF:
            res.duplicates += 1
            if not st.nacked_gap:
                st.nacked_gap = True
                self._get_send(sess, st, ack(st.expected - 1))
            return False
        st.tries = 0
        st.nacked_gap = False
        chunks.append(pkt.payload)
        res.blocks += 1
        res.max_block = st.expected
        st.expected += 1
        st.since_ack += 1
        last = len(pkt.payload) < res.blksize
        if on_data is not None and on_data(sess, st.expected - 1):
            sess.abort()
            return True
        if last or st.since_ack >= res.windowsize:
            if ack_delay:
                time.sleep(ack_delay)
            self._get_send(sess, st, ack(st.expected - 1))
            st.since_ack = 0
        if last:
            res.complete = True
            return True
        if stop_after is not None and res.blocks >= stop_after:
            sess.abort()
            return True
        return False

    @staticmethod
    def _apply_oack(res, pkt):
        for name, value in pkt.options:
            if not value.isdigit():
                continue
            if name.lower() == "blksize":
                res.blksize = int(value)
            elif name.lower() == "windowsize":
                res.windowsize = int(value)

    # ------------------------------------------------------------ uploads

    def put(self, filename, payload, mode="octet", options=(),
            deadline=120.0, data_delay=0.0, on_ack=None, stop_after=None,
            sock=None):
        """Upload `payload` (bytes, sent as is); returns a Result whose
        complete means the final ACK arrived.
        data_delay: seconds to wait before each new window (a slow client).
        on_ack(session, block): called for each new acknowledgement (0 for
        the OACK or ACK 0); a true return stops the client where it is,
        sending nothing more, as a client that died would (aborted).
        stop_after: the same once that many DATA blocks are acknowledged.
        sock: send from this socket (kept open), not a new one."""
        res = Result()
        start = time.monotonic()
        own = sock is None
        sock = sock or self.socket()
        try:
            self._put(Session(self, sock, res), filename, payload, mode,
                      list(options), start + deadline, data_delay, on_ack,
                      stop_after)
        finally:
            if own:
                sock.close()
            res.elapsed = time.monotonic() - start
        return res

    def _put(self, sess, filename, payload, mode, options, deadline,
             data_delay, on_ack, stop_after):
        res, sock = sess.result, sess.sock
        dest = (self.server, self.port)
        window = [wrq(filename, mode, options)]
        acked = -1  # last acknowledged block
        base = 0  # block of window[0] (0: the request)
        nblocks = None
        tries = 0
        for raw in window:
            sock.sendto(raw, dest)
        while True:
            now = time.monotonic()
            if now >= deadline or self.cancel.is_set():
                res.timed_out = True
                return
            r, _, _ = select.select([sock], [], [],
                                    min(self.timeout, deadline - now))
            if not r:
                tries += 1
                if tries > self.retries:
                    res.timed_out = True
                    return
                res.retransmits += 1
                for raw in window:
                    sock.sendto(raw, dest)
                continue
            raw, addr = sock.recvfrom(65536)
            pkt = Packet(raw)
            if res.server_tid is None and addr[0] == self.server:
                res.server_tid = addr
                dest = addr
                res.first = pkt
            elif addr != res.server_tid:
                res.foreign.append((addr, pkt))
                continue
            self._keep(res, pkt)
            if pkt.opcode == OP_ERROR:
                res.error = pkt
                return
            if pkt.opcode == OP_OACK and acked < 0:
                res.oack = pkt
                self._apply_oack(res, pkt)
                pkt_block = 0
            elif pkt.opcode == OP_ACK:
                pkt_block = self._unwrap(pkt.block, acked)
            else:
                continue
            if pkt_block <= acked:
                continue
            tries = 0
            acked = pkt_block
            if nblocks is None:
                nblocks = len(payload) // res.blksize + 1
            res.blocks = min(acked, nblocks)
            if acked >= nblocks:
                res.complete = True
                return
            if (on_ack is not None and on_ack(sess, acked)) or \
               (stop_after is not None and acked >= stop_after):
                res.aborted = True
                return
            if data_delay:
                time.sleep(data_delay)
            base = acked + 1
            window = []
            for b in range(base, min(base + res.windowsize,
                                     nblocks + 1)):
                off = (b - 1) * res.blksize
                window.append(data(b, payload[off:off +
                                              res.blksize]))
            for raw in window:
                sock.sendto(raw, dest)
                res.sent += 1

    @staticmethod
    def _unwrap(block16, near):
        """The 64-bit block number closest above `near` with these low
        16 bits."""
        base = max(near, 0) & ~0xFFFF
        cand = base | block16
        if cand < near - 0x8000:
            cand += 0x10000
        return cand


# -------------------------------------------------------------------- CLI

def _parse_options(items):
    opts = []
    for item in items or ():
        name, _, value = item.partition("=")
        opts.append((name, value))
    return opts


def main(argv=None):
    ap = argparse.ArgumentParser(prog="tftpclient",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=69)
    ap.add_argument("--bind", default="")
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--json", action="store_true")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("get", help="download a file")
    g.add_argument("server")
    g.add_argument("file")
    g.add_argument("out")
    g.add_argument("--mode", default="octet")
    g.add_argument("--option", action="append", metavar="NAME=VALUE")
    r = sub.add_parser("raw", help="send hex bytes, print the replies")
    r.add_argument("server")
    r.add_argument("hex")
    r.add_argument("--wait", type=float, default=1.0)
    a = ap.parse_args(argv)
    c = TftpClient(a.server, port=a.port, bind=a.bind, timeout=a.timeout)
    if a.cmd == "get":
        res = c.get(a.file, a.mode, _parse_options(a.option), out=a.out)
        print(json.dumps(res.summary()) if a.json else repr(res))
        return 0 if res.ok else 1
    replies = c.send_raw(bytes.fromhex(a.hex), wait=a.wait, count=16)
    for pkt, addr in replies:
        line = {"from": list(addr), "hex": pkt.raw.hex(), "pkt": repr(pkt)}
        print(json.dumps(line) if a.json else "%s %r" % (addr, pkt))
    return 0 if replies else 1


if __name__ == "__main__":
    sys.exit(main())
