# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""An upload tree of the case's own, and the checks on what uploads left
in it (suites upload and upload_policy).

Each case of an UploadSuite serves a root of its own (an upload tree
beside the run's files, or a small tmpfs), so what one case stores never
shows in another:

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
import subprocess
import time

from . import files as files_mod
from .console import socket_path
from .suite import TestSuite
from .tftpclient import problem

TMP_PREFIX = ".dptftp-upload."
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


class UploadSuite(TestSuite):
    """A suite whose cases upload into a tree of their own (tree())."""

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

    def fetch_stdlib_bytes(self, name, want):
        res = self.tftp().get(name, options=[("blksize", 1468)])
        self.check(res.ok, "get %s: %s" % (name, problem(res)))
        self.expect_bytes(res.data, want, "get %s" % name)



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
