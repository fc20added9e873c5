# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Network namespaces and the link between them, made by the tests, always
removed.

Topology "pair", for backends socket, afpacket and xdp:

    ns dpt-srv-<run>                      ns dpt-cli-<run>
    +------------------+   veth pair      +--------------------+
    | dsrv0 10.99.0.1  |------------------| dcli0 10.99.0.2/24 |
    | lo up            |                  | lo up, tx csum off |
    +------------------+                  +--------------------+

With backend "afpacket" the server-side veth keeps no IP: dptftpd owns the
address itself (--iface dsrv0 --ip 10.99.0.1/24) and answers ARP. Backend
"xdp" is the same with AF_XDP (--xdp auto: copy mode on a veth).

With backend "tap" there is no veth: dptftpd, started in the server
namespace with `--vdev net_tap0,iface=dtap0`, makes the link itself. Once
it is ready, attach_tap() moves the kernel side, dtap0, into the client
namespace, where it gets its own MAC (net_tap gives the kernel side the
port's MAC; a peer with our own MAC would be ignored), 10.99.0.2/24 and
TX checksum offload off. When that dptftpd exits, dtap0 goes with it; the
next one's is attached the same way, with the same settings.

Settings a case may change: a second client address (add_client_ip), an
802.1Q VLAN between the two (use_vlan: the client address moves to a VLAN
sub-interface, dcli0.100, and dptftpd gets --vlan), IPv6 (use_ipv6:
fd00:99::2/64 on the client, fd00:99::1/64 for the server, and dptftpd
gets --ip6), the MTU of both ends (set_mtu), packet loss (add_loss). A
kernel without 802.1Q support gets the sub-interface from vlantag.py
instead: a tap device with the same name and a relay that adds and removes
the tag.

Every name starts with "dpt-" and carries the pid of the run that made it,
so a later run can recognise and remove what a crashed run left behind.
Nothing here touches the host's own interfaces; all traffic stays between
the two namespaces.
"""

import atexit
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

from .netns import ns_argv

PREFIX = "dpt-"
SERVER_IP = "10.99.0.1"
CLIENT_IP = "10.99.0.2"
CLIENT_IP2 = "10.99.0.3"
PREFIXLEN = 24
SERVER_IP6 = "fd00:99::1"
CLIENT_IP6 = "fd00:99::2"
PREFIXLEN6 = 64
SERVER_IF = "dsrv0"
CLIENT_IF = "dcli0"
TAP_IF = "dtap0"                # the kernel side of dptftpd's net_tap0
TAP_PORT = "net_tap0"           # its DPDK name
CLIENT_TAP_MAC = "02:00:0a:63:00:02"
DPDK_RUN_DIR = "/var/run/dpdk"  # EAL's runtime folders, by --file-prefix
VLANTAG = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "vlantag.py")

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
        remove_run_dir(ns)
        gone.append(ns)
    return gone


def _link_mac(ns, ifname):
    """aa:bb:cc:dd:ee:ff of interface `ifname` in namespace `ns`."""
    p = sh(["ip", "-n", ns, "-o", "link", "show", ifname])
    m = re.search(r"link/ether ([0-9a-f:]{17})", p.stdout)
    if not m:
        raise TopologyError("no MAC for %s in %s: %r" % (ifname, ns,
                                                        p.stdout))
    return m.group(1)


def remove_run_dir(prefix):
    """EAL's runtime folder for --file-prefix `prefix` (dptftpd's
    --instance, or the tap backend's EAL arguments)."""
    shutil.rmtree(os.path.join(DPDK_RUN_DIR, prefix), ignore_errors=True)


def remove_all_live():
    """atexit and signal path: remove every namespace this run made."""
    for ns in list(_live):
        try:
            delete_namespace(ns)
        except Exception:
            pass


atexit.register(remove_all_live)


class Topology:
    """Two namespaces and the link between them. A context manager.

    backend: "socket" (the server-side veth holds SERVER_IP), "afpacket"
    (it holds no IP; the server claims it on its own) or "tap" (no veth:
    the server's net_tap port is the link, see attach_tap)."""

    def __init__(self, backend="socket", mtu=1500):
        _seq[0] += 1
        tag = "%d-%d" % (os.getpid(), _seq[0])
        self.backend = backend
        self.mtu = mtu
        self.server_ns = PREFIX + "srv-" + tag
        self.client_ns = PREFIX + "cli-" + tag
        self.server_ip = SERVER_IP
        self.client_ip = CLIENT_IP
        if backend == "tap":
            self.server_if = TAP_PORT
            self.client_if = TAP_IF
        else:
            self.server_if = SERVER_IF
            self.client_if = CLIENT_IF
        self.extra_client_ips = []
        self.server_ip6 = None      # IPv6, once use_ipv6() is called
        self.client_ip6 = None
        self.vlan = None            # 802.1Q id between client and server
        self.vlan_how = None        # "kernel" or "vlantag.py"
        self.linked = False         # the client side of the link exists
        self.nft_tables = []
        self._tagger = None         # the vlantag.py process
        self._tap_mac = None        # net_tap0's MAC, seen on dtap0

    @property
    def client_dev(self):
        """The client interface holding the client addresses."""
        if self.vlan is None:
            return self.client_if
        return "%s.%d" % (self.client_if, self.vlan)

    def __enter__(self):
        try:
            self.create()
        except BaseException:
            self.destroy()
            raise
        return self

    def __exit__(self, *exc):
        self.destroy()

    def _cli(self, *args, check=True):
        return sh(["ip", "-n", self.client_ns] + list(args), check=check)

    def create(self):
        for ns in (self.server_ns, self.client_ns):
            sh(["ip", "netns", "add", ns])
            _live.add(ns)
            sh(["ip", "-n", ns, "link", "set", "lo", "up"])
        if self.backend == "tap":
            return          # the link comes with the server: attach_tap()
        sh(["ip", "link", "add", self.server_if, "netns", self.server_ns,
            "mtu", str(self.mtu), "type", "veth", "peer", "name",
            self.client_if, "netns", self.client_ns, "mtu", str(self.mtu)])
        if self.backend == "socket":
            sh(["ip", "-n", self.server_ns, "addr", "add",
                "%s/%d" % (self.server_ip, PREFIXLEN), "dev", self.server_if])
        sh(["ip", "-n", self.server_ns, "link", "set", self.server_if, "up"])
        self._set_up_client()

    def _set_up_client(self):
        """The client end of the link: MTU, offloads, addresses, up."""
        self._cli("link", "set", self.client_if, "mtu", str(self.mtu))
        # The app would otherwise see partial checksums on AF_PACKET.
        sh(["ip", "netns", "exec", self.client_ns, "ethtool", "-K",
            self.client_if, "tx", "off"])
        self._cli("link", "set", self.client_if, "up")
        if self.vlan is not None:
            self._add_vlan_dev()
        self._add_client_addrs()
        self.linked = True

    def _add_client_addrs(self):
        for ip in [self.client_ip] + self.extra_client_ips:
            self._cli("addr", "add", "%s/%d" % (ip, PREFIXLEN), "dev",
                      self.client_dev)
        if self.client_ip6 is not None:
            # nodad: usable at once, no second of duplicate detection.
            self._cli("addr", "add", "%s/%d" % (self.client_ip6, PREFIXLEN6),
                      "dev", self.client_dev, "nodad")

    def _add_vlan_dev(self):
        dev = self.client_dev
        p = self._cli("link", "add", "link", self.client_if, "name", dev,
                      "type", "vlan", "id", str(self.vlan), check=False)
        if p.returncode == 0:
            self.vlan_how = "kernel"
            sh(["ip", "netns", "exec", self.client_ns, "ethtool", "-K", dev,
                "tx", "off"], check=False)
        else:
            self._start_tagger(dev, p.stderr.strip())
            self.vlan_how = "vlantag.py"
            self._cli("link", "set", dev, "address", self.client_mac())
        self._cli("link", "set", dev, "mtu", str(self.mtu))
        self._cli("link", "set", dev, "up")

    def _start_tagger(self, dev, why):
        """vlantag.py in the client namespace, making `dev`."""
        self._stop_tagger()
        argv = ns_argv(self.client_ns, [sys.executable, VLANTAG,
                                        self.client_if, str(self.vlan), dev])
        self._tagger = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        r, _, _ = select.select([self._tagger.stdout], [], [], 10)
        line = self._tagger.stdout.readline() if r else b""
        if line.strip() != b"ready":
            self._stop_tagger()
            raise TopologyError("no kernel VLAN device (%s), and vlantag.py "
                                "did not start" % why)

    def _stop_tagger(self):
        if self._tagger is not None:
            self._tagger.kill()
            self._tagger.wait()
            self._tagger = None

    def attach_tap(self):
        """Tap backend, once dptftpd is ready: move its kernel side into
        the client namespace and set it up there. (A no-op otherwise.)"""
        if self.backend != "tap":
            return
        self.linked = False
        self._stop_tagger()
        # The last server's dtap0 may still be going away.
        for _ in range(50):
            if self._cli("link", "show", TAP_IF, check=False).returncode:
                break
            time.sleep(0.1)
        self._tap_mac = _link_mac(self.server_ns, TAP_IF)
        sh(["ip", "-n", self.server_ns, "link", "set", TAP_IF, "netns",
            self.client_ns])
        self._cli("link", "set", TAP_IF, "address", CLIENT_TAP_MAC)
        self._set_up_client()

    def detach_tap(self):
        """Tap backend, once dptftpd has exited: its dtap0 is gone."""
        if self.backend == "tap":
            self.linked = False
            self._stop_tagger()

    def server_mac(self):
        """The MAC the server answers from: the server veth's, or for the
        tap backend net_tap0's (which dtap0 had until attach_tap)."""
        if self.backend == "tap":
            return self._tap_mac
        return _link_mac(self.server_ns, self.server_if)

    def client_mac(self):
        return _link_mac(self.client_ns, self.client_if)

    def destroy(self):
        self._stop_tagger()
        for ns in (self.client_ns, self.server_ns):
            if ns in _live or ns in list_namespaces():
                delete_namespace(ns)
        remove_run_dir(self.server_ns)   # dptftpd's EAL prefix, if any

    # -------------------------------------------------------- test knobs

    def add_client_ip(self, ip):
        """A second source address on the client interface."""
        self.extra_client_ips.append(ip)
        if self.linked:
            self._cli("addr", "add", "%s/%d" % (ip, PREFIXLEN), "dev",
                      self.client_dev)

    def use_vlan(self, vid):
        """Put client and server on 802.1Q VLAN `vid`: the client
        addresses move to the sub-interface CLIENT_IF.VID; dptftpd, started
        after this, gets --vlan VID."""
        if self.vlan is not None:
            raise TopologyError("already on VLAN %d" % self.vlan)
        if self.linked:
            self._cli("addr", "flush", "dev", self.client_if)
        self.vlan = vid
        if self.linked:
            self._add_vlan_dev()
            self._add_client_addrs()

    def use_ipv6(self):
        """IPv6 between client and server: CLIENT_IP6/64 on the client
        interface (the VLAN one, with use_vlan), SERVER_IP6/64 for the
        server (dptftpd, started after this, gets --ip6; the socket
        backend's veth gets the address). On the afpacket veth the server
        namespace's kernel gets no IPv6 at all: its link-local address
        would be dptftpd's (both come from the veth's MAC), and it would
        answer for it (port unreachable to TFTP requests, duplicate echo
        replies)."""
        if self.client_ip6 is not None:
            return
        self.server_ip6, self.client_ip6 = SERVER_IP6, CLIENT_IP6
        if self.backend in ("afpacket", "xdp"):
            sh(["ip", "netns", "exec", self.server_ns, "sysctl", "-qw",
                "net.ipv6.conf.%s.disable_ipv6=1" % self.server_if])
        elif self.backend == "socket":
            sh(["ip", "-n", self.server_ns, "addr", "add",
                "%s/%d" % (self.server_ip6, PREFIXLEN6), "dev",
                self.server_if, "nodad"])
        if self.linked:
            self._cli("addr", "add", "%s/%d" % (self.client_ip6, PREFIXLEN6),
                      "dev", self.client_dev, "nodad")

    def wait_ipv6_ready(self, timeout=5.0):
        """Wait until no IPv6 address of the client interface is still
        tentative (its link-local one goes through duplicate address
        detection, about a second); True if none is left."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            p = self._cli("-6", "addr", "show", "dev", self.client_dev,
                          "tentative", check=False)
            if p.returncode == 0 and not p.stdout.strip():
                return True
            time.sleep(0.1)
        return False

    def set_mtu(self, mtu):
        """The MTU of both ends (dptftpd, started after this, gets
        --mtu MTU)."""
        self.mtu = mtu
        if self.backend != "tap":
            sh(["ip", "-n", self.server_ns, "link", "set", self.server_if,
                "mtu", str(mtu)])
        if self.linked:
            self._cli("link", "set", self.client_if, "mtu", str(mtu))
            if self.vlan is not None:
                self._cli("link", "set", self.client_dev, "mtu", str(mtu))

    def add_loss(self, percent, table="dptloss"):
        """Drop `percent`% of UDP between client and server, at random, in
        each direction, on the client's veth (nftables numgen, netdev
        ingress and egress hooks). A drop at the egress hook is silent; an
        inet output chain would fail the sender's sendto() with EPERM.
        Kernels without netdev egress (before 5.16) get the client-bound
        drop in the client namespace's input and the server-bound one in
        the server namespace's input (socket backend only)."""
        if not self.linked:
            raise TopologyError("add_loss: the client interface does not "
                                "exist yet (tap: start the server first)")
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
        if self.backend != "socket":
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
        text = "pair %s(%s %s) <-> %s(%s %s) backend %s" % (
            self.server_ns, self.server_if,
            self.server_ip if self.backend == "socket" else "no ip",
            self.client_ns, self.client_if, self.client_ip, self.backend)
        if self.backend == "tap":
            text += " (the client side comes with the server)"
        return text
