# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""PXE: real firmware boots over the network from the server under test.

QEMU (software emulation, 128 MiB) boots from its NIC; dnsmasq, DHCP only,
names the boot file; the server under test serves it and whatever the boot
loader fetches next. Each case builds this on the framework's topology:

    ns dpt-srv-*                     ns dpt-cli-*
    +---------------------+         +---------------------------------+
    | dptftpd 10.99.0.1   |  veth   | dcli0 --+                       |
    | (socket: dsrv0 has  |---------|         dbr0 10.99.0.2/24       |
    |  the address;       |         |         fd99::2/64  dnsmasq     |
    |  afpacket: dptftpd  |         | dvm0 ---+  (tap)                |
    |  owns it)           |         |  QEMU -netdev tap,ifname=dvm0   |
    +---------------------+         +---------------------------------+

The bridge dbr0 takes the client end of the link (dcli0, or dtap0 with
the tap backend) and QEMU's tap device dvm0; the client address moves to
the bridge, where dnsmasq serves DHCP (--port=0: no DNS) and router
advertisements. The guest's serial console (-nographic) is read line by
line into serial.log; a case passes when the loader prints the marker.
A packet socket on the client end of the link records every TFTP datagram
(wire.log): which files the firmware asked for, with which options, what
the server answered, and the bytes of every DATA block, so each file the
guest loaded is compared byte for byte with the served one.

Boot paths (Debian 12 packages):

  bios      SeaBIOS, the iPXE ROM of virtio-net (ipxe-qemu): DHCP, then
            pxe/boot.ipxe, which fetches pxe/blob1M.bin (imgfetch) and
            chains pxe/stage2.ipxe, which prints the marker
  uefi      OVMF (ovmf) with its own PXE client (virtio-net-pci,romfile=,
            bootindex=1): pxe/snponly.efi (ipxe), after a tsize probe it
            aborts with ERROR 8; that iPXE then runs the same scripts
  pxelinux  SeaBIOS and the iPXE ROM load pxe/pxelinux.0 (pxelinux),
            which loads pxe/ldlinux.c32 (syslinux-common), asks for
            pxelinux.cfg/01-<mac> and the address in hex, from 8 digits
            down to 1, all missing, then pxelinux.cfg/default, whose SAY
            line prints the marker

  uefi6     OVMF's PXEv6 client (the same NIC, PXEv4 switched off by
            fw_cfg), told by DHCPv6 (bootfile-url) to fetch
            tftp://[fd00:99::1]/pxe/snponly.efi; that iPXE is told
            .../pxe/boot.ipxe and runs the same scripts: every transfer
            over IPv6

iPXE waits about 13 s for an IPv6 router advertisement before it
reports its link configured; dnsmasq answers the router solicitation
(enable-ra, a ra-only range on fd99::/64), so it does not wait.

The IPv6 boot (test_uefi_ipv6) uses the topology's IPv6 (use_ipv6):
fd00:99::1 is the server (the socket backend listens on
[fd00:99::1]:69 alone), fd00:99::2/64 moves to the bridge instead of
fd99::2/64, and dnsmasq advertises fd00:99::/64 as "managed" and leases
fd00:99::100-1ff over DHCPv6, with option 59 (bootfile-url) for the boot
file. What was found with Debian 12's builds:

  * OVMF 2022.11 honours -fw_cfg name=opt/org.tianocore/IPv4PXESupport,
    string=n: its console shows ">>Start PXE over IPv6" alone. Without
    it OVMF first tries PXE over IPv4 and gives up (no DHCPv4 offer:
    PXE-E18) only about 64 s after QEMU started.
  * OVMF runs DHCPv6 twice: its IPv6 stack, told "managed", asks for an
    address and DNS servers only; then PXE asks again with bootfile-url
    in its option request. PXE waits out its first SOLICIT (4 s) for
    more ADVERTISEs unless one has preference 255, which dnsmasq sends
    with dhcp-authoritative. Without it OVMF had its boot file 18 to
    25 s after QEMU started; a run traced frame by frame spent 5 s from
    SOLICIT to REQUEST and 10 s more from REQUEST to its first use of
    the address, the length of its wait for a route to the server
    (PXEBC_IP6_ROUTE_TABLE_TIMEOUT), which runs with it do not show.
    With it: 9 to 10 s (over IPv4: 7 s).
  * OVMF's TFTP is as over IPv4 but with blksize 1228: "tsize 0 blksize
    1228 windowsize 4", ERROR 8 after the OACK, then "blksize 1228
    windowsize 4" from the next port.
  * iPXE's DHCPv6 carries user class "iPXE", which dnsmasq's
    dhcp-userclass tags as it does for DHCPv4; iPXE takes the
    bootfile-url as its filename and fetches the scripts relative to it.
  * iPXE configures DHCPv4 and IPv6 together and waits for both: with no
    DHCPv4 answer it takes 15 s more, until its DISCOVERs give up. So
    dnsmasq answers DHCPv4 to iPXE alone (dhcp-range=tag:ipxe,...),
    without a boot file; OVMF gets no IPv4 address. (dhcp-ignore=
    tag:!ipxe would ignore OVMF's DHCPv6 too, and a dhcp-range's set:
    tag is not seen by dhcp-ignore.)
  * The boot reaches the marker about 15 s after QEMU starts; the case
    takes 16 s.
"""

import ipaddress
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import threading
import time

from dts.framework import files as files_mod
from dts.framework.netns import netns_socket, ns_argv
from dts.framework.suite import TestSuite, timeout
from dts.framework.tftpclient import (OP_ACK, OP_DATA, OP_ERROR, OP_OACK,
                                      OP_RRQ, Packet)
from dts.framework.topology import PREFIXLEN6, TopologyError, sh
from dts.framework.wait import eventually

MARKER = "DPT-PXE-OK"
FAILED = "DPT-PXE-FAILED"
DIR = "pxe"                         # under the served root
BRIDGE = "dbr0"
VM_TAP = "dvm0"
DHCP_FIRST, DHCP_LAST = "10.99.0.100", "10.99.0.199"
RA_PREFIX = "fd99::"
RA_ADDR = "fd99::2/64"
DHCP6_FIRST, DHCP6_LAST = 0x100, 0x1ff   # in the topology's IPv6 /64
BLOB = DIR + "/blob1M.bin"
BLOB_SIZE = files_mod.MiB
GUEST_MEM = "128"
# OVMF's fw_cfg knob (its PxeBcPcdProducerLib, 2020): no PXE over IPv4.
NO_PXE4 = "name=opt/org.tianocore/IPv4PXESupport,string=n"

# What each part comes from: (path, Debian package).
QEMU = ("qemu-system-x86_64", "qemu-system-x86")
PARTS = {
    "ipxe-rom": ("/usr/lib/ipxe/qemu/efi-virtio.rom", "ipxe-qemu"),
    "ovmf": ("/usr/share/ovmf/OVMF.fd", "ovmf"),
    "snponly": ("/usr/lib/ipxe/snponly.efi", "ipxe"),
    "pxelinux": ("/usr/lib/PXELINUX/pxelinux.0", "pxelinux"),
    "ldlinux": ("/usr/lib/syslinux/modules/bios/ldlinux.c32",
                "syslinux-common"),
    "dnsmasq": ("/usr/sbin/dnsmasq", "dnsmasq-base"),
    "tun": ("/dev/net/tun", "the kernel's tun driver"),
}

# The served boot tree: name under DIR -> (part it is copied from, or
# the text written).
BOOT_IPXE = """#!ipxe
echo DPT-PXE-STAGE1 ${platform} ${net0/ip}
imgfetch --name blob blob1M.bin || goto failed
chain stage2.ipxe || goto failed
exit
:failed
echo %s ${errno}
""" % FAILED
STAGE2_IPXE = """#!ipxe
imgstat
echo %s
""" % MARKER
PXELINUX_DEFAULT = """SERIAL 0 115200
SAY %s
PROMPT 0
TIMEOUT 1
""" % MARKER
TREE = {
    "boot.ipxe": BOOT_IPXE,
    "stage2.ipxe": STAGE2_IPXE,
    "snponly.efi": "snponly",
    "pxelinux.0": "pxelinux",
    "ldlinux.c32": "ldlinux",
    "pxelinux.cfg/default": PXELINUX_DEFAULT,
}

ANSI_RE = re.compile(rb"\x1b(?:\[[0-9;?=]*[A-Za-z]|[()][0-9A-Za-z]|.)")
IMGSTAT_RE = re.compile(r"^blob : (\d+) bytes")


def part_path(part):
    return PARTS[part][0]


def missing_parts(parts):
    """'a (package b), ...' for the parts not installed here."""
    gone = []
    if shutil.which(QEMU[0]) is None:
        gone.append("%s (package %s)" % QEMU)
    for part in parts:
        path, pkg = PARTS[part]
        if not os.path.exists(path):
            gone.append("%s (%s)" % (path, pkg if pkg.startswith("the ")
                                     else "package " + pkg))
    return gone


# ------------------------------------------------------------ the wire

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


# ----------------------------------------------------------- processes

class Process:
    """A program in the client namespace, in a session of its own, that
    the case kills when it ends (kill())."""

    def __init__(self, suite, name, argv, output=None):
        self.suite = suite
        self.name = name
        self.argv = ns_argv(suite.topo.client_ns, argv)
        suite.log("%s: %s" % (name, " ".join(self.argv)))
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL,
            stdout=output if output is not None else subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True)
        suite._runs.append(self)

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class Guest(Process):
    """QEMU, its serial console on stdout, read line by line (escape
    sequences and CRs dropped) into the case's serial.log."""

    def __init__(self, suite, name, qemu_args):
        argv = [QEMU[0], "-accel", "tcg", "-m", GUEST_MEM, "-smp", "1",
                "-nographic", "-no-reboot", "-netdev",
                "tap,id=n0,ifname=%s,script=no,downscript=no,vnet_hdr=off"
                % VM_TAP] + qemu_args
        self.lines = []
        self._partial = b""
        self._serial = open(os.path.join(suite.logdir, "serial.log"), "a")
        self._serial.write("# %s\n" % name)
        self.started = time.monotonic()
        super().__init__(suite, name, argv)

    def _feed(self, data):
        self._partial += data
        *done, self._partial = self._partial.split(b"\n")
        for raw in done:
            text = ANSI_RE.sub(b"", raw).replace(b"\r", b"").decode(
                "latin-1")
            self.lines.append(text)
            self._serial.write("%7.2f %s\n" % (time.monotonic()
                                              - self.started, text))
        self._serial.flush()

    def wait_for(self, marker, limit):
        """Read the console until a line is `marker`; returns the seconds
        since QEMU started. Fails on the script's failure line, on QEMU
        exiting, and after `limit` seconds."""
        out = self.proc.stdout
        deadline = self.started + limit
        seen = 0
        while True:
            for line in self.lines[seen:]:
                if line.strip() == marker:
                    return time.monotonic() - self.started
                if line.startswith(FAILED):
                    self.suite.fail("%s: the boot script failed: %s"
                                    % (self.name, line.strip()))
            seen = len(self.lines)
            left = deadline - time.monotonic()
            if left <= 0:
                self.suite.fail("%s: no %s on the serial console within "
                                "%ds; last lines: %s" % (
                                    self.name, marker, limit,
                                    " | ".join(self.lines[-4:])))
            r, _, _ = select.select([out], [], [], min(left, 0.5))
            if r:
                data = os.read(out.fileno(), 65536)
                if not data:
                    self.proc.wait()
                    self.suite.fail("%s: QEMU exited (rc %s) before %s; "
                                    "last lines: %s" % (
                                        self.name, self.proc.returncode,
                                        marker, " | ".join(self.lines[-4:])))
                self._feed(data)

    def kill(self):
        super().kill()
        if not self._serial.closed:
            if self._partial:
                self._feed(b"\n")
            self._serial.close()


# -------------------------------------------------------------- suite

class TestPxe(TestSuite):
    """PXE: BIOS (iPXE), UEFI (OVMF) and PXELINUX boot from the server."""

    # ------------------------------------------------------- the files

    def set_up_suite(self):
        top = self.files.path(DIR)
        shutil.rmtree(top, ignore_errors=True)
        os.makedirs(os.path.join(top, "pxelinux.cfg"))
        for path in (top, os.path.join(top, "pxelinux.cfg")):
            os.chmod(path, 0o755)
        self.files.add(BLOB, files_mod.content(BLOB, BLOB_SIZE))
        for name, what in TREE.items():
            if what in PARTS:
                if not os.path.exists(part_path(what)):
                    continue            # the case needing it skips
                with open(part_path(what), "rb") as f:
                    data = f.read()
            else:
                data = what.encode()
            self.files.add("%s/%s" % (DIR, name), data)

    def tear_down_suite(self):
        shutil.rmtree(self.files.path(DIR), ignore_errors=True)
        for name in list(self.files.sizes):
            if name.startswith(DIR + "/"):
                del self.files.sizes[name]
                del self.files.hashes[name]

    # --------------------------------------------------------- the LAN

    def _need(self, *parts):
        gone = missing_parts(("dnsmasq", "tun") + parts)
        if gone:
            self.skip("not installed: %s (scripts/install-deps test)"
                      % ", ".join(gone))

    def _lan(self, boot, boot6=None):
        """The bridge, QEMU's tap and dnsmasq in the client namespace.
        boot: dnsmasq dhcp-boot values ("[tag:...,]FILE"); the next server
        is the server under test. boot6 (the topology has IPv6): the same
        for DHCPv6, as bootfile-url tftp://[SERVER_IP6]/FILE; the bridge
        then holds the client's IPv6 address, dnsmasq leases addresses of
        its /64 and answers DHCPv4 only for iPXE (tag ipxe)."""
        ns = self.topo.client_ns
        uplink = self.topo.client_if

        def cli(*args):
            sh(["ip", "-n", ns] + list(args))

        cli("link", "add", BRIDGE, "type", "bridge", "forward_delay", "0")
        cli("addr", "flush", "dev", uplink)
        cli("link", "set", uplink, "master", BRIDGE)
        cli("tuntap", "add", "dev", VM_TAP, "mode", "tap")
        cli("link", "set", VM_TAP, "master", BRIDGE)
        cli("link", "set", VM_TAP, "up")
        cli("addr", "add", "%s/24" % self.topo.client_ip, "dev", BRIDGE)
        ra = True
        if boot6 is not None:
            # The address moved from the uplink; dnsmasq serves the /64
            # it is in, which is the server's.
            cli("addr", "add", "%s/%d" % (self.topo.client_ip6, PREFIXLEN6),
                "dev", BRIDGE, "nodad")
        else:
            try:
                cli("addr", "add", RA_ADDR, "dev", BRIDGE, "nodad")
            except TopologyError as e:
                # Without IPv6 iPXE just waits out its router
                # solicitation.
                self.log("no IPv6 on %s, no router advertisements: %s"
                         % (BRIDGE, e))
                ra = False
        cli("link", "set", BRIDGE, "up")
        conf = os.path.join(self.logdir, "dnsmasq.conf")
        lines = ["port=0", "interface=" + BRIDGE, "bind-interfaces",
                 "user=root", "log-dhcp",
                 "dhcp-leasefile=" + os.path.join(self.logdir,
                                                  "dnsmasq.leases"),
                 # With boot6, DHCPv4 is for iPXE alone.
                 "dhcp-range=%s%s,%s,255.255.255.0,1h" % (
                     "tag:ipxe," if boot6 is not None else "",
                     DHCP_FIRST, DHCP_LAST),
                 "dhcp-userclass=set:ipxe,iPXE",
                 "dhcp-match=set:efi64,option:client-arch,7"]
        if boot6 is not None:
            net = ipaddress.ip_network("%s/%d" % (self.topo.client_ip6,
                                                  PREFIXLEN6), strict=False)
            # Stateful: the advertisements say "managed", and both OVMF
            # and iPXE ask DHCPv6 for an address and the boot file.
            # Authoritative: dnsmasq's ADVERTISE has preference 255, so
            # OVMF takes it at once instead of waiting out its first
            # SOLICIT (4 s) for others.
            lines += ["enable-ra", "dhcp-authoritative",
                      "dhcp-range=%s,%s,%d,1h" % (net[DHCP6_FIRST],
                                                  net[DHCP6_LAST],
                                                  PREFIXLEN6)]
            for b in boot6:
                *tags, path = b.split(",")
                lines.append("dhcp-option=%soption6:bootfile-url,"
                             "tftp://[%s]/%s" % (
                                 "".join(t + "," for t in tags),
                                 self.topo.server_ip6, path))
        elif ra:
            lines += ["enable-ra", "dhcp-range=%s,ra-only" % RA_PREFIX]
        lines += ["dhcp-boot=%s,,%s" % (b, self.topo.server_ip)
                  for b in boot]
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        log = open(os.path.join(self.logdir, "dnsmasq.log"), "ab")
        try:
            dns = Process(self, "dnsmasq", [PARTS["dnsmasq"][0],
                                            "--no-daemon",
                                            "--conf-file=" + conf],
                          output=log)
        finally:
            log.close()
        time.sleep(0.3)
        if not dns.alive():
            with open(os.path.join(self.logdir, "dnsmasq.log")) as f:
                self.fail("dnsmasq exited: %s" % f.read().strip()[-300:])
        return dns

    def _boot(self, name, qemu_args, limit):
        """Boot QEMU until the marker; returns (seconds, Guest, Wire).
        QEMU is killed whatever happens."""
        wire = Wire(self.topo.client_ns, self.topo.client_if,
                    [ip for ip in (self.topo.server_ip, self.topo.server_ip6)
                     if ip is not None])
        try:
            with wire:
                guest = Guest(self, name, qemu_args)
                try:
                    seconds = guest.wait_for(MARKER, limit)
                    self.log("%s: %s after %.1fs" % (name, MARKER, seconds))
                    wire.wait_acked()
                finally:
                    guest.kill()
        finally:
            wire.write_log(os.path.join(self.logdir, "wire.log"), name)
            for s in wire.sessions:
                self.log("%s: %s" % (name, s.describe()))
        return seconds, guest, wire

    # ---------------------------------------------------------- checks

    def _check_served(self, sess, name, asked):
        """sess fetched DIR/name in full with options `asked`; the OACK
        granted them and gave the file's size as tsize."""
        path = "%s/%s" % (DIR, name)
        what = "%s from %s" % (path, hostport(sess.client))
        self.check_eq(sess.filename, path, "requested file")
        self.check_eq([k for k, _ in sess.options], asked,
                      "%s: options asked" % what)
        self.check(sess.complete, "%s: not complete: %s" % (
            what, sess.describe()))
        want = self.files.read(path)
        got = sess.data()
        self.check(got is not None, "%s: DATA blocks missing on the wire"
                   % what)
        self.expect_bytes(got, want, what)
        self._check_oack(sess, what)

    def _check_oack(self, sess, what):
        asked = dict(sess.options)
        granted = dict(sess.oack or ())
        self.check(sess.oack is not None, "%s: no OACK: %s"
                   % (what, sess.describe()))
        self.check_eq([k for k, _ in sess.oack],
                      [k for k, _ in sess.options if k in granted],
                      "%s: OACK options (in the request's order)" % what)
        if "tsize" in asked:
            self.check_eq(granted.get("tsize"),
                          str(self.files.sizes[sess.filename]),
                          "%s: OACK tsize" % what)
        keys = ["blksize"]
        if "windowsize" in self.env.server_class.features:
            keys.append("windowsize")       # tftpd-hpa has none
        for key in keys:
            if key in asked:
                self.check_eq(granted.get(key), asked[key],
                              "%s: OACK %s" % (what, key))

    def _check_script_chain(self, sessions, asked, platform, guest):
        """boot.ipxe, the blob and stage2.ipxe, in that order, in full;
        the first script ran on `platform` and the blob arrived whole."""
        names = [s.filename for s in sessions]
        self.check_eq(names, ["%s/%s" % (DIR, n) for n in
                              ("boot.ipxe", "blob1M.bin", "stage2.ipxe")],
                      "iPXE requests")
        for sess, name in zip(sessions, ("boot.ipxe", "blob1M.bin",
                                         "stage2.ipxe")):
            self._check_served(sess, name, asked)
        stage1 = [l for l in guest.lines if l.startswith("DPT-PXE-STAGE1")]
        self.check(stage1 and stage1[0].split()[1] == platform,
                   "stage 1 platform: %r, want %s" % (stage1, platform))
        sizes = [int(m.group(1)) for m in map(IMGSTAT_RE.match, guest.lines)
                 if m]
        self.check_eq(sizes, [BLOB_SIZE], "blob size iPXE reports")

    def _check_counters(self, res, completed, probes=0, missing=0,
                        files=()):
        """The server's own account of the boot (dptftpd's counters; a
        server without them is judged by the wire alone)."""
        if "counters" not in self.env.server_class.features:
            self.log("%s prints no counters" % self.server_kind)
            return
        self.check_eq(res.counter("Total sessions-completed"), completed,
                      "sessions completed")
        self.check_eq(res.counter("Total option-probes"), probes,
                      "option probes")
        self.check_eq(res.counter("Total error-1-sent"), missing,
                      "ERROR 1 (file not found) sent")
        for key in ("Total sessions-failed", "Total sessions-timed-out"):
            self.check_eq(res.counter(key), 0, key)
        self.check_eq(res.counter("Total bytes-served"),
                      sum(self.files.sizes["%s/%s" % (DIR, n)]
                          for n in files), "bytes served")
        self.log("counters: requests %d, retransmits %d" % (
            res.counter("Total requests"), res.counter("Total retransmits")))

    # ------------------------------------------------------------ cases

    @timeout(120)
    def test_bios_ipxe(self):
        """Steps: start the server; dnsmasq names pxe/boot.ipxe; boot QEMU
        (SeaBIOS) from virtio-net with its iPXE ROM. The script fetches
        pxe/blob1M.bin (imgfetch) and chains pxe/stage2.ipxe, which lists
        the images and prints DPT-PXE-OK on the serial console.
        Verifies: the marker appears; iPXE asked for the three files in
        that order, each with blksize and tsize, and got an OACK granting
        them with the file's size as tsize; every byte it received equals
        the served file (1 MiB blob included, and iPXE reports 1048576
        bytes); the server counts 3 sessions completed, no option probe,
        no failure, and served exactly the three files' bytes."""
        self._need("ipxe-rom")
        srv = self.start_server()
        self._lan(["pxe/boot.ipxe"])
        _, guest, wire = self._boot(
            "bios", ["-boot", "n", "-device",
                     "virtio-net-pci,netdev=n0,mac=52:54:00:99:00:01"], 60)
        self._check_script_chain(wire.sessions, ["blksize", "tsize"],
                                 "pcbios", guest)
        res = self.stop_server(srv)
        self._check_counters(res, 3, files=("boot.ipxe", "blob1M.bin",
                                            "stage2.ipxe"))

    def _uefi_boot(self, name, mac, qemu_args=()):
        """One OVMF network boot to the marker; returns (Guest, Wire)
        after checking the probe, snponly.efi and the scripts."""
        _, guest, wire = self._boot(
            name, ["-bios", part_path("ovmf"), "-device",
                   "virtio-net-pci,netdev=n0,mac=%s,romfile=,bootindex=1"
                   % mac] + list(qemu_args), 90)
        sessions = wire.sessions
        self.check(len(sessions) >= 2, "%s: %d requests on the wire"
                   % (name, len(sessions)))
        probe, efi = sessions[0], sessions[1]
        what = "%s: first request (the tsize probe)" % name
        self.check_eq(probe.filename, DIR + "/snponly.efi", what)
        self.check("tsize" in dict(probe.options),
                   "%s: no tsize asked: %s" % (what, probe.describe()))
        self._check_oack(probe, what)
        self.check(probe.client_error is not None and
                   probe.client_error[0] == 8,
                   "%s: OVMF did not end it with ERROR 8: %s"
                   % (what, probe.describe()))
        self.check_eq(probe.data_packets, 0, "%s: DATA sent" % what)
        self._check_served(efi, "snponly.efi",
                           [k for k, _ in efi.options])
        self._check_script_chain(sessions[2:], ["blksize", "tsize"], "efi",
                                 guest)
        return guest, wire

    @timeout(150)
    def test_uefi_ovmf(self):
        """Steps: start the server; dnsmasq names pxe/snponly.efi for
        client architecture 7 (x64 UEFI) and pxe/boot.ipxe for iPXE; boot
        QEMU with OVMF, its own PXE client on virtio-net (no option ROM).
        OVMF fetches snponly.efi (iPXE), which runs the script chain of
        test_bios_ipxe.
        Verifies: the marker appears; OVMF's first request asks tsize
        (with blksize and windowsize), gets an OACK with the file's size
        and aborts it with ERROR 8 before any DATA; its second request
        fetches snponly.efi byte-exact; the EFI iPXE (platform efi)
        fetches the three files as in the BIOS case; the server counts 1
        option probe and 4 sessions completed, no failure."""
        self._need("ovmf", "snponly")
        srv = self.start_server()
        self._lan(["tag:!ipxe,tag:efi64,pxe/snponly.efi",
                   "tag:ipxe,pxe/boot.ipxe"])
        self._uefi_boot("uefi", "52:54:00:99:00:02")
        res = self.stop_server(srv)
        self._check_counters(res, 4, probes=1, files=(
            "snponly.efi", "boot.ipxe", "blob1M.bin", "stage2.ipxe"))

    @timeout(200)
    def test_uefi_reboot(self):
        """Steps: as test_uefi_ovmf, then boot QEMU again with the same
        MAC (so the same address from dnsmasq) against the same running
        server, up to twice more until a boot sends requests from ports
        an earlier boot used.
        Verifies: every boot reaches the marker with the checks of
        test_uefi_ovmf: nothing about an earlier boot's finished
        transfers is held against new requests from the same address and
        ports (iPXE's EFI build takes its source ports from one of two
        fixed sequences here, so the third boot at the latest repeats an
        earlier one's; case.log says which ports came again, wire.log
        shows them all); the server counts one probe and 4 sessions
        completed per boot."""
        self._need("ovmf", "snponly")
        srv = self.start_server()
        self._lan(["tag:!ipxe,tag:efi64,pxe/snponly.efi",
                   "tag:ipxe,pxe/boot.ipxe"])
        mac = "52:54:00:99:00:03"
        used = {}                       # (ip, port) -> "boot N FILE"
        reused = []
        boots = 0
        while boots < 3 and not reused:
            boots += 1
            _, wire = self._uefi_boot("uefi-boot-%d" % boots, mac)
            reused = ["%s:%d %s (%s)" % (s.client + (s.filename,
                                                     used[s.client]))
                      for s in wire.sessions if s.client in used]
            used.update({s.client: "boot %d %s" % (boots, s.filename)
                         for s in wire.sessions})
        self.log("%d boots; client addresses and ports used again: %s"
                 % (boots, ", ".join(reused) or "none (not exercised)"))
        res = self.stop_server(srv)
        self._check_counters(res, 4 * boots, probes=boots, files=(
            "snponly.efi", "boot.ipxe", "blob1M.bin", "stage2.ipxe") * boots)

    @timeout(120)
    def test_pxelinux(self):
        """Steps: start the server; dnsmasq names pxe/pxelinux.0; boot QEMU
        (SeaBIOS, iPXE ROM), which runs PXELINUX; PXELINUX loads
        ldlinux.c32 and looks for its configuration;
        pxelinux.cfg/default says SERIAL 0 and SAY DPT-PXE-OK.
        Verifies: the marker appears; pxelinux.0, ldlinux.c32 and
        pxelinux.cfg/default arrive byte-exact with blksize and tsize
        granted; every other pxelinux.cfg/ name PXELINUX tries first
        (01-<mac>, then its address in hex, 8 digits down to 1) gets
        ERROR 1 and no DATA; the server counts 3 sessions completed and
        one ERROR 1 per missing name."""
        self._need("ipxe-rom", "pxelinux", "ldlinux")
        srv = self.start_server()
        self._lan(["pxe/pxelinux.0"])
        mac = "52:54:00:99:00:04"
        _, guest, wire = self._boot(
            "pxelinux", ["-boot", "n", "-device",
                         "virtio-net-pci,netdev=n0,mac=%s" % mac], 60)
        sessions = wire.sessions
        self.check(len(sessions) >= 3, "%d requests on the wire"
                   % len(sessions))
        self._check_served(sessions[0], "pxelinux.0", ["blksize", "tsize"])
        loader = [s for s in sessions[1:]
                  if s.filename.endswith("/ldlinux.c32")]
        self.check(len(loader) == 1, "ldlinux.c32 requests: %d"
                   % len(loader))
        asked = [k for k, _ in loader[0].options]
        self._check_served(loader[0], "ldlinux.c32", asked)
        cfg = [s for s in sessions if "/pxelinux.cfg/" in s.filename]
        self.check(cfg and cfg[-1].filename == DIR + "/pxelinux.cfg/default",
                   "last configuration asked: %r"
                   % [s.filename for s in cfg[-1:]])
        self._check_served(cfg[-1], "pxelinux.cfg/default", asked)
        probes = cfg[:-1]
        ip = sessions[0].client[0]
        hexip = "".join("%02X" % int(x) for x in ip.split("."))
        want = ["01-" + mac.replace(":", "-")] + [hexip[:n] for n in
                                                  range(8, 0, -1)]
        got = [s.filename.rsplit("/", 1)[1] for s in probes]
        self.check_eq([g for g in got if g in want], want,
                      "missing names PXELINUX asked for, in order")
        for s in probes:
            self.check(s.server_error is not None and
                       s.server_error[0] == 1 and not s.data_packets,
                       "%s: want ERROR 1: %s" % (s.filename, s.describe()))
        res = self.stop_server(srv)
        self._check_counters(res, 3, missing=len(probes), files=(
            "pxelinux.0", "ldlinux.c32", "pxelinux.cfg/default"))

    @timeout(150)
    def test_uefi_ipv6(self):
        """Steps: IPv6 between client and server (fd00:99::1/64 for the
        server: the socket backend listens on [fd00:99::1]:69, the ethdev
        backends get --ip6); dnsmasq sends router advertisements
        ("managed") and leases fd00:99::100-1ff over DHCPv6
        (authoritative: preference 255), with
        bootfile-url tftp://[fd00:99::1]/pxe/snponly.efi, or
        .../pxe/boot.ipxe for user class iPXE; DHCPv4 answers iPXE alone,
        with no boot file (without it iPXE waits about 15 s for DHCPv4).
        Boot QEMU with OVMF, its PXEv4 client switched off by fw_cfg
        (opt/org.tianocore/IPv4PXESupport=n). OVMF's PXEv6 client fetches
        snponly.efi; that iPXE takes the bootfile-url DHCPv6 gives it and
        runs the script chain of test_bios_ipxe over IPv6.
        Verifies: the marker appears; OVMF started PXE over IPv6 and never
        over IPv4; every TFTP request on the wire came over IPv6 from an
        address dnsmasq leased, none over IPv4; OVMF's first request (from
        the station address it printed) asks tsize, gets an OACK with the
        file's size and ends it with ERROR 8 before any DATA; its second
        fetches snponly.efi byte-exact; iPXE (platform efi) fetches
        boot.ipxe, the blob and stage2.ipxe byte-exact as in the BIOS case;
        the server counts 1 option probe and 4 sessions completed, no
        failure; an ethdev backend answered neighbour solicitations (Port
        0 ND-adverts >= 1): the guest reached it through dptftpd's own
        Neighbor Discovery."""
        self._need("ovmf", "snponly")
        if self.server_kind != "dptftpd":
            self.skip("%s is started on IPv4 only" % self.server_kind)
        self.topo.use_ipv6()
        options = {}
        if self.env.backend == "socket":
            options["listen"] = "[%s]:69" % self.topo.server_ip6
        srv = self.start_server(**options)
        self._lan([], ["tag:!ipxe,pxe/snponly.efi", "tag:ipxe,pxe/boot.ipxe"])
        guest, wire = self._uefi_boot(
            "uefi6", "52:54:00:99:00:06", ["-fw_cfg", NO_PXE4])
        starts = [l.strip() for l in guest.lines if ">>Start " in l]
        self.check(any("PXE over IPv6" in l for l in starts) and
                   not any("over IPv4" in l for l in starts),
                   "OVMF boot attempts: %r, want PXE over IPv6 alone"
                   % starts)
        net = ipaddress.ip_network("%s/%d" % (self.topo.server_ip6,
                                              PREFIXLEN6), strict=False)
        leased = [net[n] for n in (DHCP6_FIRST, DHCP6_LAST)]
        for sess in wire.sessions:
            ip = ipaddress.ip_address(sess.client[0])
            self.check(ip.version == 6 and leased[0] <= ip <= leased[1],
                       "%s: not from an address dnsmasq leased (%s-%s)"
                       % (sess.describe(), leased[0], leased[1]))
        station = [l.split()[-1] for l in guest.lines
                   if "Station IP address is" in l]
        self.check(station and ipaddress.ip_address(station[0]) ==
                   ipaddress.ip_address(wire.sessions[0].client[0]),
                   "OVMF's station address %r, its requests from %s"
                   % (station, wire.sessions[0].client[0]))
        res = self.stop_server(srv)
        self._check_counters(res, 4, probes=1, files=(
            "snponly.efi", "boot.ipxe", "blob1M.bin", "stage2.ipxe"))
        if self.env.backend != "socket" and \
           "counters" in self.env.server_class.features:
            adverts = res.counter("Port 0 ND-adverts")
            self.check(adverts >= 1, "Port 0 ND-adverts is %d, want >= 1"
                       % adverts)
