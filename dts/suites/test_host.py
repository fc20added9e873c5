# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Host: least privilege and the file rules a PXE site expects.

dptftpd drops to a user once its port is up (tftp, else nobody) with no
capability in any thread, and drops the ambient ones systemd gives a
server started as that user (setpriv here); refuses to start when the
user could not write its upload folders; serves only world-readable
regular files, checked before anything is opened; keeps one descriptor
per file however it is spelt; refuses an upload mode that could make a
program; prints a client's names escaped; never erases a file at its
console socket's path; reads absolute symlinks from the root, as
tftpd-hpa in a chroot.

Each case serves a small tree of its own:

    <run>/host-N/secret                  outside the root
    <run>/host-N/root/plain.bin          0644
    <run>/host-N/root/private.bin        0600, root's
    <run>/host-N/root/mine.bin           0600, the server user's
    <run>/host-N/root/d/                 an empty folder
    <run>/host-N/root/pxelinux.cfg/default
    <run>/host-N/root/pxelinux.cfg/01-aa-bb-cc-dd-ee-ff -> /pxelinux.cfg/default
    <run>/host-N/root/pxelinux.cfg/escape -> <run>/host-N/secret
    <run>/host-N/run/                    XDG_RUNTIME_DIR of a server
                                         started as the user
"""

import os
import shutil
import threading
import time

from dts.framework import files as files_mod
from dts.framework.console import blocks, console_run, keyvals, socket_path
from dts.framework.hostproc import Inotify, check_threads
from dts.framework.outcome import StartFailure
from dts.framework.suite import TestSuite, backends, requires, timeout
from dts.framework.tftpclient import OP_ERROR, rrq

PLAIN = files_mod.content("host-plain", 3000)
DEFAULT_CFG = b"DEFAULT linux\nLABEL linux\n  KERNEL vmlinuz\n"
SECRET = b"host secret: outside the root\n"
# a name that would forge a line of show sessions and clear the screen
EVIL = "evil\nSession: 999\n\x1b[2J\x1b]0;owned\x07.bin"
EVIL_SHOWN = ("evil\\x0aSession: 999\\x0a\\x1b[2J\\x1b]0;owned\\x07.bin")
# Capability sets a thread of an unprivileged server has empty.
NO_CAPS = ("CapInh", "CapPrm", "CapEff", "CapAmb")


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

        def sealed(tid, name, st):
            self.check_eq(st["NoNewPrivs"], "1",
                          "thread %s (%s) NoNewPrivs" % (tid, name))

        check_threads(self, pid, user.pw_uid, user.pw_gid,
                      ("CapPrm", "CapEff", "CapAmb"), sealed, min_threads=4)
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
        check_threads(self, self.server_pid(srv), uid=0)
        self.stop_server(srv)

    def as_user(self, root, caps):
        """A server that starts as systemd's unit starts it: as the
        default user and its group from its first instant (setpriv), caps
        inheritable and ambient, EAL's runtime folder under an
        XDG_RUNTIME_DIR of the user's (RuntimeDirectory=); not started."""
        if shutil.which("setpriv") is None:
            self.skip("setpriv is not installed")
        user = self.env.server_class.default_user()
        run = os.path.join(os.path.dirname(root), "run")
        os.makedirs(run, 0o700, exist_ok=True)
        os.chown(run, user.pw_uid, user.pw_gid)
        want = ",".join("+" + c for c in caps) or "-all"
        srv = self.new_server(root)
        srv.wrap = ["env", "XDG_RUNTIME_DIR=" + run, "setpriv",
                    "--reuid=%d" % user.pw_uid, "--regid=%d" % user.pw_gid,
                    "--init-groups", "--inh-caps=" + want,
                    "--ambient-caps=" + want]
        return srv

    def running_line(self, srv):
        """The server's one "dptftpd: running as ..." line."""
        lines = [l for l in srv.stdout_text().splitlines()
                 if l.startswith("dptftpd: running as ")]
        self.check_eq(len(lines), 1, "running-as lines in %r"
                      % srv.stdout_text()[:300])
        return lines[0]

    @backends("socket")
    @requires("cli")
    @timeout(60)
    def test_ambient_capability(self):
        """Steps: start dptftpd as dist/systemd/dptftpd.service does:
        through setpriv as the default user and its group, with
        CAP_NET_BIND_SERVICE inheritable and ambient, no --user, on port
        69; fetch plain.bin; read /proc/PID/task/*/status of every
        thread; then start it so with no capability at all.
        Verifies: the running-as line is exactly "running as user U (uid
        N, gid G; as started), capabilities: none"; the file is served
        byte-exact; every thread's uids and gids are the user's and its
        CapInh, CapPrm, CapEff and CapAmb are 0 (the ambient capability
        dropped in each); without the capability the start fails (exit
        2: port 69 needed it, so the first run really held it)."""
        root = self.tree()
        user = self.env.server_class.default_user()
        srv = self.as_user(root, ["net_bind_service"]).start()
        self.check_eq(self.running_line(srv), "dptftpd: running as user %s "
                      "(uid %d, gid %d; as started), capabilities: none"
                      % (user.pw_name, user.pw_uid, user.pw_gid),
                      "running-as line")
        self.fetch_bytes("plain.bin", PLAIN)
        check_threads(self, self.server_pid(srv), user.pw_uid, user.pw_gid,
                      NO_CAPS, min_threads=4)
        self.stop_server(srv)
        bare = self.as_user(root, [])
        try:
            bare.start()
            self.fail("started on port 69 with no capability")
        except StartFailure:
            pass
        self.check_eq(bare.result.rc, 2, "exit status with no capability")
        self.check("dptftpd: cannot bind %s:69: Permission denied"
                   % self.topo.server_ip in bare.result.stderr,
                   "no bind refusal: %r" % bare.result.stderr[-300:])

    @requires("cli")
    @timeout(40)
    def test_upload_folder_not_writable(self):
        """Steps: make inc, a folder of root's (0755) in the root (also
        root's, 0755); start dptftpd as root with no --user and
        --allow-upload create --upload-dir inc; then with no
        --upload-dir; then --upload-dir inc once inc is the user's.
        Verifies: the first two do not start: exit 2 and one stderr line
        naming the folder and the user ("--upload-dir inc: ROOT/inc is not
        writable by user U (Permission denied)", "--allow-upload (no
        --upload-dir): ROOT is not writable by user U (Permission
        denied)"); the third starts."""
        root = self.tree()
        inc = os.path.join(root, "inc")
        os.mkdir(inc)
        os.chmod(inc, 0o755)
        user = self.env.server_class.default_user().pw_name
        self.start_refused(root, 2, "dptftpd: --upload-dir inc: %s is not "
                           "writable by user %s (Permission denied)"
                           % (inc, user), allow_upload="create",
                           upload_dir="inc")
        self.start_refused(root, 2, "dptftpd: --allow-upload (no "
                           "--upload-dir): %s is not writable by user %s "
                           "(Permission denied)" % (root, user),
                           allow_upload="create")
        self.give_server(inc)
        self.start_server(root=root, allow_upload="create", upload_dir="inc")

    @backends("afpacket")
    @requires("cli")
    @timeout(90)
    def test_afpacket_keeps_nothing(self):
        """Steps: on the afpacket backend, start dptftpd as root with no
        --user; fetch plain.bin through the port; read
        /proc/PID/task/*/status of every thread; then start it as the user
        from its first instant, through setpriv, with CAP_NET_RAW and
        CAP_NET_ADMIN and CAP_IPC_LOCK ambient, as
        dist/systemd/afpacket.conf gives (net_af_packet maps its rings
        MAP_LOCKED, more than an 8 MiB RLIMIT_MEMLOCK allows: without
        CAP_IPC_LOCK mmap fails, EAGAIN); the same again.
        Verifies: each time the running-as line ends "capabilities: none"
        and the file is served byte-exact; started as root, every thread
        has the user's uids and gids and CapInh, CapPrm, CapEff, CapAmb
        and CapBnd 0 (net_af_packet keeps nothing); started as the user,
        every thread has CapInh, CapPrm, CapEff and CapAmb 0."""
        root = self.tree()
        user = self.env.server_class.default_user()
        for srv, zero in ((self.new_server(root), NO_CAPS + ("CapBnd",)),
                          (self.as_user(root, ["net_raw", "net_admin",
                                               "ipc_lock"]),
                           NO_CAPS)):
            srv.start()
            line = self.running_line(srv)
            self.check(line.endswith(", capabilities: none"),
                       "running-as line: %r" % line)
            self.fetch_bytes("plain.bin", PLAIN)
            check_threads(self, self.server_pid(srv), user.pw_uid,
                          user.pw_gid, zero, min_threads=4)
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
