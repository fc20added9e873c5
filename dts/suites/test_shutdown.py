# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Shutdown: SIGTERM and SIGINT stop dptftpd cleanly, leaking nothing.

On the signal dptftpd shuts down in stages, prints its counters as
`Key: value` lines, then "dptftpd: shutdown complete", and exits 0.
"Mbufs in use" must then be 0, idle or in the middle of transfers.
"""

import re
import signal
import threading
import time

from dts.framework.suite import TestSuite, requires, timeout

KEYS = ("sessions-started", "sessions-completed", "sessions-failed",
        "sessions-timed-out", "option-probes", "packets-in", "packets-out",
        "bytes-served", "retransmits", "errors-sent", "drops")


class TestShutdown(TestSuite):
    """Shutdown: staged stop, final counters, no leaked mbufs."""

    def _check_report(self, result):
        lines = [l for l in result.stdout.splitlines() if l.strip()]
        self.check(lines and lines[-1] == "dptftpd: shutdown complete",
                   "last line is %r, want 'dptftpd: shutdown complete'"
                   % (lines[-1] if lines else ""))
        self.check_eq(result.counter("Mbufs in use"), 0, "Mbufs in use")
        workers = sorted({int(m.group(1)) for m in (
            re.match(r"^Worker (\d+) ", k) for k in result.counters) if m})
        self.check(workers, "no per-worker counters printed")
        for key in KEYS:
            total = result.counter("Total " + key)
            per = [result.counter("Worker %d %s" % (w, key))
                   for w in workers]
            self.check_eq(total, sum(per), "Total %s vs the sum over "
                          "workers %s" % (key, per))

    @requires("shutdown-report")
    @timeout(60)
    def test_sigterm_idle(self):
        """Steps: start dptftpd --workers 2; fetch f1M.bin 3 times with
        curl and 3 times with the stdlib client; SIGTERM it.
        Verifies: exit 0 within 20 s; the last line is "dptftpd: shutdown
        complete"; Mbufs in use: 0; each Total counter is the sum of the
        workers'; 6 sessions started and completed, 0 failed; bytes-served
        is at least 6 MiB."""
        srv = self.start_server(workers=2)
        for _ in range(3):
            self.fetch("curl", "f1M.bin")
            self.fetch_stdlib("f1M.bin")
        result = self.stop_server(srv)
        self._check_report(result)
        self.check_eq(result.counter("Total sessions-started"), 6,
                      "Total sessions-started")
        self.check_eq(result.counter("Total sessions-completed"), 6,
                      "Total sessions-completed")
        self.check_eq(result.counter("Total sessions-failed"), 0,
                      "Total sessions-failed")
        self.check(result.counter("Total bytes-served") >= 6 * 1048576,
                   "Total bytes-served %d < 6 MiB"
                   % result.counter("Total bytes-served"))

    @requires("shutdown-report")
    @timeout(60)
    def test_sigint_idle(self):
        """Steps: start dptftpd; fetch f64K.bin once; send SIGINT.
        Verifies: exit 0; "dptftpd: shutdown complete"; Mbufs in use: 0."""
        srv = self.start_server()
        self.fetch_stdlib("f64K.bin")
        self._check_report(self.stop_server(srv, sig=signal.SIGINT))

    @requires("shutdown-report")
    @timeout(90)
    def test_sigterm_during_transfers(self):
        """Steps: start dptftpd --workers 2; start 10 slow stdlib downloads
        of f1M.bin (20 ms before each ACK) and 4 curl downloads of
        f40M.bin; once all are under way, SIGTERM dptftpd.
        Verifies: exit 0 within 20 s while sessions were active; "dptftpd:
        shutdown complete"; Mbufs in use: 0; the per-worker counters add
        up."""
        srv = self.start_server(workers=2)
        started = threading.Semaphore(0)
        stop = threading.Event()

        def hook(sess, block):
            if block == 5:
                started.release()
            return stop.is_set()

        slow = self.tftp(timeout=1.0, retries=2)
        threads = [threading.Thread(
            target=lambda: slow.get("f1M.bin", ack_delay=0.02, on_data=hook,
                                    deadline=60), daemon=True)
            for _ in range(10)]
        for t in threads:
            t.start()
        curl = self.client("curl")
        runs = [curl.start("f40M.bin", self.out("big-%d" % i))
                for i in range(4)]
        try:
            for _ in threads:
                self.check(started.acquire(timeout=10),
                           "slow transfers did not all start")
            time.sleep(0.5)
            self.check(all(r._proc.poll() is None for r in runs),
                       "a 40 MiB download ended before the signal")
            result = self.stop_server(srv)
        finally:
            stop.set()
            for r in runs:
                r.kill()
        self._check_report(result)
        self.check(result.counter("Total sessions-started") >= 14,
                   "fewer than 14 sessions started")
