# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Ethernet frames on the wire, for the cases about layer 2 (suite l2).

A PacketSocket is an AF_PACKET socket on one interface of the client
namespace: it sends whole frames as built here and receives every frame
that interface gets, with the 802.1Q tag the kernel took off put back in
the answer as a number. Used for what the real tools cannot do: an ARP
request with a chosen VLAN tag (or none), and watching for a gratuitous ARP.
"""

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
