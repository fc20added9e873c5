# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Packaging: what `meson install` ships, and the systemd contract.

`meson install` puts dptftpd, dptftp-bench and dptftp-console in bin,
their manual pages (written from the option tables), a commented sample
configuration (and /etc/dptftpd/dptftpd.ini from it when there is none),
the systemd unit (Type=notify, ExecReload, hugepages only when the
configuration asks) with its drop-ins, and the documentation. dptftpd
tells systemd it is ready over $NOTIFY_SOCKET, and takes EAL arguments
from the configuration's [eal] section.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from dts.framework.suite import TestSuite, backends, requires, timeout


class TestPackaging(TestSuite):
    """Packaging: meson install, sd_notify, [eal]."""

    def _run(self, argv, timeout_s=120, **kw):
        self.log("run: " + " ".join(argv))
        p = subprocess.run(argv, capture_output=True, text=True,
                           timeout=timeout_s, **kw)
        self.log("rc %d\n%s%s" % (p.returncode, p.stdout[-3000:],
                                  p.stderr[-3000:]))
        return p

    @requires("cli")
    @backends("socket")
    @timeout(180)
    def test_meson_install(self):
        """Steps: meson install --destdir TMP; render both manual pages
        with man --warnings; run the installed dptftpd with the installed
        configuration (--version); read the unit; systemd-analyze verify
        it.
        Verifies: the binaries, dptftp-console, man8/dptftpd.8 and
        man1/dptftp-bench.1 (no troff warning; every option of --help in
        the page), the sample and /etc/dptftpd/dptftpd.ini (it parses),
        the unit with Type=notify, ExecReload, ExecStartPre=+... --reserve-
        hugepages, LogsDirectory and a Documentation= file that is
        installed, the drop-ins, the example alerts and the docs; a second
        install leaves an edited /etc file as it is; systemd-analyze
        finds no error in the unit's syntax."""
        dest = tempfile.mkdtemp(prefix="dpt-install-")
        try:
            self._install_checks(dest)
        finally:
            shutil.rmtree(dest, ignore_errors=True)

    def _install_checks(self, dest):
        p = self._run(["meson", "install", "-C", self.env.build,
                       "--destdir", dest, "--no-rebuild", "--quiet"])
        self.check_eq(p.returncode, 0, "meson install")
        prefix = dest + "/usr/local"
        want = ["bin/dptftpd", "bin/dptftp-bench", "bin/dptftp-console",
                "share/man/man8/dptftpd.8", "share/man/man1/dptftp-bench.1",
                "share/dptftp/dptftpd.ini",
                "lib/systemd/system/dptftpd.service",
                "share/dptftp/systemd/afpacket.conf",
                "share/dptftp/systemd/af-xdp.conf",
                "share/dptftp/systemd/dpdk-nic.conf",
                "share/dptftp/prometheus/dptftpd.rules.yml",
                "share/doc/dptftp/deploy.md", "share/doc/dptftp/migrate.md"]
        missing = [w for w in want if not os.path.exists(prefix + "/" + w)]
        self.check(not missing, "not installed: %r" % missing)
        self.check(os.access(prefix + "/bin/dptftp-console", os.X_OK),
                   "dptftp-console is not executable")
        for page in ("man8/dptftpd.8", "man1/dptftp-bench.1"):
            p = self._run(["man", "--warnings", "-l",
                           prefix + "/share/man/" + page],
                          env=dict(os.environ, MANWIDTH="80"))
            self.check(p.returncode == 0 and not p.stderr.strip(),
                       "%s: %s" % (page, p.stderr.strip()[:300]))
        page = self._run(["man", "-l", prefix + "/share/man/man8/dptftpd.8"],
                         env=dict(os.environ, MANWIDTH="200")).stdout
        helptext = self._run([prefix + "/bin/dptftpd", "--help"]).stdout
        opts = set(re.findall(r"^  (?:-\w, )?(--[a-z][a-z0-9-]+)", helptext,
                              re.M))
        self.check(len(opts) > 50, "options read from --help: %r" % opts)
        lost = sorted(o for o in opts if o not in page)
        self.check(not lost, "options of --help not in dptftpd(8): %r"
                   % lost)
        etc = dest + "/etc/dptftpd/dptftpd.ini"
        p = self._run([prefix + "/bin/dptftpd", "--config", etc,
                       "--version"])
        self.check_eq(p.returncode, 0, "dptftpd --config the sample")
        with open(prefix + "/lib/systemd/system/dptftpd.service") as f:
            unit = f.read()
        for line in ("Type=notify", "NotifyAccess=main",
                     "ExecStartPre=+/usr/local/bin/dptftpd --config "
                     "/etc/dptftpd/dptftpd.ini --reserve-hugepages",
                     "ExecStart=/usr/local/bin/dptftpd --config "
                     "/etc/dptftpd/dptftpd.ini",
                     "ExecReload=/bin/kill -HUP $MAINPID",
                     "LogsDirectory=dptftpd", "User=tftp"):
            self.check(line + "\n" in unit, "unit lacks %r" % line)
        doc = re.search(r"^Documentation=.*file://(\S+)", unit, re.M)
        self.check(doc and os.path.exists(dest + doc.group(1)),
                   "Documentation= file not installed: %r"
                   % (doc.group(1) if doc else None))
        with open(etc, "a") as f:
            f.write("# edited\n")
        p = self._run(["meson", "install", "-C", self.env.build,
                       "--destdir", dest, "--no-rebuild", "--quiet"])
        with open(etc) as f:
            self.check(f.read().endswith("# edited\n"),
                       "a second install overwrote the configuration")
        p = self._run(["systemd-analyze", "verify",
                       prefix + "/lib/systemd/system/dptftpd.service"])
        bad = [l for l in (p.stdout + p.stderr).splitlines()
               if re.search(r"Unknown|Failed to parse|[Ii]nvalid|"
                            r"[Uu]nsupported", l)]
        self.check(not bad, "systemd-analyze verify: %r" % bad)

    @requires("cli")
    @timeout(60)
    def test_sd_notify(self):
        """Steps: bind a Unix datagram socket; start dptftpd with
        NOTIFY_SOCKET naming it (as systemd does for Type=notify); SIGHUP;
        SIGTERM.
        Verifies: READY=1 (with a STATUS) once the ready line is out,
        RELOADING=1 then READY=1 on SIGHUP, STOPPING=1 at the stop; the
        socket is reached although dptftpd runs as another user by then."""
        path = "/tmp/%s.notify" % self.topo.server_ns
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        os.chmod(path, 0o600)       # root's: reached before the switch
        sock.settimeout(0.2)
        got = []

        def drain(secs):
            end = time.monotonic() + secs
            while time.monotonic() < end:
                try:
                    got.append(sock.recv(4096).decode())
                except socket.timeout:
                    pass

        os.environ["NOTIFY_SOCKET"] = path
        try:
            srv = self.start_server()
        finally:
            del os.environ["NOTIFY_SOCKET"]
        try:
            drain(0.5)
            self.check(got and got[0].startswith("READY=1\nSTATUS=serving "),
                       "first message: %r" % got)
            srv.send_signal(signal.SIGHUP)
            drain(0.5)
            self.check(got[1:3] == ["RELOADING=1", "READY=1"],
                       "on SIGHUP: %r" % got[1:])
            self.stop_server(srv)
            drain(0.3)
            self.check(any(m.startswith("STOPPING=1") for m in got[3:]),
                       "at the stop: %r" % got[3:])
        finally:
            sock.close()
            os.unlink(path)

    @requires("cli")
    @backends("socket")
    @timeout(60)
    def test_eal_args_from_config(self):
        """Steps: a configuration whose [eal] eal-args gives five lcores
        on CPU 0 and no hugepages; start dptftpd with it and no EAL
        arguments on the command line; fetch f64K.bin; run
        --reserve-hugepages with it.
        Verifies: EAL took them: 2 workers in the pipeline layout (by
        itself dptftpd picks 1 compact on this host); the download is
        byte-exact; --reserve-hugepages does nothing and exits 0 when the
        configuration asks for no hugepages."""
        path = "/tmp/%s.ini" % self.topo.server_ns
        with open(path, "w") as f:
            f.write("[eal]\neal-args = --lcores 0@0,1@0,2@0,3@0,4@0 "
                    "--no-huge -m 512 --no-pci\n")
        os.chmod(path, 0o644)
        try:
            srv = self.start_server(config=path)
            ready = [l for l in srv.stdout_text().splitlines()
                     if l.startswith("dptftpd: ready:")]
            self.check(ready and "2 workers" in ready[0] and
                       "pipeline layout" in ready[0], "ready: %r" % ready)
            self.fetch_stdlib("f64K.bin")
            self.stop_server(srv)
            p = self._run([srv.binary, "--config", path, "--root",
                           self.files.root, "--reserve-hugepages"])
            self.check(p.returncode == 0 and p.stdout == "",
                       "--reserve-hugepages: rc %d %r" % (p.returncode,
                                                          p.stdout))
        finally:
            os.unlink(path)

    @backends("socket")
    @timeout(60)
    def test_reserve_hugepages_from_config(self):
        """Steps: a configuration whose [eal] hugepages asks for 2 MiB
        pages beyond what the kernel holds now; run dptftpd --config it
        --reserve-hugepages, as the unit's ExecStartPre does; put the
        page count and hugetlbfs back as they were.
        Verifies: the configuration was read (the flag does not skip it):
        vm.nr_hugepages rose to what it asked, hugetlbfs is mounted on
        /dev/hugepages, and the line says how many pages are reserved."""
        nr = "/proc/sys/vm/nr_hugepages"
        with open(nr) as f:
            before = int(f.read())
        mounted = self._hugetlbfs_mounted()
        want = before + 2
        path = "/tmp/%s.ini" % self.topo.server_ns
        with open(path, "w") as f:
            f.write("[eal]\nhugepages = %dM\n" % (want * 2))
        try:
            p = self._run([os.path.join(self.env.build, "app", "dptftpd",
                                        "dptftpd"), "--config", path,
                           "--reserve-hugepages"])
            with open(nr) as f:
                now = int(f.read())
            self.check(p.returncode == 0, "--reserve-hugepages: rc %d %r"
                       % (p.returncode, p.stderr))
            self.check_eq(now, want, "vm.nr_hugepages after it")
            self.check(self._hugetlbfs_mounted(), "hugetlbfs not mounted "
                       "on /dev/hugepages")
            self.check("%d of 2 MiB reserved" % want in p.stdout,
                       "its line: %r" % p.stdout)
        finally:
            os.unlink(path)
            with open(nr, "w") as f:
                f.write("%d\n" % before)
            if not mounted and self._hugetlbfs_mounted():
                subprocess.run(["umount", "/dev/hugepages"], check=False)

    @staticmethod
    def _hugetlbfs_mounted():
        with open("/proc/mounts") as f:
            return any(l.split()[1:3] == ["/dev/hugepages", "hugetlbfs"]
                       for l in f)
