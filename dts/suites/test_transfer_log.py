# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Transfer log: one record per transfer, when it ends.

--transfer-log FILE writes a JSON line per transfer (reopened on SIGHUP),
syslog a logfmt line through syslog(3); `show transfers [N]` lists the
last ones. A record says who (client address and port, server port),
what (RRQ/WRQ, file, mode, options asked and granted), how much (bytes,
blocks, retransmissions, duration) and how it ended (complete, refused
with the ERROR sent, client-error with the client's, timeout, stopped).
"""

import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

from dts.framework.console import Console, blocks, socket_path
from dts.framework.suite import TestSuite, requires, timeout


def read_json_lines(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return []
    return [json.loads(l) for l in raw.decode("ascii").splitlines() if l]


class TestTransferLog(TestSuite):
    """Transfer log: records in a JSON file, syslog, the console."""

    def _logdir(self):
        """A folder of the case's own the server's user may write (a new
        file after a rotation), removed when the case ends."""
        d = tempfile.mkdtemp(prefix="dpt-xlog-")
        os.chmod(d, 0o755)
        self.give_server(d)
        self._dirs.append(d)
        return d

    def _begin_case(self, topo, logdir):
        super()._begin_case(topo, logdir)
        self._dirs = []

    def _end_case(self):
        try:
            super()._end_case()
        finally:
            for d in self._dirs:
                shutil.rmtree(d, ignore_errors=True)

    def _wait_records(self, path, n, secs=10.0):
        return self.eventually(
            lambda: (lambda recs: recs if len(recs) >= n else None)(
                read_json_lines(path)),
            "%d records in %s" % (n, path), timeout=secs)

    @requires("cli")
    @timeout(90)
    def test_json_records(self):
        """Steps: start dptftpd --transfer-log FILE --console-socket; curl
        fetches f64K.bin (blksize 512, tsize 0, timeout); the stdlib
        client asks for missing.bin, then abandons f1M.bin after 3 blocks
        (ERROR 0 "aborted by test"); `show transfers 2`.
        Verifies: three JSON lines, in order: the download complete with
        65536 bytes in 129 blocks (the last one empty), client 10.99.0.2 and its port, the
        options asked and granted (tsize 65536); missing.bin refused with
        ERROR 1 "File not found" from the server; f1M.bin client-error
        with the client's code 0 and message; the console lists the last
        two, the refusal then the client's error."""
        path = os.path.join(self._logdir(), "transfers.json")
        con = socket_path(self.topo)
        srv = self.start_server(transfer_log=path, console_socket=con)
        self.fetch("curl", "f64K.bin", blksize=512)
        res = self.tftp().get("missing.bin")
        self.check(res.error is not None and res.error.code == 1,
                   "missing.bin: %r" % res.error)
        res = self.tftp().get("f1M.bin", stop_after=3)
        recs = self._wait_records(path, 3)
        ok, missing, aborted = recs[:3]
        self.check_eq((ok["request"], ok["file"], ok["mode"], ok["result"],
                       ok["bytes"], ok["blocks"], ok["client"]),
                      ("RRQ", "f64K.bin", "octet", "complete", 65536, 129,
                       self.topo.client_ip), "complete record")
        asked = dict(ok["options_asked"])
        self.check(asked.pop("timeout", 0) >= 1, "timeout asked: %r"
                   % ok["options_asked"])   # curl's: what --max-time leaves
        self.check_eq(asked, {"blksize": 512, "tsize": 0}, "options asked")
        self.check_eq(ok["options_granted"].get("tsize"), 65536,
                      "tsize granted")
        self.check(ok["server_port"] >= 49152 and ok["client_port"] > 0,
                   "ports: %r" % ok)
        self.check(ok["duration"] >= 0 and "error" not in ok,
                   "duration, error: %r" % ok)
        self.check_eq((missing["file"], missing["result"],
                       missing["error"]),
                      ("missing.bin", "refused",
                       {"from": "server", "code": 1,
                        "message": "File not found"}), "refused record")
        self.check_eq((aborted["file"], aborted["result"],
                       aborted["error"]),
                      ("f1M.bin", "client-error",
                       {"from": "client", "code": 0,
                        "message": "aborted by test"}),
                      "client-error record")
        self.check(aborted["blocks"] >= 3, "blocks before the abort")
        with Console(con, log=self.log) as c:
            out = c.cmd("show transfers 2")
        shown = blocks(out, "Transfer")
        self.check_eq([(b["File"], b["Result"]) for b in shown],
                      [("missing.bin", "refused"),
                       ("f1M.bin", "client-error")], "show transfers 2")
        self.check_eq(shown[0]["Error"], "1 File not found (from the "
                      "server)", "show transfers: the refusal's Error")
        self.check("Transfers-recorded: 3" in out, "Transfers-recorded")
        self.stop_server(srv)

    @requires("cli")
    @timeout(60)
    def test_sighup_reopens(self):
        """Steps: start dptftpd --transfer-log FILE; fetch f1.bin; move
        FILE to FILE.1 (as logrotate does); fetch f1.bin; SIGHUP; fetch
        f1.bin.
        Verifies: FILE.1 has the first two records (the open file followed
        the move); the server says "SIGHUP: FILE reopened"; FILE has the
        third, a new file owned by the server's user."""
        d = self._logdir()
        path = os.path.join(d, "transfers.json")
        srv = self.start_server(transfer_log=path)
        self.fetch_stdlib("f1.bin")
        self._wait_records(path, 1)
        os.rename(path, path + ".1")
        self.fetch_stdlib("f1.bin")
        self._wait_records(path + ".1", 2)
        srv.send_signal(signal.SIGHUP)
        self.eventually(lambda: "reopened" in srv.stdout_text(),
                        "a 'reopened' line", fail=False)
        self.check("dptftpd: SIGHUP: %s reopened" % path
                   in srv.stdout_text(), "no 'SIGHUP: ... reopened' line")
        self.fetch_stdlib("f1.bin")
        recs = self._wait_records(path, 1)
        self.check_eq([r["seq"] for r in recs], [3], "records in FILE")
        self.check_eq(len(read_json_lines(path + ".1")), 2,
                      "records in FILE.1")
        self.check_eq(os.stat(path).st_uid,
                      self.env.server_class.default_user().pw_uid,
                      "owner of the new file")
        self.stop_server(srv)

    @requires("cli")
    @timeout(60)
    def test_upload_record(self):
        """Steps: start dptftpd --allow-upload create --transfer-log FILE
        serving a folder of the case's own; upload 30000 bytes (59
        blocks) with the stdlib client.
        Verifies: one record, WRQ complete, 30000 bytes; its duration is
        well under the 2 s the server dallies after its final ACK (the
        transfer ended when that ACK went out): under 1 s."""
        d = self._logdir()
        path = os.path.join(d, "transfers.json")
        srv = self.start_server(root=d, allow_upload="create",
                                transfer_log=path)
        payload = bytes(range(256)) * 117 + bytes(48)      # 30000 bytes
        res = self.tftp().put("up30k.bin", payload)
        self.check(res.complete and res.error is None,
                   "put: %r" % res.error)
        recs = self._wait_records(path, 1)
        rec = recs[0]
        self.check_eq((rec["request"], rec["file"], rec["result"],
                       rec["bytes"]), ("WRQ", "up30k.bin", "complete",
                                       30000), "upload record")
        self.check(rec["duration"] < 1.0,
                   "duration %.6f s: the dally counted" % rec["duration"])
        self.stop_server(srv)

    @requires("cli")
    @timeout(60)
    def test_timeout_record(self):
        """Steps: start dptftpd --timeout 200ms --retries 2 --transfer-log
        FILE; send an RRQ for f64K.bin from a socket that takes DATA 1 and
        never answers (kept open: no ICMP error either).
        Verifies: one record, result timeout, 512 bytes in one block sent,
        2 retransmissions, no ERROR; its duration covers the retries
        (at least 0.4 s)."""
        path = os.path.join(self._logdir(), "transfers.json")
        srv = self.start_server(transfer_log=path, timeout="200ms",
                                retries=2)
        cli = self.tftp()
        sock = cli.socket()
        try:
            got = cli.send_raw(b"\x00\x01f64K.bin\x00octet\x00", wait=1.0,
                               sock=sock)
            self.check(got and got[0][0].opcode == 3,
                       "first reply: %r" % got)
            recs = self._wait_records(path, 1)
        finally:
            sock.close()
        rec = recs[0]
        self.check_eq((rec["file"], rec["result"], rec["bytes"],
                       rec["blocks"], rec["retransmits"], "error" in rec),
                      ("f64K.bin", "timeout", 512, 1, 2, False),
                      "timeout record")
        self.check(rec["duration"] >= 0.4, "duration %r" % rec["duration"])
        self.stop_server(srv)

    @requires("cli")
    @timeout(60)
    def test_names_escaped(self):
        """Steps: start dptftpd --transfer-log FILE; ask for a file named
        "evil\\n{"x": 1}\\x1b[2J\\\\.bin" (missing).
        Verifies: one record, valid JSON; its file is lib/text's form
        (evil\\x0a{"x": 1}\\x1b[2J\\x5c.bin); the file holds no control
        byte but the newline ending each line."""
        path = os.path.join(self._logdir(), "transfers.json")
        srv = self.start_server(transfer_log=path)
        name = 'evil\n{"x": 1}\x1b[2J\\.bin'
        res = self.tftp().get(name)
        self.check(res.error is not None, "no ERROR for the missing file")
        recs = self._wait_records(path, 1)
        self.check_eq(recs[0]["file"], 'evil\\x0a{"x": 1}\\x1b[2J\\x5c.bin',
                      "escaped name")
        with open(path, "rb") as f:
            raw = f.read()
        self.check(all(b >= 0x20 or b == 0x0a for b in raw) and
                   raw.count(b"\n") == 1, "control bytes in %r" % raw)
        self.stop_server(srv)

    @requires("cli")
    @timeout(60)
    def test_syslog(self):
        """Steps: listen on a Unix datagram socket; start dptftpd with no
        --transfer-log (the default, not interactive: syslog) in a mount
        namespace whose /dev/log is that socket; fetch f64K.bin, ask for
        missing.bin.
        Verifies: two syslog lines at LOG_INFO of LOG_DAEMON (<30>) from
        dptftpd[pid]: "transfer 1: start=ISO-TIME client=10.99.0.2:PORT
        ... file="f64K.bin" ... bytes=65536 ... result=complete" (the
        start between the case's start and now) and "transfer 2:
        ... result=refused error_code=1 error="File not found"
        error_from=server"."""
        d = self._logdir()
        sock_path = os.path.join(d, "log")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(sock_path)
        os.chmod(sock_path, 0o666)
        lines = []
        stop = threading.Event()

        def listen():
            sock.settimeout(0.2)
            while not stop.is_set():
                try:
                    lines.append(sock.recv(65536).decode("utf-8",
                                                         "replace"))
                except socket.timeout:
                    pass

        th = threading.Thread(target=listen, daemon=True)
        th.start()
        began = time.time()
        srv = self.new_server()
        command = srv.command
        srv.command = lambda **o: with_dev_log(command(**o), d, sock_path)
        try:
            srv.start()
            self.fetch("curl", "f64K.bin")
            self.tftp().get("missing.bin")
            self.eventually(lambda: sum("transfer " in l for l in lines) >= 2,
                            "two transfer lines in syslog", timeout=10,
                            fail=False)
            self.stop_server(srv)
        finally:
            stop.set()
            th.join(5)
            sock.close()
        got = [l for l in lines if "transfer " in l]
        self.log("syslog:\n" + "\n".join(got))
        self.check_eq(len(got), 2, "transfer lines in syslog")
        self.check(got[0].startswith("<30>") and "dptftpd[" in got[0],
                   "priority and tag: %r" % got[0])
        m = re.search(r"transfer 1: start=(\S+) client=%s:"
                      % re.escape(self.topo.client_ip), got[0])
        start = m and datetime.datetime.strptime(
            m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                tzinfo=datetime.timezone.utc).timestamp()
        self.check(start and began - 1 <= start <= time.time(),
                   "start= of %r, the case began at %.3f" % (got[0], began))
        for want in ('file="f64K.bin"', "bytes=65536", "result=complete"):
            self.check(want in got[0], "%r not in %r" % (want, got[0]))
        for want in ("transfer 2: ", 'file="missing.bin"', "result=refused",
                     'error_code=1 error="File not found" '
                     "error_from=server"):
            self.check(want in got[1], "%r not in %r" % (want, got[1]))


def with_dev_log(argv, scratch, sock_path):
    """argv run in a mount namespace of its own whose /dev is a tmpfs with
    null, zero, random and urandom from the real one, and log bound to
    sock_path: syslog(3) then writes there, and nothing outside sees it."""
    olddev = os.path.join(scratch, "olddev")
    os.makedirs(olddev, exist_ok=True)
    script = (
        "set -e; mount --bind /dev %(old)s; "
        "mount -t tmpfs -o mode=755,size=64k dptdev /dev; "
        "for n in null zero random urandom; do touch /dev/$n; "
        "mount --bind %(old)s/$n /dev/$n; done; "
        "touch /dev/log; mount --bind %(sock)s /dev/log; "
        'umount -l %(old)s; exec "$@"'
        % {"old": olddev, "sock": sock_path})
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            script, "sh"] + list(argv)
