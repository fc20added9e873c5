#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""An 802.1Q sub-interface in user space, for kernels built without
CONFIG_VLAN_8021Q (where `ip link add ... type vlan` says "Unknown device
type").

    ip netns exec NS python3 dts/framework/vlantag.py PARENT VID NAME

Creates the tap device NAME in the namespace it runs in and relays, as the
kernel's VLAN device NAME on PARENT would:

  * each frame the kernel sends on NAME leaves PARENT with an 802.1Q tag
    (TPID 0x8100, VLAN id VID, priority 0) after the two MAC addresses;
  * each frame arriving on PARENT with exactly that VLAN id reaches NAME
    without its tag; untagged frames and other VLANs do not.

The kernel takes the tag off a received frame before a packet socket sees
it and says what it was in PACKET_AUXDATA; that is where the VLAN id is
read. The caller gives NAME its address, MAC and MTU. Prints "ready" once
NAME exists, then runs until killed or until PARENT goes away (the socket
reports an error): the tap device goes with it. Standard library only, so
that it runs as a plain script in any namespace.
"""

import fcntl
import os
import select
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
ETH_P_ALL = 0x0003
ETH_P_8021Q = 0x8100
TP_STATUS_VLAN_VALID = 0x10
# struct tpacket_auxdata: status, len, snaplen, mac, net, vlan_tci, vlan_tpid
AUXDATA = struct.Struct("=IIIHHHH")


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(),
                                           IFF_TAP | IFF_NO_PI))
    return fd


def open_parent(parent):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_ALL))
    sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    sock.bind((parent, ETH_P_ALL))
    return sock


def vlan_of(frame, ancdata):
    """(vlan id or None, the frame without its tag)."""
    for level, kind, data in ancdata:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and \
           len(data) >= AUXDATA.size:
            status, _, _, _, _, tci, _ = AUXDATA.unpack_from(data)
            if status & TP_STATUS_VLAN_VALID:
                return tci & 0x0FFF, frame
    # A tag the kernel left in place.
    if len(frame) >= 18 and \
       struct.unpack_from("!H", frame, 12)[0] == ETH_P_8021Q:
        tci = struct.unpack_from("!H", frame, 14)[0]
        return tci & 0x0FFF, frame[:12] + frame[16:]
    return None, frame


def relay(parent, vid, name):
    tap = open_tap(name)
    sock = open_parent(parent)
    tag = struct.pack("!HH", ETH_P_8021Q, vid)
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select([tap, sock], [], [])
        if tap in ready:
            frame = os.read(tap, 65536)
            if len(frame) >= 14:
                sock.send(frame[:12] + tag + frame[12:])
        if sock in ready:
            frame, ancdata, _, addr = sock.recvmsg(
                65536, socket.CMSG_SPACE(AUXDATA.size))
            if addr[2] == PACKET_OUTGOING:
                continue
            got, frame = vlan_of(frame, ancdata)
            if got == vid:
                try:
                    os.write(tap, frame)
                except OSError:
                    pass    # NAME is down: the kernel would drop it too


def main(argv):
    if len(argv) != 4 or not argv[2].isdigit():
        print("usage: vlantag.py PARENT VID NAME", file=sys.stderr)
        return 2
    try:
        relay(argv[1], int(argv[2]), argv[3])
    except OSError as e:
        print("vlantag: %s" % e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
