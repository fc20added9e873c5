# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""The test bed of scripts/bench-compare: the servers it compares, how
each is started, and where it runs.

A Bed is two network namespaces joined by a veth pair (SRV_IF, CLI_IF),
the server in the first, in a cpuacct cgroup (forked children counted),
optionally pinned to CPU 1; the client, dptftp-bench, runs in the other.
server_table() says how each server is started and how to tell it is
ready; loss_rules() drops datagrams at random on the client's veth.
"""

import os
import shutil
import subprocess
import time

SRV_IP, CLI_IP, SRV_IF, CLI_IF = "10.98.0.1", "10.98.0.2", "bsrv0", "bcli0"
PREFIX = "dbench-"      # not "dpt-": dts deletes stale dpt-* namespaces
CGROUP = "/sys/fs/cgroup/cpuacct"
ATFTPD_CACHE = "/var/cache/dptftp-bench/atftpd"


def log(msg):
    print("bench-compare: " + msg, flush=True)


def sh(argv, check=True, **kw):
    p = subprocess.run(argv, capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                                 p.stderr.strip()[-300:]))
    return p


def find_atftpd():
    """atftpd conflicts with tftpd-hpa's package: unpack it aside instead."""
    path = os.path.join(ATFTPD_CACHE, "usr/sbin/atftpd")
    if shutil.which("atftpd") or os.path.exists(path):
        return shutil.which("atftpd") or path
    os.makedirs(ATFTPD_CACHE, exist_ok=True)
    try:
        sh(["apt-get", "download", "atftpd"], cwd=ATFTPD_CACHE)
        deb = [f for f in os.listdir(ATFTPD_CACHE) if f.endswith(".deb")]
        sh(["dpkg-deb", "-x", os.path.join(ATFTPD_CACHE, deb[0]),
            ATFTPD_CACHE])
        return path
    except (RuntimeError, IndexError, OSError) as e:
        log("atftpd unavailable (%s): skipped" % e)


def server_table(args, root):
    """name -> (argv, text in its output when ready, else port 69 bound;
    IP on the veth). Peers: dnsmasq --tftp-max=512 (as the issue asks),
    atftpd --maxthread 1024 (its 100 refuses the concurrent scenarios),
    routine logging off."""
    # An instance name of its own: others' dptftpd may run on this host.
    dpt = [os.path.join(args.build, "app/dptftpd/dptftpd"), "--instance",
           "%s%d" % (PREFIX, os.getpid()), "--root", root, "--max-sessions",
           "16384"]
    t = {
        "dptftpd": (dpt + ["--listen", SRV_IP + ":69"], "dptftpd: ready:",
                    True),
        "dptftpd-afpacket": (dpt + ["--iface", SRV_IF, "--ip",
                                    SRV_IP + "/24"], "dptftpd: ready:", False),
        "dptftpd-xdp": (dpt + ["--iface", SRV_IF, "--xdp", "auto", "--ip",
                               SRV_IP + "/24"], "dptftpd: ready:", False),
        "tftpd-hpa": (["/usr/sbin/in.tftpd", "-L", "-s", root, "-a",
                       SRV_IP + ":69"], None, True),
    }
    if args.build_before:   # another build's dptftpd, to compare with
        old = [os.path.join(args.build_before, "app/dptftpd/dptftpd")] + \
            dpt[1:]
        t["dptftpd-before"] = (old + ["--listen", SRV_IP + ":69"],
                               "dptftpd: ready:", True)
        t["dptftpd-afpacket-before"] = (old + ["--iface", SRV_IF, "--ip",
                                               SRV_IP + "/24"],
                                        "dptftpd: ready:", False)
    if "dnsmasq" in args.servers and not shutil.which("dnsmasq"):
        sh(["apt-get", "install", "-y", "-q", "--no-install-recommends",
            "dnsmasq-base"], check=False,
           env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    dnsmasq = shutil.which("dnsmasq") if "dnsmasq" in args.servers else None
    if dnsmasq:
        t["dnsmasq"] = ([dnsmasq, "-d", "--port=0", "--conf-file=/dev/null",
                         "--enable-tftp", "--tftp-root=" + root,
                         "--tftp-max=512", "--quiet-tftp", "--user=nobody",
                         "--pid-file="], None, True)
    atftpd = find_atftpd() if "atftpd" in args.servers else None
    if atftpd:
        t["atftpd"] = ([atftpd, "--daemon", "--no-fork", "--port", "69",
                        "--bind-address", SRV_IP, "--maxthread", "1024",
                        "--logfile", "/dev/null", root], None, True)
    return t


class Bed:
    """Two namespaces, a veth pair, one server in a cpuacct cgroup."""

    def __init__(self, name, spec, pin, tag, logdir, client="socket"):
        self.name, (self.argv, self.ready_text, self.server_ip) = name, spec
        self.client = client
        self.srv, self.cli, cg = ("%s%s-%d-%s" % (PREFIX, k, os.getpid(), tag)
                                  for k in ("srv", "cli", "cg"))
        self.cg, self.pin, self.proc = os.path.join(CGROUP, cg), pin, None
        self.out = os.path.join(logdir, "%s-%s.log" % (name, tag))

    def __enter__(self):
        try:
            self.setup()
        except BaseException:
            self.__exit__()
            raise
        return self

    def setup(self):
        srv, cli = self.srv, self.cli
        for cmd in ("netns add " + srv, "netns add " + cli,
                    "-n %s link set lo up" % srv, "-n %s link set lo up" % cli,
                    "link add %s netns %s type veth peer name %s netns %s"
                    % (SRV_IF, srv, CLI_IF, cli),
                    "-n %s link set %s up" % (srv, SRV_IF),
                    "-n %s link set %s up" % (cli, CLI_IF)):
            sh(["ip"] + cmd.split())
        if self.client == "socket":
            sh(["ip", "-n", cli, "addr", "add", CLI_IP + "/24", "dev",
                CLI_IF])
        else:
            # The dpdk client holds CLI_IP itself, on AF_PACKET: it needs
            # whole checksums from the server's kernel too.
            sh(["ip", "netns", "exec", srv, "ethtool", "-K", SRV_IF, "tx",
                "off"])
        if self.server_ip:
            sh(["ip", "-n", srv, "addr", "add", SRV_IP + "/24", "dev",
                SRV_IF])
        # AF_PACKET would see partial checksums from the client otherwise.
        sh(["ip", "netns", "exec", cli, "ethtool", "-K", CLI_IF, "tx", "off"])
        os.makedirs(self.cg, exist_ok=True)
        pin = ["taskset", "-c", "1"] if self.pin else []
        procs = os.path.join(self.cg, "cgroup.procs")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.srv] + pin + self.argv,
            stdout=open(self.out, "w"), stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
            preexec_fn=lambda: open(procs, "w").write(str(os.getpid())))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited: %s" % (self.name,
                                                      self.output()[-300:]))
            if (self.ready_text in self.output() if self.ready_text else
                    udp69_bound(self.proc.pid)):
                return
            time.sleep(0.05)
        raise RuntimeError("%s not ready in 30 s" % self.name)

    def output(self):
        return read(self.out)

    def cpu_s(self):    # the server's and its children's
        return int(read(os.path.join(self.cg, "cpuacct.usage"))) / 1e9

    def rss_kb(self):
        got = [l.split()[1] for l in read("/proc/%d/status" % self.proc.pid)
               .splitlines() if l.startswith("VmRSS:")]
        return int(got[0]) if got else 0

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 2)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        for ns in (self.cli, self.srv):
            sh(["ip", "netns", "del", ns], check=False)
        for _ in range(50):     # the server's children (forks) too
            try:
                with open(os.path.join(self.cg, "cgroup.procs")) as f:
                    for pid in f.read().split():
                        os.kill(int(pid), 9)
                return os.rmdir(self.cg)
            except (FileNotFoundError, ProcessLookupError):
                continue
            except OSError:
                time.sleep(0.1)


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def udp69_bound(pid):
    return any(line.split()[1].endswith(":0045") for line in
               read("/proc/%d/net/udp" % pid).splitlines()[1:])


def loss_rules(ns, pct):
    """Drop pct% of UDP each way at random on the client's veth (netdev
    ingress and egress, as dts's add_loss)."""
    rules = (
        "table netdev dbloss {\n"
        " chain out { type filter hook egress device \"%(i)s\" priority 0;"
        " policy accept; ip daddr %(s)s meta l4proto udp"
        " numgen random mod 100 < %(p)d drop; }\n"
        " chain in { type filter hook ingress device \"%(i)s\" priority 0;"
        " policy accept; ip saddr %(s)s meta l4proto udp"
        " numgen random mod 100 < %(p)d drop; }\n"
        "}\n" % {"i": CLI_IF, "s": SRV_IP, "p": pct})
    sh(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=rules)
