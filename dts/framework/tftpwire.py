# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""TFTP datagrams as bytes: building them (RFC 1350, with RFC 2347's
options) and reading them back (Packet). No sockets: tftpclient.py sends
them, and the suites that forge datagrams build them here."""

__all__ = ["OP_RRQ", "OP_WRQ", "OP_DATA", "OP_ACK", "OP_ERROR", "OP_OACK",
           "OPNAMES", "ERR_UNDEF", "ERR_NOTFOUND", "ERR_ACCESS",
           "ERR_DISKFULL", "ERR_ILLEGAL", "ERR_BADTID", "ERR_EXISTS",
           "ERR_NOUSER", "ERR_OPTION", "Packet", "request", "rrq", "wrq",
           "ack", "data", "error", "oack"]

OP_RRQ, OP_WRQ, OP_DATA, OP_ACK, OP_ERROR, OP_OACK = 1, 2, 3, 4, 5, 6
OPNAMES = {1: "RRQ", 2: "WRQ", 3: "DATA", 4: "ACK", 5: "ERROR", 6: "OACK"}

ERR_UNDEF, ERR_NOTFOUND, ERR_ACCESS, ERR_DISKFULL = 0, 1, 2, 3
ERR_ILLEGAL, ERR_BADTID, ERR_EXISTS, ERR_NOUSER, ERR_OPTION = 4, 5, 6, 7, 8


# ---------------------------------------------------------------- wire codec

def _opts_bytes(options):
    out = b""
    for name, value in options:
        out += _b(name) + b"\0" + _b(str(value)) + b"\0"
    return out


def _b(s):
    return s if isinstance(s, bytes) else s.encode()


def request(opcode, filename, mode="octet", options=()):
    """An RRQ or WRQ datagram; options is a list of (name, value)."""
    return (opcode.to_bytes(2, "big") + _b(filename) + b"\0" + _b(mode)
            + b"\0" + _opts_bytes(options))


def rrq(filename, mode="octet", options=()):
    return request(OP_RRQ, filename, mode, options)


def wrq(filename, mode="octet", options=()):
    return request(OP_WRQ, filename, mode, options)


def ack(block):
    return OP_ACK.to_bytes(2, "big") + (block & 0xFFFF).to_bytes(2, "big")


def data(block, payload):
    return (OP_DATA.to_bytes(2, "big") + (block & 0xFFFF).to_bytes(2, "big")
            + payload)


def error(code, message=""):
    return (OP_ERROR.to_bytes(2, "big") + code.to_bytes(2, "big")
            + _b(message) + b"\0")


def oack(options):
    return OP_OACK.to_bytes(2, "big") + _opts_bytes(options)


class Packet:
    """A parsed datagram. Fields that do not apply are None."""

    def __init__(self, raw):
        self.raw = bytes(raw)
        self.opcode = int.from_bytes(raw[:2], "big") if len(raw) >= 2 else None
        self.block = self.code = self.message = self.payload = None
        self.options = None
        if self.opcode in (OP_DATA, OP_ACK) and len(raw) >= 4:
            self.block = int.from_bytes(raw[2:4], "big")
            self.payload = self.raw[4:]
        elif self.opcode == OP_ERROR and len(raw) >= 4:
            self.code = int.from_bytes(raw[2:4], "big")
            self.message = self.raw[4:].split(b"\0", 1)[0].decode(
                "latin-1")
        elif self.opcode == OP_OACK:
            fields = self.raw[2:].split(b"\0")
            if fields and fields[-1] == b"":
                fields.pop()
            self.options = [(fields[i].decode("latin-1"),
                             fields[i + 1].decode("latin-1"))
                            for i in range(0, len(fields) - 1, 2)]

    @property
    def name(self):
        return OPNAMES.get(self.opcode, "op%s" % self.opcode)

    def __repr__(self):
        if self.opcode == OP_DATA:
            return "DATA(%d, %d bytes)" % (self.block, len(self.payload))
        if self.opcode == OP_ACK:
            return "ACK(%d)" % self.block
        if self.opcode == OP_ERROR:
            return "ERROR(%d, %r)" % (self.code, self.message)
        if self.opcode == OP_OACK:
            return "OACK(%r)" % (self.options,)
        return "Packet(%r)" % self.raw[:32]
