# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Link: dptftpd over a Linux interface fails loudly, not in silence.

On AF_PACKET and AF_XDP the interface is brought up at the start (or the
start refused, in one line); `show port info` says the kernel's link
state, and a link that goes down is logged; a run of UDP checksum drops
(a peer with checksum offload on) is warned about once, naming the fix;
an --ip the kernel also holds is warned about at the start.
"""

import subprocess

from dts.framework.console import Console, keyvals, socket_path
from dts.framework.netns import ns_argv
from dts.framework.suite import TestSuite, backends, requires, timeout
from dts.framework.topology import PREFIXLEN, sh

KERNEL = ("afpacket", "xdp")


class TestLink(TestSuite):
    """Link: the kernel interface under AF_PACKET and AF_XDP."""

    def _srv_ip(self, *args):
        return sh(["ip", "-n", self.topo.server_ns] + list(args))

    def _cli_ns(self, *argv):
        return sh(ns_argv(self.topo.client_ns, list(argv)))

    def _wait_text(self, srv, text, secs=5.0, stderr=True):
        return self.eventually(
            lambda: text in (srv.stderr_text() if stderr else
                             srv.stdout_text()),
            "the server saying %r" % text, timeout=secs, fail=False)

    @requires("cli")
    @backends(*KERNEL)
    @timeout(60)
    def test_down_interface_brought_up(self):
        """Steps: set the server's veth down; start dptftpd on it; fetch
        f64K.bin.
        Verifies: dptftpd says it brought the interface up; the kernel
        has it up; the download is byte-exact."""
        self._srv_ip("link", "set", self.topo.server_if, "down")
        srv = self.start_server()
        self.check("%s: the interface was down: brought it up"
                   % self.topo.server_if in srv.stderr_text(),
                   "no 'brought it up' line")
        p = self._srv_ip("link", "show", self.topo.server_if)
        self.check(",UP" in p.stdout or "<UP" in p.stdout,
                   "interface flags: %s" % p.stdout)
        self.fetch_stdlib("f64K.bin")
        self.stop_server(srv)

    @requires("cli")
    @backends(*KERNEL)
    @timeout(60)
    def test_down_interface_refused(self):
        """Steps: set the server's veth down; start dptftpd without
        CAP_NET_ADMIN (setpriv --bounding-set -net_admin).
        Verifies: exit 2, one line on stderr naming the interface, that
        it is down and the fix."""
        self._srv_ip("link", "set", self.topo.server_if, "down")
        srv = self.new_server()
        argv = ns_argv(self.topo.server_ns,
                       ["setpriv", "--bounding-set", "-net_admin", "--"] +
                       srv.argv({}))
        self.log("run: " + " ".join(argv))
        p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        self.log("rc %d\n%s%s" % (p.returncode, p.stdout, p.stderr))
        ours = [l for l in p.stderr.splitlines() if l.startswith("dptftpd: ")]
        self.check_eq(p.returncode, 2, "exit status")
        self.check(len(ours) == 1 and "the interface is down and cannot be "
                   "brought up" in ours[0] and "ip link set %s up"
                   % self.topo.server_if in ours[0],
                   "stderr: %r" % p.stderr[-400:])

    @requires("cli")
    @backends(*KERNEL)
    @timeout(60)
    def test_link_state(self):
        """Steps: start dptftpd with a console socket; `show port info 0`;
        set the client's veth down (the server's loses its carrier); wait;
        `show port info 0`; set it up again.
        Verifies: Link: up, then "down (no carrier)" and a warning in the
        log ("link down (no carrier)"), then up again with a notice
        ("link up")."""
        path = socket_path(self.topo)
        srv = self.start_server(console_socket=path)
        with Console(path, log=self.log) as c:
            self.check_eq(keyvals(c.cmd("show port info 0")).get(
                "Port 0 Link"), "up", "Link at start")
            self._cli_ns("ip", "link", "set", self.topo.client_if, "down")
            self.check(self._wait_text(srv, "%s: link down (no carrier)"
                                       % self.topo.server_if),
                       "no 'link down' warning")
            self.check_eq(keyvals(c.cmd("show port info 0")).get(
                "Port 0 Link"), "down (no carrier)", "Link, peer down")
            self._cli_ns("ip", "link", "set", self.topo.client_if, "up")
            self.check(self._wait_text(srv, "%s: link up"
                                       % self.topo.server_if),
                       "no 'link up' notice")
            self.check_eq(keyvals(c.cmd("show port info 0")).get(
                "Port 0 Link"), "up", "Link, peer up again")
        self.stop_server(srv)

    @requires("cli")
    @backends(*KERNEL)
    @timeout(60)
    def test_checksum_offload_warned(self):
        """Steps: start dptftpd with a console socket; turn TX checksum
        offload on at the client's veth (ethtool -K dcli0 tx on); send 20
        requests over 4 s; `set log-level port debug`; 5 more.
        Verifies: the requests are dropped (Drop-udp-csum grows) and one
        warning names the peer's checksum offload and `ethtool -K PEER tx
        off`, however many drops follow; at debug level a line says what
        was dropped (udp-csum N)."""
        path = socket_path(self.topo)
        srv = self.start_server(console_socket=path)
        self._cli_ns("ethtool", "-K", self.topo.client_if, "tx", "on")
        cli = self.tftp()
        for _ in range(20):
            cli.send_raw(b"\x00\x01f1.bin\x00octet\x00", wait=0.2)
        self.check(self._wait_text(srv, "checksum offload on"),
                   "no checksum warning")
        with Console(path, log=self.log) as c:
            c.cmd("set log-level port debug")
            for _ in range(5):
                cli.send_raw(b"\x00\x01f1.bin\x00octet\x00", wait=0.2)
            self.check(self._wait_text(srv, "dropped since the last look: "
                                       "udp-csum"), "no port debug line")
            drops = int(keyvals(c.cmd("show port stats 0")).get(
                "Port 0 Drop-udp-csum", "0"))
        self._cli_ns("ethtool", "-K", self.topo.client_if, "tx", "off")
        self.check(drops >= 20, "Drop-udp-csum %d < 20" % drops)
        warns = srv.stderr_text().count("checksum offload on")
        self.check_eq(warns, 1, "checksum warnings")
        self.check("ethtool -K PEER tx off" in srv.stderr_text(),
                   "the warning names the fix")
        self.stop_server(srv)

    @requires("cli")
    @backends(*KERNEL)
    @timeout(60)
    def test_checksum_offload_slow_client(self):
        """Steps: start dptftpd; turn TX checksum offload on at the
        client's veth; send one RRQ every 2 s for 14 s, as a PXE client
        retries (never 3 drops within one second's look).
        Verifies: exactly one warning naming the peer's checksum offload
        and `ethtool -K PEER tx off`, within the first few requests;
        no download ever got a reply."""
        srv = self.start_server()
        self._cli_ns("ethtool", "-K", self.topo.client_if, "tx", "on")
        cli = self.tftp()
        replies = []
        for _ in range(7):
            replies += cli.send_raw(b"\x00\x01f64K.bin\x00octet\x00",
                                    wait=2.0)
        self._cli_ns("ethtool", "-K", self.topo.client_if, "tx", "off")
        self.check_eq(replies, [], "replies to requests with bad checksums")
        warns = srv.stderr_text().count("checksum offload on")
        self.check_eq(warns, 1, "checksum warnings")
        self.check("ethtool -K PEER tx off" in srv.stderr_text(),
                   "the warning names the fix")
        self.stop_server(srv)

    @requires("cli")
    @backends(*KERNEL)
    @timeout(60)
    def test_kernel_holds_ip(self):
        """Steps: give the server's veth the kernel address 10.99.0.1/24
        (the --ip dptftpd claims); start dptftpd.
        Verifies: a warning at the start names the address, the
        interface and `ip addr del 10.99.0.1/24 dev dsrv0`."""
        self._srv_ip("addr", "add", "%s/%d" % (self.topo.server_ip,
                                               PREFIXLEN),
                     "dev", self.topo.server_if)
        srv = self.start_server()
        want = "ip addr del %s/%d dev %s" % (self.topo.server_ip, PREFIXLEN,
                                             self.topo.server_if)
        self.check("the kernel also holds %s" % self.topo.server_ip
                   in srv.stderr_text() and want in srv.stderr_text(),
                   "no warning naming %r: %r" % (want,
                                                  srv.stderr_text()[-400:]))
        self.stop_server(srv)

    @requires("cli")
    @backends("afpacket", "xdp", "tap")
    @timeout(60)
    def test_port_counters_frames(self):
        """Steps: start dptftpd with a console socket; fetch f64K.bin;
        `show port stats 0`, `show config`.
        Verifies: RX and TX count the same unit, whole frames: RX-bytes
        is at least 46 bytes (an ACK's frame) a frame received, TX-bytes more than the
        65536 bytes served plus 42 bytes of headers a frame sent; show
        config gives the interface the MTU the port runs (1500), not 0;
        no stray DPDK line (USER1: rte_ip_frag_table_create) at start."""
        path = socket_path(self.topo)
        srv = self.start_server(console_socket=path)
        self.fetch_stdlib("f64K.bin")
        with Console(path, log=self.log) as c:
            ps = keyvals(c.cmd("show port stats 0"))
            conf = c.cmd("show config")
        rx_p, rx_b = int(ps["Port 0 RX-packets"]), int(ps["Port 0 RX-bytes"])
        tx_p, tx_b = int(ps["Port 0 TX-packets"]), int(ps["Port 0 TX-bytes"])
        # an ACK is 46 bytes on a veth (14 + 20 + 8 + 4, no padding)
        self.check(rx_p >= 130 and rx_b >= 46 * rx_p,
                   "RX %d frames, %d bytes" % (rx_p, rx_b))
        self.check(tx_p >= 129 and tx_b >= 65536 + 42 * tx_p,
                   "TX %d frames, %d bytes" % (tx_p, tx_b))
        self.check(" mtu 1500 " in conf, "show config: %r" % conf)
        out = srv.stdout_text() + srv.stderr_text()
        self.check("USER1" not in out and "rte_ip_frag" not in out,
                   "stray DPDK line: %r" % out[:300])
        self.stop_server(srv)
