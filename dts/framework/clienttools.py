# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""The client namespace's own tools, asked about the server (suite l2).

ClientTools is a mixin for a TestSuite: the kernel of the client
namespace and its tools say what dptftpd's own network stack answered.

    self._ping()                echoes answered (ping -c 3)
    self._arping(ip, 3)         the MACs that answered arping
    self.udp_probe(family, ip)  "refused", "a reply: ..." or "nothing ..."
    self._snmp(), _snmp6()      the client kernel's counters
    self._neighbour(ip6)        (MAC, state) from ip -6 neigh
    self._curl6(name, ip6)      curl tftp://[ip6]/name, byte-exact

Both Debian arpings work: Habets' (package arping) and iputils'
(iputils-arping), which differ in options and output.
"""

import re
import shutil
import socket
import subprocess

from .frames import ARP_REPLY, Arp
from .netns import netns_socket

UNUSED_PORT = 9                 # no TFTP, outside the session ports
MAC_RE = re.compile(r"([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})")

_arping_kind = []


def arping_kind():
    """"habets" (Debian's arping package) or "iputils" (iputils-arping):
    they differ in options and output."""
    if not _arping_kind:
        p = subprocess.run(["arping", "--help"], capture_output=True,
                           text=True)
        _arping_kind.append("habets" if "Habets" in p.stdout + p.stderr
                            else "iputils")
    return _arping_kind[0]


class ClientTools:
    """What the client's kernel and tools see of the server; for a
    TestSuite (self.topo, self.client_command(), self.skip())."""

    def udp_probe(self, family, addr):
        """One datagram from a connected socket in the client namespace
        to UNUSED_PORT of addr; what came back: "refused" (the kernel
        matched an ICMP port unreachable to the socket), "a reply: ..."
        or "nothing within 3 s"."""
        sock = netns_socket(self.topo.client_ns, family)
        try:
            sock.settimeout(3.0)
            sock.connect((addr, UNUSED_PORT))
            sock.send(b"dts: anybody there?")
            try:
                return "a reply: %r" % sock.recv(2048)[:40]
            except ConnectionRefusedError:
                return "refused"
            except socket.timeout:
                return "nothing within 3 s"
        finally:
            sock.close()

    def _ping(self, count=3, dest=None):
        """ping from the client; returns the number of echoes answered."""
        p = self.client_command(["ping", "-n", "-c", str(count), "-i", "0.2",
                                 "-W", "2", dest or self.topo.server_ip],
                                timeout=30)
        m = re.search(r"(\d+) (?:packets )?received", p.stdout)
        return int(m.group(1)) if m else 0

    def _arping(self, target, count):
        """arping from the client interface; returns the replying MACs
        (one per reply, lower case)."""
        if shutil.which("arping") is None:
            self.skip("arping is not installed (scripts/install-deps test)")
        dev = self.topo.client_dev
        if arping_kind() == "habets":
            argv = ["arping", "-c", str(count), "-W", "0.2", "-i", dev,
                    target]
        else:
            argv = ["arping", "-c", str(count), "-w", str(count + 2), "-I",
                    dev, target]
        p = self.client_command(argv, timeout=30)
        macs = []
        for line in p.stdout.splitlines():
            if "bytes from" in line or "reply from" in line.lower():
                m = MAC_RE.search(line)
                if m:
                    macs.append(m.group(1).lower())
        return macs

    def _snmp(self):
        """{"Udp InCsumErrors": n, ...} from the client namespace's
        /proc/net/snmp and /proc/net/netstat."""
        got = {}
        for path in ("/proc/net/snmp", "/proc/net/netstat"):
            lines = self.client_command(["cat", path]).stdout.splitlines()
            for names, values in zip(lines[::2], lines[1::2]):
                proto, names = names.split(":", 1)
                for k, v in zip(names.split(), values.split(":", 1)[1]
                                .split()):
                    got["%s %s" % (proto, k)] = int(v)
        return got

    def _ping6(self, dest, count=3):
        """ping -6 from the client; returns the echoes answered."""
        p = self.client_command(["ping", "-6", "-n", "-c", str(count), "-i",
                                 "0.2", "-W", "2", dest], timeout=30)
        m = re.search(r"(\d+) (?:packets )?received", p.stdout)
        return int(m.group(1)) if m else 0

    def _neighbour(self, addr):
        """(MAC, state) of `addr` in the client kernel's neighbour table,
        or (None, None)."""
        p = self.client_command(["ip", "-6", "neigh", "show", "to", addr,
                                 "dev", self.topo.client_dev])
        m = re.search(r"lladdr (\S+).* (\w+)\s*$", p.stdout.strip())
        return (m.group(1).lower(), m.group(2)) if m else (None, None)

    def _flush_neighbours(self):
        self.client_command(["ip", "-6", "neigh", "flush", "dev",
                             self.topo.client_dev])

    def _snmp6(self):
        """{"Udp6InCsumErrors": n, ...} from the client namespace."""
        text = self.client_command(["cat", "/proc/net/snmp6"]).stdout
        return {k: int(v) for k, v in (line.split() for line in
                                       text.splitlines() if line.strip())}

    def _curl6(self, name, addr):
        """curl tftp://[addr]/name in the client namespace, verified byte
        for byte."""
        out = self.out("curl6.%s" % name)
        host = addr.replace("%", "%25")
        p = self.client_command(["curl", "-sS", "-g", "--max-time", "60",
                                 "tftp://[%s]:69/%s" % (host, name), "-o",
                                 out], timeout=90)
        if p.returncode != 0:
            self.fail("curl tftp://[%s]/%s: rc %s %s" % (
                addr, name, p.returncode, p.stderr.strip()[-200:]))
        self.verify_file(out, name)

    def _arp_replies(self, frames):
        return [a for a in (Arp.parse(f) for _, f in frames)
                if a is not None and a.op == ARP_REPLY and
                a.spa == self.topo.server_ip]
