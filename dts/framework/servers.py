# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""The server under test: dptftpd, or tftpd-hpa's in.tftpd as a stand-in.

Both run inside the server namespace, started through `ip netns exec`,
in a session of their own (so their children can be reaped), with stdout
and stderr written to files in the case's log folder. start() returns once
the server is ready; stop() sends a signal and returns a ServerResult with
the exit status and, for dptftpd, the counters it prints on the way out.

Each class lists the features it has; a case asking for one it lacks is
skipped. Options a case passes are dptftpd's long options, spelled with
underscores (blksize_max="1468" is --blksize-max 1468; a list repeats the
option: upload_dir=["a", "b"]). Options listed in TUNING only make a case
finish sooner; a server without them runs without.
"""

import os
import pwd
import re
import signal
import subprocess
import time

from . import topology
from .netns import ns_argv
from .outcome import Failure, Skip, StartFailure
from .wait import eventually


READY_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0
COUNTER_RE = re.compile(r"^(.+?): (\d+)$")

# dptftpd options that only speed a case up; others change behaviour.
TUNING = {"timeout", "retries", "stats_period", "log_level"}


def kill_group(proc, wait_s=5):
    """SIGKILL proc's whole process group (started with
    start_new_session) and reap proc, giving up after wait_s."""
    try:    # the group too when proc is gone: children it forked
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(wait_s)
    except subprocess.TimeoutExpired:
        pass


class ServerResult:
    """How a server ended: rc (negative: killed by that signal), the
    counters ({"Total sessions-started": 3, ...}), its output."""

    def __init__(self, rc, stdout, stderr, killed=False, early=False):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.killed = killed        # we had to SIGKILL it
        self.early = early          # it had exited before we signalled
        self.counters = parse_counters(stdout)

    def counter(self, key):
        if key not in self.counters:
            raise Failure("server printed no counter %r" % key)
        return self.counters[key]

    def worker_counter(self, key):
        """{worker index: value} for `Worker k <key>` lines."""
        return per_worker(self.counters, key)

    def value(self, key):
        """The text after `key: ` on a line of the output (for values that
        are not numbers, e.g. "Port 0 TX-checksum-offload")."""
        for line in self.stdout.splitlines():
            if line.startswith(key + ": "):
                return line[len(key) + 2:].strip()
        raise Failure("server printed no %r line" % key)

    def __repr__(self):
        return "ServerResult(rc=%s, killed=%s, %d counters)" % (
            self.rc, self.killed, len(self.counters))


def parse_counters(text):
    counters = {}
    for line in text.splitlines():
        m = COUNTER_RE.match(line.rstrip("\r"))
        if m:
            counters[m.group(1)] = int(m.group(2))
    return counters


def per_worker(counters, key):
    """{worker index: value} of the `Worker k <key>` counters (as
    parse_counters() reads them)."""
    got = {}
    for k, v in counters.items():
        m = re.match(r"^Worker (\d+) (.+)$", k)
        if m and m.group(2) == key:
            got[int(m.group(1))] = v
    return got


def parse_duration(text):
    """'200ms', '1s', '250us', '0.5' (seconds, as dptftpd reads it) ->
    seconds."""
    m = re.match(r"^\s*([\d.]+)\s*(ms|s|us)?\s*$", str(text))
    if not m:
        raise ValueError("bad duration %r" % text)
    value = float(m.group(1))
    return value / {"ms": 1e3, "s": 1.0, "us": 1e6, None: 1.0}[m.group(2)]


def _udp_bound(pid, ip, port):
    """True when a UDP socket in pid's namespace is bound to ip:port."""
    want_ip = "".join("%02X" % int(x) for x in reversed(ip.split(".")))
    want = "%s:%04X" % (want_ip, port)
    anyaddr = "00000000:%04X" % port
    try:
        with open("/proc/%d/net/udp" % pid) as f:
            for line in f.readlines()[1:]:
                local = line.split()[1]
                if local in (want, anyaddr):
                    return True
    except OSError:
        pass
    return False


def user_entry(*names):
    """The passwd entry of the first of names that exists on this host."""
    for name in names:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            pass
    raise Failure("no user %s on this host" % " or ".join(names))


class Server:
    """Common lifecycle; subclasses say how to build argv and when the
    server is ready."""

    name = "server"
    features = set()
    # Who the server runs as once it is up, started as root with no
    # option saying otherwise: files it writes must be writable by them.
    DEFAULT_USERS = ("nobody",)

    @classmethod
    def default_user(cls):
        """The passwd entry of the user the server switches to."""
        return user_entry(*cls.DEFAULT_USERS)

    def __init__(self, topo, root, logdir, build=None, eal_args=(),
                 port=69, log=print):
        self.topo = topo
        self.root = root
        self.logdir = logdir
        self.build = build
        self.eal_args = list(eal_args)
        self.port = port
        self.log = log
        self.proc = None
        self.result = None
        self.options = {}
        # Put before the server's argv inside the namespace, a command
        # that execs the rest (env, setpriv): the pid is still the
        # server's.
        self.wrap = []
        self._out = self._err = None
        self._from = (0, 0)
        self.stdout_path = os.path.join(logdir, "%s.stdout" % self.name)
        self.stderr_path = os.path.join(logdir, "%s.stderr" % self.name)

    # -------------------------------------------------------- subclassing

    def supports(self, option):
        raise NotImplementedError

    def argv(self, options):
        raise NotImplementedError

    def ready(self):
        raise NotImplementedError

    def after_ready(self):
        """Called once the server is ready (the tap backend's link)."""

    def after_exit(self):
        """Called once the server has exited."""

    # --------------------------------------------------------- lifecycle

    def command(self, **options):
        """The argv start() would run (no checks on options)."""
        return ns_argv(self.topo.server_ns,
                       list(self.wrap) + self.argv(options))

    def start(self, **options):
        """Start with dptftpd-style options; wait until ready."""
        kept = {}
        for key, value in options.items():
            if value is None:
                continue
            if self.supports(key):
                kept[key] = value
            elif key in TUNING:
                self.log("%s: no %s option; running without it"
                         % (self.name, key))
            else:
                raise Skip("%s has no --%s" % (self.name,
                                               key.replace("_", "-")))
        self.options = kept
        argv = self.command(**kept)
        self.log("start: " + " ".join(argv))
        os.makedirs(self.logdir, exist_ok=True)
        self._out = open(self.stdout_path, "ab")
        self._err = open(self.stderr_path, "ab")
        # A case may start the server again: the files keep every run,
        # but ready() and the result read this run's part only.
        self._from = (self._out.tell(), self._err.tell())
        self.proc = subprocess.Popen(argv, stdout=self._out, stderr=self._err,
                                     stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + READY_TIMEOUT
        while not self.ready():
            if self.proc.poll() is not None:
                rc = self.proc.returncode
                self._close()
                # Reported here; teardown need not find it dead again.
                self.result = ServerResult(rc, self.stdout_text(),
                                           self.stderr_text(), early=True)
                raise StartFailure("%s exited (rc %d) before ready: %s"
                              % (self.name, rc, self.stderr_text().strip()
                                 [-400:]))
            if time.monotonic() > deadline:
                self.kill()
                raise StartFailure("%s not ready within %.0fs"
                              % (self.name, READY_TIMEOUT))
            time.sleep(0.02)
        self.log("%s ready (pid %d)" % (self.name, self.proc.pid))
        self.after_ready()
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig):
        if self.running():
            os.kill(self.proc.pid, sig)

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Signal the server, wait for it; returns a ServerResult. A server
        that does not exit in `timeout` seconds is killed (-9) and that
        is reported by the result's `killed`."""
        if self.proc is None:
            return self.result
        if self.result is not None:
            return self.result
        killed = False
        early = self.proc.poll() is not None
        if not early:
            os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.log("%s ignored signal %d for %.0fs: kill -9"
                         % (self.name, sig, timeout))
                killed = True
                self.kill()
        self._reap_group()
        self._close()
        self.after_exit()
        self.result = ServerResult(self.proc.returncode, self.stdout_text(),
                                   self.stderr_text(), killed, early)
        self.log("%s stopped: rc %s" % (self.name, self.proc.returncode))
        return self.result

    def kill(self):
        if self.proc is not None:
            kill_group(self.proc)

    def _reap_group(self):
        # in.tftpd forks a child per transfer; leave nothing behind.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def _close(self):
        for f in (self._out, self._err):
            if f is not None:
                f.close()
        self._out = self._err = None

    def stdout_text(self):
        """What this run printed on stdout (so far)."""
        return _read(self.stdout_path, self._from[0])

    def stderr_text(self):
        return _read(self.stderr_path, self._from[1])

    def check_exit(self, result):
        """Raise Failure unless `result` is a clean exit."""
        if result.early:
            err = result.stderr.strip()
            raise Failure("%s exited by itself (rc %s) during the case%s"
                          % (self.name, result.rc,
                             ": " + err[-300:] if err else ""))
        if result.killed:
            raise Failure("%s did not exit within %.0fs of the signal"
                          % (self.name, STOP_TIMEOUT))


_help_texts = {}


def help_text(binary):
    """`binary --help`, run once per binary (what options it has)."""
    if binary not in _help_texts:
        try:
            p = subprocess.run([binary, "--help"], capture_output=True,
                               text=True, timeout=10)
            _help_texts[binary] = p.stdout + p.stderr
        except (OSError, subprocess.TimeoutExpired):
            _help_texts[binary] = ""
    return _help_texts[binary]


def _read(path, offset=0):
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


class Dptftpd(Server):
    """BUILD/app/dptftpd/dptftpd on one of four port backends:

    socket     the kernel's UDP sockets (--listen 10.99.0.1:69)
    afpacket   --iface dsrv0 --ip 10.99.0.1/24: dptftpd hot-plugs
               net_af_packet over the veth and does ARP, IP and ICMP
    xdp        --iface dsrv0 --xdp auto --ip 10.99.0.1/24: the same over
               net_af_xdp (copy mode on a veth)
    tap        EAL makes a net_tap port (--vdev net_tap0,iface=dtap0) and
               dptftpd serves on it (--iface net_tap0); once it is ready
               the topology moves dtap0 into the client namespace

    With a VLAN, an MTU or IPv6 set on the topology, the ethdev backends
    get --vlan, --mtu and --ip6. A dptftpd that has --instance (EAL's file
    prefix, one per running server) gets the server namespace's name,
    unique to the case; the topology removes that folder of
    /var/run/dpdk."""

    name = "dptftpd"
    features = {"counters", "workers", "balance", "windowsize",
                "shutdown-report", "cli"}
    # --user's default (dptftpd --help)
    DEFAULT_USERS = ("tftp", "nobody")
    OPTIONS = {"port_range", "workers", "balance", "blksize_max",
               "windowsize_max", "timeout", "retries", "max_sessions",
               "stats_period", "config", "log_level", "listen", "instance",
               # uploads, the cache, the console, PXE compatibility
               "allow_upload", "upload_dir", "upload_pattern", "upload_max",
               "upload_mode", "upload_fsync", "cache_size", "preload",
               "console_socket", "single_port", "max_per_client",
               "map_file", "refuse", "blksize_max_for",
               "reply_limit", "reply_limit_total",
               # qualifies the --iface the ethdev backends put first
               "rx_queues", "xdp",
               # host hardening
               "user", "serve_private", "max_open_files",
               # operations
               "transfer_log", "drain_timeout", "metrics_listen",
               "cmdline_file",
               # rate limits
               "session_rate", "port_rate"}
    # EAL arguments for the tap backend unless --eal-args says otherwise;
    # the vdev and a file prefix of the case's own are added to either.
    TAP_EAL = ["-l", "0-1", "--no-huge", "-m", "512", "--no-pci"]

    def __init__(self, *args, backend="socket", **kwargs):
        super().__init__(*args, **kwargs)
        self.backend = backend

    @property
    def binary(self):
        return os.path.join(self.build, "app", "dptftpd", "dptftpd")

    def supports(self, option):
        return option in self.OPTIONS

    def eal(self):
        """The EAL arguments put before `--` (none: dptftpd's own)."""
        if self.backend != "tap":
            return list(self.eal_args)
        eal = list(self.eal_args or self.TAP_EAL)
        eal += ["--vdev", "%s,iface=%s" % (topology.TAP_PORT,
                                           topology.TAP_IF)]
        if not any(a.startswith("--file-prefix") for a in eal) and \
           not self.has_instance():
            # Two dptftpd with one prefix clash; the topology removes
            # this folder with the namespaces. (--instance sets it.)
            eal += ["--file-prefix", self.topo.server_ns]
        return eal

    def has_instance(self):
        return "--instance" in help_text(self.binary)

    def argv(self, options):
        argv = [self.binary]
        eal = self.eal()
        if eal:
            argv += eal + ["--"]
        argv += ["--root", self.root]
        if self.backend != "socket":
            argv += ["--iface", self.topo.server_if,
                     "--ip", "%s/%d" % (self.topo.server_ip,
                                        topology.PREFIXLEN)]
            if getattr(self.topo, "server_ip6", None) is not None:
                argv += ["--ip6", "%s/%d" % (self.topo.server_ip6,
                                             topology.PREFIXLEN6)]
            if self.topo.vlan is not None:
                argv += ["--vlan", str(self.topo.vlan)]
            if self.topo.mtu != 1500:
                argv += ["--mtu", str(self.topo.mtu)]
            if self.backend == "xdp" and "xdp" not in options:
                argv += ["--xdp", "auto"]
        if "listen" not in options and self.backend == "socket":
            argv += ["--listen", "%s:%d" % (self.topo.server_ip, self.port)]
        if "instance" not in options and self.has_instance():
            argv += ["--instance", self.topo.server_ns]
        for key, value in options.items():
            flag = "--" + key.replace("_", "-")
            # A list repeats the option: upload_dir=["a", "b"].
            for v in value if isinstance(value, (list, tuple)) else [value]:
                argv += [flag] if v is True else [flag, str(v)]
        return argv

    def after_ready(self):
        if self.backend == "tap":
            self.topo.attach_tap()
            self.log("tap: %s moved to %s, %s/%d on %s" % (
                topology.TAP_IF, self.topo.client_ns, self.topo.client_ip,
                topology.PREFIXLEN, self.topo.client_dev))

    def after_exit(self):
        self.topo.detach_tap()

    def ready(self):
        return any(line.startswith("dptftpd: ready:")
                   for line in self.stdout_text().splitlines())

    def counters(self):
        """The counters now, as the report at exit has them: SIGUSR1
        makes dptftpd print them and serve on."""
        end = "dptftpd: SIGUSR1: end of counters"
        seen = self.stdout_text().count(end)
        self.send_signal(signal.SIGUSR1)
        eventually(lambda: self.stdout_text().count(end) > seen,
                   "%s: SIGUSR1 report" % self.name)
        text = self.stdout_text()
        start = text.rindex("dptftpd: SIGUSR1: counters since the start")
        return parse_counters(text[start:text.rindex(end)])

    def idle(self):
        """Waits until every session has ended (Total sessions-active 0):
        the final ACKs taken in, the sessions retired and counted."""
        eventually(lambda: self.counters().get("Total sessions-active") == 0,
                   "%s: sessions still active" % self.name)

    def check_exit(self, result):
        super().check_exit(result)
        if result.rc != 0:
            raise Failure("dptftpd exited with rc %s: %s" % (
                result.rc, result.stderr.strip()[-300:]))
        if "dptftpd: shutdown complete" not in result.stdout:
            raise Failure("dptftpd did not print 'dptftpd: shutdown "
                          "complete'")


class TftpdHpa(Server):
    """tftpd-hpa's in.tftpd in the foreground: a peer to check the
    framework against. It prints no counters."""

    name = "in.tftpd"
    features = set()
    BINARY = "/usr/sbin/in.tftpd"
    # -u's default
    DEFAULT_USERS = ("nobody",)

    def supports(self, option):
        return option in ("blksize_max", "timeout", "port_range")

    def argv(self, options):
        argv = [self.BINARY, "-L", "-s", self.root,
                "-a", "%s:%d" % (self.topo.server_ip, self.port), "-v", "-v"]
        # dptftpd's default ceiling is the path MTU - 32: 1468 here.
        argv += ["-B", str(options.get("blksize_max", 1468))]
        if "timeout" in options:
            usec = int(parse_duration(options["timeout"]) * 1e6)
            argv += ["-T", str(usec)]
        if "port_range" in options:
            argv += ["-R", str(options["port_range"])]
        return argv

    def ready(self):
        return _udp_bound(self.proc.pid, self.topo.server_ip, self.port)



SERVERS = {"dptftpd": Dptftpd, "tftpd-hpa": TftpdHpa}
