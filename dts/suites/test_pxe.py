# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dptftp authors
"""PXE: real firmware boots over the network from the server under test.

QEMU (software emulation, 128 MiB) boots from its NIC; dnsmasq, DHCP only,
names the boot file; the server under test serves it and whatever the boot
loader fetches next. Each case builds this on the framework's topology:

    ns dpt-srv-*                     ns dpt-cli-*
    +---------------------+         +---------------------------------+
    | dptftpd 10.99.0.1   |  veth   | dcli0 --+                       |
    | (socket: dsrv0 has  |---------|         dbr0 10.99.0.2/24       |
    |  the address;       |         |         fd99::2/64  dnsmasq     |
    |  afpacket: dptftpd  |         | dvm0 ---+  (tap)                |
    |  owns it)           |         |  QEMU -netdev tap,ifname=dvm0   |
    +---------------------+         +---------------------------------+

The bridge dbr0 takes the client end of the link (dcli0, or dtap0 with
the tap backend) and QEMU's tap device dvm0; the client address moves to
the bridge, where dnsmasq serves DHCP (--port=0: no DNS) and router
advertisements (dts/framework/pxelan.py). The guest's serial console
(-nographic) is read line by line into serial.log; a case passes when the
loader prints the marker. A packet socket on the client end of the link
records every TFTP datagram (wire.log, dts/framework/pxewire.py): which
files the firmware asked for, with which options, what the server
answered, and the bytes of every DATA block, so each file the guest
loaded is compared byte for byte with the served one.

Boot paths (Debian 12 packages):

  bios      SeaBIOS, the iPXE ROM of virtio-net (ipxe-qemu): DHCP, then
            pxe/boot.ipxe, which fetches pxe/blob1M.bin (imgfetch) and
            chains pxe/stage2.ipxe, which prints the marker
  uefi      OVMF (ovmf) with its own PXE client (virtio-net-pci,romfile=,
            bootindex=1): pxe/snponly.efi (ipxe), after a tsize probe it
            aborts with ERROR 8; that iPXE then runs the same scripts
  pxelinux  SeaBIOS and the iPXE ROM load pxe/pxelinux.0 (pxelinux),
            which loads pxe/ldlinux.c32 (syslinux-common), asks for
            pxelinux.cfg/01-<mac> and the address in hex, from 8 digits
            down to 1, all missing, then pxelinux.cfg/default, whose SAY
            line prints the marker

  uefi6     OVMF's PXEv6 client (the same NIC, PXEv4 switched off by
            fw_cfg), told by DHCPv6 (bootfile-url) to fetch
            tftp://[fd00:99::1]/pxe/snponly.efi; that iPXE is told
            .../pxe/boot.ipxe and runs the same scripts: every transfer
            over IPv6

iPXE waits about 13 s for an IPv6 router advertisement before it
reports its link configured; dnsmasq answers the router solicitation
(enable-ra, a ra-only range on fd99::/64), so it does not wait.

The IPv6 boot (test_uefi_ipv6) uses the topology's IPv6 (use_ipv6):
fd00:99::1 is the server (the socket backend listens on
[fd00:99::1]:69 alone), fd00:99::2/64 moves to the bridge instead of
fd99::2/64, and dnsmasq advertises fd00:99::/64 as "managed" and leases
fd00:99::100-1ff over DHCPv6, with option 59 (bootfile-url) for the boot
file. What was found with Debian 12's builds:

  * OVMF 2022.11 honours -fw_cfg name=opt/org.tianocore/IPv4PXESupport,
    string=n: its console shows ">>Start PXE over IPv6" alone. Without
    it OVMF first tries PXE over IPv4 and gives up (no DHCPv4 offer:
    PXE-E18) only about 64 s after QEMU started.
  * OVMF runs DHCPv6 twice: its IPv6 stack, told "managed", asks for an
    address and DNS servers only; then PXE asks again with bootfile-url
    in its option request. PXE waits out its first SOLICIT (4 s) for
    more ADVERTISEs unless one has preference 255, which dnsmasq sends
    with dhcp-authoritative. Without it OVMF had its boot file 18 to
    25 s after QEMU started; a run traced frame by frame spent 5 s from
    SOLICIT to REQUEST and 10 s more from REQUEST to its first use of
    the address, the length of its wait for a route to the server
    (PXEBC_IP6_ROUTE_TABLE_TIMEOUT), which runs with it do not show.
    With it: 9 to 10 s (over IPv4: 7 s).
  * OVMF's TFTP is as over IPv4 but with blksize 1228: "tsize 0 blksize
    1228 windowsize 4", ERROR 8 after the OACK, then "blksize 1228
    windowsize 4" from the next port.
  * iPXE's DHCPv6 carries user class "iPXE", which dnsmasq's
    dhcp-userclass tags as it does for DHCPv4; iPXE takes the
    bootfile-url as its filename and fetches the scripts relative to it.
  * iPXE configures DHCPv4 and IPv6 together and waits for both: with no
    DHCPv4 answer it takes 15 s more, until its DISCOVERs give up. So
    dnsmasq answers DHCPv4 to iPXE alone (dhcp-range=tag:ipxe,...),
    without a boot file; OVMF gets no IPv4 address. (dhcp-ignore=
    tag:!ipxe would ignore OVMF's DHCPv6 too, and a dhcp-range's set:
    tag is not seen by dhcp-ignore.)
  * The boot reaches the marker about 15 s after QEMU starts; the case
    takes 16 s.
"""

import ipaddress
import os
import re
import shutil

from dts.framework import files as files_mod
from dts.framework import pxelan
from dts.framework.pxelan import DHCP6_FIRST, DHCP6_LAST, Guest, start_lan
from dts.framework.pxewire import Wire, hostport
from dts.framework.suite import TestSuite, timeout
from dts.framework.topology import PREFIXLEN6

MARKER = "DPT-PXE-OK"
FAILED = "DPT-PXE-FAILED"
DIR = "pxe"                         # under the served root
BLOB = DIR + "/blob1M.bin"
BLOB_SIZE = files_mod.MiB
# OVMF's fw_cfg knob (its PxeBcPcdProducerLib, 2020): no PXE over IPv4.
NO_PXE4 = "name=opt/org.tianocore/IPv4PXESupport,string=n"

# What each part comes from: (path, Debian package).
QEMU = (pxelan.QEMU, "qemu-system-x86")
PARTS = {
    "ipxe-rom": ("/usr/lib/ipxe/qemu/efi-virtio.rom", "ipxe-qemu"),
    "ovmf": ("/usr/share/ovmf/OVMF.fd", "ovmf"),
    "snponly": ("/usr/lib/ipxe/snponly.efi", "ipxe"),
    "pxelinux": ("/usr/lib/PXELINUX/pxelinux.0", "pxelinux"),
    "ldlinux": ("/usr/lib/syslinux/modules/bios/ldlinux.c32",
                "syslinux-common"),
    "dnsmasq": (pxelan.DNSMASQ, "dnsmasq-base"),
    "tun": ("/dev/net/tun", "the kernel's tun driver"),
}

# The served boot tree: name under DIR -> (part it is copied from, or
# the text written).
BOOT_IPXE = """#!ipxe
echo DPT-PXE-STAGE1 ${platform} ${net0/ip}
imgfetch --name blob blob1M.bin || goto failed
chain stage2.ipxe || goto failed
exit
:failed
echo %s ${errno}
""" % FAILED
STAGE2_IPXE = """#!ipxe
imgstat
echo %s
""" % MARKER
PXELINUX_DEFAULT = """SERIAL 0 115200
SAY %s
PROMPT 0
TIMEOUT 1
""" % MARKER
TREE = {
    "boot.ipxe": BOOT_IPXE,
    "stage2.ipxe": STAGE2_IPXE,
    "snponly.efi": "snponly",
    "pxelinux.0": "pxelinux",
    "ldlinux.c32": "ldlinux",
    "pxelinux.cfg/default": PXELINUX_DEFAULT,
}

IMGSTAT_RE = re.compile(r"^blob : (\d+) bytes")


def part_path(part):
    return PARTS[part][0]


def missing_parts(parts):
    """'a (package b), ...' for the parts not installed here."""
    gone = []
    if shutil.which(QEMU[0]) is None:
        gone.append("%s (package %s)" % QEMU)
    for part in parts:
        path, pkg = PARTS[part]
        if not os.path.exists(path):
            gone.append("%s (%s)" % (path, pkg if pkg.startswith("the ")
                                     else "package " + pkg))
    return gone


# -------------------------------------------------------------- suite

class TestPxe(TestSuite):
    """PXE: BIOS (iPXE), UEFI (OVMF) and PXELINUX boot from the server."""

    # ------------------------------------------------------- the files

    def set_up_suite(self):
        top = self.files.path(DIR)
        shutil.rmtree(top, ignore_errors=True)
        os.makedirs(os.path.join(top, "pxelinux.cfg"))
        for path in (top, os.path.join(top, "pxelinux.cfg")):
            os.chmod(path, 0o755)
        self.files.add(BLOB, files_mod.content(BLOB, BLOB_SIZE))
        for name, what in TREE.items():
            if what in PARTS:
                if not os.path.exists(part_path(what)):
                    continue            # the case needing it skips
                with open(part_path(what), "rb") as f:
                    data = f.read()
            else:
                data = what.encode()
            self.files.add("%s/%s" % (DIR, name), data)

    def tear_down_suite(self):
        shutil.rmtree(self.files.path(DIR), ignore_errors=True)
        for name in list(self.files.sizes):
            if name.startswith(DIR + "/"):
                del self.files.sizes[name]
                del self.files.hashes[name]

    # --------------------------------------------------------- the LAN

    def _need(self, *parts):
        gone = missing_parts(("dnsmasq", "tun") + parts)
        if gone:
            self.skip("not installed: %s (scripts/install-deps test)"
                      % ", ".join(gone))

    def _boot(self, name, qemu_args, limit):
        """Boot QEMU until the marker; returns (seconds, Guest, Wire).
        QEMU is killed whatever happens."""
        wire = Wire(self.topo.client_ns, self.topo.client_if,
                    [ip for ip in (self.topo.server_ip, self.topo.server_ip6)
                     if ip is not None])
        try:
            with wire:
                guest = Guest(self, name, qemu_args)
                try:
                    seconds = guest.wait_for(MARKER, limit, FAILED)
                    self.log("%s: %s after %.1fs" % (name, MARKER, seconds))
                    wire.wait_acked()
                finally:
                    guest.kill()
        finally:
            wire.write_log(os.path.join(self.logdir, "wire.log"), name)
            for s in wire.sessions:
                self.log("%s: %s" % (name, s.describe()))
        return seconds, guest, wire

    # ---------------------------------------------------------- checks

    def _check_served(self, sess, name, asked):
        """sess fetched DIR/name in full with options `asked`; the OACK
        granted them and gave the file's size as tsize."""
        path = "%s/%s" % (DIR, name)
        what = "%s from %s" % (path, hostport(sess.client))
        self.check_eq(sess.filename, path, "requested file")
        self.check_eq([k for k, _ in sess.options], asked,
                      "%s: options asked" % what)
        self.check(sess.complete, "%s: not complete: %s" % (
            what, sess.describe()))
        want = self.files.read(path)
        got = sess.data()
        self.check(got is not None, "%s: DATA blocks missing on the wire"
                   % what)
        self.expect_bytes(got, want, what)
        self._check_oack(sess, what)

    def _check_oack(self, sess, what):
        asked = dict(sess.options)
        granted = dict(sess.oack or ())
        self.check(sess.oack is not None, "%s: no OACK: %s"
                   % (what, sess.describe()))
        self.check_eq([k for k, _ in sess.oack],
                      [k for k, _ in sess.options if k in granted],
                      "%s: OACK options (in the request's order)" % what)
        if "tsize" in asked:
            self.check_eq(granted.get("tsize"),
                          str(self.files.sizes[sess.filename]),
                          "%s: OACK tsize" % what)
        keys = ["blksize"]
        if "windowsize" in self.env.server_class.features:
            keys.append("windowsize")       # tftpd-hpa has none
        for key in keys:
            if key in asked:
                self.check_eq(granted.get(key), asked[key],
                              "%s: OACK %s" % (what, key))

    def _check_script_chain(self, sessions, asked, platform, guest):
        """boot.ipxe, the blob and stage2.ipxe, in that order, in full;
        the first script ran on `platform` and the blob arrived whole."""
        names = [s.filename for s in sessions]
        self.check_eq(names, ["%s/%s" % (DIR, n) for n in
                              ("boot.ipxe", "blob1M.bin", "stage2.ipxe")],
                      "iPXE requests")
        for sess, name in zip(sessions, ("boot.ipxe", "blob1M.bin",
                                         "stage2.ipxe")):
            self._check_served(sess, name, asked)
        stage1 = [l for l in guest.lines if l.startswith("DPT-PXE-STAGE1")]
        self.check(stage1 and stage1[0].split()[1] == platform,
                   "stage 1 platform: %r, want %s" % (stage1, platform))
        sizes = [int(m.group(1)) for m in map(IMGSTAT_RE.match, guest.lines)
                 if m]
        self.check_eq(sizes, [BLOB_SIZE], "blob size iPXE reports")

    def _check_counters(self, res, completed, probes=0, missing=0,
                        files=()):
        """The server's own account of the boot (dptftpd's counters; a
        server without them is judged by the wire alone)."""
        if "counters" not in self.env.server_class.features:
            self.log("%s prints no counters" % self.server_kind)
            return
        self.check_eq(res.counter("Total sessions-completed"), completed,
                      "sessions completed")
        self.check_eq(res.counter("Total option-probes"), probes,
                      "option probes")
        self.check_eq(res.counter("Total error-1-sent"), missing,
                      "ERROR 1 (file not found) sent")
        for key in ("Total sessions-failed", "Total sessions-timed-out"):
            self.check_eq(res.counter(key), 0, key)
        self.check_eq(res.counter("Total bytes-served"),
                      sum(self.files.sizes["%s/%s" % (DIR, n)]
                          for n in files), "bytes served")
        self.log("counters: requests %d, retransmits %d" % (
            res.counter("Total requests"), res.counter("Total retransmits")))

    # ------------------------------------------------------------ cases

    @timeout(120)
    def test_bios_ipxe(self):
        """Steps: start the server; dnsmasq names pxe/boot.ipxe; boot QEMU
        (SeaBIOS) from virtio-net with its iPXE ROM. The script fetches
        pxe/blob1M.bin (imgfetch) and chains pxe/stage2.ipxe, which lists
        the images and prints DPT-PXE-OK on the serial console.
        Verifies: the marker appears; iPXE asked for the three files in
        that order, each with blksize and tsize, and got an OACK granting
        them with the file's size as tsize; every byte it received equals
        the served file (1 MiB blob included, and iPXE reports 1048576
        bytes); the server counts 3 sessions completed, no option probe,
        no failure, and served exactly the three files' bytes."""
        self._need("ipxe-rom")
        srv = self.start_server()
        start_lan(self, ["pxe/boot.ipxe"])
        _, guest, wire = self._boot(
            "bios", ["-boot", "n", "-device",
                     "virtio-net-pci,netdev=n0,mac=52:54:00:99:00:01"], 60)
        self._check_script_chain(wire.sessions, ["blksize", "tsize"],
                                 "pcbios", guest)
        res = self.stop_server(srv)
        self._check_counters(res, 3, files=("boot.ipxe", "blob1M.bin",
                                            "stage2.ipxe"))

    def _uefi_boot(self, name, mac, qemu_args=()):
        """One OVMF network boot to the marker; returns (Guest, Wire)
        after checking the probe, snponly.efi and the scripts."""
        _, guest, wire = self._boot(
            name, ["-bios", part_path("ovmf"), "-device",
                   "virtio-net-pci,netdev=n0,mac=%s,romfile=,bootindex=1"
                   % mac] + list(qemu_args), 90)
        sessions = wire.sessions
        self.check(len(sessions) >= 2, "%s: %d requests on the wire"
                   % (name, len(sessions)))
        probe, efi = sessions[0], sessions[1]
        what = "%s: first request (the tsize probe)" % name
        self.check_eq(probe.filename, DIR + "/snponly.efi", what)
        self.check("tsize" in dict(probe.options),
                   "%s: no tsize asked: %s" % (what, probe.describe()))
        self._check_oack(probe, what)
        self.check(probe.client_error is not None and
                   probe.client_error[0] == 8,
                   "%s: OVMF did not end it with ERROR 8: %s"
                   % (what, probe.describe()))
        self.check_eq(probe.data_packets, 0, "%s: DATA sent" % what)
        self._check_served(efi, "snponly.efi",
                           [k for k, _ in efi.options])
        self._check_script_chain(sessions[2:], ["blksize", "tsize"], "efi",
                                 guest)
        return guest, wire

    @timeout(150)
    def test_uefi_ovmf(self):
        """Steps: start the server; dnsmasq names pxe/snponly.efi for
        client architecture 7 (x64 UEFI) and pxe/boot.ipxe for iPXE; boot
        QEMU with OVMF, its own PXE client on virtio-net (no option ROM).
        OVMF fetches snponly.efi (iPXE), which runs the script chain of
        test_bios_ipxe.
        Verifies: the marker appears; OVMF's first request asks tsize
        (with blksize and windowsize), gets an OACK with the file's size
        and aborts it with ERROR 8 before any DATA; its second request
        fetches snponly.efi byte-exact; the EFI iPXE (platform efi)
        fetches the three files as in the BIOS case; the server counts 1
        option probe and 4 sessions completed, no failure."""
        self._need("ovmf", "snponly")
        srv = self.start_server()
        start_lan(self, ["tag:!ipxe,tag:efi64,pxe/snponly.efi",
                   "tag:ipxe,pxe/boot.ipxe"])
        self._uefi_boot("uefi", "52:54:00:99:00:02")
        res = self.stop_server(srv)
        self._check_counters(res, 4, probes=1, files=(
            "snponly.efi", "boot.ipxe", "blob1M.bin", "stage2.ipxe"))

    @timeout(200)
    def test_uefi_reboot(self):
        """Steps: as test_uefi_ovmf, then boot QEMU again with the same
        MAC (so the same address from dnsmasq) against the same running
        server, up to twice more until a boot sends requests from ports
        an earlier boot used.
        Verifies: every boot reaches the marker with the checks of
        test_uefi_ovmf: nothing about an earlier boot's finished
        transfers is held against new requests from the same address and
        ports (iPXE's EFI build takes its source ports from one of two
        fixed sequences here, so the third boot at the latest repeats an
        earlier one's; case.log says which ports came again, wire.log
        shows them all); the server counts one probe and 4 sessions
        completed per boot."""
        self._need("ovmf", "snponly")
        srv = self.start_server()
        start_lan(self, ["tag:!ipxe,tag:efi64,pxe/snponly.efi",
                   "tag:ipxe,pxe/boot.ipxe"])
        mac = "52:54:00:99:00:03"
        used = {}                       # (ip, port) -> "boot N FILE"
        reused = []
        boots = 0
        while boots < 3 and not reused:
            boots += 1
            _, wire = self._uefi_boot("uefi-boot-%d" % boots, mac)
            reused = ["%s:%d %s (%s)" % (s.client + (s.filename,
                                                     used[s.client]))
                      for s in wire.sessions if s.client in used]
            used.update({s.client: "boot %d %s" % (boots, s.filename)
                         for s in wire.sessions})
        self.log("%d boots; client addresses and ports used again: %s"
                 % (boots, ", ".join(reused) or "none (not exercised)"))
        res = self.stop_server(srv)
        self._check_counters(res, 4 * boots, probes=boots, files=(
            "snponly.efi", "boot.ipxe", "blob1M.bin", "stage2.ipxe") * boots)

    @timeout(120)
    def test_pxelinux(self):
        """Steps: start the server; dnsmasq names pxe/pxelinux.0; boot QEMU
        (SeaBIOS, iPXE ROM), which runs PXELINUX; PXELINUX loads
        ldlinux.c32 and looks for its configuration;
        pxelinux.cfg/default says SERIAL 0 and SAY DPT-PXE-OK.
        Verifies: the marker appears; pxelinux.0, ldlinux.c32 and
        pxelinux.cfg/default arrive byte-exact with blksize and tsize
        granted; every other pxelinux.cfg/ name PXELINUX tries first
        (01-<mac>, then its address in hex, 8 digits down to 1) gets
        ERROR 1 and no DATA; the server counts 3 sessions completed and
        one ERROR 1 per missing name."""
        self._need("ipxe-rom", "pxelinux", "ldlinux")
        srv = self.start_server()
        start_lan(self, ["pxe/pxelinux.0"])
        mac = "52:54:00:99:00:04"
        _, guest, wire = self._boot(
            "pxelinux", ["-boot", "n", "-device",
                         "virtio-net-pci,netdev=n0,mac=%s" % mac], 60)
        sessions = wire.sessions
        self.check(len(sessions) >= 3, "%d requests on the wire"
                   % len(sessions))
        self._check_served(sessions[0], "pxelinux.0", ["blksize", "tsize"])
        loader = [s for s in sessions[1:]
                  if s.filename.endswith("/ldlinux.c32")]
        self.check(len(loader) == 1, "ldlinux.c32 requests: %d"
                   % len(loader))
        asked = [k for k, _ in loader[0].options]
        self._check_served(loader[0], "ldlinux.c32", asked)
        cfg = [s for s in sessions if "/pxelinux.cfg/" in s.filename]
        self.check(cfg and cfg[-1].filename == DIR + "/pxelinux.cfg/default",
                   "last configuration asked: %r"
                   % [s.filename for s in cfg[-1:]])
        self._check_served(cfg[-1], "pxelinux.cfg/default", asked)
        probes = cfg[:-1]
        ip = sessions[0].client[0]
        hexip = "".join("%02X" % int(x) for x in ip.split("."))
        want = ["01-" + mac.replace(":", "-")] + [hexip[:n] for n in
                                                  range(8, 0, -1)]
        got = [s.filename.rsplit("/", 1)[1] for s in probes]
        self.check_eq([g for g in got if g in want], want,
                      "missing names PXELINUX asked for, in order")
        for s in probes:
            self.check(s.server_error is not None and
                       s.server_error[0] == 1 and not s.data_packets,
                       "%s: want ERROR 1: %s" % (s.filename, s.describe()))
        res = self.stop_server(srv)
        self._check_counters(res, 3, missing=len(probes), files=(
            "pxelinux.0", "ldlinux.c32", "pxelinux.cfg/default"))

    @timeout(150)
    def test_uefi_ipv6(self):
        """Steps: IPv6 between client and server (fd00:99::1/64 for the
        server: the socket backend listens on [fd00:99::1]:69, the ethdev
        backends get --ip6); dnsmasq sends router advertisements
        ("managed") and leases fd00:99::100-1ff over DHCPv6
        (authoritative: preference 255), with
        bootfile-url tftp://[fd00:99::1]/pxe/snponly.efi, or
        .../pxe/boot.ipxe for user class iPXE; DHCPv4 answers iPXE alone,
        with no boot file (without it iPXE waits about 15 s for DHCPv4).
        Boot QEMU with OVMF, its PXEv4 client switched off by fw_cfg
        (opt/org.tianocore/IPv4PXESupport=n). OVMF's PXEv6 client fetches
        snponly.efi; that iPXE takes the bootfile-url DHCPv6 gives it and
        runs the script chain of test_bios_ipxe over IPv6.
        Verifies: the marker appears; OVMF started PXE over IPv6 and never
        over IPv4; every TFTP request on the wire came over IPv6 from an
        address dnsmasq leased, none over IPv4; OVMF's first request (from
        the station address it printed) asks tsize, gets an OACK with the
        file's size and ends it with ERROR 8 before any DATA; its second
        fetches snponly.efi byte-exact; iPXE (platform efi) fetches
        boot.ipxe, the blob and stage2.ipxe byte-exact as in the BIOS case;
        the server counts 1 option probe and 4 sessions completed, no
        failure; an ethdev backend answered neighbour solicitations (Port
        0 ND-adverts >= 1): the guest reached it through dptftpd's own
        Neighbor Discovery."""
        self._need("ovmf", "snponly")
        if self.server_kind != "dptftpd":
            self.skip("%s is started on IPv4 only" % self.server_kind)
        self.topo.use_ipv6()
        options = {}
        if self.env.backend == "socket":
            options["listen"] = "[%s]:69" % self.topo.server_ip6
        srv = self.start_server(**options)
        start_lan(self, [], ["tag:!ipxe,pxe/snponly.efi",
                             "tag:ipxe,pxe/boot.ipxe"])
        guest, wire = self._uefi_boot(
            "uefi6", "52:54:00:99:00:06", ["-fw_cfg", NO_PXE4])
        starts = [l.strip() for l in guest.lines if ">>Start " in l]
        self.check(any("PXE over IPv6" in l for l in starts) and
                   not any("over IPv4" in l for l in starts),
                   "OVMF boot attempts: %r, want PXE over IPv6 alone"
                   % starts)
        net = ipaddress.ip_network("%s/%d" % (self.topo.server_ip6,
                                              PREFIXLEN6), strict=False)
        leased = [net[n] for n in (DHCP6_FIRST, DHCP6_LAST)]
        for sess in wire.sessions:
            ip = ipaddress.ip_address(sess.client[0])
            self.check(ip.version == 6 and leased[0] <= ip <= leased[1],
                       "%s: not from an address dnsmasq leased (%s-%s)"
                       % (sess.describe(), leased[0], leased[1]))
        station = [l.split()[-1] for l in guest.lines
                   if "Station IP address is" in l]
        self.check(station and ipaddress.ip_address(station[0]) ==
                   ipaddress.ip_address(wire.sessions[0].client[0]),
                   "OVMF's station address %r, its requests from %s"
                   % (station, wire.sessions[0].client[0]))
        res = self.stop_server(srv)
        self._check_counters(res, 4, probes=1, files=(
            "snponly.efi", "boot.ipxe", "blob1M.bin", "stage2.ipxe"))
        if self.env.backend != "socket" and \
           "counters" in self.env.server_class.features:
            adverts = res.counter("Port 0 ND-adverts")
            self.check(adverts >= 1, "Port 0 ND-adverts is %d, want >= 1"
                       % adverts)
