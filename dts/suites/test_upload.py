# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Upload: WRQ stores files byte-exact, whatever the client, the size, the
options or the mode, and nothing half-written survives a failure.

Each case uploads into a tree of its own (dts/framework/uploads.py says
what is in it). An upload goes to a `.dptftp-upload.*` file beside its
target and is renamed into place once complete, the final ACK after that.
So a client's "done" means the file is there, and after any failure
neither the name nor a temporary file may be left (docs/configuration.md,
[upload]). What may be stored where, and how much: suite upload_policy.
"""

import os
import signal
import threading

from dts.framework import files as files_mod
from dts.framework.console import blocks, console_run, keyvals, socket_path
from dts.framework.suite import params, requires, timeout
from dts.framework.tftpclient import oack, problem
from dts.framework.uploads import Doubler, UploadSuite, wire_netascii

SIZES = ["f0.bin", "f1.bin", "f511.bin", "f512.bin", "f513.bin", "f1M.bin"]


class TestUpload(UploadSuite):
    """Upload: sizes, clients, options, netascii, failures, sessions."""

    # ---------------------------------------------------------- sizes

    @requires("counters")
    @timeout(60)
    def test_sizes_stdlib(self):
        """Steps: start dptftpd --allow-upload create --upload-mode 0640;
        upload files of 0, 1, 511, 512, 513 bytes and 1 MiB with the
        stdlib client (no options: blksize 512), each under a new name;
        stop the server.
        Verifies: each upload completes (the final ACK); each stored file
        equals its source byte for byte, has mode 0640 and no temporary
        file is left; the acknowledged blocks are size // 512 + 1 (an
        empty last block for 0 and 512); the server counts 6 uploads and
        their bytes."""
        root = self.tree()
        srv = self.start(root, upload_mode="0640")
        total = 0
        for name in SIZES:
            data = self.files.read(name)
            res = self.put_ok("s-" + name, data)
            self.check_eq(res.blocks, len(data) // 512 + 1,
                          "%s: blocks acknowledged" % name)
            self.check_stored(root, "s-" + name, data)
            mode = os.stat(os.path.join(root, "s-" + name)).st_mode & 0o7777
            self.check_eq(oct(mode), oct(0o640), "%s: mode" % name)
            total += len(data)
        self.check_eq(self.temporaries(root), [], "temporary files")
        res = self.stop_server(srv)
        self.check_eq(res.counter("Total uploads"), len(SIZES), "uploads")
        self.check_eq(res.counter("Total bytes-uploaded"), total,
                      "bytes uploaded")

    @params("tftp-hpa", "curl", "atftp", "atftp:1428:8", "busybox")
    @timeout(60)
    def test_sizes(self, spec):
        """Steps: start dptftpd --allow-upload create; upload files of 0,
        1, 511, 512, 513 bytes and 1 MiB with the real client (tftp -c
        put, curl -T (tsize and blksize 512), atftp -p, atftp -p with
        --option "blksize 1428" and "windowsize 8", busybox tftp -p).
        Verifies: the client exits 0 and each stored file equals its
        source byte for byte; no temporary file is left."""
        client, *opts = spec.split(":")
        kwargs = {}
        if opts:
            kwargs = {"blksize": int(opts[0]), "windowsize": int(opts[1])}
        root = self.tree()
        self.start(root)
        for name in SIZES:
            remote = "%s-%s" % (client, name)
            run = self.client(client).put(self.files.path(name), remote,
                                          **kwargs)
            self.check(run.ok, "%s put %s: %s" % (client, name,
                                                  run.describe()))
            self.check_stored(root, remote, self.files.read(name))
        self.check_eq(self.temporaries(root), [], "temporary files")

    @params("tftp-hpa", "curl", "stdlib")
    @timeout(150)
    def test_rollover_40MiB(self, client):
        """Steps: start dptftpd --allow-upload create; upload f40M.bin
        (40 MiB) at blksize 512: 81921 blocks, the block number wrapping
        past 65535 to 0 (tftp-hpa sends no options, curl asks
        --tftp-blksize 512, the stdlib client asks blksize 512 and
        windowsize 16).
        Verifies: the stored file's sha256 equals the source's; the
        server counts 1 upload of 41943040 bytes."""
        root = self.tree()
        srv = self.start(root)
        name = "f40M.bin"
        if client == "stdlib":
            res = self.put_ok(name, self.files.read(name), options=[
                ("blksize", 512), ("windowsize", 16)], deadline=120)
            self.check_eq(res.blocks, 81921, "blocks acknowledged")
        else:
            opts = {"blksize": 512} if client == "curl" else {}
            run = self.client(client).put(self.files.path(name), name,
                                          timeout=120, **opts)
            self.check(run.ok, "%s put: %s" % (client, run.describe()))
        got = files_mod.sha256_file(os.path.join(root, name))
        self.check_eq(got, self.files.hashes[name], "sha256 of the upload")
        res = self.stop_server(srv)
        self.check_eq((res.counter("Total uploads"),
                       res.counter("Total bytes-uploaded")),
                      (1, 40 * files_mod.MiB), "uploads, bytes uploaded")

    @requires("windowsize")
    @timeout(30)
    def test_options(self):
        """Steps: start dptftpd --allow-upload create; upload f1M.bin with
        the stdlib client asking blksize 1024, windowsize 8, tsize
        1048576 and timeout 3; then f64K.bin asking blksize 65464.
        Verifies: the first OACK is exactly those four options with those
        values, in the request's order; the second grants blksize 1468
        (the path MTU - 32), so 45 blocks are acknowledged; both files
        are stored byte-exact."""
        root = self.tree()
        self.start(root)
        opts = [("blksize", 1024), ("windowsize", 8), ("tsize", 1048576),
                ("timeout", 3)]
        data = self.files.read("f1M.bin")
        res = self.put_ok("o1.bin", data, options=opts)
        self.check_eq(res.oack.raw if res.oack else None, oack(opts),
                      "OACK bytes")
        self.check_stored(root, "o1.bin", data)
        data = self.files.read("f64K.bin")
        res = self.put_ok("o2.bin", data, options=[("blksize", 65464)])
        self.check_eq(res.oack.raw if res.oack else None,
                      oack([("blksize", 1468)]), "OACK bytes")
        self.check_eq(res.blocks, 45, "blocks acknowledged")
        self.check_stored(root, "o2.bin", data)

    @requires("counters", "windowsize")
    @timeout(30)
    def test_duplicate_data(self):
        """Steps: start dptftpd --allow-upload create; upload 100000 bytes
        with the stdlib client, windowsize 4, sending every DATA twice
        and, with each block from the sixth on, block n - 5 once more
        (already acknowledged).
        Verifies: the upload completes; the stored file equals the
        source byte for byte; the server counts 1 upload of 100000 bytes
        (a duplicate is never stored or counted twice)."""
        root = self.tree()
        srv = self.start(root)
        data = files_mod.content("dup-data", 100000)
        client = self.tftp()
        sock = Doubler(client.socket())
        try:
            res = client.put("dd.bin", data, options=[("windowsize", 4)],
                             sock=sock)
        finally:
            sock.close()
        self.check(res.complete and res.error is None, "put: %s"
                   % problem(res))
        self.log("sent %d DATA (%d blocks)" % (sock.data_sent, res.blocks))
        self.check_stored(root, "dd.bin", data)
        res = self.stop_server(srv)
        self.check_eq((res.counter("Total uploads"),
                       res.counter("Total bytes-uploaded")), (1, len(data)),
                      "uploads, bytes uploaded")


    # --------------------------------------------------------- netascii

    @params("stdlib", "tftp-hpa", "atftp")
    @timeout(30)
    def test_netascii(self, client):
        """Steps: start dptftpd --allow-upload create; upload in netascii:
        the stdlib client sends netascii bytes with CR LF and CR NUL split
        across block boundaries and a CR NUL at the very end; tftp-hpa
        (-m netascii) and atftp (--option "mode netascii") upload
        text.txt (LF, CR LF, bare CR), converting it on the way.
        Verifies: the stored file is the netascii converted back (CR LF
        -> LF, CR NUL -> CR): for the stdlib client the decoded wire
        bytes, for the real clients text.txt itself."""
        root = self.tree()
        self.start(root)
        if client == "stdlib":
            wire, want = wire_netascii()
            self.put_ok("n.txt", wire, mode="netascii")
        else:
            want = self.files.read("text.txt")
            run = self.client(client).put(self.files.path("text.txt"),
                                          "n.txt", mode="netascii")
            self.check(run.ok, "%s: %s" % (client, run.describe()))
        self.check_stored(root, "n.txt", want)


    # --------------------------------------------------------- failures

    @requires("counters")
    @timeout(30)
    def test_client_dies(self):
        """Steps: start dptftpd --allow-upload create --timeout 200ms
        --retries 3; upload f1M.bin with the stdlib client, which stops
        sending after block 100 is acknowledged (as if killed); look at
        the folder; wait for the server to give up.
        Verifies: while the session waits, a .dptftp-upload.* temporary
        holds the data and the real name does not exist; within 5 s of
        the server's retries the temporary is removed and still no file
        has the real name; 1 session timed out, 0 uploads."""
        root = self.tree()
        srv = self.start(root, timeout="200ms", retries=3)
        res = self.tftp().put("dies.bin", self.files.read("f1M.bin"),
                              stop_after=100)
        self.check(res.aborted and res.blocks == 100,
                   "the client did not stop at block 100: %s"
                   % problem(res))
        temps = self.temporaries(root)
        self.check_eq(len(temps), 1, "temporaries while the session waits")
        self.check(not os.path.lexists(os.path.join(root, "dies.bin")),
                   "dies.bin exists before the upload ended")
        self.eventually(lambda: not self.temporaries(root),
                        "the temporary removed after the timeout",
                        every=0.1, fail=False)
        self.check_clean(root, "dies.bin")
        res = self.stop_server(srv)
        self.check_eq((res.counter("Total sessions-timed-out"),
                       res.counter("Total uploads")), (1, 0),
                      "sessions timed out, uploads")

    @timeout(45)
    def test_server_killed(self):
        """Steps: start dptftpd --allow-upload create; upload f1M.bin with
        the stdlib client; after block 200 is acknowledged, kill -9 the
        server (the client stops); look at the folder; start dptftpd again
        on the same root; upload the same name again.
        Verifies: after the kill a .dptftp-upload.* temporary is there
        and the real name is not; the new server prints "dptftpd: removed
        1 unfinished upload" and the temporary is gone before its ready
        line; the second upload is stored byte-exact."""
        root = self.tree()
        srv = self.start(root)

        def kill(sess, block):
            if block >= 200:
                srv.kill()
                return True
            return False

        data = self.files.read("f1M.bin")
        res = self.tftp().put("k.bin", data, on_ack=kill)
        self.check(res.aborted, "the upload did not stop: %s"
                   % problem(res))
        srv.stop()        # dead already: reap it, do not call it a failure
        self.check(srv.result.rc == -signal.SIGKILL,
                   "dptftpd rc %s after kill -9" % srv.result.rc)
        self.check_eq(len(self.temporaries(root)), 1,
                      "temporaries after kill -9")
        self.check(not os.path.lexists(os.path.join(root, "k.bin")),
                   "k.bin exists after kill -9")
        again = self.start(root)
        out = again.stdout_text()
        self.check("dptftpd: removed 1 unfinished upload\n" in out,
                   "no 'removed 1 unfinished upload' line: %r"
                   % out[-300:])
        self.check_eq(self.temporaries(root), [], "temporaries once ready")
        self.check(not os.path.lexists(os.path.join(root, "k.bin")),
                   "k.bin exists after the restart")
        self.put_ok("k.bin", data)
        self.check_stored(root, "k.bin", data)


    # ---------------------------------------------------------- console

    @requires("cli")
    @timeout(40)
    def test_show_sessions(self):
        """Steps: start dptftpd --allow-upload create --console-socket
        PATH; start two slow uploads of f64K.bin (the stdlib client waits
        20 ms before each block), one announcing tsize, one not; run
        scripts/dptftp-console PATH "show sessions"; let them finish.
        Verifies: two sessions listed, both Direction upload, File their
        names, Client 10.99.0.2; the one with tsize has Size 65536 and a
        Progress under 100%, the other Progress unknown; both have Bytes
        above 0; afterwards both files are stored byte-exact."""
        root = self.tree()
        path = socket_path(self.topo)
        self.start(root, console_socket=path)
        data = self.files.read("f64K.bin")
        started = threading.Event()
        results = {}

        def upload(name, options):
            def hook(sess, block):
                if block >= 5:
                    started.set()
                return False
            results[name] = self.tftp().put(name, data, options=options,
                                            data_delay=0.02, on_ack=hook)

        threads = [threading.Thread(target=upload, args=a, daemon=True)
                   for a in (("u-tsize.bin", [("tsize", len(data))]),
                             ("u-plain.bin", []))]
        for t in threads:
            t.start()
        try:
            self.check(started.wait(10), "the uploads did not start")
            # both under way: their sessions listed, with their progress
            self.eventually(lambda: len(blocks(console_run(
                self, path, "show sessions").stdout, "Session")) == 2,
                "two upload sessions listed")
            p = console_run(self, path, "show sessions")
            self.check_eq(p.returncode, 0, "dptftp-console exit status")
        finally:
            for t in threads:
                t.join(30)
        found = {s.get("File"): s for s in blocks(p.stdout, "Session")}
        self.check_eq(sorted(found), ["u-plain.bin", "u-tsize.bin"],
                      "sessions listed")
        self.check_eq(keyvals(p.stdout).get("Sessions"), "2", "Sessions")
        for name, s in found.items():
            self.check_eq(s.get("Direction"), "upload", "%s Direction"
                          % name)
            self.check(s.get("Client", "").startswith(
                self.topo.client_ip + ":"), "%s Client %r"
                % (name, s.get("Client")))
            self.check(int(s.get("Bytes", "0")) > 0, "%s Bytes %r"
                       % (name, s.get("Bytes")))
        t = found["u-tsize.bin"]
        self.check_eq(t.get("Size"), "65536", "Size with tsize")
        pct = t.get("Progress", "")
        self.check(pct.endswith("%") and int(pct[:-1]) < 100,
                   "Progress with tsize: %r" % pct)
        self.check_eq(found["u-plain.bin"].get("Progress"), "unknown",
                      "Progress without tsize")
        for name in ("u-tsize.bin", "u-plain.bin"):
            res = results.get(name)
            self.check(res is not None and res.complete, "%s: %s"
                       % (name, problem(res)))
            self.check_stored(root, name, data)

