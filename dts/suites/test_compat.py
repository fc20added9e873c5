# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Compat: the knobs PXE sites bring from tftpd-hpa and dnsmasq.

--map-file (tftpd-hpa's rule syntax, re-read on SIGHUP), --refuse,
--blksize-max-for, --single-port, --max-per-client, and what firmware
does to a server: requests sent twice before the first answer, the same
client port used again at once for the next file (iPXE's EFI build).
docs/configuration.md ([server], [tftp]) says what each must do.

The map-file cases add compat/cfg-10.99.0.2 and compat/cfg-10.99.0.3 to
the served root (different bytes, so a per-client rule shows which one
it chose).
"""

import os
import signal
import threading
import time

from dts.framework import files as files_mod
from dts.framework.suite import TestSuite, params, requires, timeout
from dts.framework.tftpclient import OP_DATA, ack, oack, problem, rrq, wrq
from dts.framework.topology import CLIENT_IP, CLIENT_IP2

DIR = "compat"
CFG = {ip: "%s/cfg-%s" % (DIR, ip) for ip in (CLIENT_IP, CLIENT_IP2)}
MAP_RULES = r"""# tftpd-hpa style rules, as a PXE site has them
rg \\ /                         # Windows path separators
ri ^CASE/(.*)$ \L\1             # a ROM that shouts: fold to lower case
r ^percfg$ compat/cfg-\i        # one configuration per client address
a ^f511\.bin$                   # refused, although it exists
r ^evil$ ../secret              # what a rule makes still stays beneath
r ^passwd$ /etc/passwd          #   the root
"""
TOO_MANY = "Too many sessions from this address, try again later"


class TestCompat(TestSuite):
    """Compat: map file, refused options, subnet blksize, single port,
    per-client limit, duplicate requests, port reuse."""

    def set_up_suite(self):
        os.makedirs(self.files.path(DIR), exist_ok=True)
        os.chmod(self.files.path(DIR), 0o755)
        for ip, name in CFG.items():
            self.files.add(name, files_mod.content(name, 2000))

    def tear_down_suite(self):
        for name in CFG.values():
            os.unlink(self.files.path(name))
            del self.files.sizes[name]
            del self.files.hashes[name]
        os.rmdir(self.files.path(DIR))

    def remove_uploads(self, name):
        """The run's root as it was: `name` and temporaries removed."""
        for entry in os.listdir(self.files.root):
            if entry == name or entry.startswith(".dptftp-upload."):
                os.unlink(self.files.path(entry))

    def map_file(self, text):
        path = os.path.join(self.logdir, "map.rules")
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.rename(path + ".tmp", path)
        return path

    def get_ok(self, name, want, client=None, **kwargs):
        """Fetch `name` with the stdlib client; its bytes must be those of
        served file `want`."""
        res = (client or self.tftp()).get(name, **kwargs)
        self.check(res.ok, "get %s: %s" % (name, problem(res)))
        self.expect_bytes(res.data, self.files.read(want), "get %s (as %s)"
                          % (name, want))
        return res

    def get_error(self, name, code, client=None, **kwargs):
        return self.get_error_any(name, (code,), client, **kwargs)

    def get_error_any(self, name, codes, client=None, **kwargs):
        res = (client or self.tftp()).get(name, **kwargs)
        self.check(res.error is not None and res.error.code in codes,
                   "get %s: %s, want ERROR %s" % (
                       name, problem(res), " or ".join(map(str, codes))))
        self.check(not res.data, "get %s: content came with the error"
                   % name)
        return res

    # ---------------------------------------------------------- map file

    @requires("counters")
    @timeout(40)
    def test_map_file(self):
        """Steps: write a rule file (rg \\\\ / ; ri ^CASE/(.*)$ \\L\\1 ; r
        ^percfg$ compat/cfg-\\i ; a ^f511\\.bin$ ; r ^evil$ ../secret ; r
        ^passwd$ /etc/passwd); start dptftpd --map-file FILE; add
        10.99.0.3; fetch sub\\inner.bin, CASE/F513.BIN, case/F1.Bin
        (stdlib) and CASE/F513.BIN (tftp-hpa); fetch percfg from
        10.99.0.2 and from 10.99.0.3; fetch f511.bin, evil and passwd.
        Verifies: backslashes become slashes (sub/inner.bin's bytes);
        the folded names serve f513.bin and f1.bin byte-exact, to a real
        client too; percfg serves compat/cfg-<the client's address>, each
        address its own bytes; f511.bin, which exists, gets ERROR 2 and
        no byte; the names the rules turn into ../secret and /etc/passwd
        are resolved beneath the root like any other (ERROR 2, ERROR 1 or
        2), not one byte served; the server counts 1 refused-remap (the
        a rule's)."""
        self.topo.add_client_ip(CLIENT_IP2)
        srv = self.start_server(map_file=self.map_file(MAP_RULES))
        self.get_ok("sub\\inner.bin", "sub/inner.bin")
        self.get_ok("CASE/F513.BIN", "f513.bin")
        self.get_ok("case/F1.Bin", "f1.bin")
        out = self.out("tftp-hpa.CASE_F513.BIN")
        run = self.client("tftp-hpa").get("CASE/F513.BIN", out)
        self.check(run.ok, "tftp-hpa get CASE/F513.BIN: %s"
                   % run.describe())
        self.verify_file(out, "f513.bin")
        for ip in (CLIENT_IP, CLIENT_IP2):
            self.get_ok("percfg", CFG[ip], client=self.tftp(bind=ip))
        self.get_error("f511.bin", 2)
        self.get_error("evil", 2)
        self.get_error_any("passwd", (1, 2))
        res = self.stop_server(srv)
        self.check_eq(res.counter("Total refused-remap"), 1,
                      "refused-remap (the a rule only)")

    @timeout(40)
    def test_map_file_sighup(self):
        """Steps: start dptftpd --map-file FILE with the rule r ^alias$
        f1.bin; fetch alias; rewrite FILE (r ^alias$ f513.bin), kill -HUP
        the server, wait for its "re-read" line; fetch alias; write a
        broken FILE (a bad flag on line 2), kill -HUP, wait for its
        complaint; fetch alias.
        Verifies: alias serves f1.bin, then f513.bin after the first
        SIGHUP ("dptftpd: SIGHUP: FILE re-read" on stdout); the broken
        file is refused with a line on stderr naming FILE:2 and "keeping
        the old rules", and alias still serves f513.bin; the server
        stops cleanly."""
        path = self.map_file("r ^alias$ f1.bin\n")
        srv = self.start_server(map_file=path)
        self.get_ok("alias", "f1.bin")
        self.map_file("# v2\nr ^alias$ f513.bin\n")
        srv.send_signal(signal.SIGHUP)
        self.wait_output(srv.stdout_text, "dptftpd: SIGHUP: %s re-read"
                         % path)
        self.get_ok("alias", "f513.bin")
        self.map_file("r ^alias$ f512.bin\nx ^oops$ f1.bin\n")
        srv.send_signal(signal.SIGHUP)
        line = self.wait_output(srv.stderr_text, "keeping the old rules")
        self.check("%s:2:" % path in line, "the complaint does not name "
                   "%s:2: %r" % (path, line))
        self.get_ok("alias", "f513.bin")

    def wait_output(self, read, text, limit=5.0):
        """The first line of read() holding `text`, waiting for it."""
        line = self.eventually(
            lambda: next((l for l in read().splitlines() if text in l),
                         None),
            "the server did not say %r" % text, timeout=limit)
        self.log("server said: %s" % line)
        return line

    # ----------------------------------------------------------- options

    @params("list", "repeated")
    @timeout(30)
    def test_refuse(self, form):
        """Steps: start dptftpd --refuse blksize,tsize (list), or --refuse
        blksize --refuse tsize (repeated); fetch f1M.bin asking blksize
        1024, tsize 0, windowsize 4; then f513.bin asking only blksize
        1024 and tsize 0.
        Verifies: the first OACK is exactly "windowsize 4" (the refused
        options left out, as if unknown) and DATA blocks carry 512 bytes;
        the second request gets no OACK at all: DATA 1 of 512 bytes
        first; both files arrive byte-exact."""
        self.start_server(refuse="blksize,tsize" if form == "list"
                          else ["blksize", "tsize"])
        res = self.get_ok("f1M.bin", "f1M.bin", options=[
            ("blksize", 1024), ("tsize", 0), ("windowsize", 4)])
        self.check(res.oack is not None, "no OACK: %s" % res.first)
        self.check_eq(res.oack.raw, oack([("windowsize", 4)]), "OACK bytes")
        datas = [p for p in res.packets if p.opcode == OP_DATA]
        self.check_eq(len(datas[0].payload), 512, "DATA size")
        res = self.get_ok("f513.bin", "f513.bin",
                          options=[("blksize", 1024), ("tsize", 0)])
        self.check_eq((res.first.opcode, res.first.block,
                       len(res.first.payload)), (OP_DATA, 1, 512),
                      "first answer (opcode, block, bytes)")

    @params("match", "other-subnet")
    @timeout(30)
    def test_blksize_max_for(self, which):
        """Steps: add 10.99.0.3; start dptftpd with --blksize-max-for
        10.99.0.0/24=1024 --blksize-max-for 10.99.0.3/32=800 (match) or
        --blksize-max-for 10.98.0.0/24=600 (other-subnet); fetch f1M.bin
        asking blksize 1468 and tsize 0 from 10.99.0.2 and from
        10.99.0.3.
        Verifies: the OACK bytes say blksize 1024 to 10.99.0.2 and 800 to
        10.99.0.3 (the longest prefix wins) with match, 1468 to both
        with a rule for another subnet; tsize 1048576; the DATA blocks
        carry that many bytes and the file arrives byte-exact."""
        self.topo.add_client_ip(CLIENT_IP2)
        if which == "match":
            rules, want = ["10.99.0.0/24=1024", "10.99.0.3/32=800"], \
                {CLIENT_IP: 1024, CLIENT_IP2: 800}
        else:
            rules, want = ["10.98.0.0/24=600"], \
                {CLIENT_IP: 1468, CLIENT_IP2: 1468}
        self.start_server(blksize_max_for=rules)
        for ip, size in want.items():
            res = self.get_ok("f1M.bin", "f1M.bin", client=self.tftp(bind=ip),
                              options=[("blksize", 1468), ("tsize", 0)])
            self.check_eq(res.oack.raw, oack([("blksize", size),
                                              ("tsize", 1048576)]),
                          "OACK bytes to %s" % ip)
            datas = [p for p in res.packets if p.opcode == OP_DATA]
            self.check_eq(len(datas[0].payload), size, "DATA size to %s"
                          % ip)

    # -------------------------------------------------------- single port

    @requires("counters")
    @timeout(60)
    def test_single_port(self):
        """Steps: start dptftpd --single-port yes --workers 2
        --allow-upload create; fetch f1M.bin and upload 100 KiB
        (windowsize 4) with the stdlib client; then at once, each from its
        own client port: c00..c03.bin with the stdlib client (windowsize
        4), c04 and c05 with curl, c06 with tftp-hpa; then send an ACK to
        port 69 from a port that has no session.
        Verifies: every datagram the stdlib transfers receive, the
        upload's ACKs included, comes from 10.99.0.1:69 (none from
        another port); every file is byte-exact, the upload stored so;
        the stray ACK gets nothing back (it is neither a request nor for
        a live session: never answered) and is counted `drop-stale`;
        9 sessions completed."""
        self.give_server(self.files.root)
        srv = self.start_server(single_port="yes", workers=2,
                                allow_upload="create")
        server = (self.topo.server_ip, 69)
        res = self.get_ok("f1M.bin", "f1M.bin")
        self.check_eq(res.server_tid, server, "the session's address")
        data = files_mod.content("single-port", 100 * 1024)
        try:
            res = self.tftp().put("sp.bin", data,
                                  options=[("windowsize", 4)])
            self.check(res.complete and res.error is None,
                       "upload: %s" % problem(res))
            self.check_eq((res.server_tid, res.foreign), (server, []),
                          "upload: where the ACKs came from, datagrams "
                          "from elsewhere")
            with open(self.files.path("sp.bin"), "rb") as f:
                self.expect_bytes(f.read(), data, "stored sp.bin")
        finally:
            self.remove_uploads("sp.bin")
        jobs = []
        for i in range(4):
            name = "c%02d.bin" % i
            jobs.append(lambda name=name: ("stdlib", name, self.get_ok(
                name, name, options=[("windowsize", 4)])))
        for i, client in ((4, "curl"), (5, "curl"), (6, "tftp-hpa")):
            name = "c%02d.bin" % i
            jobs.append(lambda name=name, client=client: (
                client, name, self.fetch(client, name)))
        for client, name, res in self.parallel(jobs):
            if client != "stdlib":
                continue
            self.check_eq(res.server_tid, server, "%s: the session's "
                          "address" % name)
            self.check_eq(res.foreign, [], "%s: datagrams from elsewhere"
                          % name)
        replies = self.tftp().send_raw(ack(1), wait=1.5)
        self.check_eq(replies, [], "answer to the stray ACK")
        res = self.stop_server(srv)
        self.check_eq(res.counter("Total sessions-completed"), 9,
                      "sessions completed")
        self.check(res.counter("Total drop-stale") >= 1,
                   "the stray ACK was not counted drop-stale")

    # --------------------------------------------------------- admission

    @requires("counters")
    @timeout(60)
    def test_max_per_client(self):
        """Steps: add 10.99.0.3; start dptftpd --max-per-client 2; start
        two slow downloads from 10.99.0.2 (the stdlib client waits 50 ms
        before each ACK); while they run, fetch f64K.bin from 10.99.0.2
        and from 10.99.0.3; end the slow ones (ERROR 0 from the client);
        fetch f64K.bin from 10.99.0.2 again.
        Verifies: the third session from 10.99.0.2 gets ERROR 3 "Too many
        sessions from this address, try again later" and no DATA;
        10.99.0.3 is served byte-exact meanwhile; once the two have
        ended, 10.99.0.2 is served again; the server counts 1
        refused-client."""
        self.topo.add_client_ip(CLIENT_IP2)
        srv = self.start_server(max_per_client=2)
        stop = threading.Event()
        slow = [self.slow_get(stop) for _ in range(2)]
        try:
            res = self.get_error("f64K.bin", 3)
            self.check_eq(res.error.message, TOO_MANY, "ERROR 3 message")
            self.get_ok("f64K.bin", "f64K.bin",
                        client=self.tftp(bind=CLIENT_IP2))
        finally:
            stop.set()
            for th in slow:
                th.join(10)
        srv.idle()
        self.get_ok("f64K.bin", "f64K.bin")
        res = self.stop_server(srv)
        self.check_eq(res.counter("Total refused-client"), 1,
                      "refused-client")

    def slow_get(self, stop):
        """A download of f1M.bin ACKing every 50 ms on a thread, under way
        when this returns; it ends (ERROR 0) once `stop` is set."""
        started = threading.Event()

        def hook(sess, block):
            if block == 2:
                started.set()
            return stop.is_set()

        client = self.tftp(timeout=2.0)
        th = threading.Thread(target=lambda: client.get(
            "f1M.bin", ack_delay=0.05, on_data=hook, deadline=50),
            daemon=True)
        th.start()
        self.check(started.wait(10), "a slow download did not start")
        return th

    @requires("counters")
    @timeout(30)
    def test_duplicate_request(self):
        """Steps: start dptftpd --allow-upload create --workers 2 (round
        robin: only the RX lcore's memory of the first copy keeps the
        second on the same worker); from one client port send RRQ f64K.bin (blksize 1468) twice back to back and
        download it; from another port send WRQ dup.bin twice back to back
        and upload 64 KiB.
        Verifies: each transfer is served by one session: every datagram
        comes from one server port, nothing from a second one; the
        download is byte-exact and the upload stored byte-exact; the
        server counts 2 sessions started and 2 dup-requests."""
        self.give_server(self.files.root)
        srv = self.start_server(allow_upload="create", workers=2)
        client = self.tftp()
        opts = [("blksize", 1468)]
        sock = client.socket()
        try:
            sock.sendto(rrq("f64K.bin", options=opts),
                        (self.topo.server_ip, 69))
            res = self.get_ok("f64K.bin", "f64K.bin", client=client,
                              options=opts, sock=sock)
            time.sleep(0.3)
            late = client.receive(sock, 0.3, 16)
        finally:
            sock.close()
        self.check_eq(res.foreign, [], "download: datagrams from another "
                      "port")
        self.check_eq(late, [], "download: datagrams after the end")
        data = files_mod.content("dup", 64 * 1024)
        sock = client.socket()
        try:
            sock.sendto(wrq("dup.bin"), (self.topo.server_ip, 69))
            res = client.put("dup.bin", data, sock=sock)
        finally:
            sock.close()
        try:
            self.check(res.complete and res.error is None,
                       "upload: %s" % problem(res))
            self.check_eq(res.foreign, [], "upload: datagrams from another "
                          "port")
            with open(self.files.path("dup.bin"), "rb") as f:
                self.expect_bytes(f.read(), data, "stored dup.bin")
        finally:
            self.remove_uploads("dup.bin")
        res = self.stop_server(srv)
        self.check_eq((res.counter("Total sessions-started"),
                       res.counter("Total dup-requests")), (2, 2),
                      "sessions started, dup-requests")

    @params("default", "single-port")
    @requires("counters")
    @timeout(30)
    def test_port_reuse(self, mode):
        """Steps: start dptftpd --workers 2 (and --single-port yes for
        single-port); from one client port (as
        iPXE's EFI build does), with no pause between them: fetch
        f64K.bin, f1M.bin, f64K.bin again, f1.bin twice, f0.bin twice,
        each asking blksize 1468 and tsize 0, then f1.bin with no
        options.
        Verifies: each request starts a new transfer that completes
        byte-exact (none is taken for a retransmission of the finished
        one with the same name); 8 sessions started and completed, 0
        dup-requests."""
        srv = self.start_server(workers=2, single_port="yes" if
                                mode == "single-port" else None)
        client = self.tftp()
        opts = [("blksize", 1468), ("tsize", 0)]
        names = ["f64K.bin", "f1M.bin", "f64K.bin", "f1.bin", "f1.bin",
                 "f0.bin", "f0.bin"]
        sock = client.socket()
        try:
            for i, name in enumerate(names):
                res = client.get(name, options=opts, sock=sock)
                self.check(res.ok, "request %d (%s) from the same port: %s"
                           % (i + 1, name, problem(res)))
                self.expect_bytes(res.data, self.files.read(name),
                                  "request %d (%s)" % (i + 1, name))
            res = client.get("f1.bin", sock=sock)
            self.check(res.ok, "f1.bin without options: %s"
                       % problem(res))
            self.expect_bytes(res.data, self.files.read("f1.bin"),
                              "f1.bin without options")
        finally:
            sock.close()
        srv.idle()
        res = self.stop_server(srv)
        self.check_eq((res.counter("Total sessions-started"),
                       res.counter("Total sessions-completed"),
                       res.counter("Total dup-requests")), (8, 8, 0),
                      "sessions started, completed, dup-requests")

    @requires("counters")
    @timeout(180)
    def test_port_reuse_many(self):
        """Steps: start dptftpd --workers 2; 48 clients at once, each on a
        port of its own that it keeps: four times in a row it sends its
        RRQ for f64K.bin (blksize 1468, the same bytes every time) twice
        back to back, then downloads the file, taking the first answer's
        port as the session's (as simple firmware does).
        Verifies: all 192 downloads are byte-exact and none sees a datagram
        from another server port; the server started exactly 192
        sessions (the second copies are 192 dup-requests, the repeats
        after each end new requests), completed 192, failed,
        superseded and timed out none."""
        srv = self.start_server(workers=2)
        client = self.tftp()
        opts = [("blksize", 1468)]
        problems = []

        def one_client(c):
            sock = client.socket()
            try:
                for i in range(4):
                    sock.sendto(rrq("f64K.bin", options=opts),
                                (self.topo.server_ip, 69))
                    res = client.get("f64K.bin", options=opts, sock=sock)
                    if not res.ok or res.foreign or \
                            res.data != self.files.read("f64K.bin"):
                        problems.append("client %d transfer %d: %s, %d "
                                        "foreign" % (c, i + 1,
                                                     problem(res),
                                                     len(res.foreign)))
            finally:
                sock.close()

        self.parallel([lambda c=c: one_client(c) for c in range(48)])
        srv.idle()
        res = self.stop_server(srv)
        self.check_eq(problems, [], "transfers that went wrong")
        got = tuple(res.counter("Total " + k) for k in (
            "sessions-started", "sessions-completed", "dup-requests",
            "sessions-failed", "sessions-superseded",
            "sessions-timed-out"))
        self.check_eq(got, (192, 192, 192, 0, 0, 0),
                      "sessions started, completed, dup-requests, failed, "
                      "superseded, timed out")
