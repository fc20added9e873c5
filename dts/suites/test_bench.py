# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Bench: dptftp-bench drives the server and its figures add up.

The load generator is a measuring instrument: these cases check that what
it reports is what happened on the wire and on disk, with both of its
backends. The socket backend runs in the client namespace like any
client. The dpdk backend runs on net_af_packet over the client end of the
veth (--iface), with an address of its own that the kernel there does not
hold, answering ARP itself; for it the server's end of the link must send
whole checksums (ethtool -K tx off), as docs/bench.md says.
"""

import json
import os
import re
import shutil
import subprocess

from dts.framework import files as files_mod
from dts.framework.suite import TestSuite, backends, timeout
from dts.framework.netns import ns_argv
from dts.framework.topology import sh

BENCH_IP = "10.99.0.50"


class TestBench(TestSuite):
    """Bench: downloads and uploads through both backends, verified."""

    def bench_binary(self):
        path = os.path.join(self.env.build, "app", "dptftp-bench",
                            "dptftp-bench")
        if not os.path.exists(path):
            self.skip("dptftp-bench is not built")
        return path

    def bench(self, *args, want_rc=0, timeout=120, server=None):
        """Runs dptftp-bench in the client namespace with --json against
        server (default: the server's IPv4 address); returns the parsed
        summary. Fails unless it exits want_rc."""
        out = self.out("bench-%d.json" % len(os.listdir(self.outdir)))
        argv = [self.bench_binary(), "--server",
                server or self.topo.server_ip,
                "--json", out, "--progress", "never"] + list(args)
        p = self.client_command(argv, timeout=timeout)
        self.check(p.returncode is not None, "dptftp-bench timed out")
        self.check_eq(p.returncode, want_rc, "dptftp-bench exit status")
        with open(out) as f:
            return json.load(f)

    def dpdk_args(self):
        """The dpdk backend on the client's veth: its own address, and
        the server's end sending whole checksums (AF_PACKET sees a veth
        peer's partial ones as bad)."""
        if self.topo.backend == "socket":
            sh(["ip", "netns", "exec", self.topo.server_ns, "ethtool",
                "-K", self.topo.server_if, "tx", "off"])
        return ["--backend", "dpdk", "--iface", self.topo.client_if,
                "--ip", BENCH_IP + "/24"]

    def upload_root(self):
        root = os.path.join(self.files.top, "bench-%s" % self.topo.server_ns)
        os.makedirs(os.path.join(root, "up"))
        os.chmod(root, 0o755)
        os.chmod(os.path.join(root, "up"), 0o777)
        self.give_server(root)
        self._roots.append(root)
        return root

    def _begin_case(self, topo, logdir):
        super()._begin_case(topo, logdir)
        self._roots = []

    def _end_case(self):
        try:
            return super()._end_case()
        finally:
            for root in self._roots:
                shutil.rmtree(root, ignore_errors=True)

    def need_uploads(self):
        if self.env.server != "dptftpd":
            self.skip("uploads are configured here for dptftpd only")

    def check_totals(self, res, ok, size):
        self.check_eq(res["transfers_ok"], ok, "transfers ok")
        self.check_eq(res["transfers_failed"], 0, "transfers failed")
        self.check_eq(res["bytes"], ok * size, "bytes")

    def check_uploads(self, root, names, size, seed=0):
        pattern = self.out("pattern.bin")
        p = self.client_command([self.bench_binary(), "--make-pattern",
                                 pattern, "--size", str(size), "--seed",
                                 str(seed)])
        self.check_eq(p.returncode, 0, "--make-pattern exit status")
        want = files_mod.sha256_file(pattern)
        for name in names:
            path = os.path.join(root, name)
            self.check(os.path.exists(path), "%s was not stored" % name)
            self.check_eq(files_mod.sha256_file(path), want,
                          "%s's sha256" % name)

    # ------------------------------------------------------------ socket

    @timeout(120)
    def test_socket_get(self):
        """Steps: start the server; dptftp-bench (socket backend) fetches
        f1M.bin 24 times, 8 at once, blksize 1468 windowsize 8, each
        checked against the local copy (--verify-dir).
        Verifies: 24 ok, 0 failed, 24 MiB counted; the server counts 24
        sessions completed and no retransmission."""
        srv = self.start_server()
        res = self.bench("--get", "f1M.bin", "--verify-dir", self.files.root,
                         "--count", "24", "-c", "8", "--blksize", "1468",
                         "--windowsize", "8")
        self.check_totals(res, 24, files_mod.MiB)
        self.check_eq(res["agreed_blksize"], 1468, "agreed blksize")
        result = self.stop_server(srv)
        if "counters" in self.env.server_class.features:
            self.check_eq(result.counter("Total sessions-completed"), 24,
                          "sessions completed")

    @timeout(120)
    def test_socket_put(self):
        """Steps: start the server with uploads allowed; dptftp-bench
        (socket backend) uploads 6 files of 3 MiB, 3 at once, blksize
        1024 windowsize 4, as up/s{n}.bin.
        Verifies: 6 ok; each stored file equals the bench's pattern
        (--make-pattern) byte for byte."""
        self.need_uploads()
        root = self.upload_root()
        self.start_server(root=root, allow_upload="create")
        size = 3 * files_mod.MiB
        res = self.bench("--put", "up/s{n}.bin", "--size", str(size),
                         "--count", "6", "-c", "3", "--blksize", "1024",
                         "--windowsize", "4")
        self.check_totals(res, 6, size)
        self.check_uploads(root, ["up/s%d.bin" % n for n in range(6)], size)

    @timeout(60)
    def test_socket_verify_catches_corruption(self):
        """Steps: serve a root whose f1M.bin differs from the local copy
        in one byte; dptftp-bench fetches it with --verify-dir pointing
        at the run's files.
        Verifies: the transfer is reported failed (a checksum mismatch),
        exit status 3: the bench does not count bytes it did not check."""
        root = self.upload_root()
        data = bytearray(self.files.read("f1M.bin"))
        data[700000] ^= 0x55
        with open(os.path.join(root, "f1M.bin"), "wb") as f:
            f.write(data)
        os.chmod(os.path.join(root, "f1M.bin"), 0o644)
        self.start_server(root=root)
        res = self.bench("--get", "f1M.bin", "--verify-dir",
                         self.files.root, want_rc=3)
        self.check_eq(res["transfers_ok"], 0, "transfers ok")
        self.check_eq(res["transfers_failed"], 1, "transfers failed")

    # -------------------------------------------------------------- dpdk

    @backends("socket", "afpacket")
    @timeout(120)
    def test_dpdk_get(self):
        """Steps: start the server; dptftp-bench --backend dpdk on the
        client's veth (its own MAC, IP, ARP) fetches f1M.bin 16 times, 4
        at once, over 2 lcores, windowsize 16, and f64K.bin 8 times
        lock-step.
        Verifies: every transfer ok and byte-exact (--verify-dir); no
        frame failed its checksum; the port's counters are reported, no TX
        error; the server counts the sessions."""
        srv = self.start_server()
        args = self.dpdk_args()
        res = self.bench(*args, "--get", "f1M.bin", "--verify-dir",
                         self.files.root, "--count", "16", "-c", "4",
                         "--threads", "2", "--blksize", "1468",
                         "--windowsize", "16")
        self.check_totals(res, 16, files_mod.MiB)
        self.check_eq(res["bad_frames"], 0, "frames with bad checksums")
        # The port's own counters come with the dpdk backend's report
        # (AF_PACKET's kernel drops are its "missed": not asserted).
        self.check(all(k in res for k in ("port_missed", "port_rx_errors",
                                          "port_tx_errors")),
                   "no port counters in the JSON report")
        self.check_eq(res["port_tx_errors"], 0, "port TX errors")
        res = self.bench(*args, "--get", "f64K.bin", "--verify-dir",
                         self.files.root, "--count", "8", "--threads", "1")
        self.check_totals(res, 8, 64 * files_mod.KiB)
        result = self.stop_server(srv)
        if "counters" in self.env.server_class.features:
            self.check_eq(result.counter("Total sessions-completed"), 24,
                          "sessions completed")

    @backends("socket", "afpacket")
    @timeout(120)
    def test_dpdk_put(self):
        """Steps: start the server with uploads allowed; dptftp-bench
        --backend dpdk uploads 4 files of 2 MiB, windowsize 8.
        Verifies: 4 ok; each stored file equals the pattern."""
        self.need_uploads()
        root = self.upload_root()
        self.start_server(root=root, allow_upload="create")
        size = 2 * files_mod.MiB
        res = self.bench(*self.dpdk_args(), "--put", "up/d{n}.bin",
                         "--size", str(size), "--count", "4", "-c", "2",
                         "--threads", "1", "--blksize", "1468",
                         "--windowsize", "8")
        self.check_totals(res, 4, size)
        self.check_uploads(root, ["up/d%d.bin" % n for n in range(4)], size)

    @backends("socket", "afpacket")
    @timeout(60)
    def test_dpdk_storm(self):
        """Steps: start the server; a boot storm of 12 clients arriving
        at 100/s, each fetching f64K.bin then f1M.bin, on the dpdk
        backend.
        Verifies: 12 clients booted, 24 transfers ok, bytes add up."""
        self.start_server()
        res = self.bench(*self.dpdk_args(), "--files", "f64K.bin,f1M.bin",
                         "--verify-dir", self.files.root, "--storm", "12",
                         "--rate", "100", "--blksize", "1468",
                         "--windowsize", "8")
        self.check_eq(res["clients_ok"], 12, "clients booted")
        self.check_eq(res["transfers_ok"], 24, "transfers ok")
        self.check_eq(res["bytes"], 12 * (64 * files_mod.KiB +
                                          files_mod.MiB), "bytes")

    @backends("socket", "afpacket")
    @timeout(90)
    def test_dpdk_ipv6(self):
        """Steps: IPv6 on both ends (fd00:99::1 for the server: the socket
        backend listens there, the afpacket one gets --ip6); dptftp-bench
        --backend dpdk --ip fd00:99::50/64 (neighbor discovery of its own)
        fetches f1M.bin 8 times, 4 at once over 2 lcores, windowsize 8,
        uploads 2 files of 1 MiB, and asks port 7000.
        Verifies: the downloads ok and byte-exact, no bad frame; the
        uploads equal the pattern; the request to port 7000 fails as
        unreachable at once (ICMPv6 read: no request retransmitted)."""
        self.topo.use_ipv6()
        options = {}
        if self.topo.backend == "socket":
            options["listen"] = "[%s]:69" % self.topo.server_ip6
        root = self.upload_root()
        shutil.copy(self.files.path("f1M.bin"), root)
        os.chmod(os.path.join(root, "f1M.bin"), 0o644)
        self.start_server(root=root, allow_upload="create", **options)
        args = self.dpdk_args()
        args[args.index("--ip") + 1] = "fd00:99::50/64"
        server = "[%s]" % self.topo.server_ip6
        res = self.bench(*args, "--get", "f1M.bin", "--verify-dir",
                         self.files.root, "--count", "8", "-c", "4",
                         "--threads", "2", "--windowsize", "8",
                         server=server)
        self.check_totals(res, 8, files_mod.MiB)
        self.check_eq(res["bad_frames"], 0, "frames with bad checksums")
        res = self.bench(*args, "--put", "up/v6-{n}.bin", "--size",
                         str(files_mod.MiB), "--count", "2", "--threads",
                         "1", server=server)
        self.check_totals(res, 2, files_mod.MiB)
        self.check_uploads(root, ["up/v6-0.bin", "up/v6-1.bin"],
                           files_mod.MiB)
        res = self.bench(*args, "--get", "f1M.bin", "--count", "1",
                         server="[%s]:7000" % self.topo.server_ip6,
                         want_rc=3)
        self.check_eq(res["failures"].get("unreachable"), 1,
                      "failures by reason")
        self.check_eq(res["request_retransmits"], 0, "request retransmits")

    @backends("socket", "afpacket")
    @timeout(60)
    def test_dpdk_unreachable(self):
        """Steps: start the server; dptftp-bench --backend dpdk asks port
        7000 of the server's address, where nothing listens.
        Verifies: exit status 3; both transfers fail as unreachable (the
        ICMP port unreachable was read, not waited out: 0 request
        retransmissions)."""
        self.start_server()
        res = self.bench(*self.dpdk_args(), "--get", "f64K.bin",
                         "--count", "2",
                         server=self.topo.server_ip + ":7000", want_rc=3)
        self.check_eq(res["transfers_failed"], 2, "transfers failed")
        self.check_eq(res["failures"].get("unreachable"), 2,
                      "failures by reason")
        self.check_eq(res["request_retransmits"], 0, "request retransmits")

    @backends("socket")
    @timeout(90)
    def test_dpdk_tap_offload(self):
        """Steps: start the server listening on every address; start
        dptftp-bench --backend dpdk on a net_tap port of its own (--eal
        '--vdev net_tap0,iface=dbtap0'), which offers IPv4 and UDP checksum
        offload; as soon as the port is started (the kernel side dbtap0
        is UP: its queues are attached), move dbtap0 into
        the server's namespace with 10.97.0.1/24 and a MAC of its own (the
        PMD gives it the port's); the bench fetches f1M.bin 8 times.
        Verifies: 8 transfers ok and byte-exact, no bad frame: the frames
        the bench left to the port's checksum offload reached the server's
        kernel valid (it drops bad checksums)."""
        self.start_server(listen="0.0.0.0:69")
        out = self.out("tap.json")
        argv = ns_argv(self.topo.client_ns, [
            self.bench_binary(), "--backend", "dpdk", "--eal",
            "--vdev net_tap0,iface=dbtap0", "--ip", "10.97.0.2/24",
            "--server", "10.97.0.1", "--get", "f1M.bin", "--verify-dir",
            self.files.root, "--count", "8", "-c", "4", "--threads", "1",
            "--windowsize", "8", "--json", out, "--progress", "never",
            "-q"])
        self.log("$ " + " ".join(argv))
        bench = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
        try:
            # net_tap attaches each queue to the device by name, so the
            # move must wait for the port's start, which sets it UP; the
            # bench then asks ARP for 3 s.
            def up():
                self.check(bench.poll() is None, "dptftp-bench exited "
                           "before dbtap0 came up")
                return re.search(r"<[^>]*\bUP\b", sh(
                    ["ip", "-n", self.topo.client_ns, "link", "show",
                     "dbtap0"], check=False).stdout)
            self.eventually(up, "dbtap0 up", timeout=20, every=0.02)
            srv = self.topo.server_ns
            sh(["ip", "-n", self.topo.client_ns, "link", "set", "dbtap0",
                "netns", srv])
            for cmd in (["link", "set", "dbtap0", "address",
                         "02:00:00:00:97:01"],
                        ["addr", "add", "10.97.0.1/24", "dev", "dbtap0"],
                        ["link", "set", "dbtap0", "up"]):
                sh(["ip", "-n", srv] + cmd)
            text = bench.communicate(timeout=60)[0]
        finally:
            if bench.poll() is None:
                bench.kill()
                bench.wait()
        self.log(text)
        self.check_eq(bench.returncode, 0, "dptftp-bench exit status")
        with open(out) as f:
            res = json.load(f)
        self.check_totals(res, 8, files_mod.MiB)
        self.check_eq(res["bad_frames"], 0, "frames with bad checksums")
