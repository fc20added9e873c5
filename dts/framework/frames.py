# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Ethernet frames on the wire, for the cases about layer 2 (suites l2,
hostile and console).

A PacketSocket is an AF_PACKET socket on one interface of the client
namespace: it sends whole frames as built here and receives every frame
that interface gets, with the 802.1Q tag the kernel took off put back in
the answer as a number. Used for what the real tools cannot do: an ARP
request with a chosen VLAN tag (or none), and watching for a gratuitous ARP
or an unsolicited neighbor advertisement. pcapng_frames() reads back what
dpdk-dumpcap wrote.
"""

import ipaddress
import select
import socket
import struct
import time

from .netns import netns_socket
from .vlantag import (AUXDATA, ETH_P_ALL, PACKET_AUXDATA, PACKET_OUTGOING,
                      SOL_PACKET, vlan_of)

ETH_P_ARP = 0x0806
ETH_P_IP = 0x0800
ETH_P_8021Q = 0x8100
BROADCAST = b"\xff" * 6
ARP_REQUEST, ARP_REPLY = 1, 2
ARP = struct.Struct("!HHBBH6s4s6s4s")


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def mac_text(raw):
    return ":".join("%02x" % b for b in raw)


def ethernet(dst, src, ethertype, payload, vlan=None):
    """A frame, padded to the 60-byte minimum (64 when tagged)."""
    head = dst + src
    if vlan is not None:
        head += struct.pack("!HH", ETH_P_8021Q, vlan)
    frame = head + struct.pack("!H", ethertype) + payload
    least = 64 if vlan is not None else 60
    return frame + b"\0" * max(0, least - len(frame))


def arp_request(src_mac, src_ip, target_ip, vlan=None):
    """A broadcast who-has `target_ip` from src_mac/src_ip."""
    body = ARP.pack(1, ETH_P_IP, 6, 4, ARP_REQUEST, src_mac,
                    socket.inet_aton(src_ip), b"\0" * 6,
                    socket.inet_aton(target_ip))
    return ethernet(BROADCAST, src_mac, ETH_P_ARP, body, vlan)


class Arp:
    """An ARP packet read from an untagged frame (None if it is not one)."""

    def __init__(self, frame):
        self.dst, self.src = frame[0:6], frame[6:12]
        (_, _, _, _, self.op, self.sha, spa, self.tha,
         tpa) = ARP.unpack_from(frame, 14)
        self.spa = socket.inet_ntoa(spa)
        self.tpa = socket.inet_ntoa(tpa)
        self.length = len(frame)

    @classmethod
    def parse(cls, frame):
        if len(frame) < 14 + ARP.size or \
           struct.unpack_from("!H", frame, 12)[0] != ETH_P_ARP:
            return None
        return cls(frame)

    def __repr__(self):
        return "ARP(op %d, %s %s -> %s %s, %d bytes)" % (
            self.op, mac_text(self.sha), self.spa, mac_text(self.tha),
            self.tpa, self.length)


class PacketSocket:
    """Raw frames on interface `ifname` of namespace `netns`. A context
    manager."""

    def __init__(self, netns, ifname):
        self.ifname = ifname
        self.sock = netns_socket(netns, socket.AF_PACKET, socket.SOCK_RAW)
        try:
            self.sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
            self.sock.bind((ifname, ETH_P_ALL))
        except BaseException:
            self.sock.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sock.close()

    def send(self, frame):
        self.sock.send(frame)

    def receive(self, wait, stop=None):
        """[(vlan id or None, untagged frame)] received (not sent) within
        `wait` seconds; returns early once stop(vlan, frame) is true."""
        got = []
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return got
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return got
            frame, anc, _, addr = self.sock.recvmsg(
                65536, socket.CMSG_SPACE(AUXDATA.size))
            if addr[2] == PACKET_OUTGOING:
                continue
            vlan, frame = vlan_of(frame, anc)
            got.append((vlan, frame))
            if stop is not None and stop(vlan, frame):
                return got


# ------------------------------------------------------ IPv4, UDP, ICMP

IPPROTO_ICMP, IPPROTO_UDP = 1, 17
IP_MF = 0x2000
IPV4 = struct.Struct("!BBHHHBBH4s4s")


def inet_sum(data):
    """The Internet checksum of data (RFC 1071), ready to store."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return (~total) & 0xffff


def ipv4_header(src_ip, dst_ip, proto, payload_len, ident=0, frag=0,
                ttl=64):
    """A 20-byte IPv4 header with its checksum; frag is the flags and
    fragment offset field (IP_MF | offset_in_bytes // 8)."""
    src, dst = socket.inet_aton(src_ip), socket.inet_aton(dst_ip)
    hdr = IPV4.pack(0x45, 0, 20 + payload_len, ident, frag, ttl, proto, 0,
                    src, dst)
    return hdr[:10] + struct.pack("!H", inet_sum(hdr)) + hdr[12:]


def udp_datagram(src_ip, dst_ip, sport, dport, payload):
    """A UDP header and payload with the checksum over the pseudo-header
    (the bytes IPv4 carries, before any fragmenting)."""
    length = 8 + len(payload)
    pseudo = (socket.inet_aton(src_ip) + socket.inet_aton(dst_ip)
              + struct.pack("!BBH", 0, IPPROTO_UDP, length))
    head = struct.pack("!HHHH", sport, dport, length, 0)
    csum = inet_sum(pseudo + head + payload) or 0xffff
    return struct.pack("!HHHH", sport, dport, length, csum) + payload


def udp_fragments(src_mac, dst_mac, src_ip, dst_ip, sport, dport, payload,
                  frag_size, ident, order=None):
    """The UDP datagram as IPv4 fragments of frag_size bytes of IP payload
    each (a multiple of 8, the last shorter), as Ethernet frames, in
    `order` (fragment indexes; default first to last)."""
    if frag_size % 8:
        raise ValueError("fragment size %d is not a multiple of 8"
                         % frag_size)
    l4 = udp_datagram(src_ip, dst_ip, sport, dport, payload)
    pieces = [l4[i:i + frag_size] for i in range(0, len(l4), frag_size)]
    frames = []
    for i, piece in enumerate(pieces):
        more = IP_MF if i + 1 < len(pieces) else 0
        ip = ipv4_header(src_ip, dst_ip, IPPROTO_UDP, len(piece), ident,
                         more | (i * frag_size // 8))
        frames.append(ethernet(dst_mac, src_mac, ETH_P_IP, ip + piece))
    if order is not None:
        frames = [frames[i] for i in order]
    return frames


def icmp_echo(src_mac, dst_mac, src_ip, dst_ip, ident, seq,
              data=b"dts echo"):
    """An ICMP echo request as an Ethernet frame."""
    body = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    body = body[:2] + struct.pack("!H", inet_sum(body)) + body[4:]
    ip = ipv4_header(src_ip, dst_ip, IPPROTO_ICMP, len(body))
    return ethernet(dst_mac, src_mac, ETH_P_IP, ip + body)


def icmp_echo_reply_of(frame):
    """(Ethernet destination, ICMP id, seq) if frame is an untagged IPv4
    ICMP echo reply, else None."""
    if len(frame) < 14 + 20 + 8 or \
       struct.unpack_from("!H", frame, 12)[0] != ETH_P_IP:
        return None
    ihl = (frame[14] & 0x0f) * 4
    if frame[14 + 9] != IPPROTO_ICMP or len(frame) < 14 + ihl + 8:
        return None
    typ, _, _, ident, seq = struct.unpack_from("!BBHHH", frame, 14 + ihl)
    return (frame[0:6], ident, seq) if typ == 0 else None


def udp_dport(frame):
    """The UDP destination port of an untagged IPv4 frame, or None."""
    if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
        return None
    ihl = (frame[14] & 0x0f) * 4
    return struct.unpack_from("!H", frame, 14 + ihl + 2)[0]


# ----------------------------------------------------------- IPv6, ND

ETH_P_IPV6 = 0x86DD
ALL_NODES_MAC = b"\x33\x33\x00\x00\x00\x01"
ND_ADVERT = 136


def link_local(mac):
    """fe80::/64 with the modified EUI-64 of `mac` (RFC 4291 appendix A):
    the address dptftpd answers on besides its own."""
    b = bytearray(bytes(int(x, 16) for x in mac.split(":")))
    b[0] ^= 0x02
    iid = bytes(b[:3]) + b"\xff\xfe" + bytes(b[3:])
    return str(ipaddress.IPv6Address(b"\xfe\x80" + b"\0" * 6 + iid))


class Advert:
    """A neighbor advertisement read from an untagged frame (None if it is
    not one)."""

    def __init__(self, frame):
        self.dst, self.src = frame[0:6], frame[6:12]
        self.hlim = frame[21]
        self.ip_src = str(ipaddress.IPv6Address(frame[22:38]))
        self.ip_dst = str(ipaddress.IPv6Address(frame[38:54]))
        self.flags = frame[58]
        self.target = str(ipaddress.IPv6Address(frame[62:78]))
        self.options = frame[78:14 + 40 + struct.unpack_from(
            "!H", frame, 18)[0]]

    @classmethod
    def parse(cls, frame):
        if len(frame) < 78 or \
           struct.unpack_from("!H", frame, 12)[0] != ETH_P_IPV6 or \
           frame[20] != 58 or frame[54] != ND_ADVERT:
            return None
        return cls(frame)

    def __repr__(self):
        return "NA(%s -> %s, target %s, flags %#x, hop limit %d)" % (
            self.ip_src, self.ip_dst, self.target, self.flags, self.hlim)


# -------------------------------------------------------------- pcapng

def pcapng_frames(path):
    """The frames of a pcapng file's Enhanced Packet Blocks."""
    with open(path, "rb") as f:
        data = f.read()
    frames, off = [], 0
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        if blen < 12:
            break
        if btype == 6:
            caplen = struct.unpack_from("<I", data, off + 20)[0]
            frames.append(data[off + 28:off + 28 + caplen])
        off += blen
    return frames
