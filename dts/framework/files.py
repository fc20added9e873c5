# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""The files served in a run: deterministic pseudo-random content.

One root per run, in a temporary folder, deleted at the end. Content comes
from random.Random(name), so a file's bytes are the same on every run and a
failure can be reproduced. The layout:

    <tmp> = /tmp/dpt-files-<pid>-XXXX (a later run removes it if the run
    that made it died without cleaning up)
    <tmp>/secret                  outside the root: must never be served
    <tmp>/root/f0.bin ...         sizes 0, 1, 511, 512, 513, 64 KiB, 1 MiB,
                                  40 MiB
    <tmp>/root/c00.bin..c19.bin   1 MiB each, distinct, for concurrency
    <tmp>/root/text.txt           lines ending in LF, CRLF and bare CR
    <tmp>/root/sub/inner.bin      a file in a subdirectory
    <tmp>/root/link-abs           symlink to /etc/passwd
    <tmp>/root/link-rel           symlink to ../secret
"""

import hashlib
import os
import random
import shutil
import subprocess
import tempfile

KiB = 1024
MiB = 1024 * KiB

SIZES = {
    "f0.bin": 0,
    "f1.bin": 1,
    "f511.bin": 511,
    "f512.bin": 512,
    "f513.bin": 513,
    "f64K.bin": 64 * KiB,
    "f1M.bin": MiB,
    "f40M.bin": 40 * MiB,
    "sub/inner.bin": 4 * KiB,
}
CONCURRENT = ["c%02d.bin" % i for i in range(20)]

SECRET = b"dts secret: this file lies outside the root and must not leak\n"


PREFIX = "dpt-files-"


def remove_stale(parent=None):
    """Delete file trees left by runs that died (kill -9); returns them."""
    parent = parent or tempfile.gettempdir()
    gone = []
    for entry in os.listdir(parent):
        if not entry.startswith(PREFIX):
            continue
        pid = entry[len(PREFIX):].split("-", 1)[0]
        if pid.isdigit() and _run_alive(int(pid)):
            continue
        unmount_under(os.path.join(parent, entry))
        shutil.rmtree(os.path.join(parent, entry), ignore_errors=True)
        gone.append(entry)
    return gone


def unmount_under(top):
    """Unmount what a case mounted below `top` (the upload suite's
    tmpfs), deepest first, lazily: rmtree must not walk into a mount."""
    try:
        with open("/proc/mounts") as f:
            points = [line.split()[1] for line in f]
    except OSError:
        return
    top = os.path.realpath(top) + "/"
    for mnt in sorted((m for m in points if m.startswith(top)),
                      key=len, reverse=True):
        subprocess.run(["umount", "-l", mnt], capture_output=True)


def _run_alive(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return b"run.py" in f.read() or pid == os.getpid()
    except OSError:
        return False


def content(name, size):
    """The bytes of file `name`: the same on every run."""
    return random.Random("dts:" + name).randbytes(size)


def text_content():
    """Text with every line ending netascii has to care about."""
    lines = []
    for i in range(300):
        end = (b"\n", b"\r\n", b"\r", b"\r\r\n", b"\n\r")[i % 5]
        lines.append(b"line %d: the quick brown fox %s" % (i, b"x" * (i % 37))
                     + end)
    # A CR on the last byte of a 512-byte block and one at end of file.
    body = b"".join(lines)
    body = body[:1023] + b"\r" + body[1023:] + b"tail\r"
    return body


def to_netascii(raw):
    """RFC 1350/764 netascii: LF -> CR LF, a CR not before LF -> CR NUL.

    Each CR and each LF of the file is sent on its own: a CR becomes CR NUL
    and an LF becomes CR LF, so CR LF in the file becomes CR NUL CR LF."""
    return raw.replace(b"\r", b"\r\0").replace(b"\n", b"\r\n")


def from_netascii(wire):
    """The inverse of to_netascii: CR LF -> LF, CR NUL -> CR."""
    out = bytearray()
    i = 0
    n = len(wire)
    while i < n:
        c = wire[i]
        if c == 13 and i + 1 < n and wire[i + 1] == 10:
            out.append(10)
            i += 2
        elif c == 13 and i + 1 < n and wire[i + 1] == 0:
            out.append(13)
            i += 2
        else:
            out.append(c)
            i += 1
    return bytes(out)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


class FileSet:
    """The run's served tree. Use as a context manager."""

    def __init__(self, parent=None):
        self.top = tempfile.mkdtemp(prefix="%s%d-" % (PREFIX, os.getpid()),
                                    dir=parent)
        self.root = os.path.join(self.top, "root")
        self.sizes = {}
        self.hashes = {}

    def __enter__(self):
        try:
            self.create()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc):
        self.remove()

    def create(self):
        # tftpd-hpa drops to "nobody": everything world-readable.
        os.chmod(self.top, 0o755)
        os.makedirs(os.path.join(self.root, "sub"), mode=0o755)
        os.chmod(self.root, 0o755)
        with open(os.path.join(self.top, "secret"), "wb") as f:
            f.write(SECRET)
        for name, size in SIZES.items():
            self.add(name, content(name, size))
        for name in CONCURRENT:
            self.add(name, content(name, MiB))
        self.add("text.txt", text_content())
        os.symlink("/etc/passwd", os.path.join(self.root, "link-abs"))
        os.symlink("../secret", os.path.join(self.root, "link-rel"))

    def add(self, name, data):
        path = self.path(name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o644)
        self.sizes[name] = len(data)
        self.hashes[name] = sha256(data)

    def path(self, name):
        return os.path.join(self.root, name)

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    def remove(self):
        unmount_under(self.top)
        shutil.rmtree(self.top, ignore_errors=True)
