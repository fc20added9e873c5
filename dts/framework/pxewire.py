# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Every TFTP datagram between a guest and the server, off the wire.

A packet socket on the client end of the link (suite pxe: the bridge port
toward the server) records both directions: which files the guest asked
for, with which options, what the server answered, and the bytes of every
DATA block. So a file the guest loaded can be compared byte for byte with
the served one although the guest is firmware that keeps nothing. Only
unfragmented UDP over untagged IPv4 and IPv6 (no extension headers) is
read; that is all a PXE client sends.

    with Wire(netns, "dcli0", ["10.99.0.1"]) as wire:
        ... boot the guest ...
        wire.wait_acked()
    for sess in wire.sessions:          # WireSession, in the RRQs' order
        print(sess.describe(), sess.complete, len(sess.data() or b""))
"""

import select
import socket
import threading

from .netns import netns_socket
from .tftpclient import OP_ACK, OP_DATA, OP_ERROR, OP_OACK, OP_RRQ, Packet
from .wait import eventually


def _packed(ip):
    """An address as it is on the wire (4 or 16 bytes)."""
    return socket.inet_pton(socket.AF_INET6 if ":" in ip else socket.AF_INET,
                            ip)


def _text(packed):
    return socket.inet_ntop(socket.AF_INET6 if len(packed) == 16
                            else socket.AF_INET, packed)


def hostport(client):
    """10.99.0.102:1830, or [fd00:99::102]:1830."""
    ip, port = client
    return ("[%s]:%d" if ":" in ip else "%s:%d") % (ip, port)


class WireSession:
    """One transfer as seen on the wire: the request, the answers, the
    bytes of every DATA block."""

    def __init__(self, client, rrq):
        self.client = client            # (ip, port) of the guest
        fields = rrq[2:].split(b"\0")
        self.filename = fields[0].decode("latin-1")
        self.mode = fields[1].decode("latin-1") if len(fields) > 1 else ""
        opts = fields[2:]
        if opts and opts[-1] == b"":
            opts.pop()
        self.options = [(opts[i].decode("latin-1").lower(),
                         opts[i + 1].decode("latin-1"))
                        for i in range(0, len(opts) - 1, 2)]
        self.requests = 1               # retransmitted RRQs count too
        self.server_port = None
        self.first = None               # the server's first answer
        self.oack = None                # its options, if it sent an OACK
        self.server_error = None        # (code, message) from the server
        self.client_error = None        # (code, message) from the guest
        self.blocks = {}                # block -> payload
        self.data_packets = 0
        self.last_ack = None

    @property
    def blksize(self):
        return int(dict(self.oack or ()).get("blksize", 512))

    @property
    def ended(self):
        return (self.server_error is not None or
                self.client_error is not None or self.complete)

    @property
    def last_block(self):
        """The number of the short block that ends the file, if seen."""
        for n, payload in self.blocks.items():
            if len(payload) < self.blksize:
                return n
        return None

    @property
    def complete(self):
        last = self.last_block
        return last is not None and self.last_ack == last

    def data(self):
        """The file from the DATA blocks (None if one is missing)."""
        last = self.last_block
        if last is None or any(n not in self.blocks
                               for n in range(1, last + 1)):
            return None
        return b"".join(self.blocks[n] for n in range(1, last + 1))

    def describe(self):
        opts = " ".join("%s=%s" % kv for kv in self.options)
        text = "RRQ %s %s [%s] from %s" % (
            self.filename, self.mode, opts, hostport(self.client))
        if self.requests > 1:
            text += " (sent %d times)" % self.requests
        if self.oack is not None:
            text += " -> OACK [%s]" % " ".join("%s=%s" % kv
                                              for kv in self.oack)
        if self.server_error is not None:
            text += " -> ERROR %d %r" % self.server_error
        if self.data_packets:
            text += " -> %d DATA (%d blocks)" % (self.data_packets,
                                                len(self.blocks))
        if self.client_error is not None:
            text += "; guest: ERROR %d %r" % self.client_error
        if self.complete:
            text += "; last block ACKed"
        return text


class Wire:
    """Every TFTP datagram between the guest and the server, read from a
    packet socket on the client end of the link (both directions); a
    context manager. server_ips: the server's addresses, IPv4 or IPv6
    (a transfer to any of them is recorded). sessions: WireSession in the
    order of their RRQs."""

    def __init__(self, netns, ifname, server_ips):
        self.server_ips = {_packed(ip) for ip in server_ips}
        self.sessions = []
        self._by_client = {}
        self._stop = threading.Event()
        self.sock = netns_socket(netns, socket.AF_PACKET, socket.SOCK_RAW)
        try:
            # 1 MiB at 1432 bytes a block arrives in a fraction of a
            # second; the reader may be slower.
            self.sock.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)
            # ETH_P_ALL: a bridge port hands frames of one protocol to
            # the bridge, not to a socket bound to that protocol.
            self.sock.bind((ifname, 0x0003))
            self.sock.setblocking(False)
        except BaseException:
            self.sock.close()
            raise
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        """Read what is queued, then stop."""
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join(5)
        self.sock.close()

    def _run(self):
        while True:
            stopping = self._stop.is_set()
            r, _, _ = select.select([self.sock], [], [], 0.1)
            if r:
                self._drain()
            elif stopping:
                return

    def _drain(self):
        while True:
            try:
                frame = self.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            self._frame(frame)

    def _frame(self, frame):
        ip = frame[14:]
        if frame[12:14] == b"\x08\x00" and len(frame) >= 42:
            if ip[9] != 17 or (int.from_bytes(ip[6:8], "big") & 0x3fff):
                return                  # not UDP, or a fragment
            src, dst = ip[12:16], ip[16:20]
            udp = ip[(ip[0] & 15) * 4:]
        elif frame[12:14] == b"\x86\xdd" and len(frame) >= 62:
            if ip[6] != 17:
                return                  # not UDP, or behind an extension
            src, dst = ip[8:24], ip[24:40]
            udp = ip[40:]
        else:
            return
        sport = int.from_bytes(udp[0:2], "big")
        dport = int.from_bytes(udp[2:4], "big")
        payload = udp[8:int.from_bytes(udp[4:6], "big")]
        if len(payload) < 2:
            return
        opcode = int.from_bytes(payload[:2], "big")
        if dst in self.server_ips and dport == 69 and opcode == OP_RRQ:
            self._request((_text(src), sport), payload)
        elif src in self.server_ips:
            self._from_server((_text(dst), dport), sport, payload)
        elif dst in self.server_ips:
            self._from_guest((_text(src), sport), payload)

    def _request(self, client, payload):
        sess = self._by_client.get(client)
        if sess is not None and not sess.ended and \
           sess.filename == WireSession(client, payload).filename:
            sess.requests += 1
            return
        sess = WireSession(client, payload)
        self._by_client[client] = sess
        self.sessions.append(sess)

    def _from_server(self, client, sport, payload):
        sess = self._by_client.get(client)
        if sess is None:
            return
        pkt = Packet(payload)
        if sess.first is None:
            sess.first = pkt
            sess.server_port = sport
        if pkt.opcode == OP_OACK:
            sess.oack = [(k.lower(), v) for k, v in pkt.options]
        elif pkt.opcode == OP_DATA:
            # The socket backend sends a window as one UDP GSO datagram;
            # the veth carries it whole and the kernel cuts it into
            # datagrams of 4 + blksize bytes only on the way into the
            # guest's tap, so one frame here may hold several blocks.
            seg = 4 + sess.blksize
            for off in range(0, max(len(payload), 1), seg):
                one = Packet(payload[off:off + seg])
                sess.data_packets += 1
                sess.blocks[one.block] = one.payload
        elif pkt.opcode == OP_ERROR:
            sess.server_error = (pkt.code, pkt.message)

    def _from_guest(self, client, payload):
        sess = self._by_client.get(client)
        if sess is None:
            return
        pkt = Packet(payload)
        if pkt.opcode == OP_ACK:
            sess.last_ack = pkt.block
        elif pkt.opcode == OP_ERROR:
            sess.client_error = (pkt.code, pkt.message)

    def wait_acked(self, timeout=2.0):
        """Until every started transfer ended (the last ACK is often
        still on its way when the marker shows)."""
        return eventually(lambda: all(s.ended for s in self.sessions),
                          "every transfer acknowledged", timeout=timeout,
                          fail=False)

    def write_log(self, path, title):
        with open(path, "a") as f:
            f.write("# %s\n" % title)
            for s in self.sessions:
                f.write(s.describe() + "\n")
