# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Loss: transfers finish, byte-exact, when packets go missing.

nftables in the client namespace drops 5% of the UDP datagrams between
client and server in each direction, at random (numgen random mod 100),
on the client veth's ingress and egress hooks. The server runs with
--timeout 200ms --retries 8 so that it recovers quickly.
"""

from dts.framework.suite import TestSuite, requires, timeout

LOSS = 5


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
