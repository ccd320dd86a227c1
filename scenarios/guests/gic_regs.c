/* gic_regs.c - GICv2 register conformance without interrupts (SPEC GIC-1,
 * GIC-2 register list, GIC-4), in the spirit of kvm-unit-tests gicv2 tests.
 * arg0 selects the group of checks; every check has its own FAIL id and
 * prints "FAIL 0xID: what got=.. want=.." on the console.
 *
 *   "id"      read-only identification registers, writes ignored:
 *             0x101 GICD_TYPER == 7 (ITLinesNumber 7, CPUNumber 0)
 *             0x102 TYPER unchanged after writing 0xFFFFFFFF and 0
 *             0x103 GICD_IIDR == 0x0200143B
 *             0x104 IIDR unchanged after writes
 *             0x105 ICPIDR2 (0xFE8) ArchRev field [7:4] == 2
 *             0x106 ICPIDR2 unchanged after a write
 *             0x107 GICC_IIDR (0xFC) architecture version [19:16] == 2
 *             0x108 GICC_IIDR unchanged after a write
 *             0x109 GICC_RPR idle == 0xFF, and unchanged after a write
 *             0x10A GICC_HPPIR idle == 1023, and unchanged after a write
 *             0x10B GICD_SGIR (write-only) reads 0
 *             0x10C GICC_EOIR (write-only) reads 0
 *             0x10D a write to GICC_IAR acknowledges nothing (SPI 40
 *                   pending+enabled stays pending, not active)
 *   "raz"     unimplemented/reserved offsets are RAZ/WI (GIC-4):
 *             0x200 + k  offset k of the table reads non-zero (before or
 *                        after writing 0xFFFFFFFF to it)
 *                        (patterns: all ones, 0x02000001 = "SGI 1 to self"
 *                        if it aliased SGIR, 1, 0x80808080)
 *             0x280      writes to the reserved offsets changed the state of
 *                        an implemented register (full snapshot compared)
 *             0x281      an interrupt became acknowledgeable (IAR != 1023)
 *   "prio"    IPRIORITYR (GIC-1):
 *             0x301 reset value 0 for every INTID 0..255
 *             0x302 byte write 0xFF reads back 0xF8 (each INTID 0..255)
 *             0x303 byte writes do not touch neighbouring bytes
 *             0x304 word write 0x12345678 reads 0x10305078
 *             0x305 byte read of one lane of a word written as a word
 *             0x306 IPRIORITYR for INTID 256+ (0x500) is RAZ/WI
 *   "targets" ITARGETSR RAZ/WI (uniprocessor, GIC-1):
 *             0x401 every ITARGETSR word (0x800..0x8FC) reads 0 at reset
 *             0x402 word writes of 0xFFFFFFFF are ignored
 *             0x403 byte writes are ignored (byte and word read-back)
 *             0x404 an SPI with ITARGETSR 0 is still delivered to this CPU
 *   "enable"  ISENABLER/ICENABLER (GIC-1):
 *             0x501 SPI words 1..7 reset to 0 (ISENABLER and ICENABLER)
 *             0x502 ISENABLER set bit reads back in ISENABLER and ICENABLER
 *             0x503 writing 0 bits changes nothing (ISENABLER and ICENABLER)
 *             0x504 ICENABLER clears only the written bit
 *             0x505 a whole word (INTIDs 224..255) set and cleared
 *             0x506 a disabled pending SPI is not signalled (IAR 1023);
 *                   enabled, it is (IAR 40)
 *   "cfg"     ICFGR (GIC-1):
 *             0x601 ICFGR0 (SGIs) reads 0xAAAAAAAA (edge) and ignores writes
 *             0x602 SPI fields reset to level (ICFGR2..15 read 0)
 *             0x603 bit 1 (edge) of an SPI field is writable and reads back
 *             0x604 bit 0 of every field is RAZ/WI
 *             0x605 ICFGR beyond INTID 255 (0xC40) is RAZ/WI
 *   "ctlr"    control registers (GIC-1, GIC-2):
 *             0x701 GICD_CTLR reset 0; bit 0 writable; other bits RAZ/WI
 *             0x702 GICC_CTLR reset 0; bit 0 writable (other bits read 0)
 *             0x703 GICC_PMR reset 0; write 0xFF reads 0xF8; 0x81 reads 0x80
 *             0x704 GICC_BPR reset 2 (minimum for 5 bits); 0 reads 2; 4 reads 4
 * Expected: exit 0, no FAIL, console "regs MODE done". */
#include "hv.h"
#include "gic.h"

static uint8_t prio_read(uint32_t intid)
{
	return mmio_read8(GICD_BASE + GICD_IPRIORITYR + intid);
}

/* ---- id ---- */
static void check_id(void)
{
	hv_expect32(gicd_read(GICD_TYPER), 7, 0x101, "TYPER");
	gicd_write(GICD_TYPER, 0xFFFFFFFF);
	hv_expect32(gicd_read(GICD_TYPER), 7, 0x102, "TYPER after write ~0");
	gicd_write(GICD_TYPER, 0);
	hv_expect32(gicd_read(GICD_TYPER), 7, 0x102, "TYPER after write 0");

	hv_expect32(gicd_read(GICD_IIDR), 0x0200143B, 0x103, "GICD_IIDR");
	gicd_write(GICD_IIDR, 0xFFFFFFFF);
	gicd_write(GICD_IIDR, 0);
	hv_expect32(gicd_read(GICD_IIDR), 0x0200143B, 0x104, "GICD_IIDR after writes");

	uint32_t pidr2 = gicd_read(0xFE8);
	hv_expect32((pidr2 >> 4) & 0xF, 2, 0x105, "ICPIDR2.ArchRev");
	gicd_write(0xFE8, 0);
	hv_expect32(gicd_read(0xFE8), pidr2, 0x106, "ICPIDR2 after write");

	uint32_t ciidr = gicc_read(0xFC);
	hv_expect32((ciidr >> 16) & 0xF, 2, 0x107, "GICC_IIDR.ArchitectureVersion");
	gicc_write(0xFC, 0);
	hv_expect32(gicc_read(0xFC), ciidr, 0x108, "GICC_IIDR after write");

	hv_expect32(gicc_read(GICC_RPR), 0xFF, 0x109, "RPR idle");
	gicc_write(GICC_RPR, 0x10);
	hv_expect32(gicc_read(GICC_RPR), 0xFF, 0x109, "RPR after write");

	hv_expect32(gicc_read(GICC_HPPIR) & 0x3FF, 1023, 0x10A, "HPPIR idle");
	gicc_write(GICC_HPPIR, 40);
	hv_expect32(gicc_read(GICC_HPPIR) & 0x3FF, 1023, 0x10A, "HPPIR after write");

	hv_expect32(gicd_read(GICD_SGIR), 0, 0x10B, "SGIR read");
	hv_expect32(gicc_read(GICC_EOIR), 0, 0x10C, "EOIR read");

	/* A write to IAR must not acknowledge: SPI 40 pending, enabled, signalled. */
	gic_init();
	gic_set_priority(40, 0x80);
	gic_enable(40);
	gicd_write(GICD_ISPENDR + 4, 1u << 8);
	gicc_write(GICC_IAR, 40);
	hv_expect32(gicd_read(GICD_ISPENDR + 4) & (1u << 8), 1u << 8, 0x10D, "SPI 40 still pending after IAR write");
	hv_expect32(gicd_read(GICD_ISACTIVER + 4) & (1u << 8), 0, 0x10D, "SPI 40 not active after IAR write");
	hv_expect32(gicc_read(GICC_RPR), 0xFF, 0x10D, "RPR idle after IAR write");
	/* Clean up: acknowledge and EOI it for real (IRQs stay masked). */
	uint32_t iar = gic_ack();
	hv_expect32(iar & 0x3FF, 40, 0x10D, "IAR after IAR write");
	gic_eoi(iar);
}

/* ---- raz ---- */
static const uint32_t gicd_raz[] = {
	0x00C, 0x010, 0x01C, 0x020, 0x03C, 0x040, 0x07C,
	0x120, 0x17C, 0x1A0, 0x1FC, 0x220, 0x27C, 0x2A0, 0x2FC, 0x320, 0x37C, 0x3A0, 0x3FC,
	0x500, 0x7F8, 0xC40, 0xCFC, 0xD00, 0xDFC, 0xE00, 0xEFC,
	0xF04, 0xF08, 0xF0C, 0xF30, 0xF40, 0xFC0,
	0x1000, 0x4000, 0x8000, 0xFFFC,
};
static const uint32_t gicc_raz[] = { 0x40, 0x80, 0xC0, 0xCC, 0x100, 0x800, 0x2000, 0x8000, 0xFFFC };

#define SNAP_WORDS (1 + 3 * 8 + 64 + 16 + 4)
static void snapshot(uint32_t *s)
{
	unsigned n = 0;
	s[n++] = gicd_read(GICD_CTLR);
	for (unsigned w = 0; w < 8; w++) {
		s[n++] = gicd_read(GICD_ISENABLER + 4 * w);
		s[n++] = gicd_read(GICD_ISPENDR + 4 * w);
		s[n++] = gicd_read(GICD_ISACTIVER + 4 * w);
	}
	for (unsigned w = 0; w < 64; w++)
		s[n++] = gicd_read(GICD_IPRIORITYR + 4 * w);
	for (unsigned w = 0; w < 16; w++)
		s[n++] = gicd_read(GICD_ICFGR + 4 * w);
	s[n++] = gicc_read(GICC_CTLR);
	s[n++] = gicc_read(GICC_PMR);
	s[n++] = gicc_read(GICC_BPR);
	s[n++] = gicc_read(GICC_RPR);
}

/* Patterns written to each reserved offset: all ones, then values that
 * would have an effect if the offset aliased SGIR (SGI 1 to self), a
 * CTLR (bit 0) or a priority/config register. */
static const uint32_t raz_patterns[] = { 0xFFFFFFFF, 0x02000001, 0x00000001, 0x80808080 };
#define N_PATTERNS (sizeof(raz_patterns) / sizeof(raz_patterns[0]))

static void raz_one(uint64_t base, const char *frame, uint32_t off, uint32_t id)
{
	uint32_t v = mmio_read32(base + off);
	if (v != 0) {
		printf("FAIL 0x%x: %s+0x%x reads 0x%x before write\n", id, frame, off, v);
		hv_fail(id);
		return;
	}
	for (unsigned p = 0; p < N_PATTERNS; p++) {
		mmio_write32(base + off, raz_patterns[p]);
		v = mmio_read32(base + off);
		if (v != 0) {
			printf("FAIL 0x%x: %s+0x%x reads 0x%x after writing 0x%x\n", id, frame, off, v,
			       raz_patterns[p]);
			hv_fail(id);
			return;
		}
	}
}

static void check_raz(void)
{
	uint32_t before[SNAP_WORDS], after[SNAP_WORDS];
	unsigned k = 0;

	gic_init();               /* GICD/GICC on, PMR 0xF0: an aliased SGI would show */
	snapshot(before);
	for (unsigned i = 0; i < sizeof(gicd_raz) / sizeof(gicd_raz[0]); i++, k++)
		raz_one(GICD_BASE, "GICD", gicd_raz[i], 0x200 + k);
	for (unsigned i = 0; i < sizeof(gicc_raz) / sizeof(gicc_raz[0]); i++, k++)
		raz_one(GICC_BASE, "GICC", gicc_raz[i], 0x200 + k);
	snapshot(after);
	for (unsigned i = 0; i < SNAP_WORDS; i++)
		if (before[i] != after[i]) {
			printf("FAIL 0x280: snapshot word %u 0x%x -> 0x%x\n", i, before[i], after[i]);
			hv_fail(0x280);
			break;
		}
	if (gic_ack() != 1023)
		hv_fail(0x281);
	printf("raz: %u offsets checked\n", k);
}

/* ---- prio ---- */
static void check_prio(void)
{
	int bad = 0;
	for (uint32_t i = 0; i < 256 && !bad; i++)
		if (prio_read(i) != 0) {
			hv_expect32(prio_read(i), 0, 0x301, "IPRIORITYR reset");
			bad = 1;
		}
	bad = 0;
	for (uint32_t i = 0; i < 256; i++) {
		mmio_write8(GICD_BASE + GICD_IPRIORITYR + i, 0xFF);
		if (prio_read(i) != 0xF8 && !bad) {
			printf("INTID %u\n", i);
			hv_expect32(prio_read(i), 0xF8, 0x302, "IPRIORITYR byte 0xFF");
			bad = 1;
		}
	}
	/* Neighbours: INTIDs 40..43 = one word. */
	gicd_write(GICD_IPRIORITYR + 40, 0);
	mmio_write8(GICD_BASE + GICD_IPRIORITYR + 41, 0xA8);
	hv_expect32(gicd_read(GICD_IPRIORITYR + 40), 0x0000A800, 0x303, "word after byte write to INTID 41");
	mmio_write8(GICD_BASE + GICD_IPRIORITYR + 43, 0x17);
	hv_expect32(gicd_read(GICD_IPRIORITYR + 40), 0x1000A800, 0x303, "word after byte write to INTID 43");

	gicd_write(GICD_IPRIORITYR + 32, 0x12345678);
	hv_expect32(gicd_read(GICD_IPRIORITYR + 32), 0x10305078, 0x304, "word write 0x12345678");
	hv_expect32(prio_read(33), 0x50, 0x305, "byte lane INTID 33");
	hv_expect32(prio_read(34), 0x30, 0x305, "byte lane INTID 34");
	hv_expect32(prio_read(35), 0x10, 0x305, "byte lane INTID 35");

	gicd_write(0x500, 0xFFFFFFFF);
	mmio_write8(GICD_BASE + 0x501, 0xFF);
	hv_expect32(gicd_read(0x500), 0, 0x306, "IPRIORITYR INTID 256..259");
	hv_expect32(mmio_read8(GICD_BASE + 0x501), 0, 0x306, "IPRIORITYR INTID 257 byte");
}

/* ---- targets ---- */
static volatile uint32_t t_hits;
static void t_handler(uint32_t intid, void *arg)
{
	(void)intid; (void)arg;
	t_hits++;
}

static void check_targets(void)
{
	for (uint32_t w = 0; w < 64; w++)
		if (gicd_read(GICD_ITARGETSR + 4 * w) != 0) {
			hv_expect32(gicd_read(GICD_ITARGETSR + 4 * w), 0, 0x401, "ITARGETSR reset");
			break;
		}
	for (uint32_t w = 0; w < 64; w++) {
		gicd_write(GICD_ITARGETSR + 4 * w, 0xFFFFFFFF);
		if (gicd_read(GICD_ITARGETSR + 4 * w) != 0) {
			hv_expect32(gicd_read(GICD_ITARGETSR + 4 * w), 0, 0x402, "ITARGETSR after word write");
			break;
		}
	}
	mmio_write8(GICD_BASE + GICD_ITARGETSR + 40, 0x01);
	mmio_write8(GICD_BASE + GICD_ITARGETSR + 41, 0xFF);
	hv_expect32(mmio_read8(GICD_BASE + GICD_ITARGETSR + 40), 0, 0x403, "ITARGETSR byte 40");
	hv_expect32(mmio_read8(GICD_BASE + GICD_ITARGETSR + 41), 0, 0x403, "ITARGETSR byte 41");
	hv_expect32(gicd_read(GICD_ITARGETSR + 40), 0, 0x403, "ITARGETSR word 40..43");

	/* Targets read 0, yet the SPI reaches the only CPU. */
	irq_register(40, t_handler, 0);
	gic_init();
	gic_set_priority(40, 0x80);
	gic_enable(40);
	gicd_write(GICD_ISPENDR + 4, 1u << 8);
	irq_wait_count(&t_hits, 1, 2000);
	hv_expect32(t_hits, 1, 0x404, "SPI 40 delivered with ITARGETSR 0");
}

/* ---- enable ---- */
static void check_enable(void)
{
	for (uint32_t w = 1; w < 8; w++) {
		if (gicd_read(GICD_ISENABLER + 4 * w) || gicd_read(GICD_ICENABLER + 4 * w)) {
			hv_expect32(gicd_read(GICD_ISENABLER + 4 * w), 0, 0x501, "ISENABLER reset");
			hv_expect32(gicd_read(GICD_ICENABLER + 4 * w), 0, 0x501, "ICENABLER reset");
			break;
		}
	}
	gicd_write(GICD_ISENABLER + 4, 1u << 8);      /* SPI 40 */
	hv_expect32(gicd_read(GICD_ISENABLER + 4), 1u << 8, 0x502, "ISENABLER1 after set 40");
	hv_expect32(gicd_read(GICD_ICENABLER + 4), 1u << 8, 0x502, "ICENABLER1 after set 40");
	gicd_write(GICD_ISENABLER + 4, 1u << 9);      /* SPI 41 */
	hv_expect32(gicd_read(GICD_ISENABLER + 4), 3u << 8, 0x502, "ISENABLER1 after set 41");

	gicd_write(GICD_ISENABLER + 4, 0);
	gicd_write(GICD_ICENABLER + 4, 0);
	hv_expect32(gicd_read(GICD_ISENABLER + 4), 3u << 8, 0x503, "ISENABLER1 after writing zeros");

	gicd_write(GICD_ICENABLER + 4, 1u << 8);
	hv_expect32(gicd_read(GICD_ISENABLER + 4), 1u << 9, 0x504, "ISENABLER1 after clear 40");
	hv_expect32(gicd_read(GICD_ICENABLER + 4), 1u << 9, 0x504, "ICENABLER1 after clear 40");
	gicd_write(GICD_ICENABLER + 4, 1u << 9);
	hv_expect32(gicd_read(GICD_ISENABLER + 4), 0, 0x504, "ISENABLER1 after clear 41");

	gicd_write(GICD_ISENABLER + 28, 0xFFFFFFFF);
	hv_expect32(gicd_read(GICD_ISENABLER + 28), 0xFFFFFFFF, 0x505, "ISENABLER7 all set");
	hv_expect32(gicd_read(GICD_ISENABLER + 24), 0, 0x505, "ISENABLER6 untouched");
	gicd_write(GICD_ICENABLER + 28, 0xFFFFFFFF);
	hv_expect32(gicd_read(GICD_ICENABLER + 28), 0, 0x505, "ICENABLER7 all clear");

	/* The enable bit gates signalling (IRQs masked, polled through IAR). */
	gic_init();
	gic_set_priority(40, 0x80);
	gicd_write(GICD_ISPENDR + 4, 1u << 8);
	hv_expect32(gic_ack(), 1023, 0x506, "IAR with SPI 40 pending but disabled");
	gic_enable(40);
	uint32_t iar = gic_ack();
	hv_expect32(iar & 0x3FF, 40, 0x506, "IAR with SPI 40 pending and enabled");
	gic_eoi(iar);
}

/* ---- cfg ---- */
static void check_cfg(void)
{
	hv_expect32(gicd_read(GICD_ICFGR), 0xAAAAAAAA, 0x601, "ICFGR0 (SGIs)");
	gicd_write(GICD_ICFGR, 0);
	hv_expect32(gicd_read(GICD_ICFGR), 0xAAAAAAAA, 0x601, "ICFGR0 after write 0");
	for (uint32_t w = 2; w < 16; w++)
		if (gicd_read(GICD_ICFGR + 4 * w) != 0) {
			hv_expect32(gicd_read(GICD_ICFGR + 4 * w), 0, 0x602, "SPI ICFGR reset (level)");
			break;
		}
	gic_set_edge(40, 1);                           /* ICFGR2, field 8 */
	hv_expect32(gicd_read(GICD_ICFGR + 8), 2u << 16, 0x603, "ICFGR2 after edge 40");
	gic_set_edge(47, 1);
	hv_expect32(gicd_read(GICD_ICFGR + 8), (2u << 16) | (2u << 30), 0x603, "ICFGR2 after edge 47");
	gic_set_edge(40, 0);
	hv_expect32(gicd_read(GICD_ICFGR + 8), 2u << 30, 0x603, "ICFGR2 after level 40");
	gic_set_edge(47, 0);

	gicd_write(GICD_ICFGR + 8, 0x55555555);
	hv_expect32(gicd_read(GICD_ICFGR + 8), 0, 0x604, "ICFGR2 bit 0 of fields");
	gicd_write(GICD_ICFGR + 60, 0xFFFFFFFF);
	hv_expect32(gicd_read(GICD_ICFGR + 60), 0xAAAAAAAA, 0x604, "ICFGR15 after ~0");
	gicd_write(GICD_ICFGR + 60, 0);

	gicd_write(0xC40, 0xFFFFFFFF);
	hv_expect32(gicd_read(0xC40), 0, 0x605, "ICFGR16 (INTID 256+)");
}

/* ---- ctlr ---- */
static void check_ctlr(void)
{
	hv_expect32(gicd_read(GICD_CTLR), 0, 0x701, "GICD_CTLR reset");
	gicd_write(GICD_CTLR, 0xFFFFFFFF);
	hv_expect32(gicd_read(GICD_CTLR), 1, 0x701, "GICD_CTLR after ~0");
	gicd_write(GICD_CTLR, 0);
	hv_expect32(gicd_read(GICD_CTLR), 0, 0x701, "GICD_CTLR after 0");

	hv_expect32(gicc_read(GICC_CTLR), 0, 0x702, "GICC_CTLR reset");
	gicc_write(GICC_CTLR, 1);
	hv_expect32(gicc_read(GICC_CTLR) & 1, 1, 0x702, "GICC_CTLR.Enable after 1");
	gicc_write(GICC_CTLR, 0);
	hv_expect32(gicc_read(GICC_CTLR), 0, 0x702, "GICC_CTLR after 0");

	hv_expect32(gicc_read(GICC_PMR), 0, 0x703, "PMR reset");
	gicc_write(GICC_PMR, 0xFF);
	hv_expect32(gicc_read(GICC_PMR), 0xF8, 0x703, "PMR after 0xFF");
	gicc_write(GICC_PMR, 0x81);
	hv_expect32(gicc_read(GICC_PMR), 0x80, 0x703, "PMR after 0x81");

	hv_expect32(gicc_read(GICC_BPR), 2, 0x704, "BPR reset");
	gicc_write(GICC_BPR, 0);
	hv_expect32(gicc_read(GICC_BPR), 2, 0x704, "BPR after 0");
	gicc_write(GICC_BPR, 4);
	hv_expect32(gicc_read(GICC_BPR), 4, 0x704, "BPR after 4");
	gicc_write(GICC_BPR, 2);
}

int main(void)
{
	const char *mode = hv_argc() > 0 ? hv_arg_str(0) : "id";

	if (!strcmp(mode, "id"))
		check_id();
	else if (!strcmp(mode, "raz"))
		check_raz();
	else if (!strcmp(mode, "prio"))
		check_prio();
	else if (!strcmp(mode, "targets"))
		check_targets();
	else if (!strcmp(mode, "enable"))
		check_enable();
	else if (!strcmp(mode, "cfg"))
		check_cfg();
	else if (!strcmp(mode, "ctlr"))
		check_ctlr();
	else {
		printf("unknown mode %s\n", mode);
		hv_fail(0xBAD);
	}
	printf("regs %s done\n", mode);
	return 0;
}
