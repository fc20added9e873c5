# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""The base class of every suite, and the decorators cases use.

A suite is a class in dts/suites/test_<name>.py deriving from TestSuite.
Each method named test_* is a case; its docstring says what it does under
"Steps:" and what it checks under "Verifies:". Every case gets a fresh
topology and its own log folder; what it starts through the helpers here
(servers, clients) is stopped and checked when it ends, pass or fail.

    class TestExample(TestSuite):
        '''Example: what the feature is.'''

        @requires("counters")
        @params("round-robin", "client-hash")
        @timeout(60)
        def test_thing(self, strategy):
            '''Steps: start dptftpd with --balance STRATEGY; fetch f1M.bin
            with curl.
            Verifies: the file arrives byte-exact.'''
            self.start_server(workers=2, balance=strategy)
            self.fetch("curl", "f1M.bin")
"""

import os
import subprocess
import threading
import time

from . import files as files_mod
from .clients import CLIENTS
from .netns import ns_argv
from .outcome import Failure, Skip
from .servers import SERVERS
from .tftpclient import TftpClient
from .tftpclient import problem as transfer_problem
from .wait import eventually

DEFAULT_TIMEOUT = 60


def requires(*features):
    """Skip the case unless the server under test has these features
    (see servers.py: counters, workers, balance, windowsize, ...)."""
    def mark(fn):
        fn.dts_requires = tuple(features)
        return fn
    return mark


def backends(*names):
    """Run the case only on these dptftpd backends (socket, afpacket,
    tap); on others it is skipped."""
    def mark(fn):
        fn.dts_backends = tuple(names)
        return fn
    return mark


def params(*values):
    """Run the case once per value: test_x[value]. A single callable
    argument is called with the server kind ("dptftpd", "tftpd-hpa") and
    returns the values."""
    def mark(fn):
        fn.dts_params = values
        return fn
    return mark


def timeout(seconds):
    """The case's time limit (default 60 s)."""
    def mark(fn):
        fn.dts_timeout = seconds
        return fn
    return mark


def docstring_parts(fn):
    """(steps, verifies) from a case's docstring; empty when missing."""
    doc = " ".join((fn.__doc__ or "").split())
    steps = verifies = ""
    if "Steps:" in doc and "Verifies:" in doc:
        steps = doc.split("Steps:", 1)[1].split("Verifies:", 1)[0].strip()
        verifies = doc.split("Verifies:", 1)[1].strip()
    return steps, verifies


class RunEnv:
    """What the runner knows, shared by every suite."""

    def __init__(self, build, server, backend, files, results_dir,
                 eal_args=(), keep_logs=False):
        self.build = build
        self.server = server            # "dptftpd" or "tftpd-hpa"
        self.backend = backend          # "socket", "afpacket" or "tap"
        self.files = files              # FileSet
        self.results_dir = results_dir
        self.eal_args = list(eal_args)
        self.keep_logs = keep_logs
        self.start_failures = 0         # cases in a row, see runner.py
        self.last_start_failure = ""

    @property
    def server_class(self):
        return SERVERS[self.server]


class TestSuite:
    """Base of all suites. The runner calls set_up_suite() once, then for
    each case: _begin_case(), the case, _end_case()."""

    topology = "pair"

    def __init__(self, env):
        self.env = env
        self.files = env.files
        self.topo = None
        self.logdir = None
        self.outdir = None
        self._servers = []
        self._runs = []
        self._cancel = threading.Event()
        self._log = None
        self._owners = []

    # ---------------------------------------------------------- hooks

    def set_up_suite(self):
        pass

    def tear_down_suite(self):
        pass

    # ------------------------------------------------- runner interface

    def _begin_case(self, topo, logdir):
        self.topo = topo
        self.logdir = logdir
        self.outdir = os.path.join(logdir, "out")
        os.makedirs(self.outdir, exist_ok=True)
        self._servers = []
        self._runs = []
        self._owners = []
        self._cancel = threading.Event()
        self._log = open(os.path.join(logdir, "case.log"), "a")
        self.log("topology: " + topo.describe())

    def _end_case(self):
        """Stop what the case left running; returns a failure message
        from the servers' exits, or None."""
        problem = None
        self._cancel.set()
        for run in self._runs:
            run.kill()
        for srv in self._servers:
            if srv.result is None and srv.proc is not None:
                try:
                    res = srv.stop()
                    srv.check_exit(res)
                except Failure as e:
                    problem = problem or "at teardown: %s" % e
                except Exception as e:
                    problem = problem or "at teardown: %r" % e
        for path, uid, gid in reversed(self._owners):
            try:
                os.lchown(path, uid, gid)
            except OSError:
                pass            # removed by the case: nothing to give back
        self._owners = []
        if self._log:
            self._log.close()
            self._log = None
        return problem

    # ------------------------------------------------------ for cases

    def log(self, msg):
        line = "%s %s\n" % (time.strftime("%H:%M:%S"), msg)
        if self._log:
            self._log.write(line)
            self._log.flush()

    def skip(self, reason):
        raise Skip(reason)

    def fail(self, reason):
        raise Failure(reason)

    def check(self, cond, reason):
        if not cond:
            raise Failure(reason)

    def eventually(self, probe, what, timeout=5.0, every=0.05, fail=True):
        """probe()'s first true value, asked again every `every` seconds
        (framework/wait.py): never a fixed sleep before reading what the
        server does."""
        return eventually(probe, what, timeout, every, fail)

    def check_eq(self, actual, expected, what):
        if actual != expected:
            raise Failure("%s: got %r, want %r" % (what, actual, expected))

    def require(self, *features):
        missing = [f for f in features
                   if f not in self.env.server_class.features]
        if missing:
            raise Skip("%s lacks %s" % (self.env.server,
                                        ", ".join(missing)))

    @property
    def server_kind(self):
        return self.env.server

    def new_server(self, root=None):
        """The server under test, not started; it serves `root` (default:
        the run's files)."""
        cls = self.env.server_class
        kwargs = dict(build=self.env.build, eal_args=self.env.eal_args,
                      log=self.log)
        if self.env.server == "dptftpd":
            kwargs["backend"] = self.env.backend
        srv = cls(self.topo, root or self.files.root, self.logdir, **kwargs)
        self._servers.append(srv)
        return srv

    def start_server(self, root=None, **options):
        """Start the server under test with dptftpd-style options (serving
        `root`, default the run's files); it is stopped and its exit
        checked when the case ends."""
        return self.new_server(root).start(**options)

    def give_server(self, *paths):
        """Folders the server must write to (uploads) become the user's it
        runs as once it is up (dptftpd --user's default: tftp or nobody),
        as an administrator would make them; given back when the case
        ends."""
        user = self.env.server_class.default_user()
        for path in paths:
            st = os.lstat(path)
            self._owners.append((path, st.st_uid, st.st_gid))
            os.lchown(path, user.pw_uid, user.pw_gid)
        self.log("owned by %s: %s" % (user.pw_name, " ".join(paths)))

    def stop_server(self, srv, check=True, **kwargs):
        """SIGTERM (or sig=...) the server; returns its ServerResult and,
        unless check=False, fails the case on an unclean exit."""
        res = srv.stop(**kwargs)
        if check:
            srv.check_exit(res)
        return res

    def client(self, name):
        """A real client by name: tftp-hpa, curl, atftp, busybox."""
        cls = CLIENTS[name]
        if not cls.available():
            raise Skip("%s is not installed" % cls.binary)
        return cls(self.topo, self.logdir, tracker=self._runs)

    def tftp(self, bind="", timeout=1.0, retries=5, port=69):
        """The stdlib client, its sockets in the client namespace."""
        return TftpClient(self.topo.server_ip, port=port,
                          netns=self.topo.client_ns, bind=bind,
                          timeout=timeout, retries=retries,
                          cancel=self._cancel)

    def client_command(self, argv, timeout=30):
        """Run a tool (ping, arping, ...) in the client namespace to its
        end; returns the CompletedProcess (timed out: returncode None).
        The command and its output go to case.log."""
        full = ns_argv(self.topo.client_ns, argv)
        start = time.monotonic()
        try:
            p = subprocess.run(full, capture_output=True, text=True,
                               timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            p = subprocess.CompletedProcess(full, None, _text(e.stdout),
                                            _text(e.stderr))
        self.log("$ %s\n# rc=%s %.2fs\n%s%s" % (
            " ".join(full), p.returncode, time.monotonic() - start,
            p.stdout, p.stderr))
        return p

    def out(self, name):
        """A path for a download, in the case's folder."""
        path = os.path.join(self.outdir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def expect_bytes(self, got, want, what):
        """Fail unless got == want, saying where they first differ."""
        if got == want:
            return
        n = min(len(got), len(want))
        at = next((i for i in range(n) if got[i] != want[i]), n)
        raise Failure("%s: %d bytes, want %d; first difference at offset "
                      "%d" % (what, len(got), len(want), at))

    def verify_file(self, path, name, transform=None):
        """Fail unless the file at `path` equals served file `name`
        (after transform(bytes), e.g. to_netascii)."""
        if not os.path.exists(path):
            raise Failure("%s: no file written" % os.path.basename(path))
        if transform is None:
            got = files_mod.sha256_file(path)
            if got == self.files.hashes[name]:
                return
            with open(path, "rb") as f:
                data = f.read()
            self.expect_bytes(data, self.files.read(name), "%s (sha256 %s)"
                              % (os.path.basename(path), got[:12]))
        with open(path, "rb") as f:
            data = f.read()
        self.expect_bytes(data, transform(self.files.read(name)),
                          os.path.basename(path))

    def fetch(self, client, name, out=None, timeout=120, **opts):
        """Download `name` with a real client and verify it byte for byte."""
        out = out or self.out("%s.%s" % (client, name.replace("/", "_")))
        run = self.client(client).get(name, out, timeout=timeout, **opts)
        if not run.ok:
            raise Failure("%s get %s: %s" % (client, name, run.describe()))
        self.verify_file(out, name)
        self.log("%s get %s ok %.2fs" % (client, name, run.elapsed))
        return run

    def fetch_stdlib(self, name, options=(), mode="octet", client=None,
                     **kwargs):
        """Download with the stdlib client; verify; returns the Result."""
        res = (client or self.tftp()).get(name, mode, options, **kwargs)
        if not res.ok:
            raise Failure("stdlib get %s: %s" % (name, transfer_problem(res)))
        want = self.files.read(name)
        if mode == "netascii":
            want = files_mod.to_netascii(want)
        self.expect_bytes(res.data, want, "stdlib get %s" % name)
        self.log("stdlib get %s ok %.2fs" % (name, res.elapsed))
        return res

    def parallel(self, jobs, limit=None):
        """Run callables on threads (at most `limit` at once); returns their
        results in order, or raises the first exception seen."""
        results = [None] * len(jobs)
        errors = []
        sem = threading.Semaphore(limit or len(jobs) or 1)

        def runner(i, job):
            with sem:
                if self._cancel.is_set():
                    return
                try:
                    results[i] = job()
                except BaseException as e:
                    errors.append((i, e))

        threads = [threading.Thread(target=runner, args=(i, j), daemon=True)
                   for i, j in enumerate(jobs)]
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.2)
        if errors:
            errors.sort(key=lambda x: x[0])
            raise errors[0][1]
        return results


def _text(out):
    """A TimeoutExpired's output (bytes, whatever text= said) as str."""
    if isinstance(out, bytes):
        return out.decode("utf-8", "replace")
    return out or ""
