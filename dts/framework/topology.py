# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Network namespaces and veth pairs made by the tests, always removed.

Topology "pair" (the only kind so far):

    ns dpt-srv-<run>                      ns dpt-cli-<run>
    +------------------+   veth pair      +--------------------+
    | dsrv0 10.99.0.1  |------------------| dcli0 10.99.0.2/24 |
    | lo up            |                  | lo up, tx csum off |
    +------------------+                  +--------------------+

With backend "afpacket" the server-side veth keeps no IP: dptftpd owns the
address itself (--iface dsrv0 --ip 10.99.0.1/24) and answers ARP.

Every name starts with "dpt-" and carries the pid of the run that made it,
so a later run can recognise and remove what a crashed run left behind.
Nothing here touches the host's own interfaces; all traffic stays between
the two namespaces.
"""

import atexit
import os
import re
import signal
import subprocess
import time

PREFIX = "dpt-"
SERVER_IP = "10.99.0.1"
CLIENT_IP = "10.99.0.2"
CLIENT_IP2 = "10.99.0.3"
PREFIXLEN = 24
SERVER_IF = "dsrv0"
CLIENT_IF = "dcli0"

_live = set()          # namespaces this process made and has not removed
_seq = [0]


class TopologyError(Exception):
    pass


def sh(argv, check=True, timeout=30, input=None):
    """Run a setup command; raise TopologyError saying what failed."""
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                       input=input)
    if check and p.returncode != 0:
        raise TopologyError("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                                  p.stderr.strip()))
    return p


def list_namespaces():
    p = sh(["ip", "netns", "list"], check=False)
    return [line.split()[0] for line in p.stdout.splitlines() if line.strip()]


def _kill_pids_in(ns):
    p = sh(["ip", "netns", "pids", ns], check=False)
    for pid in p.stdout.split():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


def delete_namespace(ns):
    """Kill what still runs in `ns` (ours: servers, clients), delete it."""
    _kill_pids_in(ns)
    for _ in range(50):
        if sh(["ip", "netns", "del", ns], check=False).returncode == 0:
            break
        if ns not in list_namespaces():
            break
        time.sleep(0.1)
    _live.discard(ns)


def _owner_alive(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return b"run.py" in f.read() or pid == os.getpid()
    except OSError:
        return False


def remove_stale():
    """Delete dpt-* namespaces whose run is gone; returns their names."""
    gone = []
    for ns in list_namespaces():
        m = re.match(r"^%s[a-z]+-(\d+)-\d+$" % PREFIX, ns)
        if not ns.startswith(PREFIX):
            continue
        if m and _owner_alive(int(m.group(1))):
            continue
        delete_namespace(ns)
        gone.append(ns)
    return gone


def remove_all_live():
    """atexit and signal path: remove every namespace this run made."""
    for ns in list(_live):
        try:
            delete_namespace(ns)
        except Exception:
            pass


atexit.register(remove_all_live)


class Topology:
    """Two namespaces joined by a veth pair. A context manager.

    backend: "socket" (the server-side veth holds SERVER_IP) or
    "afpacket" (it holds no IP; the server claims it on its own)."""

    def __init__(self, backend="socket", mtu=1500):
        _seq[0] += 1
        tag = "%d-%d" % (os.getpid(), _seq[0])
        self.backend = backend
        self.mtu = mtu
        self.server_ns = PREFIX + "srv-" + tag
        self.client_ns = PREFIX + "cli-" + tag
        self.server_ip = SERVER_IP
        self.client_ip = CLIENT_IP
        self.server_if = SERVER_IF
        self.client_if = CLIENT_IF
        self.extra_client_ips = []
        self.nft_tables = []

    def __enter__(self):
        try:
            self.create()
        except BaseException:
            self.destroy()
            raise
        return self

    def __exit__(self, *exc):
        self.destroy()

    def create(self):
        for ns in (self.server_ns, self.client_ns):
            sh(["ip", "netns", "add", ns])
            _live.add(ns)
            sh(["ip", "-n", ns, "link", "set", "lo", "up"])
        sh(["ip", "link", "add", self.server_if, "netns", self.server_ns,
            "mtu", str(self.mtu), "type", "veth", "peer", "name",
            self.client_if, "netns", self.client_ns, "mtu", str(self.mtu)])
        if self.backend != "afpacket":
            sh(["ip", "-n", self.server_ns, "addr", "add",
                "%s/%d" % (self.server_ip, PREFIXLEN), "dev", self.server_if])
        sh(["ip", "-n", self.client_ns, "addr", "add",
            "%s/%d" % (self.client_ip, PREFIXLEN), "dev", self.client_if])
        sh(["ip", "-n", self.server_ns, "link", "set", self.server_if, "up"])
        sh(["ip", "-n", self.client_ns, "link", "set", self.client_if, "up"])
        # The app would otherwise see partial checksums on AF_PACKET.
        sh(["ip", "netns", "exec", self.client_ns, "ethtool", "-K",
            self.client_if, "tx", "off"])

    def destroy(self):
        for ns in (self.client_ns, self.server_ns):
            if ns in _live or ns in list_namespaces():
                delete_namespace(ns)

    # -------------------------------------------------------- test knobs

    def add_client_ip(self, ip):
        """A second source address on the client veth."""
        sh(["ip", "-n", self.client_ns, "addr", "add",
            "%s/%d" % (ip, PREFIXLEN), "dev", self.client_if])
        self.extra_client_ips.append(ip)

    def add_loss(self, percent, table="dptloss"):
        """Drop `percent`% of UDP between client and server, at random, in
        each direction, on the client's veth (nftables numgen, netdev
        ingress and egress hooks). A drop at the egress hook is silent; an
        inet output chain would fail the sender's sendto() with EPERM.
        Kernels without netdev egress (before 5.16) get the client-bound
        drop in the client namespace's input and the server-bound one in
        the server namespace's input (socket backend only)."""
        args = {"t": table, "dev": self.client_if, "ip": self.server_ip,
                "p": percent}
        rules = (
            "table netdev %(t)s {\n"
            " chain to_server {\n"
            "  type filter hook egress device \"%(dev)s\" priority 0;"
            " policy accept;\n"
            "  ip daddr %(ip)s meta l4proto udp"
            " numgen random mod 100 < %(p)d counter drop\n"
            " }\n"
            " chain to_client {\n"
            "  type filter hook ingress device \"%(dev)s\" priority 0;"
            " policy accept;\n"
            "  ip saddr %(ip)s meta l4proto udp"
            " numgen random mod 100 < %(p)d counter drop\n"
            " }\n"
            "}\n" % args)
        p = sh(["ip", "netns", "exec", self.client_ns, "nft", "-f", "-"],
               input=rules, check=False)
        if p.returncode == 0:
            self.nft_tables.append((self.client_ns, "netdev", table))
            return
        if self.backend == "afpacket":
            raise TopologyError("nft netdev egress refused: %s"
                                % p.stderr.strip())
        for ns, chain, match in (
                (self.client_ns, "to_client", "ip saddr %(ip)s"),
                (self.server_ns, "to_server", "ip daddr %(ip)s")):
            if chain == "to_server":
                match = "ip saddr %s ip daddr %s" % (self.client_ip,
                                                     self.server_ip)
            else:
                match = match % args
            sh(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=(
                "table inet %s {\n chain %s {\n"
                "  type filter hook input priority 0; policy accept;\n"
                "  %s meta l4proto udp numgen random mod 100 < %d"
                " counter drop\n }\n}\n" % (table, chain, match, percent)))
            self.nft_tables.append((ns, "inet", table))

    def loss_counters(self):
        """{'to_server': packets dropped, 'to_client': packets dropped}."""
        got = {}
        for ns, family, table in self.nft_tables:
            p = sh(["ip", "netns", "exec", ns, "nft", "list", "table",
                    family, table])
            chain = None
            for line in p.stdout.splitlines():
                m = re.match(r"\s*chain (\w+)", line)
                if m:
                    chain = m.group(1)
                m = re.search(r"counter packets (\d+)", line)
                if m and chain:
                    got[chain] = got.get(chain, 0) + int(m.group(1))
        return got

    def describe(self):
        return ("pair %s(%s %s) <-> %s(%s %s) backend %s" % (
            self.server_ns, self.server_if,
            "no ip" if self.backend == "afpacket" else self.server_ip,
            self.client_ns, self.client_if, self.client_ip, self.backend))
