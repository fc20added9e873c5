# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""A LAN for PXE in the client namespace: a bridge, QEMU's tap, dnsmasq,
and QEMU itself (suite pxe).

    start_lan(suite, ["pxe/boot.ipxe"])     bridge dbr0 over the client's
                                            uplink and the tap dvm0, the
                                            client address on the bridge,
                                            dnsmasq (DHCP, RA; no DNS)
    Guest(suite, "bios", qemu_args)         QEMU on dvm0, its serial
                                            console read line by line
    guest.wait_for(MARKER, 60, FAILED)      until the boot prints MARKER

Whatever starts here is a Process: in a session of its own, registered
with the case, killed when the case ends.
"""

import ipaddress
import os
import re
import select
import subprocess
import time

from .netns import ns_argv
from .servers import kill_group
from .topology import PREFIXLEN6, TopologyError, sh

BRIDGE = "dbr0"
VM_TAP = "dvm0"
DHCP_FIRST, DHCP_LAST = "10.99.0.100", "10.99.0.199"
RA_PREFIX = "fd99::"
RA_ADDR = "fd99::2/64"
DHCP6_FIRST, DHCP6_LAST = 0x100, 0x1ff   # in the topology's IPv6 /64
DNSMASQ = "/usr/sbin/dnsmasq"
QEMU = "qemu-system-x86_64"
GUEST_MEM = "128"

ANSI_RE = re.compile(rb"\x1b(?:\[[0-9;?=]*[A-Za-z]|[()][0-9A-Za-z]|.)")


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
        kill_group(self.proc)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class Guest(Process):
    """QEMU, its serial console on stdout, read line by line (escape
    sequences and CRs dropped) into the case's serial.log."""

    def __init__(self, suite, name, qemu_args):
        argv = [QEMU, "-accel", "tcg", "-m", GUEST_MEM, "-smp", "1",
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

    def wait_for(self, marker, limit, failed):
        """Read the console until a line is `marker`; returns the seconds
        since QEMU started. Fails on a line starting with `failed` (the
        boot script's failure), on QEMU exiting, and after `limit`
        seconds."""
        out = self.proc.stdout
        deadline = self.started + limit
        seen = 0
        while True:
            for line in self.lines[seen:]:
                if line.strip() == marker:
                    return time.monotonic() - self.started
                if line.startswith(failed):
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


def start_lan(suite, boot, boot6=None):
    """The bridge, QEMU's tap and dnsmasq in the client namespace; returns
    dnsmasq's Process. boot: dnsmasq dhcp-boot values ("[tag:...,]FILE");
    the next server is the server under test. boot6 (the topology has
    IPv6): the same for DHCPv6, as bootfile-url tftp://[SERVER_IP6]/FILE;
    the bridge then holds the client's IPv6 address, dnsmasq leases
    addresses of its /64 and answers DHCPv4 only for iPXE (tag ipxe)."""
    ra = _bridge(suite, boot6 is not None)
    conf = os.path.join(suite.logdir, "dnsmasq.conf")
    with open(conf, "w") as f:
        f.write("\n".join(dnsmasq_conf(suite.topo, suite.logdir, boot,
                                       boot6, ra)) + "\n")
    log = open(os.path.join(suite.logdir, "dnsmasq.log"), "ab")
    try:
        dns = Process(suite, "dnsmasq", [DNSMASQ, "--no-daemon",
                                         "--conf-file=" + conf], output=log)
    finally:
        log.close()
    time.sleep(0.3)
    if not dns.alive():
        with open(os.path.join(suite.logdir, "dnsmasq.log")) as f:
            suite.fail("dnsmasq exited: %s" % f.read().strip()[-300:])
    return dns


def _bridge(suite, ipv6):
    """BRIDGE over the client's uplink and VM_TAP, with the client's
    address (and, with ipv6, its IPv6 address, else RA_ADDR); returns
    whether the bridge has an IPv6 address to send advertisements from."""
    topo = suite.topo
    uplink = topo.client_if

    def cli(*args):
        sh(["ip", "-n", topo.client_ns] + list(args))

    cli("link", "add", BRIDGE, "type", "bridge", "forward_delay", "0")
    cli("addr", "flush", "dev", uplink)
    cli("link", "set", uplink, "master", BRIDGE)
    cli("tuntap", "add", "dev", VM_TAP, "mode", "tap")
    cli("link", "set", VM_TAP, "master", BRIDGE)
    cli("link", "set", VM_TAP, "up")
    cli("addr", "add", "%s/24" % topo.client_ip, "dev", BRIDGE)
    ra = True
    if ipv6:
        # The address moved from the uplink; dnsmasq serves the /64
        # it is in, which is the server's.
        cli("addr", "add", "%s/%d" % (topo.client_ip6, PREFIXLEN6),
            "dev", BRIDGE, "nodad")
    else:
        try:
            cli("addr", "add", RA_ADDR, "dev", BRIDGE, "nodad")
        except TopologyError as e:
            # Without IPv6 iPXE just waits out its router solicitation.
            suite.log("no IPv6 on %s, no router advertisements: %s"
                      % (BRIDGE, e))
            ra = False
    cli("link", "set", BRIDGE, "up")
    return ra


def dnsmasq_conf(topo, logdir, boot, boot6, ra):
    """dnsmasq's configuration lines for start_lan()."""
    lines = ["port=0", "interface=" + BRIDGE, "bind-interfaces",
             "user=root", "log-dhcp",
             "dhcp-leasefile=" + os.path.join(logdir, "dnsmasq.leases"),
             # With boot6, DHCPv4 is for iPXE alone.
             "dhcp-range=%s%s,%s,255.255.255.0,1h" % (
                 "tag:ipxe," if boot6 is not None else "",
                 DHCP_FIRST, DHCP_LAST),
             "dhcp-userclass=set:ipxe,iPXE",
             "dhcp-match=set:efi64,option:client-arch,7"]
    if boot6 is not None:
        net = ipaddress.ip_network("%s/%d" % (topo.client_ip6, PREFIXLEN6),
                                   strict=False)
        # Stateful: the advertisements say "managed", and both OVMF and
        # iPXE ask DHCPv6 for an address and the boot file.
        # Authoritative: dnsmasq's ADVERTISE has preference 255, so OVMF
        # takes it at once instead of waiting out its first SOLICIT (4 s)
        # for others.
        lines += ["enable-ra", "dhcp-authoritative",
                  "dhcp-range=%s,%s,%d,1h" % (net[DHCP6_FIRST],
                                              net[DHCP6_LAST], PREFIXLEN6)]
        for b in boot6:
            *tags, path = b.split(",")
            lines.append("dhcp-option=%soption6:bootfile-url,"
                         "tftp://[%s]/%s" % ("".join(t + "," for t in tags),
                                             topo.server_ip6, path))
    elif ra:
        lines += ["enable-ra", "dhcp-range=%s,ra-only" % RA_PREFIX]
    lines += ["dhcp-boot=%s,,%s" % (b, topo.server_ip) for b in boot]
    return lines
