#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""dptftp end-to-end tests: runs the dts suites against the real server.

    python3 dts/run.py --build build-test
    python3 dts/run.py --build build --suite rrq --case 'oack*'
    python3 dts/run.py --build build-test --backend afpacket
    python3 dts/run.py --build build-test --backend tap --suite l2
    python3 dts/run.py --build /tmp/x --server tftpd-hpa
    python3 dts/run.py --list

Needs root (namespaces, veth, nftables). See docs/testing.md.
"""

import argparse
import os
import shlex
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from dts.framework import files, runner, topology  # noqa: E402
from dts.framework.suite import RunEnv  # noqa: E402
from dts.framework.servers import SERVERS  # noqa: E402


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="dts/run.py",
        description="Run the dptftp end-to-end suites (needs root).")
    ap.add_argument("--build", metavar="DIR",
                    help="meson build folder: the server is "
                    "DIR/app/dptftpd/dptftpd; results are written there")
    ap.add_argument("--results", metavar="DIR",
                    help="write dts-results.txt, dts-results.json and "
                    "dts-logs/ here (default: the --build folder)")
    ap.add_argument("--suite", action="append", metavar="NAME",
                    help="run this suite (repeatable); default: all")
    ap.add_argument("--case", action="append", metavar="PATTERN",
                    help="run cases matching PATTERN: a glob on "
                    "'suite.case' or 'case', else a substring (repeatable)")
    ap.add_argument("--backend",
                    choices=("socket", "afpacket", "tap", "xdp"),
                    default="socket",
                    help="dptftpd port backend: kernel sockets, "
                    "net_af_packet over the veth, a net_tap port, or "
                    "net_af_xdp over the veth (default: socket)")
    ap.add_argument("--server", choices=sorted(SERVERS), default="dptftpd",
                    help="server under test (default: dptftpd)")
    ap.add_argument("--eal-args", default="", metavar="ARGS",
                    help="EAL arguments put before '--' on dptftpd's "
                    "command line (one string)")
    ap.add_argument("--keep-logs", action="store_true",
                    help="keep every case's logs, not only failures'")
    ap.add_argument("--list", action="store_true",
                    help="list the cases with their steps, run nothing")
    return ap.parse_args(argv)


def list_cases(cases):
    for c in cases:
        print(c.id)
        print("    Steps: %s" % (c.steps or "(missing)"))
        print("    Verifies: %s" % (c.verifies or "(missing)"))
        if c.requires:
            print("    Needs: %s" % ", ".join(c.requires))
        if c.backends:
            print("    Backends: %s" % ", ".join(c.backends))


def main(argv=None):
    args = parse_args(argv)
    # A dptftpd built with -Dcheck_holds=true (scripts/test's build) then
    # aborts when a worker reads a cache chunk its session does not hold.
    os.environ.setdefault("DPT_CACHE_CHECK_HOLDS", "1")
    suites = runner.discover(os.path.join(HERE, "suites"), args.server)
    cases = runner.select(suites, args.suite, args.case)
    if args.list:
        list_cases(cases)
        return 0
    if not args.build:
        print("dts: --build DIR is required", file=sys.stderr)
        return 2
    build_dir = os.path.abspath(args.build)
    results_dir = os.path.abspath(args.results or args.build)
    reporter = runner.Reporter(results_dir)
    header = ["dts %s" % time.strftime("%Y-%m-%d %H:%M:%S"),
              "server %s, backend %s, build %s" % (
                  args.server, args.backend, build_dir),
              "%d cases" % len(cases)]

    def cannot_run(message, rc):
        # Also written as a result, so that a script never reads the last
        # run's "N passed, 0 failed" after this one could not start.
        print("dts: " + message, file=sys.stderr)
        reporter.emit("FAIL dts.setup: " + message)
        reporter.failed += 1
        try:
            os.makedirs(results_dir, exist_ok=True)
            reporter.write(header, 0.0)
        except OSError:
            pass
        return rc

    if not cases:
        return cannot_run("no case matches", 2)
    if args.backend != "socket" and args.server != "dptftpd":
        return cannot_run("--backend %s is dptftpd's; %s has sockets only"
                          % (args.backend, args.server), 2)
    if os.geteuid() != 0:
        return cannot_run("must run as root (it creates network namespaces, "
                          "veth pairs and nftables rules); try: sudo "
                          "python3 dts/run.py ...", 2)
    os.makedirs(results_dir, exist_ok=True)
    if args.server == "dptftpd":
        binary = os.path.join(build_dir, "app", "dptftpd", "dptftpd")
        if not os.access(binary, os.X_OK):
            return cannot_run("%s not found or not executable; build it "
                              "first, or use --server tftpd-hpa" % binary, 1)
    hpa = SERVERS["tftpd-hpa"].BINARY
    if args.server == "tftpd-hpa" and not os.access(hpa, os.X_OK):
        return cannot_run("%s missing: apt-get install tftpd-hpa (then stop "
                          "its daemon: service tftpd-hpa stop)" % hpa, 2)
    stale = topology.remove_stale() + files.remove_stale()
    if stale:
        print("dts: removed what a dead run left: %s" % " ".join(stale))
    for line in header:
        print("# " + line, flush=True)
    with files.FileSet() as fileset:
        env = RunEnv(build_dir, args.server, args.backend, fileset,
                     results_dir, shlex.split(args.eal_args), args.keep_logs)
        runner.run(env, cases, reporter, header)
    return 1 if reporter.failed else 0


if __name__ == "__main__":
    sys.exit(main())
