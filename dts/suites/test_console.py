# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Console: the operator's prompt, its socket, telemetry and capture.

dptftpd -i runs on a pseudo-terminal, as an operator's would: the case
types a command, reads until the next `dptftp> ` prompt, and parses the
`Key: value` lines in between. Each server gets an EAL file prefix of its
own (--instance), which is what telemetry and dpdk-dumpcap find it by
(dts/framework/prompt.py).
"""

import os
import re
import shutil
import subprocess
import time

from dts.framework.console import blocks as _blocks, console_run, idle, \
    keyvals
from dts.framework.frames import pcapng_frames, udp_dport
from dts.framework.hugepages import HugepagesForCase
from dts.framework.outcome import Failure
from dts.framework.prompt import PromptSuite, reap, telemetry
from dts.framework.servers import parse_counters, per_worker
from dts.framework.suite import requires, timeout
from dts.framework.topology import CLIENT_IP, CLIENT_IP2

COMMANDS = ("show port info", "show port stats", "show port xstats",
            "clear port stats", "show worker stats", "clear worker stats",
            "show sessions", "kill session", "show cache", "cache load",
            "cache evict", "cache flush", "show config", "set balance",
            "set blksize-max", "set windowsize-max", "set timeout",
            "set retries", "set max-sessions", "set log-level", "load",
            "quit")


def sessions(text):
    """`show sessions` blocks as dicts, in order."""
    return _blocks(text, "Session")


class TestConsole(PromptSuite):
    """Console: prompt, commands, console socket, telemetry, capture."""

    @requires("cli", "counters")
    @timeout(60)
    def test_show_commands(self):
        """Steps: start dptftpd -i --workers 2 on a pty; fetch f64K.bin
        twice; type show config, show worker stats, show port info|stats|
        xstats all, show sessions, show cache, help, help cache and an
        unknown word.
        Verifies: show config has the options given (workers 2, the
        instance); the workers' sessions-started add up to Total, 2; port
        0 received at least the 2 x 130 requests and ACKs; xstats says
        none on the socket backend and numbers on ethdev; no session runs;
        the cache holds f64K.bin, 65536 bytes, resident; help names every
        command, help cache only the cache's; the unknown word is "Command
        not found"."""
        pr = self.prompt(workers=2)
        for _ in range(2):
            self.fetch_stdlib("f64K.bin")
        conf = keyvals(pr.cmd("show config"))
        self.check_eq(conf.get("workers"), "2", "show config workers")
        self.check_eq(conf.get("instance"), pr.instance,
                      "show config instance")
        idle(pr)
        st = parse_counters(pr.cmd("show worker stats"))
        started = per_worker(st, "sessions-started")
        self.check_eq(sorted(started), [0, 1], "workers shown")
        self.check_eq(st.get("Total sessions-started"), 2, "Total started")
        self.check_eq(sum(started.values()), 2, "sum over workers")
        info = keyvals(pr.cmd("show port info all"))
        backend = "socket" if self.env.backend == "socket" else "ethdev"
        self.check_eq(info.get("Port 0 Backend"), backend, "Port 0 Backend")
        ps = parse_counters(pr.cmd("show port stats all"))
        self.check(ps.get("Port 0 RX-packets", 0) >= 2 * 130,
                   "Port 0 RX-packets %s < 260" % ps.get("Port 0 RX-packets"))
        xs = pr.cmd("show port xstats all")
        if backend == "socket":
            self.check("Port 0 xstats: none (socket backend)" in xs,
                       "socket xstats: %r" % xs)
        else:
            self.check(re.search(r"^Port 0 \S+: \d+$", xs, re.M),
                       "no xstats numbers: %r" % xs)
        self.check_eq(keyvals(pr.cmd("show sessions")).get("Sessions"), "0",
                      "Sessions")
        cache = pr.cmd("show cache")
        files = {b["File"]: b for b in _blocks(cache, "File")}
        self.check("f64K.bin" in files, "show cache lacks f64K.bin: %r"
                   % cache)
        self.check_eq(files["f64K.bin"].get("Size"), "65536", "Size")
        self.check_eq(files["f64K.bin"].get("State"), "resident", "State")
        helptext = pr.cmd("help")
        missing = [c for c in COMMANDS if c not in helptext]
        self.check(not missing, "help lacks %s" % missing)
        hc = pr.cmd("help cache")
        self.check("cache flush" in hc and "show sessions" not in hc,
                   "help cache: %r" % hc)
        self.check_eq(pr.cmd("frobnicate").strip(), "Command not found",
                      "unknown command")
        self.check_exit_ok(pr.finish())

    @requires("cli", "counters")
    @timeout(60)
    def test_clear_stats(self):
        """Steps: start dptftpd -i; fetch f64K.bin; clear worker stats and
        clear port stats all; fetch f64K.bin again.
        Verifies: right after the clears, Total sessions-started and Port
        0 RX-packets read 0; after the second fetch, 1 session and the
        transfer's 130 datagrams (the RRQ and 129 ACKs); the shutdown
        report counts since the start, whatever clear did (2 sessions)."""
        pr = self.prompt()
        self.fetch_stdlib("f64K.bin")
        idle(pr)
        self.check_eq(pr.cmd("clear worker stats").strip(),
                      "Worker stats: cleared", "clear worker stats")
        self.check_eq(pr.cmd("clear port stats all").strip(),
                      "Port 0 Stats: cleared", "clear port stats")
        st = parse_counters(pr.cmd("show worker stats"))
        self.check_eq(st.get("Total sessions-started"), 0, "after clear")
        ps = parse_counters(pr.cmd("show port stats 0"))
        self.check_eq(ps.get("Port 0 RX-packets"), 0, "RX after clear")
        self.fetch_stdlib("f64K.bin")
        idle(pr)
        st = parse_counters(pr.cmd("show worker stats"))
        self.check_eq(st.get("Total sessions-started"), 1, "one session")
        rx = parse_counters(pr.cmd("show port stats 0"))["Port 0 RX-packets"]
        self.check(130 <= rx <= 132, "Port 0 RX-packets %d, want 130" % rx)
        self.check_eq(pr.cmd("show port stats 3").strip(),
                      "Error: no port 3 (ports: 0..0)", "a missing port")
        res = pr.finish()
        self.check_exit_ok(res)
        self.check_eq(res.counter("Total sessions-started"), 2,
                      "shutdown report after clear")

    @requires("cli")
    @timeout(60)
    def test_cache_commands(self):
        """Steps: start dptftpd -i; cache load f1M.bin; wait until show
        cache says it is resident; fetch it; cache evict it; fetch
        f64K.bin; cache flush; cache load a missing file and ../secret.
        Verifies: "Loading: f1M.bin"; it becomes resident (1048576
        loaded) with 1 miss; the fetch is a hit; evict says "Evicted: 1"
        and the file leaves the list; flush drops f64K.bin ("Flushed: 1",
        0 entries); the missing file and the escape are errors and nothing
        is cached for them."""
        pr = self.prompt()
        self.check_eq(pr.cmd("cache load f1M.bin").strip(),
                      "Loading: f1M.bin", "cache load")
        def resident():
            files = {b["File"]: b for b in _blocks(pr.cmd("show cache"),
                                                   "File")}
            f = files.get("f1M.bin", {})
            return f if f.get("State") == "resident" else None
        f = self.eventually(resident, "f1M.bin resident", timeout=10,
                            every=0.1)
        self.check_eq(f.get("Loaded"), "1048576", "Loaded")
        self.fetch_stdlib("f1M.bin")
        idle(pr)
        kv = keyvals(pr.cmd("show cache"))
        self.check(int(kv["Hits"]) >= 1, "no cache hit: %r" % kv)
        self.check_eq(pr.cmd("cache evict f1M.bin").strip(), "Evicted: 1",
                      "cache evict")
        self.check("f1M.bin" not in pr.cmd("show cache"), "f1M.bin stayed")
        self.fetch_stdlib("f64K.bin")
        idle(pr)
        self.check_eq(pr.cmd("cache flush").strip(), "Flushed: 1",
                      "cache flush")
        self.check_eq(keyvals(pr.cmd("show cache")).get("Entries"), "0",
                      "Entries after flush")
        for bad in ("missing.bin", "../secret"):
            out = pr.cmd("cache load " + bad)
            self.check(out.startswith("Error: "), "cache load %s: %r"
                       % (bad, out))
        self.check_eq(keyvals(pr.cmd("show cache")).get("Files"), "0",
                      "Files after bad loads")
        self.check_exit_ok(pr.finish())

    @requires("cli", "windowsize")
    @timeout(60)
    def test_settings(self):
        """Steps: start dptftpd -i; set windowsize-max 4, timeout 300ms,
        retries 3; fetch f64K.bin asking windowsize 16; set max-sessions 1
        and, while a slow download runs, ask for another; type bad values;
        set log-level cache debug.
        Verifies: each set answers with its show config line and show
        config agrees; the OACK grants windowsize 4; with one session
        running the second request gets ERROR 3; bad values are "Error:"
        lines that change nothing; the log level is set."""
        pr = self.prompt()
        for line, want in (("set windowsize-max 4", "windowsize-max: 4"),
                           ("set timeout 300ms", "timeout: 300ms"),
                           ("set retries 3", "retries: 3")):
            self.check_eq(pr.cmd(line).strip(), want, line)
        res = self.fetch_stdlib("f64K.bin", [("windowsize", "16")])
        self.check_eq(res.windowsize, 4, "windowsize granted")
        for line in ("set timeout soon", "set blksize-max 7",
                     "set retries 0", "set max-sessions 999999"):
            out = pr.cmd(line)
            self.check(out.startswith("Error: "), "%s: %r" % (line, out))
        conf = keyvals(pr.cmd("show config"))
        self.check_eq((conf["blksize-max"], conf["windowsize-max"],
                       conf["timeout"], conf["retries"]),
                      ("0", "4", "300ms", "3"), "show config")
        self.check_eq(pr.cmd("set max-sessions 1").strip(),
                      "max-sessions: 1", "set max-sessions")
        th, holder, stop = self.slow_get()
        try:
            res = self.tftp().get("f64K.bin")
            self.check(res.error is not None and res.error.code == 3,
                       "second session: %r, want ERROR 3" % res.error)
        finally:
            stop.set()
            th.join(10)
        self.check_eq(pr.cmd("set log-level cache debug").strip(),
                      "log-level dptftp.cache: debug", "set log-level")
        self.check_exit_ok(pr.finish())

    @requires("cli")
    @timeout(60)
    def test_set_blksize_max(self):
        """Steps: start dptftpd -i; set blksize-max 1024; fetch f64K.bin
        asking blksize 1468.
        Verifies: "blksize-max: 1024"; the OACK grants 1024, so the new
        ceiling holds for sessions started after it."""
        pr = self.prompt()
        self.check_eq(pr.cmd("set blksize-max 1024").strip(),
                      "blksize-max: 1024", "set blksize-max")
        res = self.fetch_stdlib("f64K.bin", [("blksize", "1468")])
        self.check_eq(res.blksize, 1024, "blksize granted")
        self.check_exit_ok(pr.finish())

    @requires("cli", "counters", "balance")
    @timeout(90)
    def test_set_balance(self):
        """Steps: start dptftpd -i --workers 2 --balance client-hash; fetch
        f64K.bin 6 times; type "set balance le" then Tab then Enter;
        clear worker stats; fetch 6 times more.
        Verifies: client-hash puts all 6 on one worker; Tab completes the
        strategy from the table ("balance: least-loaded"); after set
        balance round-robin (typed in full) the next 6 split 3 +- 1 per
        worker, read from show worker stats."""
        pr = self.prompt(workers=2, balance="client-hash")
        for _ in range(6):
            self.fetch_stdlib("f64K.bin")
        idle(pr)
        per = per_worker(parse_counters(pr.cmd("show worker stats")),
                         "sessions-started")
        self.check_eq(sorted(per.values()), [0, 6], "client-hash split")
        self.check("balance: least-loaded" in pr.cmd("set balance le\t"),
                   "Tab did not complete the strategy")
        self.check_eq(pr.cmd("set balance round-robin").strip(),
                      "balance: round-robin", "set balance")
        pr.cmd("clear worker stats")
        for _ in range(6):
            self.fetch_stdlib("f64K.bin")
            time.sleep(0.05)
        idle(pr)
        per = per_worker(parse_counters(pr.cmd("show worker stats")),
                         "sessions-started")
        self.check_eq(sum(per.values()), 6, "sessions after the switch")
        self.check(all(abs(v - 3) <= 1 for v in per.values()),
                   "round-robin split %s, want 3 +- 1 each" % per)
        self.check_exit_ok(pr.finish())

    @requires("cli", "workers")
    @timeout(60)
    def test_show_sessions(self):
        """Steps: start dptftpd -i --workers 2; start a slow download of
        f1M.bin asking blksize 1024 and windowsize 2; show sessions, with
        each filter.
        Verifies: one session: client 10.99.0.2, file f1M.bin, download,
        blksize 1024, windowsize 2, size 1048576, some bytes but under
        100%, a rate and an age above 0; "client 10.99.0.2" and "worker
        <its worker>" list it; "client 10.99.0.3" and the other worker
        do not; worker 9 is an error."""
        pr = self.prompt(workers=2)
        th, holder, stop = self.slow_get(options=[("blksize", "1024"),
                                                  ("windowsize", "2")])
        try:
            found = self.eventually(lambda: sessions(pr.cmd(
                "show sessions")), "a session listed")
            self.check_eq(len(found), 1, "sessions listed")
            s = found[0]
            self.check(s["Client"].startswith(CLIENT_IP + ":"),
                       "Client %r" % s["Client"])
            self.check_eq((s["File"], s["Direction"], s["Blksize"],
                           s["Windowsize"], s["Size"]),
                          ("f1M.bin", "download", "1024", "2", "1048576"),
                          "session fields")
            pct = int(s["Progress"].rstrip("%"))
            self.check(int(s["Bytes"]) > 0 and pct < 100,
                       "progress %s, %s bytes" % (pct, s["Bytes"]))
            self.check(int(s["Rate"].split()[0]) > 0, "Rate %r" % s["Rate"])
            self.check(float(s["Age"].split()[0]) > 0, "Age %r" % s["Age"])
            w = int(s["Worker"])
            for line, n in (("client " + CLIENT_IP, 1),
                            ("client " + CLIENT_IP2, 0),
                            ("worker %d" % w, 1), ("worker %d" % (1 - w), 0),
                            ("worker %d client %s" % (w, CLIENT_IP), 1)):
                got = len(sessions(pr.cmd("show sessions " + line)))
                self.check_eq(got, n, "show sessions " + line)
            self.check(pr.cmd("show sessions worker 9").startswith(
                "Error: no worker 9"), "worker 9 accepted")
        finally:
            stop.set()
            th.join(10)
        self.check_exit_ok(pr.finish())

    @requires("cli", "counters")
    @timeout(60)
    def test_kill_session(self):
        """Steps: start dptftpd -i; start a slow download of f1M.bin; read
        its id from show sessions; kill session <id>; kill it again.
        Verifies: "Killed: <id>"; the client gets ERROR 0 "Terminated by
        operator" before the end of the file; no session is left; the
        worker counters show 1 failed session and 1 ERROR 0 sent; the
        second kill says "Error: no session <id>"."""
        pr = self.prompt()
        th, holder, stop = self.slow_get()
        try:
            found = sessions(pr.cmd("show sessions"))
            self.check_eq(len(found), 1, "sessions before the kill")
            sid = found[0]["Session"]
            self.check_eq(pr.cmd("kill session " + sid).strip(),
                          "Killed: " + sid, "kill session")
            th.join(15)
        finally:
            stop.set()
        res = holder.get("res")
        self.check(res is not None and res.error is not None,
                   "the client saw no ERROR: %r" % res)
        self.check_eq((res.error.code, res.error.message),
                      (0, "Terminated by operator"), "the client's ERROR")
        self.check(not res.complete, "the transfer completed anyway")
        self.check_eq(keyvals(pr.cmd("show sessions")).get("Sessions"), "0",
                      "sessions after the kill")
        st = parse_counters(pr.cmd("show worker stats"))
        self.check_eq((st["Total sessions-failed"], st["Total error-0-sent"]),
                      (1, 1), "failed sessions, ERROR 0 sent")
        self.check_eq(pr.cmd("kill session " + sid).strip(),
                      "Error: no session " + sid, "second kill")
        self.check_exit_ok(pr.finish())

    @requires("cli", "counters")
    @timeout(60)
    def test_telemetry(self):
        """Steps: start dptftpd -i --workers 2; fetch f64K.bin twice; start
        a slow download; read /dptftp/sessions over the telemetry socket
        of the instance; kill the session; read /dptftp/stats, workers,
        ports, cache and config; run dpdk-telemetry.py -f INSTANCE.
        Verifies: telemetry lists the session ids show sessions lists;
        its totals, per-worker sessions-started, every port 0 counter of
        show port stats (the backend's own too: Sockets, Echo-limited,
        Drop-src-mac, ...), cached files and every setting equal the
        console's figures;
        dpdk-telemetry.py reads /dptftp/stats."""
        pr = self.prompt(workers=2)
        for _ in range(2):
            self.fetch_stdlib("f64K.bin")
        th, holder, stop = self.slow_get()
        try:
            ids = {s["Session"] for s in sessions(pr.cmd("show sessions"))}
            tel = telemetry(pr.prefix, "/dptftp/sessions")
            self.check_eq(set(tel["/dptftp/sessions"]), ids, "session ids")
            for sid in ids:
                pr.cmd("kill session " + sid)
            th.join(10)
        finally:
            stop.set()
        idle(pr)
        st = parse_counters(pr.cmd("show worker stats"))
        ps = parse_counters(pr.cmd("show port stats 0"))
        files = [b["File"] for b in _blocks(pr.cmd("show cache"), "File")]
        conf = keyvals(pr.cmd("show config"))
        tel = telemetry(pr.prefix, "/dptftp/stats", "/dptftp/workers",
                        "/dptftp/ports", "/dptftp/cache", "/dptftp/config")
        for key in ("sessions-started", "sessions-completed",
                    "sessions-failed", "requests", "bytes-served",
                    "errors-sent"):
            self.check_eq(tel["/dptftp/stats"][key.replace("-", "_")],
                          st["Total " + key], "stats " + key)
        for w, n in per_worker(st, "sessions-started").items():
            self.check_eq(tel["/dptftp/workers"][str(w)]["sessions_started"],
                          n, "worker %d sessions_started" % w)
        last = {"ps": ps, "port": tel["/dptftp/ports"]["0"]}

        def port0(ps):
            # Every number of show port stats 0, the backend's too, as
            # telemetry names it: "Port 0 Drop-src-mac" -> drop_src_mac.
            return {re.sub(r"[^a-z0-9]", "_", k[7:].lower()): v
                    for k, v in ps.items() if k.startswith("Port 0 ")}

        def agree():
            # A datagram late from a killed session's client may land
            # between the two readings: read both again until they agree.
            want = port0(last["ps"])
            if {k: last["port"].get(k) for k in want} == want:
                return True
            last["ps"] = parse_counters(pr.cmd("show port stats 0"))
            last["port"] = telemetry(pr.prefix, "/dptftp/ports")[
                "/dptftp/ports"]["0"]
            return False
        self.eventually(agree, "console and telemetry agreeing on port 0",
                        timeout=1.0, every=0.2, fail=False)
        want = port0(last["ps"])
        self.log("/dptftp/ports 0: %r" % last["port"])
        self.check(len(want) > 8, "show port stats 0 has no backend "
                   "counters: %r" % want)
        self.check_eq({k: last["port"].get(k) for k in want}, want,
                      "port 0 counters, telemetry vs show port stats 0")
        self.check_eq(tel["/dptftp/cache"]["files"], files, "cached files")
        for key, value in conf.items():
            self.check_eq(tel["/dptftp/config"].get(
                re.sub(r"[^A-Za-z0-9_]", "_", key)), value, "config " + key)
        tool = shutil.which("dpdk-telemetry.py")
        if tool is not None:
            p = subprocess.run([tool, "-f", pr.prefix], input="/dptftp/stats"
                               "\n", capture_output=True, text=True,
                               timeout=20)
            self.log("dpdk-telemetry.py: rc %s\n%s%s" % (
                p.returncode, p.stdout, p.stderr))
            self.check('"sessions_started": %d' % st["Total sessions-started"]
                       in p.stdout, "dpdk-telemetry.py did not read it")
        self.check_exit_ok(pr.finish())

    @requires("cli")
    @timeout(60)
    def test_console_socket(self):
        """Steps: start dptftpd --console-socket PATH (no -i, stdin at its
        end); run scripts/dptftp-console PATH with commands, with a bad
        one, with commands on its stdin; start a second dptftpd with the
        same --instance; then dptftp-console PATH quit.
        Verifies: the server did not stop at the end of its stdin; each
        run prints the commands' output and exits 0 (1 with the bad
        command: "Command not found"); the second instance exits 2 with
        one line naming --instance; quit stops the server cleanly and
        removes the socket file."""
        inst = self.instance()
        path = "/tmp/%s.sock" % inst
        srv = self.console_server()
        srv.start(instance=inst, console_socket=path)
        time.sleep(0.5)
        self.check(srv.running(), "dptftpd stopped at the end of stdin")
        self.fetch_stdlib("f64K.bin")
        p = console_run(self, path, "show worker stats", "show config")
        self.check_eq(p.returncode, 0, "dptftp-console exit status")
        self.check_eq(parse_counters(p.stdout).get("Total sessions-started"),
                      1, "Total sessions-started over the socket")
        self.check_eq(keyvals(p.stdout).get("console-socket"), path,
                      "console-socket in show config")
        p = console_run(self, path, "show sessions", "frobnicate")
        self.check_eq((p.returncode, p.stdout.strip().splitlines()[-1]),
                      (1, "Command not found"), "a bad command")
        p = console_run(self, path, "-", stdin="set retries 4\n"
                           "show config\n")
        self.check_eq(keyvals(p.stdout).get("retries"), "4", "stdin mode")
        if "--file-prefix" not in srv.command(instance=inst):
            argv = srv.command(instance=inst)
            q = subprocess.run(argv, capture_output=True, text=True,
                               timeout=30)
            ours = [l for l in q.stderr.splitlines()
                    if l.startswith("dptftpd: ")]
            self.check(q.returncode == 2 and len(ours) == 1 and
                       "--instance" in ours[0], "second instance: rc %s, "
                       "%r" % (q.returncode, q.stderr[-300:]))
        p = console_run(self, path, "quit")
        self.check_eq(p.stdout.strip(), "Quit: stopping the server", "quit")
        self.check_exit_ok(reap(self, srv))
        self.check(not os.path.exists(path), "the socket file stayed")

    @requires("cli")
    @timeout(60)
    def test_cmdline_file_and_eof(self):
        """Steps: write a command file (set balance least-loaded, set
        timeout 700ms, show config, a bad line); start dptftpd -i
        --cmdline-file FILE; show config at the prompt; press Ctrl-D.
        Verifies: the file ran before the ready line, each command shown
        after the prompt with its output, the bad line named by number
        (and counted on stderr); the prompt's show config has both
        settings; Ctrl-D stops the server cleanly, as quit does."""
        path = self.out("startup.cmds")
        with open(path, "w") as f:
            f.write("# startup\nset balance least-loaded\n"
                    "set timeout 700ms\nshow config\nfrobnicate\n")
        pr = self.prompt(cmdline_file=path)
        with pr.cond:
            text = bytes(pr.buf).decode().replace("\r", "")
        head = text.split("dptftpd: ready:")[0]
        for want in ("dptftp> set balance least-loaded\nbalance: "
                     "least-loaded\n", "timeout: 700ms\n",
                     "Error: %s:5: Command not found\n" % path):
            self.check(want in head, "before ready: %r not in %r"
                       % (want, head[-400:]))
        conf = keyvals(pr.cmd("show config"))
        self.check_eq((conf["balance"], conf["timeout"]),
                      ("least-loaded", "700ms"), "show config")
        res = pr.finish(b"\x04")
        self.check_exit_ok(res)
        self.check("1 command failed" in res.stderr, "stderr: %r"
                   % res.stderr[-300:])

    @requires("cli")
    @timeout(60)
    def test_capture(self):
        """Steps: (afpacket backend, free hugepages) start dptftpd -i with
        EAL arguments of its own (hugepages, the instance as file prefix);
        read the port's ethdev name from show port info; run dpdk-dumpcap
        --file-prefix INSTANCE -i NAME -w FILE -c 20; fetch f64K.bin.
        Verifies: dumpcap ends by itself with a pcapng file of 20 frames
        or a few more (it stops after the burst that reaches 20), the RRQ
        to port 69 among them."""
        if self.env.backend != "afpacket":
            self.skip("capture needs a net_af_packet port (--backend "
                      "afpacket)")
        dumpcap = shutil.which("dpdk-dumpcap")
        if dumpcap is None:
            self.skip("no dpdk-dumpcap (package dpdk-dev)")
        # dpdk-dumpcap is a secondary process: the server must run in
        # hugepages. Reserve some for this case when none are free, and
        # give them back after.
        huge = HugepagesForCase(256, self.files.top)
        if not huge.reserve():
            self.skip("dpdk-dumpcap needs the server in hugepages, and "
                      "the kernel gave none: %s" % huge.why)
        try:
            if huge.mnt:
                self.give_server(huge.mnt)
            self._capture(dumpcap, huge.eal_args())
        finally:
            huge.release()

    def _capture(self, dumpcap, eal_huge):
        inst = self.instance()
        # VA: a server that runs as a user cannot translate to physical
        # addresses the memory it allocates for dumpcap's rings
        pr = self.prompt(eal=["-l", "0-1", "--no-pci", "--iova-mode=va",
                              "--file-prefix", inst] + eal_huge,
                         instance=inst,
                         cache_size="64M")
        name = keyvals(pr.cmd("show port info 0"))["Port 0 Ethdev"]
        out = self.out("capture.pcapng")
        # umask 0: dumpcap's socket must take the replies of a server
        # that runs as another user (docs/console.md, Packet capture)
        cap = subprocess.Popen(["sh", "-c", "umask 0; exec \"$@\"", "sh",
                                dumpcap, "--file-prefix", inst, "-i", name,
                                "-w", out, "-c", "20"], text=True,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
        self.eventually(lambda: os.path.exists(out) or
                        cap.poll() is not None, "dumpcap started",
                        timeout=15, every=0.1)
        time.sleep(0.5)
        self.fetch_stdlib("f64K.bin")
        try:
            text = cap.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            cap.kill()
            raise Failure("dumpcap did not end after 20 packets")
        self.log("dpdk-dumpcap: rc %s\n%s" % (cap.returncode, text))
        frames = pcapng_frames(out)
        # dumpcap stops after the burst that reaches the count
        self.check(len(frames) >= 20, "%d frames captured" % len(frames))
        self.check(any(udp_dport(f) == 69 for f in frames),
                   "no frame to UDP port 69 among the 20")
        self.check_exit_ok(pr.finish())
