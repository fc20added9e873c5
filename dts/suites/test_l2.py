# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""L2: what dptftpd's own network stack answers on an ethdev port.

With the afpacket and tap backends the kernel of the server namespace holds
no address: ARP, ICMP echo, ICMP port unreachable, 802.1Q tags and
checksums are dptftpd's (lib/net, docs/net.md), and so are IPv6, Neighbor
Discovery and ICMPv6 once the topology has IPv6 (fd00:99::1/64 for the
server, fd00:99::2/64 for the client). The client side is the kernel and
its tools: ping, arping, ip neigh, a UDP socket, curl. Counters come from
the `Port 0 ...` lines dptftpd prints when it stops (or its console). A
port with several RX queues (--rx-queues) is served the same. On the
socket backend the kernel answers all this, so the suite is skipped there.
"""

import os
import re
import socket

from dts.framework.clienttools import UNUSED_PORT, ClientTools
from dts.framework.console import Console, keyvals, socket_path
from dts.framework.files import CONCURRENT
from dts.framework.frames import (ALL_NODES_MAC, ARP_REQUEST, BROADCAST, Arp,
                                  Advert, PacketSocket, arp_request,
                                  link_local, mac_bytes, mac_text)
from dts.framework.outcome import StartFailure
from dts.framework.suite import TestSuite, backends, params, timeout
from dts.framework.tftpclient import OP_DATA, TftpClient

ETHDEV = ("afpacket", "tap", "xdp")
OTHER_IP = "10.99.0.5"          # in the subnet, owned by nobody
VLAN = 100
MTUS = (1280, 9000)


class TestL2(ClientTools, TestSuite):
    """L2: ARP, ICMP, VLAN, MTU, checksums and RX queues on the ethdev
    backends."""

    @backends(*ETHDEV)
    @timeout(40)
    def test_ping(self):
        """Steps: start dptftpd; ping 10.99.0.1 three times from the client
        namespace (ping -c 3); stop dptftpd.
        Verifies: all 3 echoes are answered (the client kernel drops a
        reply with a bad ICMP or IP checksum); `Port 0 ICMP-echo-replies`
        is at least 3."""
        srv = self.start_server()
        answered = self._ping(3)
        result = self.stop_server(srv)
        self.check_eq(answered, 3, "echoes answered")
        replies = result.counter("Port 0 ICMP-echo-replies")
        self.check(replies >= 3, "Port 0 ICMP-echo-replies is %d, want >= 3"
                   % replies)

    @backends(*ETHDEV)
    @timeout(40)
    def test_arping(self):
        """Steps: start dptftpd; arping -c 3 10.99.0.1 on the client
        interface; stop dptftpd.
        Verifies: 3 replies, each from the server port's MAC;
        `Port 0 ARP-replies` is at least 3."""
        srv = self.start_server()
        macs = self._arping(self.topo.server_ip, 3)
        want = self.topo.server_mac()
        result = self.stop_server(srv)
        self.check_eq(len(macs), 3, "arping replies")
        self.check(all(m == want for m in macs), "replies from %s, want "
                   "all from %s" % (sorted(set(macs)), want))
        got = result.counter("Port 0 ARP-replies")
        self.check(got >= 3, "Port 0 ARP-replies is %d, want >= 3" % got)

    @backends(*ETHDEV)
    @timeout(40)
    def test_arp_other_address(self):
        """Steps: start dptftpd (10.99.0.1/24); arping twice for 10.99.0.5,
        an address in the subnet that nobody has; then once for
        10.99.0.1; stop dptftpd.
        Verifies: 10.99.0.5 gets no reply (dptftpd answers for its own
        address only); 10.99.0.1 gets one; `Port 0 ARP-replies` is
        exactly 1."""
        srv = self.start_server()
        other = self._arping(OTHER_IP, 2)
        own = self._arping(self.topo.server_ip, 1)
        result = self.stop_server(srv)
        self.check_eq(other, [], "replies for %s" % OTHER_IP)
        self.check_eq(len(own), 1, "replies for %s" % self.topo.server_ip)
        self.check_eq(result.counter("Port 0 ARP-replies"), 1,
                      "Port 0 ARP-replies")

    @backends("afpacket")
    @timeout(40)
    def test_gratuitous_arp(self):
        """Steps: open a packet socket on the client veth; start dptftpd;
        read what arrives within 3 s.
        Verifies: one gratuitous ARP: a broadcast request, 60 bytes,
        sender and target address 10.99.0.1, sender MAC the server's,
        target MAC zero. (afpacket only: with the tap backend the client
        side joins after the server started.)"""
        with PacketSocket(self.topo.client_ns, self.topo.client_if) as ps:
            self.start_server()

            def garp(vlan, frame):
                a = Arp.parse(frame)
                return a is not None and a.op == ARP_REQUEST and \
                    a.spa == a.tpa == self.topo.server_ip

            frames = ps.receive(3.0, stop=garp)
        arps = [Arp.parse(f) for v, f in frames if garp(v, f)]
        self.check(arps, "no gratuitous ARP within 3 s (got %d other "
                   "frames)" % len(frames))
        a = arps[0]
        self.log("gratuitous ARP: %r" % a)
        self.check_eq(a.dst, BROADCAST, "destination MAC")
        self.check_eq(mac_text(a.sha), self.topo.server_mac(), "sender MAC")
        self.check_eq(a.tha, b"\0" * 6, "target MAC")
        self.check_eq(a.length, 60, "frame length")

    @backends(*ETHDEV)
    @timeout(40)
    def test_udp_port_unreachable(self):
        """Steps: start dptftpd; from a connected UDP socket in the client
        namespace send one datagram to 10.99.0.1 port 9, which nobody
        serves, and wait for an answer; then fetch f513.bin; stop dptftpd.
        Verifies: the socket's recv() fails with ECONNREFUSED (the kernel
        matched an ICMP port unreachable quoting our datagram to it); the
        server still serves; `Port 0 ICMP-unreachable` is at least 1."""
        srv = self.start_server()
        outcome = self.udp_probe(socket.AF_INET, self.topo.server_ip)
        self.log("UDP to port %d: %s" % (UNUSED_PORT, outcome))
        self.fetch_stdlib("f513.bin")
        result = self.stop_server(srv)
        self.check_eq(outcome, "refused", "answer to UDP port %d"
                      % UNUSED_PORT)
        got = result.counter("Port 0 ICMP-unreachable")
        self.check(got >= 1, "Port 0 ICMP-unreachable is %d, want >= 1"
                   % got)

    @backends(*ETHDEV)
    @timeout(60)
    def test_vlan(self):
        """Steps: move the client address to a VLAN 100 sub-interface of
        the client link (dcli0.100; the kernel's VLAN device, or
        vlantag.py where the kernel has none); start dptftpd with
        --vlan 100 on the untagged link; fetch f1M.bin with curl and
        f64K.bin with the stdlib client (blksize 1024, windowsize 4);
        ping three times; stop dptftpd.
        Verifies: both files are byte-exact and all 3 echoes answered
        (dptftpd drops untagged frames on a VLAN interface, so nothing
        passes unless both sides tag with 100); `Port 0
        ICMP-echo-replies` is at least 3."""
        self.topo.use_vlan(VLAN)
        self.log("VLAN %d on %s (%s)" % (VLAN, self.topo.client_dev,
                                         self.topo.vlan_how or "later"))
        srv = self.start_server()
        self.fetch("curl", "f1M.bin")
        self.fetch_stdlib("f64K.bin", [("blksize", 1024), ("windowsize", 4)])
        answered = self._ping(3)
        result = self.stop_server(srv)
        self.check_eq(answered, 3, "echoes answered on VLAN %d" % VLAN)
        replies = result.counter("Port 0 ICMP-echo-replies")
        self.check(replies >= 3, "Port 0 ICMP-echo-replies is %d, want >= 3"
                   % replies)

    @backends(*ETHDEV)
    @timeout(40)
    def test_vlan_other_tags_dropped(self):
        """Steps: start dptftpd with --vlan 100 (client on dcli0.100); from
        a packet socket on the untagged client link send ARP who-has
        10.99.0.1 untagged, tagged VLAN 200 and priority-tagged (VLAN 0);
        wait 1 s; then send it tagged VLAN 100; stop dptftpd.
        Verifies: the first three get no reply; the VLAN 100 one gets a
        reply tagged 100; `Port 0 ARP-replies` is 1 and `Port 0 Drop-vlan`
        at least 3."""
        self.topo.use_vlan(VLAN)
        srv = self.start_server()
        mac = mac_bytes(self.topo.client_mac())
        ip, target = self.topo.client_ip, self.topo.server_ip
        with PacketSocket(self.topo.client_ns, self.topo.client_if) as ps:
            for vlan in (None, 200, 0):
                ps.send(arp_request(mac, ip, target, vlan))
            wrong = self._arp_replies(ps.receive(1.0))
            ps.send(arp_request(mac, ip, target, VLAN))
            frames = ps.receive(3.0, stop=lambda v, f: bool(
                self._arp_replies([(v, f)])))
        right = [(v, f) for v, f in frames if self._arp_replies([(v, f)])]
        result = self.stop_server(srv)
        self.check_eq(wrong, [], "replies to ARP untagged, on VLAN 200 "
                      "and on VLAN 0")
        self.check(right, "no reply to ARP on VLAN %d" % VLAN)
        self.check_eq(right[0][0], VLAN, "VLAN of the reply")
        self.check_eq(result.counter("Port 0 ARP-replies"), 1,
                      "Port 0 ARP-replies")
        drops = result.counter("Port 0 Drop-vlan")
        self.check(drops >= 3, "Port 0 Drop-vlan is %d, want >= 3" % drops)

    @backends(*ETHDEV)
    @params(*MTUS)
    @timeout(60)
    def test_mtu(self, mtu):
        """Steps: set the MTU of both ends to MTU (1280, below Ethernet's
        1500; 9000, jumbo frames); start dptftpd with --mtu MTU; fetch
        f1M.bin with curl --tftp-blksize MTU-32; fetch it with the stdlib
        client asking blksize 65464; ping with MTU-28 bytes of data and
        don't-fragment (one packet of exactly MTU bytes).
        Verifies: both downloads are byte-exact; the stdlib client's OACK
        grants exactly MTU-32 (the largest DATA that fits a packet) and
        its DATA blocks carry that much; the full-size echo is answered.
        Skipped when the PMD refuses frames that large (DPDK 22.11's
        net_af_packet and net_tap stop at 1518 and 1522 bytes,
        net_af_xdp at an MTU of 3542)."""
        self.topo.set_mtu(mtu)
        try:
            srv = self.start_server()
        except StartFailure:
            m = re.search(r"Frame size \(\d+\) > device max frame size "
                          r"\(\d+\)|MTU \(\d+\) > device max MTU \(\d+\)",
                          self._servers[-1].stderr_text())
            if m:
                self.skip("the PMD takes no frame this large: %s"
                          % m.group(0))
            raise
        most = mtu - 32
        self.fetch("curl", "f1M.bin", blksize=most)
        res = self.fetch_stdlib("f1M.bin", [("blksize", 65464)])
        self.check(res.oack is not None, "no OACK; first reply %r"
                   % res.first)
        self.check_eq(res.oack.options, [("blksize", str(most))], "OACK")
        self.check_eq(res.blksize, most, "block size used")
        sizes = {len(p.payload) for p in res.packets
                 if p.opcode == OP_DATA}
        self.check(max(sizes) == most, "DATA payloads %s, want %d"
                   % (sorted(sizes)[-3:], most))
        p = self.client_command(["ping", "-n", "-c", "1", "-W", "2", "-M",
                                 "do", "-s", str(mtu - 28),
                                 self.topo.server_ip])
        self.stop_server(srv)
        self.check_eq(p.returncode, 0, "ping -s %d -M do exit status"
                      % (mtu - 28))

    @backends(*ETHDEV)
    @timeout(60)
    def test_checksums(self):
        """Steps: start dptftpd; fetch f1M.bin with curl and with the
        stdlib client at blksize 1428; ping 3 times; read the client
        kernel's checksum counters before and after; stop dptftpd.
        Verifies: everything arrives (byte-exact, 3 echoes); the client
        kernel counted no IP, UDP or ICMP checksum error while taking in
        over 2000 datagrams; on the tap backend `Port 0
        TX-checksum-offload` is "ip udp" (net_tap completes what dptftpd
        left to the NIC), elsewhere whatever the port offers, logged."""
        srv = self.start_server()
        before = self._snmp()
        self.fetch("curl", "f1M.bin")
        self.fetch_stdlib("f1M.bin", [("blksize", 1428)])
        answered = self._ping(3)
        after = self._snmp()
        result = self.stop_server(srv)
        self.check_eq(answered, 3, "echoes answered")
        taken = after["Udp InDatagrams"] - before["Udp InDatagrams"]
        self.check(taken > 2000, "the client took in %d UDP datagrams, "
                   "want > 2000" % taken)
        for key in ("Udp InCsumErrors", "IpExt InCsumErrors",
                    "Icmp InCsumErrors", "Ip InHdrErrors"):
            self.check_eq(after.get(key, 0) - before.get(key, 0), 0,
                          "client %s" % key)
        offload = result.value("Port 0 TX-checksum-offload")
        self.log("Port 0 TX-checksum-offload: %s" % offload)
        if self.env.backend == "tap":
            self.check_eq(offload, "ip udp", "Port 0 TX-checksum-offload")

    @backends("xdp")
    @timeout(60)
    def test_xdp_mode(self):
        """Steps: start dptftpd --xdp auto with a console; read `show port
        info 0`; fetch f1M.bin with curl, then with dptftp-bench 128
        times, 64 at once (blksize 1468, windowsize 16: a thousand frames
        in flight, every mbuf of the pool in use in turn); stop it; then
        start it with --xdp zero-copy.
        Verifies: the port runs net_af_xdp, one XDP socket in copy mode
        (a veth has no AF_XDP zero-copy), asked auto, no busy polling;
        every download is byte-exact, and the kernel refused no
        descriptor of ours (`XDP-tx-invalid`,
        `XDP-rx-invalid` and `XDP-rx-dropped` 0: every mbuf lies inside
        the UMEM net_af_xdp made of the pool); with no bpffs in the
        namespace one
        `dptftp.port:` line says so at start; --xdp zero-copy is refused
        before ready, in one line naming the interface and the copy mode
        that would run, and exits 2."""
        self.require("cli")
        path = socket_path(self.topo)
        srv = self.start_server(console_socket=path)
        with Console(path, log=self.log) as con:
            info = keyvals(con.cmd("show port info 0"))
        self.fetch("curl", "f1M.bin")
        bench = os.path.join(self.env.build, "app", "dptftp-bench",
                             "dptftp-bench")
        p = self.client_command([bench, "--server", self.topo.server_ip,
                                 "--get", "f1M.bin", "--blksize", "1468",
                                 "--windowsize", "16", "--count", "128",
                                 "-c", "64", "--verify-dir", self.files.root,
                                 "--rto", "300ms", "--retries", "3",
                                 "--progress", "never"], timeout=40)
        res = self.stop_server(srv)
        self.check_eq(p.returncode, 0, "dptftp-bench's exit status (128 "
                      "verified downloads)")
        for key in ("XDP-tx-invalid", "XDP-rx-invalid", "XDP-rx-dropped"):
            self.check_eq(res.counter("Port 0 " + key), 0, "Port 0 " + key)
        want = {"Port 0 Driver": "net_af_xdp", "Port 0 XDP-mode": "copy",
                "Port 0 XDP-asked": "auto", "Port 0 XDP-sockets": "1",
                "Port 0 XDP-busy-poll": "0"}
        self.check_eq({k: info.get(k) for k in want}, want,
                      "show port info 0")
        if info.get("Port 0 XDP-dispatcher") != "libxdp":
            self.check("dptftp.port: --iface %s --xdp: no bpffs"
                       % self.topo.server_if in srv.stderr_text(),
                       "no line about the missing bpffs")
        try:
            self.start_server(xdp="zero-copy")
        except StartFailure:
            pass
        else:
            self.fail("--xdp zero-copy started on a veth")
        bad = self._servers[-1]
        lines = [ln for ln in bad.stderr_text().splitlines()
                 if ln.startswith("dptftpd: ")]
        self.check(len(lines) == 1 and "--xdp zero-copy" in lines[0] and
                   self.topo.server_if in lines[0] and "copy" in lines[0],
                   "refusal lines: %r" % lines)
        self.check_eq(bad.result.rc, 2, "exit status")

    @backends(*ETHDEV)
    @timeout(180)
    def test_rx_queues(self):
        """Steps: start dptftpd with --rx-queues 2 (net_af_packet: two
        sockets in a fanout group; net_tap: two queues of the tap) and a
        console; read `show port info 0`; download the 20 files c00.bin ..
        c19.bin at once with the stdlib client (20 client ports: 20
        flows); read `show port xstats 0`; stop dptftpd.
        Verifies: `Port 0 RX-queues` is 2 and `Port 0 TX-queues` 1; all 20
        downloads are byte-exact; 20 sessions completed, none failed;
        where the PMD counts per queue (rx_q0_packets, rx_q1_packets),
        both queues took packets: the one RX lcore polls them all."""
        self.require("cli")
        if self.env.backend == "xdp":
            self.skip("AF_XDP binds one socket per queue of the device, "
                      "and the veth has one (a NIC's RSS queues take "
                      "--rx-queues)")
        path = socket_path(self.topo)
        srv = self.start_server(rx_queues=2, console_socket=path)
        with Console(path, log=self.log) as con:
            info = keyvals(con.cmd("show port info 0"))
            self.check_eq(info.get("Port 0 RX-queues"), "2",
                          "Port 0 RX-queues")
            self.check_eq(info.get("Port 0 TX-queues"), "1",
                          "Port 0 TX-queues")
            self.log("Port 0 RSS-hash: %s" % info.get("Port 0 RSS-hash"))
            tftp = self.tftp(timeout=2.0, retries=8)
            results = self.parallel([lambda n=n: tftp.get(n, deadline=120)
                                     for n in CONCURRENT])
            xs = keyvals(con.cmd("show port xstats 0"))
        bad = ["%s: ok=%s %d bytes %s" % (n, r.ok, len(r.data),
                                          r.error or "")
               for n, r in zip(CONCURRENT, results)
               if not r.ok or r.data != self.files.read(n)]
        self.check(not bad, "%d of 20 downloads failed; first: %s"
                   % (len(bad), bad[:1]))
        result = self.stop_server(srv)
        self.check_eq(result.counter("Total sessions-completed"), 20,
                      "Total sessions-completed")
        self.check_eq(result.counter("Total sessions-failed"), 0,
                      "Total sessions-failed")
        per_q = [xs.get("Port 0 rx_q%d_packets" % q) for q in (0, 1)]
        self.log("RX packets per queue: %s" % per_q)
        if None not in per_q:
            self.check(all(int(n) > 0 for n in per_q),
                       "a queue took no packet: rx_q0/rx_q1 %s" % per_q)

    # ---------------------------------------------------------- IPv6

    @backends(*ETHDEV)
    @timeout(60)
    def test_ping6(self):
        """Steps: give both ends IPv6 (client fd00:99::2/64, dptftpd
        --ip6 fd00:99::1/64); start dptftpd; flush the client's neighbour
        table; ping -6 fd00:99::1 three times; read the client's neighbour
        entry for fd00:99::1; stop dptftpd.
        Verifies: all 3 echoes are answered (the client kernel drops a
        reply with a bad ICMPv6 checksum); the client learned the server
        port's MAC for fd00:99::1 (it can only have from dptftpd's neighbor
        advertisement); `Port 0 ND-adverts` >= 1 and `Port 0
        ICMPv6-echo-replies` >= 3."""
        self.topo.use_ipv6()
        srv = self.start_server()
        self._flush_neighbours()
        answered = self._ping6(self.topo.server_ip6)
        mac, state = self._neighbour(self.topo.server_ip6)
        result = self.stop_server(srv)
        self.check_eq(answered, 3, "IPv6 echoes answered")
        self.check_eq(mac, self.topo.server_mac(), "neighbour MAC of %s "
                      "(state %s)" % (self.topo.server_ip6, state))
        self.check(state not in ("FAILED", "INCOMPLETE"), "neighbour state "
                   "%s" % state)
        adverts = result.counter("Port 0 ND-adverts")
        self.check(adverts >= 1, "Port 0 ND-adverts is %d, want >= 1"
                   % adverts)
        replies = result.counter("Port 0 ICMPv6-echo-replies")
        self.check(replies >= 3, "Port 0 ICMPv6-echo-replies is %d, want "
                   ">= 3" % replies)

    @backends(*ETHDEV)
    @timeout(60)
    def test_ping6_link_local(self):
        """Steps: IPv6 on both ends; start dptftpd; wait for the client's
        own link-local address to leave duplicate address detection; ping
        -6 the server's link-local address (fe80:: and the EUI-64 of the
        port's MAC) on the client interface three times; stop dptftpd.
        Verifies: all 3 answered, and the client's neighbour entry for that
        address holds the port's MAC: dptftpd owns the link-local address
        its MAC gives it."""
        self.topo.use_ipv6()
        srv = self.start_server()
        ll = link_local(self.topo.server_mac())
        self.check(self.topo.wait_ipv6_ready(), "client addresses still "
                   "tentative after 5 s")
        self._flush_neighbours()
        answered = self._ping6("%s%%%s" % (ll, self.topo.client_dev))
        mac, state = self._neighbour(ll)
        self.stop_server(srv)
        self.check_eq(answered, 3, "echoes answered by %s" % ll)
        self.check_eq(mac, self.topo.server_mac(), "neighbour MAC of %s "
                      "(state %s)" % (ll, state))

    @backends(*ETHDEV)
    @timeout(90)
    def test_tftp6(self):
        """Steps: IPv6 on both ends; start dptftpd; flush the client's
        neighbour table; read the client's /proc/net/snmp6; fetch f1M.bin
        with curl from tftp://[fd00:99::1]/ and f64K.bin with the stdlib
        client over IPv6 (blksize 1024, windowsize 4); read snmp6 again;
        stop dptftpd.
        Verifies: both files are byte-exact; the client kernel counted no
        UDP6 or ICMPv6 checksum error while taking in over 2000 datagrams;
        the client's neighbour entry for fd00:99::1 is the port's MAC."""
        self.topo.use_ipv6()
        srv = self.start_server()
        self._flush_neighbours()
        before = self._snmp6()
        self._curl6("f1M.bin", self.topo.server_ip6)
        client = TftpClient(self.topo.server_ip6, netns=self.topo.client_ns,
                            cancel=self._cancel)
        self.fetch_stdlib("f64K.bin", [("blksize", 1024),
                                       ("windowsize", 4)], client=client)
        after = self._snmp6()
        mac, state = self._neighbour(self.topo.server_ip6)
        self.stop_server(srv)
        taken = after["Udp6InDatagrams"] - before["Udp6InDatagrams"]
        self.check(taken > 2000, "the client took in %d UDP6 datagrams, "
                   "want > 2000" % taken)
        for key in ("Udp6InCsumErrors", "Icmp6InCsumErrors",
                    "Ip6InHdrErrors"):
            self.check_eq(after.get(key, 0) - before.get(key, 0), 0,
                          "client %s" % key)
        self.check_eq(mac, self.topo.server_mac(), "neighbour MAC of %s "
                      "(state %s)" % (self.topo.server_ip6, state))

    @backends("afpacket")
    @timeout(40)
    def test_unsolicited_advert(self):
        """Steps: IPv6 on both ends; open a packet socket on the client
        veth; start dptftpd; read what arrives within 3 s.
        Verifies: one unsolicited neighbor advertisement: to all-nodes
        (ff02::1 at 33:33:00:00:00:01) from fd00:99::1 and the port's MAC,
        hop limit 255, override set, solicited and router clear, target
        fd00:99::1, and a target link-layer address option with the port's
        MAC. (afpacket only: with the tap backend the client side joins
        after the server started.)"""
        self.topo.use_ipv6()
        with PacketSocket(self.topo.client_ns, self.topo.client_if) as ps:
            self.start_server()

            def advert(vlan, frame):
                a = Advert.parse(frame)
                return a is not None and a.dst == ALL_NODES_MAC

            frames = ps.receive(3.0, stop=advert)
        ads = [Advert.parse(f) for v, f in frames if advert(v, f)]
        self.check(ads, "no unsolicited advertisement within 3 s (got %d "
                   "other frames)" % len(frames))
        a = ads[0]
        mac = mac_bytes(self.topo.server_mac())
        self.log("unsolicited advertisement: %r" % a)
        self.check_eq(mac_text(a.src), self.topo.server_mac(), "source MAC")
        self.check_eq(a.ip_src, self.topo.server_ip6, "source address")
        self.check_eq(a.ip_dst, "ff02::1", "destination address")
        self.check_eq(a.hlim, 255, "hop limit")
        self.check_eq(a.flags, 0x20, "flags (override only)")
        self.check_eq(a.target, self.topo.server_ip6, "target")
        self.check_eq(a.options, b"\x02\x01" + mac, "options")

    @backends(*ETHDEV)
    @timeout(40)
    def test_udp6_port_unreachable(self):
        """Steps: IPv6 on both ends; start dptftpd; from a connected UDP6
        socket in the client namespace send one datagram to [fd00:99::1]
        port 9 and wait for an answer; stop dptftpd.
        Verifies: recv() fails with ECONNREFUSED (the kernel matched an
        ICMPv6 port unreachable quoting our datagram to the socket);
        `Port 0 ICMPv6-unreachable` is at least 1."""
        self.topo.use_ipv6()
        srv = self.start_server()
        outcome = self.udp_probe(socket.AF_INET6, self.topo.server_ip6)
        result = self.stop_server(srv)
        self.check_eq(outcome, "refused", "answer to UDP6 port %d"
                      % UNUSED_PORT)
        got = result.counter("Port 0 ICMPv6-unreachable")
        self.check(got >= 1, "Port 0 ICMPv6-unreachable is %d, want >= 1"
                   % got)

    @backends(*ETHDEV)
    @timeout(60)
    def test_vlan6(self):
        """Steps: VLAN 100 between client and server (dcli0.100) and IPv6
        on both ends; start dptftpd with --vlan 100 --ip6 fd00:99::1/64;
        flush the client's neighbour table; ping -6 fd00:99::1 three times;
        fetch f64K.bin with curl over IPv6; stop dptftpd.
        Verifies: all 3 answered, the file byte-exact, the client's
        neighbour entry the port's MAC: solicitation, advertisement, echo
        and UDP6 all pass tagged 100 both ways."""
        self.topo.use_vlan(VLAN)
        self.topo.use_ipv6()
        srv = self.start_server()
        self._flush_neighbours()
        answered = self._ping6(self.topo.server_ip6)
        self._curl6("f64K.bin", self.topo.server_ip6)
        mac, state = self._neighbour(self.topo.server_ip6)
        self.stop_server(srv)
        self.check_eq(answered, 3, "IPv6 echoes answered on VLAN %d" % VLAN)
        self.check_eq(mac, self.topo.server_mac(), "neighbour MAC of %s "
                      "(state %s)" % (self.topo.server_ip6, state))
