# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Upload policy: what dptftpd stores, where, and how much.

--allow-upload off, create or replace; --upload-dir and --upload-pattern;
names that escape the root; --upload-max and a full disk. Each case
uploads into a tree of its own (dts/framework/uploads.py), with a file
to replace (existing.bin), folders, and symlinks out of the root, and
checks after every refusal that nothing anywhere in the tree changed and
no `.dptftp-upload.*` temporary is left. Uploads as such (sizes, clients,
failures): suite upload.
"""

import os
import threading

from dts.framework import files as files_mod
from dts.framework.outcome import Failure
from dts.framework.suite import params, requires, timeout
from dts.framework.tftpclient import OP_ERROR, problem
from dts.framework.uploads import EXISTING, VICTIM, UploadSuite, tmpfs_free


class TestUploadPolicy(UploadSuite):
    """Upload policy: --allow-upload, where uploads may go, limits."""

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

