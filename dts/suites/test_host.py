# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Host: least privilege and the file rules a PXE site expects.

dptftpd drops to a user once its port is up (tftp, else nobody) with no
capability in any thread; serves only world-readable regular files,
checked before anything is opened; keeps one descriptor per file however
it is spelt; refuses an upload mode that could make a program; prints a
client's names escaped; never erases a file at its console socket's
path; reads absolute symlinks from the root, as tftpd-hpa in a chroot.

Each case serves a small tree of its own:

    <run>/host-N/secret                  outside the root
    <run>/host-N/root/plain.bin          0644
    <run>/host-N/root/private.bin        0600, root's
    <run>/host-N/root/mine.bin           0600, the server user's
    <run>/host-N/root/d/                 an empty folder
    <run>/host-N/root/pxelinux.cfg/default
    <run>/host-N/root/pxelinux.cfg/01-aa-bb-cc-dd-ee-ff -> /pxelinux.cfg/default
    <run>/host-N/root/pxelinux.cfg/escape -> <run>/host-N/secret
"""

import ctypes
import os
import shutil
import struct
import threading
import time

from dts.framework import files as files_mod
from dts.framework.console import blocks, console_run, keyvals, socket_path
from dts.framework.outcome import StartFailure
from dts.framework.suite import TestSuite, requires, timeout
from dts.framework.tftpclient import OP_ERROR, rrq

PLAIN = files_mod.content("host-plain", 3000)
DEFAULT_CFG = b"DEFAULT linux\nLABEL linux\n  KERNEL vmlinuz\n"
SECRET = b"host secret: outside the root\n"
# a name that would forge a line of show sessions and clear the screen
EVIL = "evil\nSession: 999\n\x1b[2J\x1b]0;owned\x07.bin"
EVIL_SHOWN = ("evil\\x0aSession: 999\\x0a\\x1b[2J\\x1b]0;owned\\x07.bin")

IN_OPEN = 0x20


class Inotify:
    """IN_OPEN events on some paths, through libc (no pip package)."""

    def __init__(self, *paths):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        for p in paths:
            if self.libc.inotify_add_watch(self.fd, p.encode(),
                                           IN_OPEN) < 0:
                raise OSError(ctypes.get_errno(), "inotify_add_watch")

    def opens(self):
        """How many IN_OPEN events came since the last call."""
        n = 0
        while True:
            try:
                buf = os.read(self.fd, 4096)
            except BlockingIOError:
                return n
            off = 0
            while off < len(buf):
                _, mask, _, size = struct.unpack_from("iIII", buf, off)
                n += bool(mask & IN_OPEN)
                off += 16 + size

    def close(self):
        os.close(self.fd)


class TestHost(TestSuite):
    """Host: privileges, file rules, descriptors, names, console socket."""

    def _begin_case(self, topo, logdir):
        super()._begin_case(topo, logdir)
        self._trees = []

    def _end_case(self):
        problem = super()._end_case()
        for top in self._trees:
            shutil.rmtree(top, ignore_errors=True)
        return problem

    def tree(self):
        """The case's tree (see the module's docstring); returns its
        root."""
        top = os.path.join(self.files.top, "host-%s" % self.topo.server_ns)
        root = os.path.join(top, "root")
        os.makedirs(os.path.join(root, "pxelinux.cfg"))
        os.makedirs(os.path.join(root, "d"))
        self._trees.append(top)
        for d in (top, root, os.path.join(root, "pxelinux.cfg"),
                  os.path.join(root, "d")):
            os.chmod(d, 0o755)
        self.write(os.path.join(top, "secret"), SECRET, 0o644)
        self.write(os.path.join(root, "plain.bin"), PLAIN, 0o644)
        self.write(os.path.join(root, "private.bin"), PLAIN, 0o600)
        mine = os.path.join(root, "mine.bin")
        self.write(mine, PLAIN, 0o600)
        user = self.env.server_class.default_user()
        os.chown(mine, user.pw_uid, user.pw_gid)
        self.write(os.path.join(root, "pxelinux.cfg", "default"),
                   DEFAULT_CFG, 0o644)
        os.symlink("/pxelinux.cfg/default", os.path.join(
            root, "pxelinux.cfg", "01-aa-bb-cc-dd-ee-ff"))
        os.symlink(os.path.join(top, "secret"), os.path.join(
            root, "pxelinux.cfg", "escape"))
        return root

    @staticmethod
    def write(path, data, mode):
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)

    def server_pid(self, srv):
        """The dptftpd process (ip netns exec execs it)."""
        pid = srv.proc.pid
        with open("/proc/%d/comm" % pid) as f:
            self.check_eq(f.read().strip(), "dptftpd", "process %d" % pid)
        return pid

    def expect_error(self, name, codes):
        """RRQ name from the stdlib client: ERROR in codes, no byte of
        the secret or the private file."""
        client = self.tftp()
        sock = client.socket()
        try:
            sock.sendto(rrq(name), (self.topo.server_ip, 69))
            got = client.receive(sock, 2.0, 4)
        finally:
            sock.close()
        self.log("RRQ %r: %r" % (name, got))
        self.check(got, "RRQ %r: no answer" % name)
        pkt = got[0][0]
        self.check(pkt.opcode == OP_ERROR and pkt.code in codes,
                   "RRQ %r: got %r, want ERROR %s" % (name, pkt, codes))
        for p, _ in got:
            self.check(SECRET not in p.raw and PLAIN[:64] not in p.raw,
                       "RRQ %r: content in %r" % (name, p))

    @requires("cli")
    @timeout(60)
    def test_privileges(self):
        """Steps: start dptftpd as root with no --user and --allow-upload
        create (the root given to the default user); read
        /proc/PID/task/*/status of every thread; fetch plain.bin; upload
        up.bin; start it again with --user root.
        Verifies: the start line names the default user (tftp, else
        nobody); every thread's four uids and gids are that user's and
        its CapPrm, CapEff and CapAmb are 0, NoNewPrivs 1; the file is
        served; up.bin is stored owned by the user; with --user root every
        thread keeps uid 0 and the line says so."""
        root = self.tree()
        user = self.env.server_class.default_user()
        self.give_server(root)
        srv = self.start_server(root=root, allow_upload="create")
        self.check("dptftpd: running as user %s (uid %d, gid %d"
                   % (user.pw_name, user.pw_uid, user.pw_gid)
                   in srv.stdout_text(), "no running-as line: %r"
                   % srv.stdout_text()[:300])
        pid = self.server_pid(srv)
        tasks = os.listdir("/proc/%d/task" % pid)
        self.check(len(tasks) >= 4, "threads: %r" % tasks)
        for tid in tasks:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                st = dict(line.split(":", 1) for line in f if ":" in line)
            name = st["Name"].strip()
            self.log("thread %s %s: Uid %s Gid %s CapPrm %s CapEff %s"
                     % (tid, name, st["Uid"].split(), st["Gid"].split(),
                        st["CapPrm"].strip(), st["CapEff"].strip()))
            self.check_eq(st["Uid"].split(), [str(user.pw_uid)] * 4,
                          "thread %s (%s) uids" % (tid, name))
            self.check_eq(st["Gid"].split(), [str(user.pw_gid)] * 4,
                          "thread %s (%s) gids" % (tid, name))
            for key in ("CapPrm", "CapEff", "CapAmb"):
                self.check_eq(int(st[key], 16), 0,
                              "thread %s (%s) %s" % (tid, name, key))
            self.check_eq(st["NoNewPrivs"].strip(), "1",
                          "thread %s (%s) NoNewPrivs" % (tid, name))
        res = self.tftp().get("plain.bin")
        self.check(res.complete and res.data == PLAIN, "plain.bin: %r"
                   % res)
        self.check(self.tftp().put("up.bin", PLAIN).complete, "upload")
        st = os.stat(os.path.join(root, "up.bin"))
        self.check_eq((st.st_uid, st.st_gid), (user.pw_uid, user.pw_gid),
                      "owner of the uploaded file")
        self.stop_server(srv)

        srv = self.start_server(root=root, user="root")
        self.check("dptftpd: running as root (--user root)" in
                   srv.stdout_text(), "no root line")
        pid = self.server_pid(srv)
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                uids = [l.split()[1:] for l in f if l.startswith("Uid:")][0]
            self.check_eq(uids, ["0"] * 4, "--user root: thread %s" % tid)
        self.stop_server(srv)

    @requires("cli")
    @timeout(60)
    def test_private_file(self):
        """Steps: start dptftpd; RRQ private.bin (0600, root's) and
        mine.bin (0600, the server user's) and plain.bin (0644); start it
        again with --serve-private yes and ask again.
        Verifies: without the world-read bit both get ERROR 2 (tftpd-hpa's
        rule), plain.bin is served; with --serve-private yes mine.bin is
        served byte-exact, private.bin (the user may not read it) is
        still ERROR 2."""
        root = self.tree()
        srv = self.start_server(root=root)
        self.expect_error("private.bin", (2,))
        self.expect_error("mine.bin", (2,))
        self.fetch_bytes("plain.bin", PLAIN)
        self.stop_server(srv)
        self.start_server(root=root, serve_private="yes")
        self.fetch_bytes("mine.bin", PLAIN)
        self.expect_error("private.bin", (2,))

    def start_refused(self, root, rc, line, **options):
        """Starting the server with options must fail: exit rc, and line
        its one "dptftpd: " line on stderr (warnings aside)."""
        srv = self.new_server(root)
        try:
            srv.start(**options)
            self.fail("started with %r" % options)
        except StartFailure:
            pass
        self.check_eq(srv.result.rc, rc, "exit status")
        lines = [l for l in srv.result.stderr.splitlines()
                 if l.startswith("dptftpd: ") and
                 not l.startswith("dptftpd: warning: ")]
        self.check_eq(lines, [line], "stderr")

    def fetch_bytes(self, name, want):
        res = self.tftp().get(name)
        self.check(res.complete, "%s: %r" % (name, res))
        self.expect_bytes(res.data, want, name)

    @requires("cli")
    @timeout(60)
    def test_device_not_opened(self):
        """Steps: make a character device (/dev/zero's numbers) and a
        FIFO in the root; watch both with inotify (IN_OPEN); start a
        writer blocked in open() on the FIFO; RRQ both.
        Verifies: ERROR 2 for each, no DATA; no IN_OPEN on the device and
        the FIFO's writer still waiting (nothing opened them); opening the
        device ourselves then gives an IN_OPEN (the watch works)."""
        root = self.tree()
        dev = os.path.join(root, "zero-device")
        fifo = os.path.join(root, "fifo")
        try:
            os.mknod(dev, 0o20644, os.makedev(1, 5))
        except OSError as e:
            self.skip("cannot mknod in the root: %s" % e)
        os.mkfifo(fifo, 0o644)
        probe = Inotify(dev)
        fd = os.open(dev, os.O_PATH)
        os.close(fd)
        path_counts = probe.opens() > 0    # kernels before 6.5 report O_PATH
        probe.close()
        watch = Inotify(dev, fifo)
        writer = threading.Thread(target=lambda: os.close(
            os.open(fifo, os.O_WRONLY)), daemon=True)
        writer.start()
        self.start_server(root=root)
        self.expect_error("zero-device", (2,))
        self.expect_error("fifo", (2,))
        time.sleep(0.3)
        opened = watch.opens()
        self.check(writer.is_alive(), "the FIFO's writer got a reader: "
                   "the server opened the FIFO")
        if path_counts:
            self.log("this kernel reports O_PATH opens to inotify: the "
                     "device's count is not checked")
        else:
            self.check_eq(opened, 0, "IN_OPEN events on the device and "
                          "the FIFO")
        os.close(os.open(dev, os.O_RDONLY))
        self.check(watch.opens() > 0, "inotify saw no open at all")
        watch.close()
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(5)

    @requires("cli")
    @timeout(90)
    def test_spellings_one_descriptor(self):
        """Steps: start dptftpd; download plain.bin 1,000 times, each by
        another name ("./" repeated, "d/../" repeated, the
        root's own path, leading slashes); count the server's descriptors
        open on plain.bin (/proc/PID/fd).
        Verifies: every download is byte-exact; exactly one descriptor is
        open on the file; show cache lists one entry, plain.bin, with 1
        miss, 999 hits and 1 open file."""
        root = self.tree()
        path = socket_path(self.topo)
        srv = self.start_server(root=root, console_socket=path)
        pid = self.server_pid(srv)
        target = os.path.join(root, "plain.bin")
        names = set()
        for i in range(1000):
            k, m = i % 40, i // 40      # under 512 bytes, the root's path
            name = "./" * k + "d/../" * m + "plain.bin"     # included
            if i % 4 == 1:
                name = "/" * (1 + k % 3) + name
            elif i % 4 == 2:
                name = root + "/" + name
            names.add(name)
        self.check_eq(len(names), 1000, "distinct names")
        client = self.tftp()
        for name in sorted(names):
            res = client.get(name)
            if not res.complete or res.data != PLAIN:
                self.fail("%r: %r" % (name, res))
        fds = []
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                if os.readlink("/proc/%d/fd/%s" % (pid, fd)) == target:
                    fds.append(fd)
            except OSError:
                pass
        self.check_eq(len(fds), 1, "descriptors open on plain.bin")
        out = console_run(self, path, "show cache").stdout
        kv = keyvals(out)
        self.check_eq((kv.get("Entries"), kv.get("Misses"), kv.get("Hits"),
                       kv.get("Open-files")), ("1", "1", "999", "1"),
                      "show cache: Entries, Misses, Hits, Open-files")
        self.check_eq([b.get("File") for b in blocks(out, "File")],
                      ["plain.bin"], "files listed")

    @requires("cli")
    @timeout(40)
    def test_upload_mode_setuid_refused(self):
        """Steps: start dptftpd --allow-upload create --upload-mode 4755,
        then 0755.
        Verifies: neither starts: exit 1 and one stderr line naming
        --upload-mode and the bits beyond 0666; 0640 starts."""
        root = self.tree()
        self.give_server(root)
        for mode in ("4755", "0755"):
            self.start_refused(root, 1, "dptftpd: --upload-mode: '%s' has "
                               "bits beyond 0666 (no setuid, setgid, "
                               "sticky or execute bit) (see --help)" % mode,
                               allow_upload="create", upload_mode=mode)
        self.start_server(root=root, allow_upload="create",
                          upload_mode="0640")

    @requires("cli")
    @timeout(60)
    def test_names_escaped(self):
        """Steps: put a file named "evil\\nSession: 999\\n<ESC>[2J<ESC>]0;
        owned<BEL>.bin" in the root; start dptftpd --console-socket PATH
        --log-level info --allow-upload create; download it slowly and
        run show sessions; upload a file by the same name.
        Verifies: show sessions lists one session whose File is the name
        with each newline, ESC and BEL as \\xNN, no ESC byte in the output;
        the log line of the upload carries the escaped name, and no line
        of the server's output starts with the forged "Session: 999"."""
        root = self.tree()
        self.write(os.path.join(root, EVIL), PLAIN * 200, 0o644)
        self.give_server(root)
        path = socket_path(self.topo)
        srv = self.start_server(root=root, console_socket=path,
                                log_level="info", allow_upload="create")
        stop = threading.Event()
        started = threading.Event()

        def hook(sess, block):
            started.set()
            return stop.is_set()

        client = self.tftp()
        th = threading.Thread(target=lambda: client.get(
            EVIL, ack_delay=0.05, on_data=hook), daemon=True)
        th.start()
        try:
            self.check(started.wait(10), "the slow download did not start")
            out = console_run(self, path, "show sessions").stdout
        finally:
            stop.set()
            th.join(10)
        self.check("\x1b" not in out and "\x07" not in out,
                   "raw escape bytes in show sessions: %r" % out)
        found = blocks(out, "Session")
        self.check_eq(len(found), 1, "sessions listed")
        self.check_eq(found[0].get("File"), EVIL_SHOWN, "File")
        self.check("\nSession: 999\n" not in out, "forged session line")
        up = self.tftp().put(EVIL.replace("evil", "up"), PLAIN)
        self.check(up.complete, "upload: %r" % up)
        result = self.stop_server(srv)
        text = result.stdout + result.stderr
        want = "upload %s: %d bytes" % (EVIL_SHOWN.replace("evil", "up"),
                                        len(PLAIN))
        self.check(want in text, "no log line %r in the output" % want)
        self.check(not any(l.startswith("Session: 999")
                           for l in text.splitlines()),
                   "a forged line in the server's output")

    @requires("cli")
    @timeout(40)
    def test_console_socket_regular_file(self):
        """Steps: write a configuration file at a path; start dptftpd
        --console-socket that path.
        Verifies: exit 2 with one stderr line saying a regular file is
        there, not a socket, left untouched; the file keeps its bytes."""
        path = os.path.join(self.files.top, "%s.ini" % self.topo.server_ns)
        body = b"[server]\nroot = /srv/tftp\n"
        self.write(path, body, 0o644)
        self._trees.append(path)
        self.start_refused(self.tree(), 2, "dptftpd: console socket %s: a "
                           "regular file is there, not a socket; left "
                           "untouched (remove it or choose another path)"
                           % path, console_socket=path)
        with open(path, "rb") as f:
            self.expect_bytes(f.read(), body, path)

    @timeout(60)
    def test_absolute_symlinks(self):
        """Steps: start dptftpd; fetch pxelinux.cfg/01-aa-bb-cc-dd-ee-ff
        (-> /pxelinux.cfg/default, as a tree made for tftpd-hpa -s has)
        with tftp-hpa and the stdlib client; RRQ pxelinux.cfg/escape
        (-> the absolute path of a file outside the root).
        Verifies: the first is served with pxelinux.cfg/default's bytes;
        the second gets ERROR 1 or 2 and no byte of the file outside."""
        root = self.tree()
        self.start_server(root=root)
        name = "pxelinux.cfg/01-aa-bb-cc-dd-ee-ff"
        self.fetch_bytes(name, DEFAULT_CFG)
        out = self.out("hpa.cfg")
        run = self.client("tftp-hpa").get(name, out)
        self.check(run.ok, "tftp-hpa: %s" % run.describe())
        with open(out, "rb") as f:
            self.expect_bytes(f.read(), DEFAULT_CFG, "tftp-hpa's copy")
        self.expect_error("pxelinux.cfg/escape", (1, 2))
