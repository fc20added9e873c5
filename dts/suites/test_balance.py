# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Balance: where each strategy puts new sessions, read from the counters.

dptftpd runs with --workers 2; after the transfers it is stopped and its
`Worker k sessions-started` lines say how many sessions each worker got.
The transfers run one after another, so "active sessions" is well defined
at each request.
"""

import threading

from dts.framework.suite import TestSuite, requires, timeout
from dts.framework.topology import CLIENT_IP, CLIENT_IP2


class TestBalance(TestSuite):
    """Balance: round-robin, client-hash and least-loaded steering."""

    def _per_worker(self, result, workers=2):
        per = result.worker_counter("sessions-started")
        self.check_eq(len(per), workers, "workers reporting counters")
        return per

    def _run_phase(self, strategy, sources):
        """Start dptftpd, fetch f64K.bin once per source address (in
        order), stop it; returns {worker: sessions-started}."""
        srv = self.start_server(workers=2, balance=strategy)
        clients = {ip: self.tftp(bind=ip) for ip in set(sources)}
        for ip in sources:
            self.fetch_stdlib("f64K.bin", client=clients[ip])
        per = self._per_worker(self.stop_server(srv))
        self.log("%s %s -> %s" % (strategy, sources, per))
        return per

    @requires("counters", "balance")
    @timeout(60)
    def test_round_robin(self):
        """Steps: start dptftpd --workers 2 --balance round-robin; fetch
        f64K.bin 10 times, one after another; stop it.
        Verifies: each worker started 5 +- 1 sessions, 10 in all."""
        n = 10
        per = self._run_phase("round-robin", [CLIENT_IP] * n)
        self.check_eq(sum(per.values()), n, "sessions started")
        for k, v in per.items():
            self.check(abs(v - n / 2) <= 1, "worker %d started %d of %d "
                       "sessions; want %d +- 1" % (k, v, n, n // 2))

    @requires("counters", "balance")
    @timeout(90)
    def test_client_hash(self):
        """Steps: add 10.99.0.3 to the client veth. Three runs of dptftpd
        --workers 2 --balance client-hash: 6 fetches from 10.99.0.2; 6
        from 10.99.0.3; 12 alternating between the two.
        Verifies: in the first two runs all 6 sessions land on one worker;
        in the third each address's 6 stay together (6/6 or 12/0, never
        a split like 7/5)."""
        self.topo.add_client_ip(CLIENT_IP2)
        for ip in (CLIENT_IP, CLIENT_IP2):
            per = self._run_phase("client-hash", [ip] * 6)
            self.check_eq(sorted(per.values()), [0, 6],
                          "sessions per worker from %s" % ip)
        per = self._run_phase("client-hash", [CLIENT_IP, CLIENT_IP2] * 6)
        self.check(sorted(per.values()) in ([0, 12], [6, 6]),
                   "two addresses' 12 sessions split %s; each address "
                   "should stay on one worker" % sorted(per.values()))

    @requires("counters", "balance")
    @timeout(90)
    def test_least_loaded(self):
        """Steps: start dptftpd --workers 2 --balance least-loaded; start a
        slow download (the stdlib client waits 50 ms before each ACK);
        once it runs, fetch f64K.bin 6 times one after another (200 ms
        apart, so each has ended on the server too); then
        abandon the slow one; stop dptftpd.
        Verifies: the quick transfers all avoid the busy worker: one worker
        started 1 session (the slow one), the other 6."""
        srv = self.start_server(workers=2, balance="least-loaded",
                                timeout="2s")
        running = threading.Event()
        done = threading.Event()

        def hook(sess, block):
            if block == 3:
                running.set()
            return done.is_set()

        slow_client = self.tftp(timeout=2.0)
        slow = threading.Thread(
            target=lambda: slow_client.get("f1M.bin", ack_delay=0.05,
                                           on_data=hook, deadline=80),
            daemon=True)
        slow.start()
        try:
            self.check(running.wait(10), "the slow transfer did not start")
            for _ in range(6):
                self.fetch_stdlib("f64K.bin")
                # The client is done when it sends the last ACK; the
                # server retires the session a moment later.
                self.eventually(lambda: srv.counters().get(
                    "Total sessions-active") == 1, "quick session retired")
        finally:
            done.set()
            slow.join(10)
        per = self._per_worker(self.stop_server(srv))
        self.check_eq(sorted(per.values()), [1, 6],
                      "sessions started per worker (slow one + 6 quick)")
