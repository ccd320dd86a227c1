#!/usr/bin/env python3
"""gen-matrix.py - writes the access-matrix scenarios in scenarios/matrix/.

For every register of the shmem factory page, the shmem control page, the
GICv2 distributor and CPU interface and the PCI configuration space (with
BAR0), every naturally aligned width (8/16/32/64 bits) at every offset is
loaded and stored. This script holds a small model of each register, built
from docs/device-model.md (FAC-2/3/4/5, CRE-6/7, CTL-1/2, NTF-1/2, DET-1,
GIC-1/2/4, PCI-1/2), and turns it into a table of accesses with the values
they must read. The guest scenarios/guests/mx_walk.c performs the table and
records FAIL N for the N-th access that does not do what the model says.
After a store, the tables read back every register it may have touched and
check the side effect happened exactly once (a request makes exactly one
connection, a notify reaches exactly the connections its mask selects).
Unaligned accesses must fault (FAC-3, PLT-4) and touch no register.

  tools/gen-matrix.py           rewrite scenarios/matrix/*.json
  tools/gen-matrix.py --check   exit 1 if a file is missing or differs
                                (make test runs this)
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "scenarios", "matrix")
WIDTHS = (1, 2, 4, 8)
CHUNK = 3000                    # characters per string argument


class Table:
    """A list of mx_walk operations."""

    def __init__(self):
        self.ops = []

    def label(self, text):
        self.ops.append("#" + text.replace(" ", "_"))

    def r(self, w, a, v):
        self.ops.append("r%d:%x=%x" % (w, a, v & ((1 << (8 * w)) - 1)))

    def w(self, w, a, v):
        self.ops.append("w%d:%x=%x" % (w, a, v & ((1 << (8 * w)) - 1)))

    def u(self, w, a):
        self.ops.append("u%d:%x" % (w, a))

    def U(self, w, a, v):
        self.ops.append("U%d:%x=%x" % (w, a, v & ((1 << (8 * w)) - 1)))

    def x(self, w, a):
        self.ops.append("x%d:%x" % (w, a))

    def args(self):
        out, cur = [], ""
        for op in self.ops:
            if cur and len(cur) + 1 + len(op) > CHUNK:
                out.append(cur)
                cur = ""
            cur = op if not cur else cur + " " + op
        if cur:
            out.append(cur)
        return out


def le(bs):
    return int.from_bytes(bytes(bs), "little")


# ---------------------------------------------------------------- factory

FAC = 0x0A000000
FAC_INTR = 200
WIN = 0x1800000000               # CRE-4: window of instance 0
SIG = 0x4D534732474D5651
BASE_NAME = b"mx\x00" + b"q" * 28 + b"\x00"


def name_ok(field):
    """NAM-1/2 under name_unterminated reject."""
    if 0 not in field:
        return False
    n = field[:field.index(0)]
    return 1 <= len(n) <= 31 and all(0x20 <= c <= 0x7E and c != 0x2F for c in n)


class FacModel:
    def __init__(self):
        self.shmem = 0
        self.status = 0
        self.size = 0
        self.name = bytearray(32)
        self.find = 0            # kept internally, reads 0 (WO)

    def image(self):
        img = bytearray(0x1000)
        img[0:8] = SIG.to_bytes(8, "little")
        img[8:16] = self.shmem.to_bytes(8, "little")
        img[0x10:0x14] = FAC_INTR.to_bytes(4, "little")
        img[0x14:0x18] = self.status.to_bytes(4, "little")
        img[0x18:0x1C] = self.size.to_bytes(4, "little")
        img[0x1C:0x3C] = self.name
        return img

    def read(self, off, w):
        return le(self.image()[off:off + w])


def fac_check_all(t, m):
    for off in range(0, 0x40, 4):
        t.r(4, FAC + off, m.read(off, 4))


def fac_set_name(t, m, name):
    for i in range(0, 32, 4):
        t.w(4, FAC + 0x1C + i, le(name[i:i + 4]))
    m.name[:] = name


def fac_reads(t, m, what):
    offs = range(0, 0x1000)
    for w in WIDTHS:
        t.label("FAC-2 read %d at every offset, %s" % (w, what))
        for off in offs:
            if off % w == 0 and off + w <= 0x1000:
                t.r(w, FAC + off, m.read(off, w))


def fac_store_value(off, w, find_k):
    """Bytes of the store under test: RO bytes a pattern, size small,
    name bytes printable letters, find = find_k, RAZ all ones."""
    data = []
    for a in range(off, off + w):
        if a < 0x18:
            data.append(0xA5 ^ a)
        elif a < 0x1C:
            data.append((0x03, 0x01, 0x00, 0x00)[a - 0x18])
        elif a < 0x3C:
            data.append(0x41 + (a % 26))
        elif a < 0x40:
            # find: bits of the test number, so that bytes a narrow store
            # does not write are sometimes non-zero (and must be kept)
            data.append((find_k >> (a - 0x3C)) & 1)
        else:
            data.append(0xFF)
    return data


def fac_request(t, m, kind, value, old_size):
    """CRE-1/6/7/8 for the matrix's one region at a time; returns whether a
    connection was made (the caller detaches it)."""
    if not name_ok(m.name):
        st = 4
    elif kind == "find":
        st = 0 if value == 0 and m.have_p else 6
    elif value == 0:
        st = 6                   # size_zero attach-only, region absent
    else:
        st = 0
    m.status = st
    if st == 0 and kind == "size":
        m.shmem, m.size = WIN, value
    elif st == 0:
        m.shmem, m.size = WIN, 1
    else:
        m.size = old_size        # failure_regs unchanged
    return st == 0 and kind == "size"


def fac_store_test(t, m, off, w, find_k, store=None):
    touches_find = off < 0x40 and off + w > 0x3C
    touches_size = off < 0x1C and off + w > 0x18
    t.label("FAC-3 store %d at 0x%x" % (w, off))
    fac_set_name(t, m, bytearray(BASE_NAME))
    m.have_p = False
    if touches_find:
        # a live connection with index 0 of region "mx" for the find
        t.w(4, FAC + 0x18, 1)
        m.status, m.shmem, m.size = 0, WIN, 1
        t.r(4, WIN + 4, 0)
        m.have_p = True
    data = fac_store_value(off, w, find_k)
    old_size = m.size
    img = m.image()
    for i, b in enumerate(data):
        a = off + i
        if 0x18 <= a < 0x3C:
            img[a] = b
        elif 0x3C <= a < 0x40:
            m.find = (m.find & ~(0xFF << (8 * (a - 0x3C)))) | (b << (8 * (a - 0x3C)))
    m.size = le(img[0x18:0x1C])
    m.name[:] = img[0x1C:0x3C]
    (store or t.w)(w, FAC + off, le(data))
    made = False
    if touches_size:
        made = fac_request(t, m, "size", m.size, old_size)
    if touches_find:
        fac_request(t, m, "find", m.find, old_size if not touches_size else m.size)
    fac_check_all(t, m)
    if made:
        # exactly one request: the connection has index 0 (a second request
        # would have attached as index 1 and moved shmem)
        t.label("FAC-3 one request for store %d at 0x%x" % (w, off))
        t.r(4, WIN + 4, 0)
        t.w(4, WIN + 0xC, 0)
    if m.have_p:
        t.w(4, WIN + 0xC, 0)
        m.have_p = False


def gen_factory():
    t, m = Table(), FacModel()
    m.have_p = False
    fac_reads(t, m, "before any request")
    # a failed request then a good one: status, shmem, size all non-zero
    fac_set_name(t, m, bytearray(BASE_NAME))
    t.w(4, FAC + 0x18, 2)
    t.r(4, WIN + 4, 0)
    m.status, m.shmem, m.size = 0, WIN, 2
    t.w(4, WIN + 0xC, 0)
    t.w(4, FAC + 0x3C, 5)        # find 5 of "mx": absent
    m.status, m.find = 6, 5
    fac_reads(t, m, "after requests")
    k = 0
    for w in WIDTHS:
        for off in list(range(0, 0x48, w)) + [0x100, 0xFF8]:
            if off % w or off + w > 0x1000:
                continue
            fac_store_test(t, m, off, w, k % 7)
            k += 1
    return t


def gen_factory_unaligned():
    t, m = Table(), FacModel()
    m.have_p = False
    fac_set_name(t, m, bytearray(BASE_NAME))
    t.w(4, FAC + 0x18, 2)
    m.status, m.shmem, m.size = 0, WIN, 2
    t.w(4, FAC + 0x3C, 5)
    m.status, m.find = 6, 5
    for w in (2, 4, 8):
        for off in range(0x0, 0x44):
            if off % w == 0:
                continue
            t.label("FAC-3 unaligned %d at 0x%x faults" % (w, off))
            t.u(w, FAC + off)
            t.U(w, FAC + off, 0x0101010101010101)
        fac_check_all(t, m)
        t.r(4, WIN + 4, 0)       # no request made a second connection
    t.r(4, WIN + 4, 0)
    return t


# ---------------------------------------------------------------- control

NCONN = 10                       # indices 0..9: pending bits in both bytes


def ctl(k):
    return WIN + k * 0x2000


class CtlModel:
    def __init__(self):
        self.live = set(range(NCONN))
        self.pending = {k: 0 for k in range(NCONN)}

    def status(self, k):
        mask = 0
        for i in self.live:
            mask |= 1 << i
        return self.pending[k] | mask << 16

    def image(self, k):
        img = bytearray(0x1000)
        img[0:4] = self.status(k).to_bytes(4, "little")
        img[4:8] = k.to_bytes(4, "little")
        return img

    def notify(self, s, m):
        for t in self.live:
            sel = (t != s) if m == 0xFFFFFFFF else bool((m & 0xFFFF) >> t & 1)
            if sel:
                self.pending[t] |= 1 << s


def ctl_setup(t, name=b"mc"):
    fac_set_name(t, FacModel(), bytearray(name + b"\x00" * (32 - len(name))))
    for k in range(NCONN):
        t.w(4, FAC + 0x18, 1)
        t.r(8, FAC + 0x08, ctl(k))
        t.r(4, ctl(k) + 4, k)


def ctl_clear_all(t, m):
    """Read every live status twice: the value, then the live set only."""
    for k in sorted(m.live):
        t.r(4, ctl(k), m.status(k))
        m.pending[k] = 0
        t.r(4, ctl(k), m.status(k))


def gen_control():
    t, m = Table(), CtlModel()
    ctl_setup(t)
    ctl_clear_all(t, m)
    offs = list(range(0, 0x18)) + [0x800, 0xFF8]
    for w in WIDTHS:
        for off in offs:
            if off % w:
                continue
            t.label("CTL-2 read %d at 0x%x" % (w, off))
            # connections 1 and 9 notify connection 0: bits 1 and 9 pending
            t.w(4, ctl(1) + 8, 1)
            t.w(4, ctl(9) + 8, 1)
            m.pending[0] = 0x202
            t.r(w, ctl(0) + off, le(m.image(0)[off:off + w]))
            for a in range(off, off + w):
                if a == 0:
                    m.pending[0] &= 0xFF00
                elif a == 1:
                    m.pending[0] &= 0x00FF
            t.r(4, ctl(0), m.status(0))
            m.pending[0] = 0
            t.r(4, ctl(0), m.status(0))
    t.label("CTL-1 every offset of the control page at every width")
    for w in WIDTHS:
        for off in range(0, 0x1000, w):
            t.r(w, ctl(3) + off, le(m.image(3)[off:off + w]))
    patterns = ((0xFF, (0x06, 0x02, 0x00, 0x00), 0x00),
                (0x5A, (0xFF, 0xFF, 0xFF, 0xFF), 0xFF),
                (0x00, (0x01, 0x00, 0x00, 0x00), 0x01))
    for w in WIDTHS:
        for off in list(range(0, 0x18)) + [0x800, 0xFF8]:
            if off % w:
                continue
            for p, (ro, nb, db) in enumerate(patterns):
                if p and not (0x8 <= off + w - 1 and off < 0x10):
                    continue     # other values matter only for notify/detach
                t.label("CTL-1 store %d at 0x%x pattern %d" % (w, off, p))
                # pending bits 1 and 9 in connection 0: a store to the RO
                # status must not clear them
                t.w(4, ctl(1) + 8, 1)
                t.w(4, ctl(9) + 8, 1)
                m.pending[0] |= 0x202
                data, mask, w_notify, w_detach = [], 0, False, False
                for a in range(off, off + w):
                    if a < 8:
                        data.append(ro)
                    elif a < 0xC:
                        data.append(nb[a - 8])
                        mask |= nb[a - 8] << (8 * (a - 8))
                        w_notify = True
                    elif a < 0x10:
                        data.append(db)
                        w_detach = True
                    else:
                        data.append(0xEE)
                t.w(w, ctl(0) + off, le(data))
                if w_notify:
                    m.notify(0, mask)
                if w_detach:
                    m.live.discard(0)
                    m.pending[0] = 0
                    t.label("DET-1 store %d at 0x%x detached" % (w, off))
                    t.x(4, ctl(0) + 4)
                t.label("NTF-1 after store %d at 0x%x pattern %d" % (w, off, p))
                ctl_clear_all(t, m)
                if w_detach:
                    t.label("CTL-3 reattach after store %d at 0x%x" % (w, off))
                    t.w(4, FAC + 0x18, 1)
                    t.r(8, FAC + 0x08, ctl(0))
                    t.r(4, ctl(0) + 4, 0)
                    m.live.add(0)
                    m.pending[0] = 0
                    ctl_clear_all(t, m)
    t.label("CTL-1 unaligned accesses fault")
    t.w(4, ctl(1) + 8, 1)
    m.pending[0] |= 1 << 1
    for w in (2, 4, 8):
        for off in range(0, 0x14):
            if off % w:
                t.u(w, ctl(0) + off)
                t.U(w, ctl(0) + off, 0xFFFFFFFFFFFFFFFF)
    ctl_clear_all(t, m)
    return t


# ---------------------------------------------------------------- GIC

GICD = 0x08000000
GICC = 0x08010000
NIRQ = 256


class GicModel:
    """sim/gic.c's distributor as docs/device-model.md GIC-1/GIC-4 say."""

    def __init__(self):
        self.dctlr = 0
        self.enabled = [0] * 8
        self.latch = [0] * 8
        self.active = [0] * 8
        self.edge = [0] * 8
        self.edge[0] = 0xFFFF
        self.prio = [0] * NIRQ

    @staticmethod
    def bitblock(off):
        if off < 0x100 or off >= 0x400 or (off & 0x7F) >= 32:
            return -1
        return (off - 0x100) >> 7

    @staticmethod
    def byte_reg(off):
        return 0x400 <= off < 0xC00 or 0xF10 <= off < 0xF30

    def word_reg(self, w):
        return (w in (0x000, 0x004, 0x008, 0xF00, 0xFE8) or self.bitblock(w) >= 0 or
                0xC00 <= w < 0xC40)

    def read8(self, off):
        if 0x400 <= off < 0x500:
            return self.prio[off - 0x400]
        if 0xF10 <= off < 0xF20:
            return self.latch[0] >> (off - 0xF10) & 1
        if 0xF20 <= off < 0xF30:
            return self.latch[0] >> (off - 0xF20) & 1
        return 0

    def write8(self, off, v):
        if 0x400 <= off < 0x500:
            self.prio[off - 0x400] = v & 0xF8
        elif 0xF10 <= off < 0xF20 and v & 1:
            self.latch[0] &= ~(1 << (off - 0xF10))
        elif 0xF20 <= off < 0xF30 and v & 1:
            self.latch[0] |= 1 << (off - 0xF20)

    def maps(self, blk):
        return (self.enabled, self.latch, self.active)[blk // 2]

    def read32(self, off):
        if self.byte_reg(off):
            return sum(self.read8(off + k) << (8 * k) for k in range(4))
        blk = self.bitblock(off)
        if blk >= 0:
            return self.maps(blk)[(off & 0x7F) // 4]
        if 0xC00 <= off < 0xC40:
            first = (off - 0xC00) * 4
            v = 0
            for k in range(16):
                i = first + k
                if self.edge[i // 32] >> (i % 32) & 1:
                    v |= 2 << (2 * k)
            return v
        return {0x000: self.dctlr, 0x004: 0x7, 0x008: 0x0200143B, 0xFE8: 0x20}.get(off, 0)

    def write32(self, off, v):
        if self.byte_reg(off):
            for k in range(4):
                self.write8(off + k, v >> (8 * k) & 0xFF)
            return
        blk = self.bitblock(off)
        if blk >= 0:
            w = (off & 0x7F) // 4
            m = self.maps(blk)
            if blk // 2 == 1 and w == 0:
                v &= ~0xFFFF
            if blk & 1:
                m[w] &= ~v
            else:
                m[w] |= v
            return
        if 0xC00 <= off < 0xC40:
            first = (off - 0xC00) * 4
            if first < 16:
                return
            for k in range(16):
                i = first + k
                if v >> (2 * k + 1) & 1:
                    self.edge[i // 32] |= 1 << (i % 32)
                else:
                    self.edge[i // 32] &= ~(1 << (i % 32))
            return
        if off == 0x000:
            self.dctlr = v & 1
        elif off == 0xF00:
            i, filt, lst = v & 0xF, (v >> 24) & 3, (v >> 16) & 0xFF
            if (filt == 0 and lst & 1) or filt == 2:
                self.latch[0] |= 1 << i

    def read(self, off, w):
        if w >= 4:
            return sum(self.read32(off + 4 * k) << (32 * k) for k in range(w // 4))
        wd = off & ~3
        if self.byte_reg(wd):
            return sum(self.read8(off + k) << (8 * k) for k in range(w))
        return 0

    def write(self, off, w, v):
        if w >= 4:
            for k in range(w // 4):
                self.write32(off + 4 * k, v >> (32 * k) & 0xFFFFFFFF)
            return
        wd = off & ~3
        if self.byte_reg(wd):
            for k in range(w):
                self.write8(off + k, v >> (8 * k) & 0xFF)


GICD_WINDOWS = [0x000, 0x008, 0x010, 0x080, 0x0F8,
                0x100, 0x118, 0x120, 0x180, 0x198, 0x200, 0x218, 0x280, 0x298,
                0x300, 0x318, 0x380, 0x398, 0x3F8,
                0x400, 0x428, 0x4F8, 0x500, 0x800, 0x820, 0xBF8,
                0xC00, 0xC08, 0xC38, 0xC40, 0xD00,
                0xF00, 0xF08, 0xF10, 0xF18, 0xF20, 0xF28, 0xF30, 0xFE8, 0xFF8]


def gicd_pattern(off, w, n):
    """Store data: mixes of set bits; SGIR stores send SGIs to ourselves."""
    if 0xF00 <= off < 0xF08:
        lo = 0x02000000 | (n % 16) if n % 3 else 0x00010000 | ((n + 5) % 16)
        return lo if w <= 4 else lo | 0xFFFFFFFF << 32
    v = 0
    for k in range(w):
        v |= ((0x5B * (n + 3) + 0x3D * k) & 0xFF) << (8 * k)
    return v


def gicd_check(t, m, off):
    base = off & ~7
    words = {base, base + 4}
    blk = m.bitblock(base)
    if blk >= 0:
        partner = base ^ 0x80
        words |= {partner, partner + 4}
    if 0xF00 <= base < 0xF30:
        words |= {0x200, 0xF10, 0xF14, 0xF18, 0xF1C, 0xF20, 0xF24, 0xF28, 0xF2C}
    for wd in sorted(words):
        t.r(4, GICD + wd, m.read32(wd))


def gen_gicd():
    t, m = Table(), GicModel()
    t.label("GIC-1 reset values")
    for wd in GICD_WINDOWS:
        for w in WIDTHS:
            for off in range(wd, wd + 8, w):
                t.r(w, GICD + off, m.read(off, w))
    # a state with something in every register (PMR stays 0: no acknowledge)
    t.label("GIC-1 set up")
    n = 0
    for wd in GICD_WINDOWS:
        for off in (wd, wd + 4):
            if off in (0xF00, 0xF04, 0x000):
                continue
            v = gicd_pattern(off, 4, n)
            n += 1
            t.w(4, GICD + off, v)
            m.write(off, 4, v)
    for wd in GICD_WINDOWS:
        for w in WIDTHS:
            t.label("GIC-1 read %d at 0x%x" % (w, wd))
            for off in range(wd, wd + 8, w):
                t.r(w, GICD + off, m.read(off, w))
    for wd in GICD_WINDOWS:
        for w in WIDTHS:
            for off in range(wd, wd + 8, w):
                t.label("GIC-4 store %d at 0x%x" % (w, off))
                v = gicd_pattern(off, w, n)
                n += 1
                t.w(w, GICD + off, v)
                m.write(off, w, v)
                gicd_check(t, m, off)
    t.label("GIC-4 every offset of the distributor page at every width")
    for w in WIDTHS:
        for off in range(0, 0x1000, w):
            t.r(w, GICD + off, m.read(off, w))
    t.label("GIC-4 a 32-bit store to every word, then every word read back")
    for off in range(0, 0x1000, 4):
        v = gicd_pattern(off, 4, n)
        n += 1
        t.w(4, GICD + off, v)
        m.write(off, 4, v)
    for off in range(0, 0x1000, 4):
        t.r(4, GICD + off, m.read32(off))
    t.label("GIC unaligned accesses fault")
    for w in (2, 4, 8):
        for off in (0x001, 0x102, 0x203, 0x405, 0xC06, 0xF01, 0xF12):
            if off % w:
                t.u(w, GICD + off)
                t.U(w, GICD + off, 0xFFFFFFFFFFFFFFFF)
    for wd in GICD_WINDOWS:
        gicd_check(t, m, wd)
    return t


def gen_gicc():
    """GICC at every width with nothing pending; then one acknowledge per
    IAR load whatever its width (a 64-bit load at 0x08 reads BPR and IAR)."""
    t = Table()
    regs = {0x00: 0, 0x04: 0, 0x08: 2, 0x0C: 1023, 0x10: 0, 0x14: 0xFF, 0x18: 1023,
            0xFC: 0x0202143B}

    def read(off, w):
        if w < 4:
            return 0
        return sum(regs.get(off + 4 * k, 0) << (32 * k) for k in range(w // 4))

    t.label("GIC-2 GICD on, nothing pending")
    t.w(4, GICD + 0x000, 1)
    for wd in (0x00, 0x08, 0x10, 0x18, 0x20, 0x80, 0xF8):
        for w in WIDTHS:
            t.label("GIC-2 read %d at GICC+0x%x" % (w, wd))
            for off in range(wd, wd + 8, w):
                t.r(w, GICC + off, read(off, w))

    t.label("GIC-4 every offset of the CPU interface page at every width")
    for w in WIDTHS:
        for off in range(0, 0x1000, w):
            t.r(w, GICC + off, read(off, w))

    def write(off, w, v):
        if w < 4:
            return
        for k in range(w // 4):
            o, x = off + 4 * k, v >> (32 * k) & 0xFFFFFFFF
            if o == 0x00:
                regs[0x00] = x & 1
            elif o == 0x04:
                regs[0x04] = x & 0xF8
            elif o == 0x08:
                regs[0x08] = max(2, x & 7)

    n = 0
    for wd in (0x00, 0x08, 0x10, 0x18, 0x20, 0xF8):
        for w in WIDTHS:
            for off in range(wd, wd + 8, w):
                t.label("GIC-4 store %d at GICC+0x%x" % (w, off))
                v = (0x0123456789ABCDEF * (n + 1) >> (n % 7)) & ((1 << (8 * w)) - 1)
                if off <= 0x10 < off + w:
                    v &= ~(0x3FF << (8 * (0x10 - off)))
                    v |= 1023 << (8 * (0x10 - off)) if w >= 4 else 0
                n += 1
                t.w(w, GICC + off, v)
                write(off, w, v)
                for o in (0x00, 0x04, 0x08, 0x0C, 0x14, 0x18, 0xFC):
                    t.r(4, GICC + o, read(o, 4))
    # acknowledge exactly once per load, at any width that covers IAR
    t.label("GIC-2 acknowledges")
    t.w(4, GICC + 0x00, 1)
    t.w(4, GICC + 0x04, 0xF0)
    t.w(4, GICC + 0x08, 2)
    t.w(4, GICD + 0x100, 0x0000000F)          # SGIs 0..3 enabled
    t.w(4, GICD + 0x104, 1 << 8)              # SPI 40 enabled
    t.w(4, GICD + 0x400, 0x80604020)          # SGI0 0x20, SGI1 0x40, SGI2 0x60, SGI3 0x80
    t.w(4, GICD + 0x428, 0x000000A0)          # SPI 40: 0xA0
    for w in (1, 2):
        t.w(w, GICD + 0xF20, 1)               # SGI 0 pending (byte register)
        t.label("GIC-4 a %d-byte IAR load reads 0 and acknowledges nothing" % w)
        t.r(w, GICC + 0x0C, 0)
        t.r(4, GICC + 0x18, 0)
        t.r(4, GICC + 0x14, 0xFF)
        t.w(4, GICD + 0xF10, 1)
    t.w(4, GICD + 0xF00, 0x02000001)          # SGI 1
    t.w(4, GICD + 0xF00, 0x02000002)          # SGI 2
    t.w(4, GICD + 0x204, 1 << 8)              # SPI 40
    t.label("GIC-2 PMR equal to the priority masks it")
    t.w(4, GICC + 0x04, 0x40)
    t.r(4, GICC + 0x18, 1)
    t.r(4, GICC + 0x0C, 1023)
    t.w(4, GICC + 0x04, 0x48)
    t.r(4, GICC + 0x04, 0x48)
    t.w(4, GICC + 0x04, 0xF0)
    t.label("GIC-2 64-bit load at 0x08 acknowledges once")
    t.r(4, GICC + 0x18, 1)
    t.r(8, GICC + 0x08, 2 | 1 << 32)
    t.r(4, GICC + 0x14, 0x40)
    t.r(4, GICC + 0x18, 2)
    t.r(4, GICD + 0x300, 1 << 1)
    t.r(4, GICC + 0x0C, 1023)                 # SGI 2 (0x60) does not preempt 0x40
    t.label("GIC-2 EOIR of an INTID that is not active changes nothing")
    t.w(4, GICC + 0x10, 3)
    t.r(4, GICC + 0x14, 0x40)
    t.r(4, GICD + 0x300, 1 << 1)
    t.w(4, GICC + 0x10, 40)
    t.r(4, GICC + 0x14, 0x40)
    t.label("GIC-2 EOIR of SGI 1 naming source CPU 1 changes nothing")
    t.w(4, GICC + 0x10, 1 | 1 << 10)
    t.r(4, GICC + 0x14, 0x40)
    t.r(4, GICD + 0x300, 1 << 1)
    t.label("GIC-2 narrow EOIR stores are ignored")
    t.w(1, GICC + 0x10, 1)
    t.w(2, GICC + 0x10, 1)
    t.r(4, GICD + 0x300, 1 << 1)
    t.r(4, GICC + 0x14, 0x40)
    t.label("GIC-2 a 64-bit store at 0x10 writes EOIR once")
    t.w(8, GICC + 0x10, 1 | 0xFFFFFFFF << 32)
    t.r(4, GICD + 0x300, 0)
    t.r(4, GICC + 0x14, 0xFF)
    t.label("GIC-2 64-bit load at 0x08 acknowledges SGI 2 once")
    t.r(8, GICC + 0x08, 2 | 2 << 32)
    t.r(4, GICC + 0x14, 0x60)
    t.r(4, GICD + 0x300, 1 << 2)
    t.r(4, GICC + 0x18, 40)
    t.w(4, GICC + 0x10, 2)
    t.r(4, GICC + 0x14, 0xFF)
    t.r(4, GICD + 0x300, 0)
    t.r(8, GICC + 0x08, 2 | 40 << 32)
    t.r(4, GICC + 0x14, 0xA0)
    t.r(4, GICD + 0x304, 1 << 8)
    t.r(4, GICC + 0x0C, 1023)
    t.w(4, GICC + 0x10, 40)
    t.r(4, GICC + 0x14, 0xFF)
    t.r(4, GICD + 0x304, 0)
    t.label("GIC-2 unaligned GICC accesses fault")
    for w in (2, 4, 8):
        for off in (0x02, 0x0D, 0x12):
            if off % w:
                t.u(w, GICC + off)
                t.U(w, GICC + off, 0)
    t.r(4, GICC + 0x14, 0xFF)
    t.r(4, GICC + 0x18, 1023)
    return t


# ---------------------------------------------------------------- PCI

ECAM = 0x3F000000


class PciModel:
    def __init__(self):
        self.command = 0
        self.bar0 = 0x10000000

    def cfg(self, slot, reg):
        if slot == 0:
            return {0x00: 0x00081B36, 0x08: 0x06000000}.get(reg, 0)
        if slot == 1:
            return {0x00: 0x00011C05, 0x04: self.command, 0x08: 0x05800000,
                    0x10: self.bar0, 0x3C: 0x0124}.get(reg, 0)
        return 0xFFFFFFFF

    def read(self, slot, off, w):
        v = 0
        for i in range(w):
            o = off + i
            v |= (self.cfg(slot, o & ~3) >> (8 * (o & 3)) & 0xFF) << (8 * i)
        return v

    def write(self, slot, off, w, v):
        if slot != 1:
            return
        for d in range(off & ~3, off + w, 4):
            val = mask = 0
            for b in range(4):
                if off <= d + b < off + w:
                    val |= (v >> (8 * (d + b - off)) & 0xFF) << (8 * b)
                    mask |= 0xFF << (8 * b)
            if d == 0x04:
                self.command = ((self.command & ~mask) | (val & mask)) & 2
            elif d == 0x10:
                self.bar0 = ((self.bar0 & ~mask) | (val & mask)) & 0xFFFFF000


def gen_pci():
    t, m = Table(), PciModel()
    offs = list(range(0, 0x48)) + [0x100, 0xFF8]
    for slot in (0, 1, 2):
        base = ECAM + (slot << 15)
        for w in WIDTHS:
            t.label("PCI-1 read %d, slot %d" % (w, slot))
            for off in offs:
                if off % w == 0:
                    t.r(w, base + off, m.read(slot, off, w))
    cfg = ECAM + (1 << 15)
    n = 0
    for w in WIDTHS:
        for off in list(range(0, 0x48, w)) + [0x100]:
            if off % w:
                continue
            t.label("PCI-1 store %d at 0x%x" % (w, off))
            v = 0
            for i in range(w):
                a = off + i
                if 0x10 <= a < 0x14:   # BAR0: keep it in the window
                    v |= ((0x5A, 0x2F + (n % 3) * 0x10, 0x01 + n % 0x20, 0x10 + n % 3)[a - 0x10]) << (8 * i)  # low 12 bits read 0
                elif 0x04 <= a < 0x06:
                    v |= (0xFF if n % 2 else 0xFD) << (8 * i)
                else:
                    v |= ((0x37 * (n + 1) + 0x11 * i) & 0xFF) << (8 * i)
            n += 1
            t.w(w, cfg + off, v)
            m.write(1, off, w, v)
            for o in range(0, 0x40, 4):
                t.r(4, cfg + o, m.cfg(1, o))
            for o in (0x00, 0x04, 0x10):
                t.r(4, ECAM + o, m.cfg(0, o))
                t.r(4, ECAM + (2 << 15) + o, 0xFFFFFFFF)
            # the factory page answers at BAR0 while Memory Space is on
            if m.command & 2 and 0x10000000 <= m.bar0 < 0x3F000000:
                t.label("PCI-2 factory page at BAR0 0x%x" % m.bar0)
                t.r(8, m.bar0, SIG)
            elif 0x10000000 <= m.bar0 < 0x3F000000:
                t.label("PCI-2 no page at BAR0 0x%x while Memory Space is off" % m.bar0)
                t.x(8, m.bar0)
    t.label("PCI-1 BAR0 programmed with halfword stores moves the page")
    t.w(4, cfg + 0x04, 0)
    t.w(2, cfg + 0x10, 0x5000)
    t.w(2, cfg + 0x12, 0x2345)
    t.w(4, cfg + 0x04, 0xFFFFFFFF)
    t.r(4, cfg + 0x10, 0x23455000)
    t.r(8, 0x23455000, SIG)
    t.r(4, 0x23455000 + 0x10, 36)
    t.label("PCI-1 BAR0 programmed with byte stores moves the page")
    for i, b in enumerate((0x00, 0x70, 0x34, 0x12)):
        t.w(1, cfg + 0x10 + i, b)
    t.r(4, cfg + 0x10, 0x12347000)
    t.r(8, 0x12347000, SIG)
    t.x(8, 0x23455000)
    t.label("PCI unaligned config accesses fault")
    for w in (2, 4, 8):
        for off in (0x01, 0x03, 0x0E, 0x11):
            if off % w:
                t.u(w, cfg + off)
                t.U(w, cfg + off, 0)
    t.r(4, cfg + 0x10, 0x12347000)
    t.r(4, cfg + 0x04, 2)
    return t


# ---------------------------------------------------------------- named
# Scenarios for single behaviours (issue 14), written to their area's
# directory; the tables are short enough to read in the JSON.

def name_words(t, name):
    field = name + b"\x00" * (32 - len(name))
    for i in range(0, 32, 4):
        t.w(4, FAC + 0x1C + i, le(field[i:i + 4]))


def connect_n(t, name, n, pages=1):
    name_words(t, name)
    for k in range(n):
        t.w(4, FAC + 0x18, pages)
        t.r(4, FAC + 0x14, 0)
        t.r(8, FAC + 0x08, WIN + k * (pages + 1) * 0x1000)
        t.r(4, WIN + k * (pages + 1) * 0x1000 + 4, k)


def statuses(t, live, pend):
    """32-bit status of every connection in live (read clears)."""
    mask = sum(1 << k for k in live)
    for k in sorted(live):
        t.r(4, ctl(k), mask << 16 | (pend.get(k, 0)))


def named_notify_narrow():
    t = Table()
    live = range(NCONN)
    connect_n(t, b"nn", NCONN)
    statuses(t, live, {})
    t.label("CTL-1 byte 0x01 at 0x9 notifies connection 8 only")
    t.w(1, ctl(0) + 0x9, 0x01)
    statuses(t, live, {8: 1})
    t.label("CTL-1 byte 0xFF at 0x8 notifies 0..7 (self included), not 8 and 9")
    t.w(1, ctl(0) + 0x8, 0xFF)
    statuses(t, live, {k: 1 for k in range(8)})
    t.label("CTL-1 halfword at 0xA: bits 31:16 select no one")
    t.w(2, ctl(0) + 0xA, 0xFFFF)
    statuses(t, live, {})
    t.label("CTL-1 byte 0xFF at 0xB: no one, and no detach")
    t.w(1, ctl(0) + 0xB, 0xFF)
    statuses(t, live, {})
    t.label("CTL-1 halfword 0x0200 at 0x8 notifies connection 9")
    t.w(2, ctl(0) + 0x8, 0x0200)
    statuses(t, live, {9: 1})
    t.label("NTF-2 word 0xFFFFFFFF: everyone but the sender")
    t.w(4, ctl(0) + 0x8, 0xFFFFFFFF)
    statuses(t, live, {k: 1 for k in range(1, NCONN)})
    t.label("NTF-3 word 0: nothing")
    t.w(4, ctl(0) + 0x8, 0)
    statuses(t, live, {})
    return t


def named_detach_narrow():
    t = Table()
    live = set(range(4))
    connect_n(t, b"dn", 4)
    statuses(t, live, {})
    for w, off, v in ((1, 0xB, 0xFF), (2, 0xA, 0xFFFF), (1, 0x8, 0x00), (2, 0x8, 0)):
        t.label("CTL-1 %d-byte store at 0x%x does not detach" % (w, off))
        t.w(w, ctl(0) + off, v)
        t.r(4, ctl(0) + 4, 0)
        statuses(t, live, {})
    for w, off, v in ((1, 0xC, 0x00), (1, 0xD, 0x01), (1, 0xE, 0xFF), (1, 0xF, 0x80),
                      (2, 0xC, 0), (2, 0xE, 0x1234), (8, 0x8, 0)):
        t.label("CTL-1 %d-byte store at 0x%x detaches" % (w, off))
        t.w(w, ctl(0) + off, v)
        t.x(4, ctl(0) + 4)
        statuses(t, live - {0}, {})
        t.label("CTL-3 reattach after the %d-byte store at 0x%x" % (w, off))
        t.w(4, FAC + 0x18, 1)
        t.r(8, FAC + 0x08, ctl(0))
        t.r(4, ctl(0) + 4, 0)
        statuses(t, live, {})
    return t


def named_find_reads_zero():
    t = Table()
    connect_n(t, b"fz", 2)
    # (width, offset, value, find register after the store, status, shmem)
    for w, off, v, k, st, sh in ((4, 0x3C, 1, 1, 0, ctl(1)),
                                 (4, 0x3C, 0xFFFFFFFF, 0xFFFFFFFF, 6, ctl(1)),
                                 (2, 0x3C, 0, 0xFFFF0000, 6, ctl(1)),
                                 (2, 0x3E, 0, 0, 0, ctl(0)),
                                 (1, 0x3C, 1, 1, 0, ctl(1)),
                                 (8, 0x38, 1 << 32, 1, 0, ctl(1))):
        t.label("FAC-2 find %d-byte store at 0x%x (find now 0x%x) reads 0" % (w, off, k))
        t.w(w, FAC + off, v)
        t.r(4, FAC + 0x14, st)
        t.r(8, FAC + 0x08, sh)
        t.r(4, FAC + 0x3C, 0)
        t.r(2, FAC + 0x3C, 0)
        t.r(2, FAC + 0x3E, 0)
        t.r(1, FAC + 0x3C, 0)
        t.r(1, FAC + 0x3F, 0)
        t.r(8, FAC + 0x38, 0)
    return t


def named_recreate_zero():
    t = Table()
    name_words(t, b"dz")
    t.label("DET-3 create dz with 2 pages and fill its data")
    t.w(4, FAC + 0x18, 2)
    t.r(4, FAC + 0x14, 0)
    t.r(8, FAC + 0x08, WIN)
    t.w(8, WIN + 0x1000, 0x1122334455667788)
    t.w(8, WIN + 0x2FF8, 0x99AABBCCDDEEFF00)
    t.r(8, WIN + 0x1000, 0x1122334455667788)
    t.w(4, WIN + 0xC, 0)
    t.label("DET-3 the data pages are gone after the last detach")
    t.x(8, WIN + 0x1000)
    t.label("DET-3 re-created at the same size it reads zero")
    t.w(4, FAC + 0x18, 2)
    t.r(4, FAC + 0x14, 0)
    t.r(4, FAC + 0x18, 2)
    t.r(8, FAC + 0x08, WIN)
    t.r(4, WIN + 4, 0)
    t.r(8, WIN + 0x1000, 0)
    t.r(8, WIN + 0x2FF8, 0)
    t.r(4, WIN, 1 << 16)
    return t


def named_bar_narrow():
    t = Table()
    cfg = ECAM + (1 << 15)
    t.label("PCI-1 BAR0 programmed by halfword stores with decoding off")
    t.r(4, cfg + 0x10, 0x10000000)
    t.w(2, cfg + 0x10, 0x5000)
    t.w(2, cfg + 0x12, 0x2345)
    t.r(4, cfg + 0x10, 0x23455000)
    t.r(2, cfg + 0x12, 0x2345)
    t.w(2, cfg + 0x04, 0x0002)
    t.r(4, cfg + 0x04, 0x0002)
    t.r(8, 0x23455000, SIG)
    t.r(4, 0x23455010, 36)
    t.x(8, 0x10000000)
    t.label("PCI-1 BAR0 programmed by byte stores with decoding on: the page follows")
    for i, b in enumerate((0x00, 0x70, 0x34, 0x12)):
        t.w(1, cfg + 0x10 + i, b)
    t.r(4, cfg + 0x10, 0x12347000)
    t.r(1, cfg + 0x11, 0x70)
    t.r(8, 0x12347000, SIG)
    t.x(8, 0x23455000)
    t.label("PCI-2 sizing with a halfword store of all ones to the upper half")
    t.w(2, cfg + 0x12, 0xFFFF)
    t.r(4, cfg + 0x10, 0xFFFF7000)
    t.w(2, cfg + 0x12, 0x1234)
    t.r(4, cfg + 0x10, 0x12347000)
    t.r(8, 0x12347000, SIG)
    return t


def named_pci_stores_ignored():
    """Stores where no writable register is: the host bridge (it has no
    BAR: sizing reads 0, the standard answer of an unimplemented BAR; its
    Command register, which SPEC does not describe, is left alone), an
    absent slot and function 1 of the shmem device (all ones, PCI-1)."""
    t, m = Table(), PciModel()
    cfg = ECAM + (1 << 15)
    for slot, fn, what in ((0, 0, "host bridge"), (2, 0, "absent slot 2"),
                           (1, 1, "absent function 1 of slot 1")):
        base = ECAM + (slot << 15) + (fn << 12)
        want = (lambda o, s=slot, f=fn: m.cfg(s, o) if f == 0 else 0xFFFFFFFF)
        for w in WIDTHS:
            t.label("PCI-1 %d-byte stores of ones to the %s change nothing" % (w, what))
            for off in (0x00, 0x04, 0x08, 0x10, 0x14, 0x3C):
                # the bridge's Command register is not the spec's business
                if off % w == 0 and not (slot == 0 and off <= 0x04 < off + w):
                    t.w(w, base + off, 0xFFFFFFFFFFFFFFFF)
            for off in (0x00, 0x04, 0x08, 0x10, 0x14, 0x3C):
                t.r(4, base + off, want(off))
    t.label("PCI-1 the shmem function is untouched: BAR0 at reset, decoding off")
    for o in range(0, 0x40, 4):
        t.r(4, cfg + o, m.cfg(1, o))
    t.x(8, 0x10000000)
    t.x(8, 0x10001000)
    t.label("PCI-2 the function still decodes once enabled")
    t.w(4, cfg + 0x04, 0xFFFFFFFF)
    t.r(8, 0x10000000, SIG)
    t.x(8, 0x10001000)
    return t


def named_bridge_command():
    """The host bridge has no BAR, so its Command register (which SPEC does
    not describe; its value is not checked) decodes nothing: stores of every
    width to it neither map a factory page nor change the shmem function's
    Command, and clearing it does not stop the function's own decoding."""
    t, m = Table(), PciModel()
    bridge, cfg = ECAM, ECAM + (1 << 15)
    for w in (1, 2, 4):
        t.label("PCI-2 %d-byte store of ones to the host bridge's Command decodes nothing" % w)
        t.w(w, bridge + 0x04, 0xFFFFFFFF)
        for off in (0x00, 0x08, 0x10):
            t.r(4, bridge + off, m.cfg(0, off))
        t.r(4, cfg + 0x04, m.cfg(1, 0x04))
        t.x(8, 0x10000000)
    t.label("PCI-2 the shmem function decodes on its own Command")
    t.w(4, cfg + 0x04, 0xFFFFFFFF)
    m.write(1, 0x04, 4, 0xFFFFFFFF)
    t.r(8, 0x10000000, SIG)
    t.label("PCI-2 clearing the bridge's Command leaves the function decoding")
    t.w(4, bridge + 0x04, 0)
    t.r(4, cfg + 0x04, m.cfg(1, 0x04))
    t.r(8, 0x10000000, SIG)
    return t


def named_doc(name, desc, clauses, table, shmem, profile=None):
    vm = {"name": "mx", "program": "mx_walk", "args": table.args(), "shmem": shmem}
    prof = {"fault_delivery": "guest"}
    prof.update(profile or {})
    return {
        "name": name,
        "description": desc + " (table written by tools/gen-matrix.py)",
        "clauses": clauses,
        "profile": prof,
        "vms": [vm],
        "expect": [
            {"vm": "mx", "console": {"regex": "mx done [0-9]+ ops 0 failed"}},
            {"vm": "mx", "exit": 0},
            {"vm": "mx", "fails": []},
        ],
    }


def named_scenarios():
    loc = [{"loc": "0x%x" % FAC, "intr": FAC_INTR}]
    out = []
    d = named_doc("notify-narrow-stores", "narrow stores to notify: a byte 0x01 at ctl+0x9 "
                  "notifies connection 8 only; a byte 0xFF at 0x8 notifies 0..7 (the sender "
                  "too, self_notify allowed), not 8 and 9; stores to bytes 0xA/0xB select no "
                  "one and do not detach; a halfword 0x0200 at 0x8 notifies 9; 0xFFFFFFFF "
                  "everyone but the sender; 0 no one",
                  ["CTL-1", "NTF-1", "NTF-2", "NTF-3"], named_notify_narrow(), loc)
    d["expect"] += [{"region": "nn", "peak_clients": 10}]
    out.append(("control/notify-narrow-stores.json", d))
    d = named_doc("detach-narrow-stores", "byte and halfword stores at 0x8..0xB (notify) never "
                  "detach; a byte store at any of 0xC..0xF, a halfword at 0xC or 0xE and a "
                  "64-bit store at 0x8 detach (whatever the value, 0 included): the control "
                  "page faults, the peers' live set drops the bit, and a new request gets "
                  "index 0 back at the same address",
                  ["CTL-1", "DET-1", "CTL-3"], named_detach_narrow(), loc)
    out.append(("control/detach-narrow-stores.json", d))
    d = named_doc("find-reads-zero", "find is write-only: after 8/16/32/64-bit stores to it "
                  "(each one find request, status as CRE-7 says) every load of 0x3C..0x3F "
                  "reads 0",
                  ["FAC-2", "CRE-7"], named_find_reads_zero(), loc)
    out.append(("factory/find-reads-zero.json", d))
    d = named_doc("recreate-same-size-zeroed", "region dz (2 pages) is filled, destroyed by "
                  "its last detach, and created again at the same size: it reads zero",
                  ["DET-3", "CRE-1"], named_recreate_zero(), loc)
    d["expect"] += [{"region": "dz", "pages": 2, "exists": False}]
    out.append(("detach/recreate-same-size-zeroed.json", d))
    d = named_doc("bar-narrow-program", "BAR0 programmed with halfword stores (decoding off), "
                  "then with byte stores while decoding is on: the factory page follows, the "
                  "old address faults; sizing the upper half with a halfword of ones",
                  ["PCI-1", "PCI-2"], named_bar_narrow(), [{"pci": True}])
    out.append(("pci/bar-narrow-program.json", d))
    d = named_doc("config-stores-ignored", "stores of every width, all ones, to the ID, "
                  "class, BAR0, BAR1 and interrupt registers of the host bridge (no "
                  "BAR: sizing BAR0 reads 0), and to those and Command of the absent slot 2 "
                  "and of the absent function 1 of the shmem device: they read back as before (absent: all ones), the "
                  "shmem function keeps BAR0 and Command, and no factory page appears until "
                  "its own Command is written",
                  ["PCI-1", "PCI-2"], named_pci_stores_ignored(), [{"pci": True}])
    out.append(("pci/config-stores-ignored.json", d))
    d = named_doc("bridge-command-decodes-nothing", "stores of ones (8, 16, 32 bits) to the "
                  "host bridge's Command register: the bridge has no BAR, so nothing is "
                  "decoded, its ID, class and BAR0 read as before and the shmem function's "
                  "Command stays 0 (its factory page faults); the function decodes once its own "
                  "Command is written, and clearing the bridge's Command does not stop it",
                  ["PCI-1", "PCI-2"], named_bridge_command(), [{"pci": True}])
    out.append(("pci/bridge-command-decodes-nothing.json", d))
    return out


# ---------------------------------------------------------------- files

def scenario(name, desc, clauses, table, shmem=None, pci=False):
    vm = {"name": "mx", "program": "mx_walk", "args": table.args()}
    if shmem:
        vm["shmem"] = shmem
    return name, {
        "name": "matrix-" + name,
        "description": desc + " (generated by tools/gen-matrix.py; do not edit)",
        "clauses": clauses,
        "profile": {"fault_delivery": "guest"},
        "vms": [vm],
        "expect": [
            {"vm": "mx", "console": {"regex": "mx done [0-9]+ ops 0 failed"}},
            {"vm": "mx", "exit": 0},
            {"vm": "mx", "fails": []},
        ],
    }


def all_scenarios():
    loc = [{"loc": "0x%x" % FAC, "intr": FAC_INTR}]
    return [
        scenario("factory-access", "factory page: every width at every offset of the page read as the register map says, before and after requests; "
                 "every width stored at every offset: RO bytes ignored, size/name/find bytes "
                 "land, bytes not written keep their value, a store writing size or find makes "
                 "exactly one request with the new bytes",
                 ["FAC-2", "FAC-3", "FAC-4", "FAC-5", "CRE-6", "CRE-7", "CRE-8"],
                 gen_factory(), loc),
        scenario("factory-unaligned", "factory page: every misaligned 16/32/64-bit load and "
                 "store at 0x00..0x43 faults alignment and touches no register (no request)",
                 ["FAC-3", "PLT-4"], gen_factory_unaligned(), loc),
        scenario("control-access", "control page with 10 connections: every width at every "
                 "offset of the page read; around the registers with pending bits set (status read clears only the pending bytes it returns, idx, WO "
                 "registers read 0, RAZ); every width stored: RO bytes ignored, a store writing "
                 "notify bytes rings once with the bytes not written as 0, a store writing any "
                 "byte of detach detaches after the notify; unaligned accesses fault",
                 ["CTL-1", "CTL-2", "NTF-1", "NTF-2", "DET-1", "CTL-3", "FAC-3"],
                 gen_control(), loc),
        scenario("gicd-access", "GIC distributor: every width at every offset of the page read (before and after a set-up), every 32-bit word stored and read back, and every width stored at every offset of 40 8-byte "
                 "windows (each register family, its last word and the RAZ gap after it) read "
                 "and stored against a model of GIC-1: word-only registers ignore narrow "
                 "accesses, byte registers take bytes, 64-bit accesses are two words",
                 ["GIC-1", "GIC-4"], gen_gicd()),
        scenario("gicc-access", "GIC CPU interface: every width at every offset of the page read, every width stored at every offset of its "
                 "registers; narrow accesses read 0 and do nothing; an IAR load acknowledges "
                 "exactly once whatever its width, a narrow one never; EOIR by a 64-bit "
                 "store once, by narrow stores never",
                 ["GIC-2", "GIC-4"], gen_gicc()),
        scenario("pci-config-access", "PCI configuration space of the host bridge, a shmem "
                 "function and an absent slot at every width and offset; stores of every "
                 "width: Command bit 1 and BAR0 writable, the rest RO; BAR0 programmed with "
                 "halfword and byte stores moves the factory page",
                 ["PCI-1", "PCI-2"], gen_pci(), [{"pci": True}], pci=True),
    ]


def render(doc):
    return json.dumps(doc, indent=2) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    bad = 0
    want = {}
    for name, doc in all_scenarios():
        want["matrix/" + name + ".json"] = render(doc)
    for rel, doc in named_scenarios():
        want[rel] = render(doc)
    if not check:
        os.makedirs(OUT, exist_ok=True)
    for fn, text in want.items():
        path = os.path.join(ROOT, "scenarios", fn)
        if check:
            try:
                with open(path) as f:
                    same = f.read() == text
            except OSError:
                same = False
            if not same:
                print("gen-matrix: %s is out of date: run tools/gen-matrix.py" % path)
                bad = 1
        else:
            with open(path, "w") as f:
                f.write(text)
    if check and os.path.isdir(OUT):
        for fn in os.listdir(OUT):
            if fn.endswith(".json") and "matrix/" + fn not in want:
                print("gen-matrix: scenarios/matrix/%s is not generated" % fn)
                bad = 1
    if not bad and check:
        print("gen-matrix: %d scenarios up to date" % len(want))
    return bad


if __name__ == "__main__":
    sys.exit(main())
