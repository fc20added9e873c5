# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Loss: transfers finish, byte-exact, when packets go missing; and the
rate limits that keep a path from losing them (--session-rate,
--port-rate).

nftables in the client namespace drops 5% of the UDP datagrams between
client and server in each direction, at random (numgen random mod 100),
on the client veth's ingress and egress hooks. The server runs with
--timeout 200ms --retries 8 so that it recovers quickly.
"""

import time

from dts.framework.suite import TestSuite, requires, timeout

LOSS = 5
MIB_BITS = 8 * 1024 * 1024


class TestLoss(TestSuite):
    """Loss: 5% random drops each way."""

    def _check_drops(self):
        drops = self.topo.loss_counters()
        self.log("dropped: %s" % drops)
        for chain in ("to_server", "to_client"):
            self.check(drops.get(chain, 0) > 0, "nothing dropped %s; "
                       "the loss rules did not work" % chain)
        return drops

    @timeout(180)
    def test_100_transfers(self):
        """Steps: start the server with --timeout 200ms --retries 8; drop
        5% each way; fetch f64K.bin 100 times, 25 at a time: 50 with curl
        --tftp-no-options (no timeout option, so the server's 200 ms
        applies) and 50 with tftp-hpa.
        Verifies: all 100 complete byte-exact; packets were dropped in
        both directions; with counters, the server retransmitted."""
        srv = self.start_server(timeout="200ms", retries=8)
        self.topo.add_loss(LOSS)
        curl = self.client("curl")
        hpa = self.client("tftp-hpa")

        def job(i):
            out = self.out("get-%03d" % i)
            if i % 2:
                run = hpa.get("f64K.bin", out, timeout=120)
            else:
                run = curl.get("f64K.bin", out, no_options=True,
                               timeout=120)
            if not run.ok:
                return run.describe()
            try:
                self.verify_file(out, "f64K.bin")
            except Exception as e:
                return str(e)
            return None

        problems = [p for p in self.parallel(
            [lambda i=i: job(i) for i in range(100)], limit=25) if p]
        drops = self._check_drops()
        if problems:
            self.fail("%d of 100 transfers failed (drops %s); first: %s"
                      % (len(problems), drops, problems[0]))
        result = self.stop_server(srv)
        if "counters" in self.env.server_class.features:
            self.check(result.counter("Total retransmits") > 0,
                       "no retransmissions counted despite the loss")
            self.check(result.counter("Total sessions-started") >= 100,
                       "fewer than 100 sessions started")

    @requires("windowsize")
    @timeout(120)
    def test_windowed(self):
        """Steps: start the server with --timeout 200ms --retries 8; drop
        5% each way; fetch f64K.bin 30 times, 10 at a time, with the
        stdlib client at blksize 1024, windowsize 8 (it ACKs the last
        block in order after a gap, so the server must slide the window
        on a partial ACK).
        Verifies: all 30 complete byte-exact; packets were dropped."""
        self.start_server(timeout="200ms", retries=8)
        self.topo.add_loss(LOSS)
        client = self.tftp(timeout=0.5, retries=10)
        opts = [("blksize", 1024), ("windowsize", 8)]
        self.parallel([lambda: self.fetch_stdlib("f64K.bin", opts,
                                                 client=client, deadline=90)
                       for _ in range(30)], limit=10)
        self._check_drops()

    @requires("cli", "counters", "windowsize")
    @timeout(60)
    def test_session_rate(self):
        """Steps: start the server with --session-rate 4M; fetch f1M.bin
        with curl (lock-step), then with the stdlib client at windowsize
        16.
        Verifies: both byte-exact, and neither faster than the rate (a
        megabyte at 4 Mbit/s takes 2.1 s; 5% allowed for the bucket's
        start and the clocks): a limit can only make a transfer slower,
        so the bound holds however loaded the host; the server counted
        blocks that waited (rate-waits)."""
        srv = self.start_server(session_rate="4M")
        floor = 0.95 * MIB_BITS / 4e6
        t0 = time.monotonic()
        self.fetch("curl", "f1M.bin")
        took = time.monotonic() - t0
        self.check(took >= floor, "lock-step 1 MiB in %.2fs: faster than "
                   "--session-rate 4M allows (%.2fs)" % (took, floor))
        t0 = time.monotonic()
        self.fetch_stdlib("f1M.bin", [("blksize", 1428),
                                      ("windowsize", 16)])
        took = time.monotonic() - t0
        self.check(took >= floor, "windowed 1 MiB in %.2fs: faster than "
                   "--session-rate 4M allows (%.2fs)" % (took, floor))
        result = self.stop_server(srv)
        self.check(result.counter("Total rate-waits") > 100,
                   "rate-waits %d: the limit did not hold blocks back"
                   % result.counter("Total rate-waits"))
        self.check(result.counter("Total port-rate-waits") == 0,
                   "port-rate-waits without --port-rate")

    @requires("cli", "counters")
    @timeout(60)
    def test_port_rate(self):
        """Steps: start the server with --port-rate 8M; fetch f1M.bin four
        times at once with curl.
        Verifies: all four byte-exact, together no faster than the port's
        rate (4 MiB at 8 Mbit/s: 4.2 s, less 5%); the server counted
        blocks that waited for the port (port-rate-waits) and none for a
        session limit."""
        srv = self.start_server(port_rate="8M")
        t0 = time.monotonic()
        self.parallel([lambda i=i: self.fetch(
            "curl", "f1M.bin", out=self.out("port-%d" % i))
            for i in range(4)])
        took = time.monotonic() - t0
        floor = 0.95 * 4 * MIB_BITS / 8e6
        self.check(took >= floor, "4 x 1 MiB in %.2fs: faster than "
                   "--port-rate 8M allows (%.2fs)" % (took, floor))
        result = self.stop_server(srv)
        self.check(result.counter("Total port-rate-waits") > 100,
                   "port-rate-waits %d: the limit did not hold blocks "
                   "back" % result.counter("Total port-rate-waits"))
        self.check(result.counter("Total rate-waits") == 0,
                   "rate-waits without --session-rate")
