# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Concurrency: 200 simultaneous 1 MiB downloads, every byte checked.

The 200 transfers are 150 curl processes and 50 stdlib-client threads,
all started at once, over 20 distinct files (c00.bin .. c19.bin), so a
session that got another session's blocks shows as a wrong sha256. With
dptftpd the case runs once per balance strategy with two workers; tftpd-hpa
has no strategies and runs it once as [server-default].
"""

from dts.framework.files import CONCURRENT
from dts.framework.suite import TestSuite, params, timeout

STRATEGIES = ("round-robin", "client-hash", "least-loaded")
N_CURL = 150
N_STDLIB = 50


def _strategies(server_kind):
    return STRATEGIES if server_kind == "dptftpd" else ("server-default",)


class TestConcurrency(TestSuite):
    """Concurrency: many sessions at once on two workers."""

    @params(_strategies)
    @timeout(240)
    def test_200x1MiB(self, strategy):
        """Steps: start the server with --workers 2 --balance STRATEGY;
        start 150 curl downloads and 50 stdlib-client downloads of 1 MiB
        files at once (20 distinct files, each fetched 10 times); wait for
        all; stop the server.
        Verifies: all 200 finish and every file is byte-exact (sha256);
        with counters: 200 sessions started and completed, none failed."""
        if strategy == "server-default":
            srv = self.start_server()
        else:
            srv = self.start_server(workers=2, balance=strategy)
        curl = self.client("curl")
        runs = []
        for i in range(N_CURL):
            name = CONCURRENT[i % len(CONCURRENT)]
            runs.append((name, curl.start(name, self.out("curl-%03d" % i))))
        tftp = self.tftp(timeout=2.0, retries=8)
        jobs = [lambda i=i: tftp.get(CONCURRENT[i % len(CONCURRENT)],
                                     deadline=180)
                for i in range(N_STDLIB)]
        results = self.parallel(jobs)
        bad = []
        for i, res in enumerate(results):
            name = CONCURRENT[i % len(CONCURRENT)]
            if not res.ok or res.data != self.files.read(name):
                bad.append("stdlib %d %s: ok=%s %d bytes %s" % (
                    i, name, res.ok, len(res.data),
                    res.error or ("timeout" if res.timed_out else "")))
        slowest = 0.0
        for name, run in runs:
            run.wait(180)
            slowest = max(slowest, run.elapsed)
            if not run.ok:
                bad.append("%s: %s" % (run.out, run.describe()))
                continue
            try:
                self.verify_file(run.out, name)
            except Exception as e:
                bad.append(str(e))
        self.log("slowest curl %.1fs, slowest stdlib %.1fs" % (
            slowest, max(r.elapsed for r in results)))
        if bad:
            self.fail("%d of 200 transfers failed; first: %s"
                      % (len(bad), bad[0]))
        result = self.stop_server(srv)
        if "counters" in self.env.server_class.features:
            for key, want in (("Total sessions-started", 200),
                              ("Total sessions-completed", 200),
                              ("Total sessions-failed", 0)):
                self.check_eq(result.counter(key), want, key)
