# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Shutdown: SIGTERM and SIGINT stop dptftpd cleanly, leaking nothing.

On the signal dptftpd first drains (no new request, the transfers that
run finish, for up to --drain-timeout or until the signal comes again),
then shuts down in stages, prints its counters since the start as
`Key: value` lines, then "dptftpd: shutdown complete", and exits 0.
"Mbufs in use" must then be 0, idle or in the middle of transfers.
SIGUSR1 prints the same counters and serves on.
"""

import json
import os
import re
import signal
import threading
import time

from dts.framework.console import Console, keyvals, socket_path
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

    def _slow_get(self, name, ack_delay, timeout_s=1.0, retries=3):
        """A stdlib download of name in a thread, an ACK every ack_delay;
        returns (thread, results list, started event)."""
        out = []
        started = threading.Event()

        def hook(sess, block):
            if block == 5:
                started.set()
            return False

        cli = self.tftp(timeout=timeout_s, retries=retries)
        th = threading.Thread(target=lambda: out.append(cli.get(
            name, ack_delay=ack_delay, on_data=hook, deadline=60)),
            daemon=True)
        th.start()
        self.check(started.wait(10), "the slow download did not start")
        return th, out

    @requires("shutdown-report")
    @timeout(60)
    def test_drain(self):
        """Steps: start dptftpd --workers 2; start a download of f1M.bin
        that ACKs every 1 ms (about 2 s); SIGTERM dptftpd; send a new RRQ
        for f1.bin.
        Verifies: the RRQ gets no answer; the download completes, byte
        for byte; dptftpd says "draining 1 session" then "drained: every
        transfer ended", exits 0; Total sessions-completed 1, failed 0,
        drop-draining 1."""
        srv = self.start_server(workers=2)
        th, out = self._slow_get("f1M.bin", 0.001)
        srv.send_signal(signal.SIGTERM)
        self.eventually(lambda: "draining 1 session" in srv.stdout_text(),
                        "dptftpd saying 'draining 1 session'")
        got = self.tftp().send_raw(b"\x00\x01f1.bin\x00octet\x00",
                                   wait=1.0)
        self.check_eq(got, [], "answer to a request while draining")
        th.join(30)
        self.check(out and out[0].ok, "the download: %r" % out)
        self.expect_bytes(out[0].data, self.files.read("f1M.bin"),
                          "drained download")
        result = self.stop_server(srv)
        self._check_report(result)
        self.check("draining 1 session" in result.stdout,
                   "no 'draining 1 session' line")
        self.check("dptftpd: drained: every transfer ended"
                   in result.stdout, "no 'drained' line")
        for key, want in (("sessions-completed", 1), ("sessions-failed", 0),
                          ("drop-draining", 1)):
            self.check_eq(result.counter("Total " + key), want,
                          "Total " + key)

    @requires("shutdown-report")
    @timeout(60)
    def test_drain_timeout(self):
        """Steps: start dptftpd --drain-timeout 1s --transfer-log FILE;
        start a download of f1M.bin that ACKs every 50 ms (100 s);
        SIGTERM dptftpd.
        Verifies: it exits 0 within 4 s of the signal, saying "drain
        timed out: 1 session left to end"; the client got ERROR 0 "Server
        shutting down"; the transfer's record says "stopped"."""
        path = "/tmp/%s-xfer.json" % self.topo.server_ns
        srv = self.start_server(drain_timeout="1s", transfer_log=path)
        try:
            th, out = self._slow_get("f1M.bin", 0.05)
            t0 = time.monotonic()
            result = self.stop_server(srv)
            took = time.monotonic() - t0
            th.join(10)
            self._check_report(result)
            self.check(took < 4, "exit took %.1fs" % took)
            self.check("drain timed out: 1 session left to end"
                       in result.stdout, "no 'drain timed out' line")
            self.check(out and out[0].error is not None and
                       out[0].error.code == 0 and
                       out[0].error.message == "Server shutting down",
                       "client's end: %r" % out)
            with open(path) as f:
                recs = [json.loads(l) for l in f if l.strip()]
            self.check_eq([r["result"] for r in recs], ["stopped"],
                          "transfer records")
        finally:
            if os.path.exists(path):
                os.unlink(path)

    @requires("shutdown-report")
    @timeout(60)
    def test_second_signal_stops_now(self):
        """Steps: start dptftpd (drain 5 s by default); a download ACKing
        every 50 ms; SIGTERM, and SIGTERM again once it says it drains.
        Verifies: exit 0 within 2 s of the second; "drain cut short: 1
        session left to end"."""
        srv = self.start_server()
        th, out = self._slow_get("f1M.bin", 0.05)
        srv.send_signal(signal.SIGTERM)
        self.eventually(lambda: "draining 1 session" in srv.stdout_text(),
                        "dptftpd saying 'draining 1 session'")
        t0 = time.monotonic()
        result = self.stop_server(srv)
        self.check(time.monotonic() - t0 < 2, "slow to stop")
        self._check_report(result)
        self.check("drain cut short: 1 session left to end"
                   in result.stdout, "no 'drain cut short' line")
        th.join(10)

    @requires("shutdown-report")
    @timeout(60)
    def test_sigusr1_and_clear(self):
        """Steps: start dptftpd with a console socket; fetch f64K.bin;
        SIGUSR1; fetch it again; `clear worker stats`, `clear port stats
        all`; SIGTERM.
        Verifies: after SIGUSR1 dptftpd serves on; the SIGUSR1 report has
        "Total sessions-completed: 1" and port counters; the report at
        exit counts both transfers (Total sessions-started 2, completed
        2) and the port's packets, whatever clear did."""
        path = socket_path(self.topo)
        srv = self.start_server(console_socket=path)
        self.fetch_stdlib("f64K.bin")
        # idle() asks for SIGUSR1 reports until the session has ended
        # (its final ACK may come a moment after the client returns)
        srv.idle()
        text = srv.stdout_text()
        self.check("dptftpd: SIGUSR1: counters since the start" in text,
                   "no SIGUSR1 report")
        usr1 = text.rsplit("SIGUSR1: counters since the start", 1)[1]
        self.check("Total sessions-completed: 1\n" in usr1,
                   "SIGUSR1 report: sessions-completed")
        self.check("Port 0 RX-packets: " in usr1, "SIGUSR1: port counters")
        self.fetch_stdlib("f64K.bin")
        with Console(path, log=self.log) as c:
            c.cmd("clear worker stats")
            c.cmd("clear port stats all")
            self.check_eq(keyvals(c.cmd("show worker stats")).get(
                "Total sessions-completed"), "0", "after clear")
        result = self.stop_server(srv)
        self._check_report(result)
        self.check_eq(result.counter("Total sessions-started"), 2,
                      "Total sessions-started at exit")
        self.check_eq(result.counter("Total sessions-completed"), 2,
                      "Total sessions-completed at exit")
        self.check(result.counter("Port 0 RX-packets") >= 2 * 129,
                   "Port 0 RX-packets at exit: %d"
                   % result.counter("Port 0 RX-packets"))
