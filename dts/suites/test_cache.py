# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""Cache: streaming loads, versions, a budget smaller than the files.

docs/cache.md: a file loads in 2 MiB chunks on the main lcore while its
first blocks are already going out; a file replaced on disk is a new
version, and sessions finish on the one they opened; files larger than
--cache-size stream through it; --preload loads at start; unreferenced
files leave least recently used first. The cases read the cache's state
from the console (--console-socket, `show cache`), over one connection
kept open so that a question fits between two datagrams.

The suite adds to the served root, for its own cases only:

    cache/big1G.bin   1 GiB, sparse: zeros but for 4 KiB of pseudo-random
                      bytes at a few offsets (0, across the first and
                      second chunk boundaries, 512 MiB, the last 4 KiB)
    cache/ver.bin     made and replaced by the version case
"""

import os
import threading
import time

from dts.framework import files as files_mod
from dts.framework.console import Console, blocks, idle, keyvals, socket_path
from dts.framework.suite import TestSuite, backends, requires, timeout

MiB = files_mod.MiB
GiB = 1024 * MiB
DIR = "cache"
BIG = DIR + "/big1G.bin"
BIG_PATTERNS = [0, 2 * MiB - 700, 4 * MiB - 1, 512 * MiB, GiB - 4096]
PATTERN_LEN = 4096
VER = DIR + "/ver.bin"
BUDGET = 8 * MiB


def big_pattern(off):
    return files_mod.content("big@%d" % off, PATTERN_LEN)


def big_prefix(n):
    """The first n bytes of big1G.bin."""
    buf = bytearray(n)
    for off in BIG_PATTERNS:
        if off < n:
            part = big_pattern(off)[:n - off]
            buf[off:off + len(part)] = part
    return bytes(buf)


def cache_files(text):
    """show cache's File blocks: [(name, {key: value})], LRU first."""
    return [(b["File"], b) for b in blocks(text, "File")]


class TestCache(TestSuite):
    """Cache: first DATA before the load ends, versions, budget, LRU."""

    def set_up_suite(self):
        top = self.files.path(DIR)
        os.makedirs(top, exist_ok=True)
        os.chmod(top, 0o755)
        with open(self.files.path(BIG), "wb") as f:
            f.truncate(GiB)
            for off in BIG_PATTERNS:
                f.seek(off)
                f.write(big_pattern(off))
        os.chmod(self.files.path(BIG), 0o644)

    def tear_down_suite(self):
        for name in (BIG, VER):
            try:
                os.unlink(self.files.path(name))
            except FileNotFoundError:
                pass
        try:
            os.rmdir(self.files.path(DIR))
        except OSError:
            pass

    def _end_case(self):
        problem = super()._end_case()
        if self.topo is not None:
            try:
                os.unlink(socket_path(self.topo))   # a killed server's
            except FileNotFoundError:
                pass
        return problem

    def start(self, **options):
        """dptftpd with a console socket; returns (server, Console)."""
        self.require("cli")
        path = socket_path(self.topo)
        srv = self.start_server(console_socket=path, **options)
        return srv, Console(path, log=self.log)

    def entry(self, con, name):
        """show cache's block for `name` (the last listed), or None."""
        found = [b for n, b in cache_files(con.cmd("show cache"))
                 if n == name]
        return found[-1] if found else None

    def wait_entry(self, con, name, pred, what, limit=30.0):
        def probe():
            e = self.entry(con, name)
            return e if e is not None and pred(e) else None
        return self.eventually(probe, what, timeout=limit, every=0.1)

    # ------------------------------------------------------------ cases

    @backends("socket", "afpacket")
    @timeout(90)
    def test_first_data_while_loading(self):
        """Steps: (socket and afpacket: the tap backend's EAL arguments
        give the server 512 MiB, less than the file) start dptftpd
        --cache-size 1200M (room for the whole 1 GiB file)
        --console-socket PATH, connect to the console; RRQ
        cache/big1G.bin with blksize 1468, windowsize 16; on DATA block 1
        (before ACKing it) ask show cache; take 3000 blocks (4.4 MiB,
        across the 2 and 4 MiB chunk boundaries), then abort with ERROR
        0; ask show cache until the file is resident.
        Verifies: when DATA 1 has arrived the entry says Size 1073741824,
        Loaded below it, State loading, and Loads-in-progress is at least
        1: the first block left before the file was loaded; the 4.4 MiB
        received equal the file's first bytes (patterns at 0, 2 MiB - 700
        and 4 MiB - 1 among the zeros); the load then completes (Loaded
        1073741824, resident), so the counter did move."""
        srv, con = self.start(cache_size="1200M")
        seen = {}

        def on_data(sess, block):
            if block == 1:
                seen["cache"] = con.cmd("show cache")
            return False

        res = self.tftp().get(BIG, options=[("blksize", 1468),
                                            ("windowsize", 16)],
                              on_data=on_data, stop_after=3000)
        self.check("cache" in seen, "no DATA 1: %r" % res)
        self.check_eq(res.blocks, 3000, "blocks received")
        self.expect_bytes(res.data, big_prefix(3000 * 1468),
                          "the first 3000 blocks")
        at_data1 = dict(cache_files(seen["cache"])).get(BIG)
        self.check(at_data1 is not None, "%s not in show cache at DATA 1: "
                   "%r" % (BIG, seen["cache"]))
        self.check_eq(at_data1.get("Size"), str(GiB), "Size")
        loaded = int(at_data1.get("Loaded", -1))
        self.log("at DATA 1: Loaded %d of %d" % (loaded, GiB))
        self.check(0 <= loaded < GiB, "Loaded %d at DATA 1: the file was "
                   "whole before its first block" % loaded)
        self.check_eq(at_data1.get("State"), "loading", "State at DATA 1")
        self.check(int(keyvals(seen["cache"]).get("Loads-in-progress", 0))
                   >= 1, "Loads-in-progress at DATA 1: %r"
                   % keyvals(seen["cache"]).get("Loads-in-progress"))
        self.wait_entry(con, BIG, lambda e: e.get("Loaded") == str(GiB)
                        and e.get("State") == "resident",
                        "big1G.bin resident")
        con.close()

    @requires("counters")
    @timeout(90)
    def test_replace_mid_transfer(self):
        """Steps: write cache/ver.bin (v1, 12 MiB); start dptftpd
        --cache-size 8M --console-socket PATH; the stdlib client fetches
        it at blksize 1468, windowsize 4, waiting 1 ms before each ACK;
        at block 1000 (before ACKing it) write v2 (10 MiB, other bytes)
        beside it and rename it over ver.bin, fetch ver.bin in full with
        the stdlib client and with curl, ask show cache; then finish the
        first transfer.
        Verifies: the fetches started after the rename get v2 byte for
        byte; show cache then lists ver.bin twice, the entry of the first
        transfer stale with 1 session; the first transfer completes with
        v1 byte for byte, although neither version fits in the 8 MiB
        budget, so its chunks were evicted and read again meanwhile from
        the file it opened."""
        v1 = files_mod.content("ver-v1", 12 * MiB)
        v2 = files_mod.content("ver-v2", 10 * MiB)
        path = self.files.path(VER)
        with open(path, "wb") as f:
            f.write(v1)
        srv, con = self.start(cache_size="8M")
        seen = {}

        def replace(sess, block):
            if block != 1000:
                return False
            tmp = path + ".new"
            with open(tmp, "wb") as f:
                f.write(v2)
            os.chmod(tmp, 0o644)
            os.rename(tmp, path)
            res = self.tftp().get(VER, options=[("blksize", 1468),
                                                ("windowsize", 16)])
            seen["stdlib"] = res
            out = self.out("curl.ver.bin")
            seen["curl"] = (self.client("curl").get(VER, out,
                                                    blksize=1468), out)
            seen["cache"] = con.cmd("show cache")
            return False

        first = self.tftp(timeout=2.0).get(
            VER, options=[("blksize", 1468), ("windowsize", 4)],
            ack_delay=0.001, on_data=replace)
        self.check("stdlib" in seen, "the first transfer never reached "
                   "block 1000: %r" % first)
        res = seen["stdlib"]
        self.check(res.ok, "stdlib fetch after the rename: %r" % res)
        self.expect_bytes(res.data, v2, "stdlib fetch after the rename")
        run, out = seen["curl"]
        self.check(run.ok, "curl after the rename: %s" % run.describe())
        with open(out, "rb") as f:
            self.expect_bytes(f.read(), v2, "curl fetch after the rename")
        entries = [b for n, b in cache_files(seen["cache"]) if n == VER]
        self.check_eq(len(entries), 2, "ver.bin entries in show cache")
        stale = [b for b in entries if b.get("State") == "stale"]
        self.check(len(stale) == 1 and stale[0].get("Sessions") == "1",
                   "want one stale entry held by 1 session: %r" % entries)
        self.check_eq(stale[0].get("Size"), str(len(v1)), "stale Size")
        self.check(first.ok, "the first transfer: %r" % first)
        self.expect_bytes(first.data, v1, "the first transfer (v1)")
        con.close()
        res = self.stop_server(srv)
        self.check_eq(res.counter("Total sessions-completed"), 3,
                      "sessions completed")

    @timeout(120)
    def test_budget_smaller_than_file(self):
        """Steps: start dptftpd --cache-size 8M --console-socket PATH;
        fetch f40M.bin (40 MiB) with the stdlib client (blksize 1468,
        windowsize 16); then with 3 curl clients at once (blksize 1468),
        asking show cache every 200 ms while they run.
        Verifies: every download is byte-exact (sha256); Budget reads
        8388608 and Bytes-resident never exceeds it."""
        srv, con = self.start(cache_size="8M")
        self.fetch_stdlib("f40M.bin", [("blksize", 1468),
                                       ("windowsize", 16)])
        runs = [self.client("curl").start(
            "f40M.bin", self.out("curl%d.f40M.bin" % i), blksize=1468)
            for i in range(3)]
        resident = []
        while any(r._proc.poll() is None for r in runs):
            kv = keyvals(con.cmd("show cache"))
            self.check_eq(kv.get("Budget"), str(BUDGET), "Budget")
            resident.append(int(kv["Bytes-resident"]))
            time.sleep(0.2)
        for i, run in enumerate(runs):
            run.wait(60)
            self.check(run.ok, "curl %d: %s" % (i, run.describe()))
            self.verify_file(run.out, "f40M.bin")
        self.log("Bytes-resident while 3 ran: %s" % resident)
        self.check(max(resident + [0]) <= BUDGET, "Bytes-resident %d over "
                   "the budget" % max(resident))
        con.close()

    @timeout(60)
    def test_preload(self):
        """Steps: start dptftpd --preload f1M.bin,sub/inner.bin --preload
        nothere.bin --console-socket PATH; ask show cache until both files
        are resident, before any request; fetch f1M.bin.
        Verifies: the missing name is said on stderr and the server runs;
        f1M.bin (1048576) and sub/inner.bin (4096) become resident with
        every byte Loaded, 0 sessions and 0 hits, while no request has
        come; the fetch is byte-exact and a hit (Hits 1, Misses
        unchanged)."""
        srv, con = self.start(preload=["f1M.bin,sub/inner.bin",
                                       "nothere.bin"])
        self.check("nothere.bin" in srv.stderr_text(), "stderr does not "
                   "name nothere.bin: %r" % srv.stderr_text()[-300:])
        for name in ("f1M.bin", "sub/inner.bin"):
            size = str(self.files.sizes[name])
            e = self.wait_entry(con, name, lambda e: e.get("State") ==
                                "resident", "%s resident" % name, 10)
            self.check_eq((e.get("Size"), e.get("Loaded"),
                           e.get("Sessions")), (size, size, "0"),
                          "%s Size, Loaded, Sessions" % name)
        before = keyvals(con.cmd("show cache"))
        self.check_eq(before.get("Hits"), "0", "Hits before any request")
        st = keyvals(con.cmd("show worker stats"))
        self.check_eq(st.get("Total requests"), "0", "requests so far")
        self.fetch_stdlib("f1M.bin")
        idle(con)
        after = keyvals(con.cmd("show cache"))
        self.check_eq((after.get("Hits"), after.get("Misses")),
                      ("1", before.get("Misses")), "Hits, Misses after "
                      "the fetch")
        con.close()

    @timeout(60)
    def test_lru_eviction(self):
        """Steps: start dptftpd --cache-size 8M --console-socket PATH;
        fetch c00.bin .. c09.bin (1 MiB each) one after another; show
        cache; fetch again the least recently used file still cached;
        fetch c10.bin; show cache.
        Verifies: after the ten, Bytes-resident is within the budget,
        Evictions is at least 1, and the files listed, least recently
        used first, are the last ones fetched, in fetch order (c00.bin
        gone); after the re-fetch (a hit) and c10.bin, the re-fetched
        file is still cached and listed last but one, and the file that
        was second in line has gone instead; Evictions went up."""
        srv, con = self.start(cache_size="8M")
        names = ["c%02d.bin" % i for i in range(10)]
        for name in names:
            self.fetch_stdlib(name)
        idle(con)
        text = con.cmd("show cache")
        kv = keyvals(text)
        listed = [n for n, _ in cache_files(text)]
        self.log("cached after 10: %s" % listed)
        self.check(int(kv["Bytes-resident"]) <= BUDGET,
                   "Bytes-resident %s over the budget" % kv["Bytes-resident"])
        evictions = int(kv["Evictions"])
        self.check(evictions >= 1, "Evictions %d after 10 MiB through "
                   "8 MiB" % evictions)
        self.check(2 <= len(listed) < 10 and listed == names[-len(listed):],
                   "cached files, LRU first: %s; want the last ones "
                   "fetched, in order" % listed)
        oldest, second = listed[0], listed[1]
        hits = int(kv["Hits"])
        self.fetch_stdlib(oldest)
        self.fetch_stdlib("c10.bin")
        idle(con)
        text = con.cmd("show cache")
        kv = keyvals(text)
        listed = [n for n, _ in cache_files(text)]
        self.log("cached after %s and c10.bin: %s" % (oldest, listed))
        self.check_eq(int(kv["Hits"]), hits + 1, "Hits after the re-fetch")
        self.check(oldest in listed and second not in listed,
                   "after re-fetching %s and fetching c10.bin: %s; want "
                   "%s kept and %s evicted" % (oldest, listed, oldest,
                                               second))
        self.check_eq(listed[-2:], [oldest, "c10.bin"],
                      "most recently used, last")
        self.check(int(kv["Evictions"]) > evictions, "Evictions did not go "
                   "up: %s" % kv["Evictions"])
        con.close()
