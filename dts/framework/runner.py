# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Finds the suites, runs their cases one by one, reports.

For each case: a fresh topology, a log folder, a time limit (SIGALRM), and
whatever happens, a teardown that stops the servers and clients it started
and deletes the namespaces. Output, one line per case:

    PASS smoke.test_curl (0.4s)
    FAIL errors.test_wrong_tid: no ERROR 5 on the intruding socket
    SKIP balance.test_round_robin: tftpd-hpa lacks counters

and the same lines in BUILD/dts-results.txt, which ends with
"N passed, N failed" (skips are not counted). BUILD/dts-results.json holds
the same with times and log folders, for scripts.
"""

import fnmatch
import importlib
import inspect
import json
import os
import re
import shutil
import signal
import sys
import time
import traceback

from . import topology
from .outcome import CaseTimeout, Failure, Skip, StartFailure
from .suite import DEFAULT_TIMEOUT, TestSuite, docstring_parts

SUITE_ORDER = ["smoke", "l2", "rrq", "errors", "concurrency", "balance",
               "loss", "shutdown", "cli", "host"]
KEEP_MAX = 2 * 1024 * 1024      # downloads kept with a failed case's logs
START_FAILURES_MAX = 3          # cases in a row whose server did not start


class Case:
    def __init__(self, suite_cls, suite_name, method, param=None,
                 has_param=False):
        self.suite_cls = suite_cls
        self.suite = suite_name
        self.method = method
        self.param = param
        self.has_param = has_param
        self.name = method.__name__ + ("[%s]" % param if has_param else "")
        self.id = "%s.%s" % (suite_name, self.name)
        self.timeout = getattr(method, "dts_timeout", DEFAULT_TIMEOUT)
        self.requires = getattr(method, "dts_requires", ())
        self.backends = getattr(method, "dts_backends", ())
        self.steps, self.verifies = docstring_parts(method)


def discover(suites_dir, server_kind):
    """{suite name: (class, [Case])}, in SUITE_ORDER then by name."""
    found = {}
    for fname in sorted(os.listdir(suites_dir)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        name = fname[len("test_"):-len(".py")]
        mod = importlib.import_module("dts.suites." + fname[:-3])
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if not issubclass(cls, TestSuite) or cls is TestSuite or \
               cls.__module__ != mod.__name__:
                continue
            cases = []
            for mname, fn in sorted(inspect.getmembers(
                    cls, inspect.isfunction), key=lambda m: _line(m[1])):
                if not mname.startswith("test_"):
                    continue
                values = getattr(fn, "dts_params", None)
                if values is None:
                    cases.append(Case(cls, name, fn))
                    continue
                if len(values) == 1 and callable(values[0]):
                    values = values[0](server_kind)
                for v in values:
                    cases.append(Case(cls, name, fn, v, True))
            found[name] = (cls, cases)
    order = {n: i for i, n in enumerate(SUITE_ORDER)}
    return dict(sorted(found.items(),
                       key=lambda kv: (order.get(kv[0], 99), kv[0])))


def _line(fn):
    try:
        return inspect.getsourcelines(fn)[1]
    except (OSError, TypeError):
        return 0


def select(suites, names=None, patterns=None):
    """The cases to run: by suite name, then by case pattern (a glob on
    'suite.case' or 'case', or else a substring of either)."""
    chosen = []
    for sname, (cls, cases) in suites.items():
        if names and sname not in names and "test_" + sname not in names:
            continue
        for c in cases:
            if patterns and not any(_match(p, c) for p in patterns):
                continue
            chosen.append(c)
    return chosen


def _match(pattern, case):
    if any(ch in pattern for ch in "*?["):
        return (fnmatch.fnmatchcase(case.id, pattern) or
                fnmatch.fnmatchcase(case.name, pattern))
    return pattern in case.id


class Reporter:
    def __init__(self, results_dir):
        self.results_dir = results_dir
        self.lines = []
        self.records = []
        self.passed = self.failed = self.skipped = 0

    def emit(self, line):
        print(line, flush=True)
        self.lines.append(line)

    def record(self, case, status, elapsed, reason, logdir):
        reason = " ".join(reason.split())
        if status == "PASS":
            self.passed += 1
            self.emit("PASS %s (%.1fs)" % (case.id, elapsed))
        elif status == "SKIP":
            self.skipped += 1
            self.emit("SKIP %s: %s" % (case.id, reason))
        else:
            self.failed += 1
            self.emit("FAIL %s: %s" % (case.id, reason))
        self.records.append({
            "case": case.id, "status": status, "seconds": round(elapsed, 3),
            "reason": reason, "logs": logdir, "steps": case.steps,
            "verifies": case.verifies})

    def write(self, header, total_s, interrupted=False):
        summary = "%d passed, %d failed" % (self.passed, self.failed)
        txt = os.path.join(self.results_dir, "dts-results.txt")
        with open(txt, "w") as f:
            for line in header:
                f.write("# %s\n" % line)
            for line in self.lines:
                f.write(line + "\n")
            f.write("# %d skipped, %.1fs%s\n" % (
                self.skipped, total_s, ", INTERRUPTED" if interrupted else ""))
            f.write(summary + "\n")
        with open(os.path.join(self.results_dir, "dts-results.json"),
                  "w") as f:
            json.dump({"header": header, "cases": self.records,
                       "passed": self.passed, "failed": self.failed,
                       "skipped": self.skipped, "seconds": round(total_s, 1),
                       "interrupted": interrupted}, f, indent=1)
        return summary


def _on_alarm(signum, frame):
    raise CaseTimeout()


def _on_term(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


def _prune(logdir):
    """Drop big downloads from a kept log folder."""
    for dirpath, _, fnames in os.walk(logdir):
        for fn in fnames:
            p = os.path.join(dirpath, fn)
            try:
                if os.path.getsize(p) > KEEP_MAX:
                    os.unlink(p)
                    with open(p + ".removed", "w") as f:
                        f.write("removed: over %d bytes\n" % KEEP_MAX)
            except OSError:
                pass


def _dirname(name):
    """A case name as one safe folder name: x[../etc] -> x[.._etc]."""
    return re.sub(r"[^A-Za-z0-9_.:+\[\]-]", "_", name)


def run_case(env, suite, case, logs_root, reporter):
    logdir = os.path.join(logs_root, case.suite, _dirname(case.name))
    shutil.rmtree(logdir, ignore_errors=True)
    os.makedirs(logdir)
    if not (case.steps and case.verifies):
        reporter.record(case, "FAIL", 0.0, "the docstring needs 'Steps:' "
                        "and 'Verifies:'", logdir)
        return
    missing = [f for f in case.requires
               if f not in env.server_class.features]
    if missing:
        reporter.record(case, "SKIP", 0.0, "needs %s (%s lacks it)"
                        % (", ".join(missing), env.server), logdir)
        shutil.rmtree(logdir, ignore_errors=True)
        return
    if case.backends and env.backend not in case.backends:
        reporter.record(case, "SKIP", 0.0, "runs on the %s backend%s only "
                        "(this run: %s)" % (" and ".join(case.backends),
                                            "s" if len(case.backends) > 1
                                            else "", env.backend), logdir)
        shutil.rmtree(logdir, ignore_errors=True)
        return
    if env.start_failures >= START_FAILURES_MAX:
        reporter.record(case, "FAIL", 0.0, "not run: the server did not "
                        "start in %d cases in a row (last: %s)"
                        % (env.start_failures, env.last_start_failure),
                        logdir)
        return
    status, reason = "PASS", ""
    start = time.monotonic()
    topo = topology.Topology(backend=env.backend)
    try:
        topo.create()
        suite._begin_case(topo, logdir)
        signal.setitimer(signal.ITIMER_REAL, case.timeout)
        try:
            args = (case.param,) if case.has_param else ()
            case.method(suite, *args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except Skip as e:
        status, reason = "SKIP", str(e)
    except StartFailure as e:
        status, reason = "FAIL", str(e)
        env.start_failures += 1
        env.last_start_failure = reason
    except Failure as e:
        status, reason = "FAIL", str(e)
    except CaseTimeout:
        status, reason = "FAIL", "timed out after %ds" % case.timeout
    except KeyboardInterrupt:
        _teardown(suite, topo)
        reporter.record(case, "FAIL", time.monotonic() - start,
                        "interrupted", logdir)
        raise
    except Exception as e:
        status, reason = "FAIL", "%s: %s" % (type(e).__name__, e)
        with open(os.path.join(logdir, "traceback.txt"), "w") as f:
            f.write(traceback.format_exc())
    problem = _teardown(suite, topo)
    if problem and status != "FAIL":
        status, reason = "FAIL", problem
    if status == "PASS":
        env.start_failures = 0
    elapsed = time.monotonic() - start
    with open(os.path.join(logdir, "result.txt"), "w") as f:
        f.write("%s %s %.3fs %s\n" % (status, case.id, elapsed, reason))
    reporter.record(case, status, elapsed, reason, logdir)
    if status == "FAIL" or env.keep_logs:
        _prune(logdir)
    else:
        shutil.rmtree(logdir, ignore_errors=True)


def _teardown(suite, topo):
    problem = None
    try:
        problem = suite._end_case()
    except Exception as e:
        problem = "teardown: %r" % e
    finally:
        topo.destroy()
    return problem


def run(env, cases, reporter, header):
    """Run `cases` (grouped by suite, in order); returns the summary."""
    logs_root = os.path.join(env.results_dir, "dts-logs")
    # The logs describe this run only, like dts-results.txt.
    shutil.rmtree(logs_root, ignore_errors=True)
    os.makedirs(logs_root, exist_ok=True)
    old = {s: signal.signal(s, _on_term)
           for s in (signal.SIGTERM, signal.SIGHUP)}
    signal.signal(signal.SIGALRM, _on_alarm)
    start = time.monotonic()
    interrupted = False
    try:
        current = None
        suite = None
        broken = None
        for case in cases:
            if case.suite != current:
                _tear_down_suite(suite, broken)
                current = case.suite
                suite = case.suite_cls(env)
                broken = None
                try:
                    suite.set_up_suite()
                except Exception as e:
                    broken = "suite set-up: %s: %s" % (type(e).__name__, e)
            if broken:
                reporter.record(case, "FAIL", 0.0, broken, None)
                continue
            run_case(env, suite, case, logs_root, reporter)
        _tear_down_suite(suite, broken)
    except KeyboardInterrupt:
        interrupted = True
        reporter.emit("INTERRUPTED")
    finally:
        topology.remove_all_live()
        for s, h in old.items():
            signal.signal(s, h)
    total = time.monotonic() - start
    summary = reporter.write(header, total, interrupted)
    print("%s (%d skipped, %.1fs)" % (summary, reporter.skipped, total),
          flush=True)
    _remove_empty_dirs(logs_root)
    if interrupted:
        sys.exit(130)
    return summary


def _tear_down_suite(suite, broken):
    if suite is None or broken:
        return
    try:
        suite.tear_down_suite()
    except Exception as e:
        print("dts: %s tear-down: %s: %s" % (type(suite).__name__,
                                             type(e).__name__, e),
              file=sys.stderr)


def _remove_empty_dirs(top):
    for dirpath, _, _ in sorted(os.walk(top), key=lambda w: -len(w[0])):
        try:
            os.rmdir(dirpath)
        except OSError:
            pass
