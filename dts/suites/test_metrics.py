# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Metrics: Prometheus scrapes dptftpd.

--metrics-listen ADDR:PORT serves every counter at /metrics: the
OpenMetrics text format to a scraper that asks for it (Prometheus), the
0.0.4 text format to anything else. The cases scrape it with curl and
`promtool check metrics`, and with a real Prometheus (Debian's
`prometheus` package) in the server's namespace, then query it.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse

from dts.framework.netns import ns_argv
from dts.framework.suite import TestSuite, requires, timeout

METRICS = "127.0.0.1:9469"
PROM = "127.0.0.1:19090"
OM_ACCEPT = ("application/openmetrics-text;version=1.0.0,"
             "application/openmetrics-text;version=0.0.1;q=0.75,"
             "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
RULES = os.path.join(REPO, "dist", "prometheus", "dptftpd.rules.yml")


def samples(text):
    """{(name, frozenset of label pairs): value} of an exposition."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$', line)
        if not m:
            raise ValueError("bad sample line %r" % line)
        labels = frozenset(re.findall(r'([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"',
                                      m.group(3) or ""))
        out[(m.group(1), labels)] = float(m.group(4))
    return out


def total(smp, name, **want):
    """Sum of name's samples whose labels include want."""
    return sum(v for (n, labels), v in smp.items()
               if n == name and set(want.items()) <= labels)


class TestMetrics(TestSuite):
    """Metrics: /metrics for promtool, curl and Prometheus."""

    def _ns(self, argv, timeout_s=30, input_text=None):
        p = subprocess.run(ns_argv(self.topo.server_ns, argv),
                           capture_output=True, text=True,
                           timeout=timeout_s, input=input_text)
        self.log("$ %s\n# rc=%d\n%s%s" % (" ".join(argv), p.returncode,
                                           p.stdout[-2000:], p.stderr))
        return p

    def _curl(self, path="/metrics", headers=(), extra=()):
        argv = ["curl", "-sS", "-i", "--max-time", "10"]
        for h in headers:
            argv += ["-H", h]
        p = self._ns(argv + list(extra) + ["http://%s%s" % (METRICS, path)])
        self.check_eq(p.returncode, 0, "curl %s" % path)
        head, _, body = p.stdout.replace("\r\n", "\n").partition("\n\n")
        return head, body

    def _transfers(self):
        """Two downloads, a missing file: what the cases count."""
        self.fetch("curl", "f64K.bin")
        self.fetch_stdlib("f1M.bin")
        res = self.tftp().get("missing.bin")
        self.check(res.error is not None and res.error.code == 1,
                   "missing.bin: %r" % res.error)

    @requires("cli")
    @timeout(60)
    def test_promtool(self):
        """Steps: start dptftpd --workers 2 --metrics-listen
        127.0.0.1:9469 (in the server's namespace); fetch f64K.bin and
        f1M.bin, ask for missing.bin; GET /metrics with curl, once plain
        and once as Prometheus asks (Accept: openmetrics); pipe the plain
        one to `promtool check metrics`; GET /other, POST /metrics, HEAD
        /metrics.
        Verifies: promtool finds nothing to say; plain is text/plain
        version=0.0.4, OpenMetrics is application/openmetrics-text and
        ends in "# EOF"; sessions started 3 - 1 refused = 2 and completed
        2 over the workers; ERROR 1 sent once; the duration and size
        histograms count 2 transfers, 64 KiB + 1 MiB in all; every name
        starts with dptftp_ and every family has HELP;
        dptftp_start_time_seconds within 5 s of when the case started the
        server (the wall clock then, not the host's boot); 404, 405 (Allow:
        GET, HEAD), and HEAD's headers without a body."""
        began = time.time()
        srv = self.start_server(workers=2, metrics_listen=METRICS)
        self._transfers()
        head, body = self._curl()
        self.check("Content-Type: text/plain; version=0.0.4" in head,
                   "plain content type: %r" % head)
        p = self._ns(["promtool", "check", "metrics"], input_text=body)
        self.check(p.returncode == 0 and not (p.stdout + p.stderr).strip(),
                   "promtool check metrics: %s%s" % (p.stdout, p.stderr))
        smp = samples(body)
        self.check_eq(total(smp, "dptftp_sessions_started_total"), 2,
                      "sessions started")
        self.check_eq(total(smp, "dptftp_sessions_completed_total"), 2,
                      "sessions completed")
        self.check_eq(total(smp, "dptftp_errors_sent_total", code="1"), 1,
                      "ERROR 1 sent")
        self.check_eq(total(smp, "dptftp_transfer_duration_seconds_count"),
                      2, "duration histogram count")
        self.check_eq(total(smp, "dptftp_transfer_size_bytes_sum"),
                      65536 + 1048576, "bytes histogram sum")
        self.check_eq(total(smp, "dptftp_transfer_size_bytes_bucket",
                            le="65536"), 1, "bytes bucket le 64 KiB")
        self.check(total(smp, "dptftp_port_received_packets_total") > 0,
                   "port counters")
        self.check_eq(total(smp, "dptftp_sessions_max"), 4096,
                      "dptftp_sessions_max")
        started = total(smp, "dptftp_start_time_seconds")
        self.check(abs(started - began) <= 5, "dptftp_start_time_seconds "
                   "%.3f, the server started at %.3f" % (started, began))
        names = {n for n, _ in smp}
        self.check(all(n.startswith("dptftp_") for n in names),
                   "names: %r" % sorted(names))
        helped = set(re.findall(r"^# HELP (\S+) ", body, re.M))
        typed = set(re.findall(r"^# TYPE (\S+) ", body, re.M))
        self.check(helped == typed, "families without HELP: %r"
                   % sorted(typed - helped))
        head, om = self._curl(headers=["Accept: " + OM_ACCEPT])
        self.check("Content-Type: application/openmetrics-text; "
                   "version=1.0.0" in head, "OpenMetrics type: %r" % head)
        self.check(om.endswith("# EOF\n"), "OpenMetrics ends: %r"
                   % om[-40:])
        self.check("# UNIT dptftp_served_bytes bytes" in om,
                   "OpenMetrics # UNIT line")
        self.check_eq(total(samples(om), "dptftp_sessions_completed_total"),
                      2, "OpenMetrics sessions completed")
        head, _ = self._curl("/other")
        self.check(head.startswith("HTTP/1.1 404"), "GET /other: %r" % head)
        head, _ = self._curl(extra=["-X", "POST"])
        self.check(head.startswith("HTTP/1.1 405") and
                   "Allow: GET, HEAD" in head, "POST: %r" % head)
        head, body = self._curl(extra=["-I"])
        self.check(head.startswith("HTTP/1.1 200") and body == "",
                   "HEAD: %r %r" % (head, body[:80]))
        self.stop_server(srv)

    @requires("cli")
    @timeout(60)
    def test_port_families(self):
        """Steps: start dptftpd --metrics-listen 127.0.0.1:9469; fetch
        f1M.bin; ping the server (ethdev backends answer it themselves);
        GET /metrics.
        Verifies: each port family counts one unit: dptftp_port_events
        _total only frames the port handled on its own (ARP, ICMP and ND
        answers, answers held back, fragments), never the device's
        RX-missed nor GSO's send calls or datagrams; on the ethdev
        backends RX-missed is dptftp_port_dropped_frames_total{reason=
        "rx-missed"} beside reason="udp-csum", and the echo reply an
        event; on the socket backend GSO's send calls and datagrams are
        families of their own."""
        srv = self.start_server(metrics_listen=METRICS)
        self.fetch_stdlib("f1M.bin")
        self.client_command(["ping", "-c", "1", "-W", "2",
                             self.topo.server_ip])
        _, body = self._curl()
        smp = samples(body)
        events = {dict(labels).get("event") for n, labels in smp
                  if n == "dptftp_port_events_total"}
        frames = {"arp-replies", "icmp-echo-replies", "icmp-unreachable",
                  "icmp-unreachable-limited", "nd-adverts",
                  "icmpv6-echo-replies", "icmpv6-unreachable",
                  "ctl-ring-full", "ip-fragments"}
        self.check(events <= frames, "events that are no frames: %r"
                   % sorted(events - frames))
        reasons = {dict(labels).get("reason") for n, labels in smp
                   if n == "dptftp_port_dropped_frames_total"}
        names = {n for n, _ in smp}
        if self.env.backend == "socket":
            self.check({"dptftp_port_gso_sends_total",
                        "dptftp_port_gso_datagrams_total"} <= names,
                       "GSO families: %r" % sorted(
                           n for n in names if "gso" in n))
        else:
            self.check({"rx-missed", "udp-csum"} <= reasons,
                       "dropped-frame reasons: %r" % sorted(reasons))
            self.check(total(smp, "dptftp_port_events_total",
                             event="icmp-echo-replies") >= 1,
                       "the echo reply, an event")
        self.stop_server(srv)

    def _prometheus(self, tmp):
        """Prometheus in the server's namespace scraping METRICS every
        second, with the example alerts; returns its Popen."""
        conf = os.path.join(tmp, "prometheus.yml")
        with open(conf, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n"
                    "  evaluation_interval: 1s\n"
                    "rule_files:\n  - %s\n"
                    "scrape_configs:\n  - job_name: dptftpd\n"
                    "    static_configs:\n      - targets: ['%s']\n"
                    % (RULES, METRICS))
        argv = ns_argv(self.topo.server_ns, [
            "prometheus", "--config.file=" + conf,
            "--storage.tsdb.path=" + os.path.join(tmp, "data"),
            "--web.listen-address=" + PROM, "--log.level=warn"])
        self.log("start: " + " ".join(argv))
        log = open(os.path.join(self.logdir, "prometheus.log"), "ab")
        try:
            return subprocess.Popen(argv, stdout=log, stderr=log,
                                    stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        finally:
            log.close()

    def _query(self, expr):
        """The value of an instant query's single result, or None."""
        url = "http://%s/api/v1/query?query=%s" % (
            PROM, urllib.parse.quote(expr))
        p = subprocess.run(ns_argv(self.topo.server_ns,
                                   ["curl", "-sS", "--max-time", "5", url]),
                           capture_output=True, text=True, timeout=10)
        try:
            res = json.loads(p.stdout)["data"]["result"]
        except (ValueError, KeyError):
            return None
        return float(res[0]["value"][1]) if len(res) == 1 else None

    def _wait_query(self, expr, want, secs=30.0):
        last = {}

        def probe():
            last["got"] = self._query(expr)
            return last["got"] == want
        if not self.eventually(probe, "Prometheus: %s" % expr,
                               timeout=secs, every=0.5, fail=False):
            self.fail("Prometheus: %s = %r after %.0fs, want %r"
                      % (expr, last["got"], secs, want))

    @requires("cli")
    @timeout(120)
    def test_prometheus(self):
        """Steps: start dptftpd --workers 2 --metrics-listen
        127.0.0.1:9469; start Prometheus in the server's namespace,
        scraping it every second, with dist/prometheus/dptftpd.rules.yml;
        fetch f64K.bin and f1M.bin, ask for missing.bin; query
        Prometheus.
        Verifies: the target is up (OpenMetrics scrapes); sum of
        dptftp_sessions_completed_total is 2, of dptftp_errors_sent_total
        {code="1"} 1; the duration histogram's count is 2 and its
        histogram_quantile(0.5) at most 10 s; the size histogram's sum
        1114112; the cache counted 2 misses; the three example alerts are
        loaded and healthy, and none fires."""
        srv = self.start_server(workers=2, metrics_listen=METRICS)
        tmp = tempfile.mkdtemp(prefix="dpt-prom-")
        prom = self._prometheus(tmp)
        try:
            self._wait_query('up{job="dptftpd"}', 1.0)
            self._transfers()
            self._wait_query("sum(dptftp_sessions_completed_total)", 2.0)
            self._wait_query('sum(dptftp_errors_sent_total{code="1"})', 1.0)
            self._wait_query("dptftp_transfer_duration_seconds_count", 2.0)
            self._wait_query("dptftp_transfer_size_bytes_sum",
                             float(65536 + 1048576))
            self._wait_query("dptftp_cache_misses_total", 2.0)
            q = self._query("histogram_quantile(0.5, "
                            "dptftp_transfer_duration_seconds_bucket)")
            self.check(q is not None and 0 < q <= 10,
                       "median duration %r" % q)
            p = subprocess.run(ns_argv(self.topo.server_ns, [
                "curl", "-sS", "http://%s/api/v1/rules" % PROM]),
                capture_output=True, text=True, timeout=10)
            rules = [r for g in json.loads(p.stdout)["data"]["groups"]
                     for r in g["rules"]]
            self.check_eq(sorted((r["name"], r["health"]) for r in rules),
                          [("DptftpdCacheMisses", "ok"),
                           ("DptftpdSessionsNearLimit", "ok"),
                           ("DptftpdTransfersFailing", "ok")],
                          "alert rules")
            self.check(all(r["state"] == "inactive" for r in rules),
                       "alerts: %r" % [(r["name"], r["state"])
                                       for r in rules])
        finally:
            try:
                os.killpg(prom.pid, signal.SIGTERM)
                prom.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(prom.pid, signal.SIGKILL)
                prom.wait(5)
            shutil.rmtree(tmp, ignore_errors=True)
        self.stop_server(srv)
