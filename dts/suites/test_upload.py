# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Upload: WRQ stores files byte-exact, atomically, and only where allowed.

Each case serves a root of its own (an upload tree beside the run's files,
or a small tmpfs), so what one case stores never shows in another:

    <run>/up-N/outside/           next to the root: nothing may land here
    <run>/up-N/root/existing.bin  the file create refuses and replace
                                  replaces
    <run>/up-N/root/sub/          a folder; incoming/ and logs/ for
                                  --upload-dir; incoming-evil/ (a prefix
                                  of a name, not a folder of it)
    <run>/up-N/root/out           symlink to ../outside
    <run>/up-N/root/link-file     symlink to ../outside/victim.bin

An upload goes to a `.dptftp-upload.*` file beside its target and is
renamed into place once complete, the final ACK after that. So a client's
"done" means the file is there, and after any failure neither the name
nor a temporary file may be left (docs/configuration.md, [upload]).
"""

import os
import signal
import subprocess
import threading
import time

from dts.framework import files as files_mod
from dts.framework.console import blocks, console_run, keyvals, socket_path
from dts.framework.outcome import Failure
from dts.framework.suite import TestSuite, params, requires, timeout
from dts.framework.tftpclient import OP_ERROR, oack, problem

TMP_PREFIX = ".dptftp-upload."
SIZES = ["f0.bin", "f1.bin", "f511.bin", "f512.bin", "f513.bin", "f1M.bin"]
EXISTING = files_mod.content("existing-v1", 100 * 1024)
VICTIM = b"outside the root: never to be written\n"


def wire_netascii():
    """Netascii bytes whose CR LF and CR NUL pairs fall across the
    512-byte block boundaries, with the file they stand for."""
    wire = (b"a" * 511 + b"\r\n"            # CR at 511, LF at 512
            + b"b" * 509 + b"\r\0"           # CR at 1023, NUL at 1024
            + b"line\r\nbare cr\r\0tab\tend\r\n" * 40
            + b"c" * 100 + b"\r\0")          # a CR as the last byte
    return wire, files_mod.from_netascii(wire)


def tmpfs_free(root):
    """Bytes free on the file system holding root."""
    st = os.statvfs(root)
    return st.f_bfree * st.f_frsize


class TestUpload(TestSuite):
    """Upload: sizes, clients, policies, paths, limits, failures."""

    # ------------------------------------------------------- the tree

    def _begin_case(self, topo, logdir):
        super()._begin_case(topo, logdir)
        self._trees = []
        self._mounts = []

    def _end_case(self):
        problem = super()._end_case()      # the servers stop first
        if self.topo is not None and \
           os.path.exists(socket_path(self.topo)):
            os.unlink(socket_path(self.topo))
        for mnt in reversed(self._mounts):
            p = subprocess.run(["umount", mnt], capture_output=True,
                               text=True)
            if p.returncode != 0:
                subprocess.run(["umount", "-l", mnt], capture_output=True)
                problem = problem or "umount %s: %s" % (mnt, p.stderr)
        for top in self._trees:
            subprocess.run(["rm", "-rf", "--one-file-system", top])
        return problem

    def tree(self, tmpfs=None):
        """A fresh upload tree (see the module's docstring); returns its
        root. tmpfs="1m": the root is a tmpfs of that size instead, empty
        but for sub/."""
        top = os.path.join(self.files.top, "up-%s" % self.topo.server_ns)
        os.makedirs(top)
        self._trees.append(top)
        root = os.path.join(top, "root")
        outside = os.path.join(top, "outside")
        os.makedirs(outside)
        with open(os.path.join(outside, "victim.bin"), "wb") as f:
            f.write(VICTIM)
        os.makedirs(root)
        if tmpfs:
            subprocess.run(["mount", "-t", "tmpfs", "-o",
                            "size=%s,mode=0755" % tmpfs, "dpt-upload",
                            root], check=True)
            self._mounts.append(root)
            os.makedirs(os.path.join(root, "sub"))
            self.give_server(root, os.path.join(root, "sub"))
            return root
        for d in ("sub", "incoming", "incoming-evil", "logs"):
            os.makedirs(os.path.join(root, d))
        self.give_server(root, *(os.path.join(root, d) for d in
                                 ("sub", "incoming", "incoming-evil",
                                  "logs")))
        with open(os.path.join(root, "existing.bin"), "wb") as f:
            f.write(EXISTING)
        os.symlink("../outside", os.path.join(root, "out"))
        os.symlink("../outside/victim.bin", os.path.join(root, "link-file"))
        return root

    def snapshot(self, root):
        """{path: (size, mtime_ns, inode)} of everything under the
        tree holding root (root included), symlinks not followed."""
        top = os.path.dirname(root)
        got = {}
        for dirpath, dirnames, fnames in os.walk(top):
            for name in dirnames + fnames:
                p = os.path.join(dirpath, name)
                st = os.lstat(p)
                got[os.path.relpath(p, top)] = (st.st_size, st.st_mtime_ns,
                                                st.st_ino)
        return got

    def temporaries(self, root):
        return [os.path.relpath(os.path.join(d, n), root)
                for d, _, names in os.walk(root) for n in names
                if n.startswith(TMP_PREFIX)]

    def check_clean(self, root, name, limit=2.0):
        """Neither `name` nor any temporary file is left under root. The
        client has its ERROR before the main lcore has removed the
        temporary file (the session's abort goes to it after the ERROR
        is sent): that may take until `limit` seconds."""
        start = time.monotonic()
        self.eventually(lambda: not self.temporaries(root),
                        "temporary files removed", timeout=limit,
                        every=0.01, fail=False)
        left = self.temporaries(root)
        if not left:
            self.log("no temporary file %.3fs after the error"
                     % (time.monotonic() - start))
        self.check(not os.path.lexists(os.path.join(root, name)),
                   "%s exists after the failed upload" % name)
        self.check_eq(left, [], "temporary files left after %.0fs" % limit)

    def check_stored(self, root, name, want):
        path = os.path.join(root, name)
        self.check(os.path.isfile(path), "%s was not stored" % name)
        with open(path, "rb") as f:
            got = f.read()
        self.expect_bytes(got, want, "stored %s (sha256 %s)"
                          % (name, files_mod.sha256(got)[:12]))

    def put_ok(self, name, payload, **kwargs):
        res = self.tftp().put(name, payload, **kwargs)
        self.check(res.complete and res.error is None,
                   "stdlib put %s: %s" % (name, problem(res)))
        self.log("stdlib put %s ok %.2fs" % (name, res.elapsed))
        return res

    def put_error(self, name, payload, code, root=None, **kwargs):
        """The upload ends with ERROR `code`; returns the Result. (Given
        the root, a failure says where an upload that went through was
        stored.)"""
        res = self.tftp().put(name, payload, **kwargs)
        self.log("stdlib put %s: %s" % (name, problem(res)))
        if res.error is None and root is not None:
            top = os.path.dirname(root)
            found = [os.path.relpath(os.path.join(d, n), top)
                     for d, _, names in os.walk(top) for n in names
                     if os.path.getsize(os.path.join(d, n)) == len(payload)
                     and open(os.path.join(d, n), "rb").read() == payload]
            self.fail("put %s: %s, want ERROR %d; stored as %s" % (
                name, problem(res), code, ", ".join(found) or "nothing"))
        self.check(res.error is not None and res.error.code == code,
                   "put %s: %s, want ERROR %d" % (name, problem(res),
                                                   code))
        return res

    def start(self, root, **options):
        options.setdefault("allow_upload", "create")
        return self.start_server(root=root, **options)

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

    # -------------------------------------------------------- policies

    @requires("counters")
    @timeout(30)
    def test_policy_off(self):
        """Steps: start dptftpd without --allow-upload; the stdlib client
        and tftp-hpa upload new.bin; the stdlib client uploads over
        existing.bin.
        Verifies: each gets ERROR 2 as the first answer (no ACK); nothing
        is created, existing.bin is untouched; 0 sessions started."""
        root = self.tree()
        before = self.snapshot(root)
        srv = self.start_server(root=root)
        res = self.put_error("new.bin", b"x" * 700, 2)
        self.check_eq(res.first.opcode, OP_ERROR, "first answer")
        self.put_error("existing.bin", b"x" * 700, 2)
        run = self.client("tftp-hpa").put(self.files.path("f1.bin"),
                                          "new.bin")
        self.check("Error code 2" in run.stdout + run.stderr,
                   "tftp-hpa: %s, want Error code 2" % run.describe())
        self.check_eq(self.snapshot(root), before, "the tree")
        res = self.stop_server(srv)
        self.check_eq(res.counter("Total sessions-started"), 0,
                      "sessions started")
        self.check_eq(res.counter("Total error-2-sent"), 3, "ERROR 2 sent")

    @requires("counters")
    @timeout(30)
    def test_policy_create(self):
        """Steps: start dptftpd --allow-upload create; upload new.bin; then
        upload existing.bin (stdlib client, then tftp-hpa), and new.bin
        again.
        Verifies: new.bin is stored byte-exact; the uploads over existing
        files get ERROR 6 (file exists) before any DATA is acknowledged,
        and existing.bin and new.bin keep their bytes, inode and mtime;
        no temporary file is left; 3 ERROR 6 sent."""
        root = self.tree()
        srv = self.start(root, allow_upload="create")
        new = files_mod.content("new", 3000)
        self.put_ok("new.bin", new)
        before = self.snapshot(root)
        res = self.put_error("existing.bin", b"y" * 5000, 6)
        self.check_eq(res.blocks, 0, "blocks acknowledged")
        run = self.client("tftp-hpa").put(self.files.path("f1M.bin"),
                                          "existing.bin")
        self.check("Error code 6" in run.stdout + run.stderr,
                   "tftp-hpa: %s, want Error code 6" % run.describe())
        self.put_error("new.bin", b"z" * 10, 6)
        self.check_eq(self.snapshot(root), before, "the tree")
        self.check_stored(root, "existing.bin", EXISTING)
        self.check_stored(root, "new.bin", new)
        res = self.stop_server(srv)
        self.check_eq(res.counter("Total error-6-sent"), 3, "ERROR 6 sent")

    @timeout(60)
    def test_policy_replace(self):
        """Steps: start dptftpd --allow-upload replace --timeout 3s; start
        a download of existing.bin (100 KiB, v1) at blksize 512 that
        stops answering after block 10; upload a 256 KiB v2 over it
        slowly (the stdlib client waits 5 ms before each of its 513
        blocks) while, over and over until the upload ends, the stdlib
        client fetches existing.bin and the case reads the file on disk;
        let the first download finish; fetch existing.bin once more.
        Verifies: every fetch and every read during the upload is v1 or
        v2 byte for byte, never a mix, and the first of each is v1; the
        download that began before the upload and ended after it is v1
        byte for byte; the fetch after the upload is v2; the file has a
        new inode (renamed into place) and mode 0644; no temporary file
        is left."""
        root = self.tree()
        self.start(root, allow_upload="replace", timeout="3s")
        path = os.path.join(root, "existing.bin")
        v2 = files_mod.content("existing-v2", 256 * 1024)
        ino = os.stat(path).st_ino
        holder = {}
        paused, put_done = threading.Event(), threading.Event()

        def pause(sess, block):
            if block == 10:
                paused.set()
                put_done.wait(20)
            return False

        getter = threading.Thread(target=lambda: holder.update(
            get=self.tftp(timeout=2.0).get("existing.bin", on_data=pause)),
            daemon=True)
        getter.start()
        self.check(paused.wait(10), "the first download did not start")

        def put():
            try:
                holder["put"] = self.tftp().put("existing.bin", v2,
                                                data_delay=0.005)
            finally:
                put_done.set()

        putter = threading.Thread(target=put, daemon=True)
        putter.start()
        fetched, read = [], []
        try:
            while putter.is_alive():
                res = self.tftp().get("existing.bin", options=[
                    ("blksize", 1468), ("windowsize", 16)])
                self.check(res.ok, "get during the upload: %s"
                           % problem(res))
                fetched.append(res.data)
                with open(path, "rb") as f:
                    read.append(f.read())
        finally:
            putter.join(30)
            getter.join(30)
        res = holder.get("put")
        self.check(res is not None and res.complete,
                   "the upload: %s" % problem(res))
        for what, seen in (("fetch", fetched), ("read", read)):
            for i, data in enumerate(seen):
                self.check(data in (EXISTING, v2), "%s %d during the "
                           "upload: %d bytes, neither v1 nor v2"
                           % (what, i, len(data)))
            self.check(seen and seen[0] == EXISTING, "the first %s during "
                       "the upload was not v1" % what)
        self.log("during the upload: %d fetches (%d v1), %d reads (%d v1)"
                 % (len(fetched), fetched.count(EXISTING), len(read),
                    read.count(EXISTING)))
        res = holder.get("get")
        self.check(res is not None and res.ok, "the download across the "
                   "upload: %s" % problem(res))
        self.expect_bytes(res.data, EXISTING, "the download across the "
                          "upload")
        self.fetch_stdlib_bytes("existing.bin", v2)
        st = os.stat(path)
        self.check(st.st_ino != ino, "existing.bin kept its inode: "
                   "written in place, not renamed")
        self.check_eq(oct(st.st_mode & 0o7777), oct(0o644), "mode")
        self.check_eq(self.temporaries(root), [], "temporary files")

    @params("create", "replace")
    @requires("counters")
    @timeout(40)
    def test_same_name_at_once(self, policy):
        """Steps: start dptftpd --allow-upload POLICY; two stdlib clients
        upload different 128 KiB files to the same new name at once,
        each waiting 2 ms before each block.
        Verifies: the stored file is one of the two, whole; with replace
        both uploads complete (the last renamed wins); with create one
        completes and the other ends with ERROR 6 (file exists), the
        stored file being the one that completed; no temporary file is
        left."""
        root = self.tree()
        srv = self.start(root, allow_upload=policy)
        payloads = [files_mod.content("same-%d" % i, 128 * 1024)
                    for i in range(2)]
        results = self.parallel([
            lambda p=p: self.tftp().put("same.bin", p, data_delay=0.002)
            for p in payloads])
        self.log("results: %s" % [problem(r) for r in results])
        done = [i for i, r in enumerate(results)
                if r.complete and r.error is None]
        with open(os.path.join(root, "same.bin"), "rb") as f:
            stored = f.read()
        self.check(stored in payloads, "same.bin is neither upload whole "
                   "(%d bytes)" % len(stored))
        if policy == "replace":
            self.check_eq(len(done), 2, "uploads completed")
        else:
            self.check_eq(len(done), 1, "uploads completed")
            loser = results[1 - done[0]]
            self.check(loser.error is not None and loser.error.code == 6,
                       "the other upload: %s, want ERROR 6"
                       % problem(loser))
            self.check(stored == payloads[done[0]], "same.bin is not the "
                       "upload that completed")
        self.check_clean(root, "no-such-name")
        res = self.stop_server(srv)
        self.check_eq(res.counter("Total uploads"), len(done), "uploads")

    def fetch_stdlib_bytes(self, name, want):
        res = self.tftp().get(name, options=[("blksize", 1468)])
        self.check(res.ok, "get %s: %s" % (name, problem(res)))
        self.expect_bytes(res.data, want, "get %s" % name)

    # ------------------------------------------------- where and what

    @params("create", "replace")
    @timeout(30)
    def test_upload_dir(self, policy):
        """Steps: start dptftpd --allow-upload POLICY --upload-dir incoming
        --upload-dir /logs/; upload incoming/a.bin and logs/b.bin; then
        c.bin (the root), sub/d.bin, incoming-evil/e.bin (a folder whose
        name starts with "incoming"), incoming/../f.bin and
        incoming/../existing.bin (out of the folder again through "..").
        Verifies: the first two are stored byte-exact; each of the others
        gets ERROR 2, nothing is stored under any name (existing.bin keeps
        its bytes) and no temporary file is left."""
        root = self.tree()
        self.start(root, allow_upload=policy,
                   upload_dir=["incoming", "/logs/"])
        for name in ("incoming/a.bin", "logs/b.bin"):
            data = files_mod.content(name, 513)
            self.put_ok(name, data)
            self.check_stored(root, name, data)
        problems = []
        for name in ("c.bin", "sub/d.bin", "incoming-evil/e.bin",
                     "incoming/../f.bin", "incoming/../existing.bin"):
            try:
                self.put_error(name, files_mod.content(name, 513), 2,
                               root=root)
                if name.endswith("existing.bin"):
                    self.check_stored(root, "existing.bin", EXISTING)
                else:
                    self.check_clean(root, os.path.normpath(name))
            except Failure as e:
                problems.append(str(e))
        self.check(not problems, "; ".join(problems))

    @timeout(30)
    def test_upload_pattern(self):
        """Steps: start dptftpd --allow-upload create --upload-pattern
        '*.log' --upload-pattern 'logs/*.txt'; upload a.log, logs/b.txt,
        c.bin, logs/d.log (the first pattern has no folder part) and
        sub/e.log.
        Verifies: a.log and logs/b.txt are stored byte-exact; the others
        get ERROR 2 and leave nothing behind."""
        root = self.tree()
        self.start(root, upload_pattern=["*.log", "logs/*.txt"])
        for name in ("a.log", "logs/b.txt"):
            data = files_mod.content(name, 700)
            self.put_ok(name, data)
            self.check_stored(root, name, data)
        for name in ("c.bin", "logs/d.log", "sub/e.log"):
            self.put_error(name, files_mod.content(name, 700), 2, root=root)
            self.check_clean(root, name)

    @params("../x.bin", "/etc/dpt-upload-escape.bin", "sub/../../x.bin",
            "ABSOLUTE", "sub", "sub/", "out/x.bin", "link-file",
            ".dptftp-upload.0123456789abcdef")
    @timeout(30)
    def test_traversal(self, name):
        """Steps: start dptftpd --allow-upload replace (the most permissive
        policy) on a fresh tree; upload NAME: up and out through "..", an
        absolute path outside (/etc/..., and ABSOLUTE: the path of the
        folder just outside the root), a folder of the root, a folder
        that is a symlink to outside the root (out/x.bin), a symlink to a
        file outside the root (link-file), a name with the server's
        temporary prefix.
        Verifies: ERROR 2, no block acknowledged; nothing in the tree
        changed (the outside folder and its victim.bin included) and no
        temporary file is left; nothing was created at the absolute
        path."""
        root = self.tree()
        if name == "ABSOLUTE":
            name = os.path.join(os.path.dirname(root), "outside", "abs.bin")
        before = self.snapshot(root)
        self.start(root, allow_upload="replace")
        try:
            res = self.put_error(name, b"\xee" * 1500, 2, root=root)
            self.check_eq(res.blocks, 0, "blocks acknowledged")
        finally:
            if name.startswith("/etc/") and os.path.lexists(name):
                os.unlink(name)
                self.fail("the upload created %s" % name)
        self.check_eq(self.snapshot(root), before, "the tree")
        with open(os.path.join(os.path.dirname(root), "outside",
                               "victim.bin"), "rb") as f:
            self.check_eq(f.read(), VICTIM, "victim.bin")

    # ----------------------------------------------------------- limits

    @requires("counters")
    @timeout(30)
    def test_upload_max(self):
        """Steps: start dptftpd --allow-upload create --upload-max 1M;
        upload 2 MiB announcing tsize 2097152 (stdlib client), the same
        with curl -T (which sends tsize), 2 MiB without tsize (stdlib),
        then exactly 1 MiB.
        Verifies: with tsize, ERROR 3 is the first answer: no OACK, no
        ACK, before any DATA; curl fails; without tsize, ERROR 3 once the
        upload passes 1 MiB (at most 2049 blocks acknowledged); nothing
        is stored and no temporary file is left; the 1 MiB upload is
        stored byte-exact."""
        root = self.tree()
        srv = self.start(root, upload_max="1M")
        big = files_mod.content("big", 2 * files_mod.MiB)
        res = self.put_error("big.bin", big, 3,
                             options=[("tsize", len(big))])
        self.check_eq(res.first.opcode, OP_ERROR, "first answer")
        self.check_clean(root, "big.bin")
        src = os.path.join(os.path.dirname(root), "big.src")
        with open(src, "wb") as f:
            f.write(big)
        run = self.client("curl").put(src, "big.bin")
        self.check(not run.ok, "curl -T of 2 MiB succeeded")
        self.check_clean(root, "big.bin")
        res = self.put_error("big.bin", big, 3)
        self.check(res.blocks <= 2049, "%d blocks acknowledged past the "
                   "limit" % res.blocks)
        self.check_clean(root, "big.bin")
        one = self.files.read("f1M.bin")
        self.put_ok("one.bin", one)
        self.check_stored(root, "one.bin", one)
        res = self.stop_server(srv)
        self.check(res.counter("Total error-3-sent") >= 3,
                   "ERROR 3 sent: %d" % res.counter("Total error-3-sent"))

    @timeout(30)
    def test_disk_full(self):
        """Steps: mount a 1 MiB tmpfs as the root; start dptftpd
        --allow-upload create on it; upload 2 MiB without tsize (stdlib),
        with tsize 2097152 (stdlib), with tftp-hpa; then 64 KiB.
        Verifies: each 2 MiB upload ends with ERROR 3 (with tsize as the
        first answer, refused for want of space); after each, neither the
        file nor a .dptftp-upload.* temporary is left and the tmpfs is
        empty again; the 64 KiB upload is then stored byte-exact."""
        root = self.tree(tmpfs="1m")
        self.start(root)
        big = files_mod.content("big", 2 * files_mod.MiB)
        self.put_error("full.bin", big, 3)
        self.check_clean(root, "full.bin")
        res = self.put_error("full.bin", big, 3,
                             options=[("tsize", len(big))])
        self.check_eq(res.first.opcode, OP_ERROR, "first answer with tsize")
        self.check_clean(root, "full.bin")
        src = os.path.join(os.path.dirname(root), "big.src")
        with open(src, "wb") as f:
            f.write(big)
        run = self.client("tftp-hpa").put(src, "full.bin")
        self.check("Error code 3" in run.stdout + run.stderr,
                   "tftp-hpa: %s, want Error code 3" % run.describe())
        self.check_clean(root, "full.bin")
        self.check_eq(sorted(os.listdir(root)), ["sub"], "the tmpfs")
        # The temporary is closed before it is unlinked, so its space
        # should be free by now; a bounded wait covers a kernel that frees
        # the inode a moment after the last close.
        free = self.eventually(
            lambda: (lambda f: f if f > 900 * 1024 else 0)(tmpfs_free(root)),
            "tmpfs space back", timeout=2.0, every=0.01, fail=False)
        self.check(free > 900 * 1024,
                   "the tmpfs is still full: %d bytes free" % free)
        small = self.files.read("f64K.bin")
        self.put_ok("small.bin", small)
        self.check_stored(root, "small.bin", small)

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


class Doubler:
    """A client socket that sends every DATA twice, and with block n
    (n > 5) block n - 5 again: duplicates, old and new, on the wire."""

    def __init__(self, sock):
        self.sock = sock
        self.sent = {}
        self.data_sent = 0

    def fileno(self):
        return self.sock.fileno()

    def recvfrom(self, n):
        return self.sock.recvfrom(n)

    def sendto(self, raw, addr):
        self.sock.sendto(raw, addr)
        if raw[:2] != b"\x00\x03":
            return
        block = int.from_bytes(raw[2:4], "big")
        self.sock.sendto(raw, addr)
        self.data_sent += 2
        old = self.sent.get((block - 5) & 0xFFFF)
        if block > 5 and old is not None:
            self.sock.sendto(old, addr)
            self.data_sent += 1
        self.sent[block] = raw

    def close(self):
        self.sock.close()
