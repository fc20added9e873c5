#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Writes the seed scripts of fuzz_rx (tests/fuzz/corpus_rx/): the
datagrams real clients send, in fuzz_rx's record format (kind, argument,
16-bit length, bytes; see fuzz_rx.c), so the fuzzer starts from whole
conversations: the requests of curl 7.88, tftp-hpa, atftp and busybox as
captured on the wire (AF_PACKET on lo) against dptftpd, those of iPXE
and UEFI firmware as docs/pxe.md describes them, each followed by the
ACKs or DATA of a complete transfer of the 3,000-byte f.bin, plain and
windowed, and in IPv4 fragments; an ARP request; stray ERRORs.

    python3 tests/fuzz/make_corpus_rx.py tests/fuzz/corpus_rx
"""

import os
import struct
import sys

RAW, DGRAM, FRAGS, ROUNDS = 0, 1, 2, 3
SESSION = 0x80          # to the port that last answered, not 69
REVERSE = 0x40          # fragments last first
FILE_SIZE = 3000

SERVER_MAC = b"\x00" * 6    # fuzz_rx's port MAC is random: raw frames
CLIENT_MAC = b"\x02\x00\x00\x00\x00\x02"    # use broadcast for ARP


def rec(kind, arg, payload=b""):
    return struct.pack("!BBH", kind, arg, len(payload)) + payload


def req(op, name, mode="octet", opts=()):
    body = struct.pack("!H", op) + name + b"\0" + mode.encode() + b"\0"
    for k, v in opts:
        body += k.encode() + b"\0" + str(v).encode() + b"\0"
    return body


def ack(b):
    return struct.pack("!HH", 4, b & 0xffff)


def data(b, payload):
    return struct.pack("!HH", 3, b & 0xffff) + payload


def error(code, msg):
    return struct.pack("!HH", 5, code) + msg + b"\0"


def download(client, request, blksize=512, window=1, oack=True,
             kind=DGRAM):
    out = rec(kind, client, request) + rec(ROUNDS, 4)
    if oack:
        out += rec(DGRAM, client | SESSION, ack(0))
    blocks = FILE_SIZE // blksize + 1
    for b in range(window, blocks + window, window):
        out += rec(kind, client | SESSION, ack(min(b, blocks)))
    return out


def upload(client, name, size, blksize=512, opts=(), kind=DGRAM, arg=0):
    out = rec(DGRAM, client, req(2, name, "octet", opts)) + rec(ROUNDS, 4)
    pattern = bytes((i * 13) & 0xff for i in range(size))
    for b in range(1, size // blksize + 2):
        out += rec(kind, client | SESSION | arg,
                   data(b, pattern[(b - 1) * blksize:b * blksize]))
    return out


def arp_request():
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, CLIENT_MAC,
                       bytes([10, 0, 0, 2]), b"\0" * 6,
                       bytes([10, 0, 0, 1]))
    frame = b"\xff" * 6 + CLIENT_MAC + b"\x08\x06" + body
    return frame + b"\0" * (60 - len(frame))


SEEDS = {
    # curl 7.88: tsize, blksize 512, and a timeout (RFC 2349)
    "curl": download(0, req(1, b"f.bin", "octet",
                            [("tsize", 0), ("blksize", 512),
                             ("timeout", 6)])),
    # tftp-hpa: netascii (its default mode), no options, lock-step
    "tftp_hpa": download(1, req(1, b"f.bin", "netascii"), oack=False),
    # atftp with --option "blksize 1024"
    "atftp": download(2, req(1, b"f.bin", "octet", [("blksize", 1024)]),
                      blksize=1024),
    # busybox tftp -b 1468
    "busybox": download(3, req(1, b"f.bin", "octet",
                               [("blksize", 1468), ("tsize", 0)]),
                        blksize=1468),
    # iPXE: blksize 1432, windowed by the fuzzer's ACKs of window ends
    "ipxe_window": download(0, req(1, b"f.bin", "octet",
                                   [("blksize", 1432), ("windowsize", 4)]),
                            blksize=1432, window=4),
    # UEFI PXE: a tsize probe answered with ERROR 8, then the real RRQ
    "uefi_probe": rec(DGRAM, 1, req(1, b"f.bin", "octet",
                                    [("blksize", 1468), ("tsize", 0)]))
    + rec(ROUNDS, 4)
    + rec(DGRAM, 1 | SESSION, error(8, b"User aborted the transfer"))
    + download(1, req(1, b"f.bin", "octet", [("blksize", 1468)]),
               blksize=1468),
    # tftp-hpa's `mode binary`: octet, no options
    "octet_plain": download(2, req(1, b"f.bin", "octet"), oack=False),
    # an RRQ and its ACKs in fragments, the RRQ last fragment first
    "fragments": download(3, req(1, b"f.bin", "octet", [("blksize", 512)]),
                          kind=FRAGS),
    "upload": upload(0, b"up.bin", 1500, opts=[("tsize", 1500)]),
    "upload_frags": upload(1, b"up2.bin", 1200, 1024,
                           [("blksize", 1024)], kind=FRAGS, arg=REVERSE | 5),
    "arp_ping": rec(RAW, 0, arp_request()) + rec(ROUNDS, 2),
    "stray_errors": rec(DGRAM, 0, error(0, b"x")) + rec(DGRAM, 1, error(5, b""))
    + rec(DGRAM, 2, ack(1)) + rec(DGRAM, 3, b"\x00\x09f.bin\x00octet\x00")
    + rec(DGRAM, 0, b"\x00\x01f.bin"),
    "missing": rec(DGRAM, 0, req(1, b"no-such.bin")) + rec(ROUNDS, 4)
    + rec(DGRAM, 0, req(1, b"../etc/passwd")),
}


def main(folder):
    os.makedirs(folder, exist_ok=True)
    for name, body in SEEDS.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(body)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         os.path.join(os.path.dirname(__file__), "corpus_rx"))
